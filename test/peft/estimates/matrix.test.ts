import t from 'tap';
import { countParameters } from '../../../src/peft/accounting/index.js';
import { listPresets } from '../../../src/peft/architectures/catalogue.js';
import { buildInventory, presetConfig } from '../../../src/peft/architectures/index.js';
import { estimateCompute, estimateInferenceMemory, estimateTrainingMemory } from '../../../src/peft/estimates/index.js';
import { TASK_TYPES, type PeftConfig } from '../../../src/schemas/model.js';
import { SETUP } from './helpers.js';

// One config per PEFT type the accounting supports; all-linear LoRA with dropout exercises the most tensors.
const PEFTS: Record<string, Record<string, unknown>> = {
  LORA: { peft_type: 'LORA', r: 8, target_modules: 'all-linear', lora_dropout: 0.05 },
  IA3: { peft_type: 'IA3' },
  PREFIX_TUNING: { peft_type: 'PREFIX_TUNING', num_virtual_tokens: 10 },
  PROMPT_TUNING: { peft_type: 'PROMPT_TUNING', num_virtual_tokens: 10 },
  P_TUNING: { peft_type: 'P_TUNING', num_virtual_tokens: 10 },
  LN_TUNING: { peft_type: 'LN_TUNING' },
  BOTTLENECK: { peft_type: 'BOTTLENECK' },
};

const finite = (o: unknown): boolean =>
  typeof o === 'number' ? Number.isFinite(o) : Array.isArray(o) ? o.every(finite) : o !== null && typeof o === 'object' ? Object.values(o).every(finite) : true;

t.test('every preset × PEFT type × task type the accounting accepts: finite estimates that add up', async (t) => {
  let checked = 0;
  for (const p of listPresets()) {
    const config = presetConfig(p.id);
    for (const task_type of TASK_TYPES) {
      let inventory;
      try {
        inventory = buildInventory(config, { task_type });
      } catch {
        continue; // this family has no model class for the task: the routes answer 422, as /v1/parameters does
      }
      for (const [name, peft] of Object.entries(PEFTS)) {
        let accounting;
        try {
          accounting = countParameters(inventory, peft as PeftConfig, { task_type });
        } catch {
          continue;
        }
        const model = { inventory, accounting, config, peft: [{ peft_type: name, num_virtual_tokens: peft.num_virtual_tokens as number | undefined, lora_dropout: peft.lora_dropout as number | undefined }] };
        const setup = { ...SETUP, seq_len: 128 };
        const mem = estimateTrainingMemory(model, setup);
        const sum = Object.values(mem.breakdown).reduce((a, x) => a + x.bytes, 0);
        const c = estimateCompute(model, setup);
        const inf = estimateInferenceMemory(model, setup);
        const ok = finite(mem) && finite(c) && finite(inf) && sum === mem.total_bytes && Number.isSafeInteger(mem.total_bytes) && c.training.total > 0;
        if (!ok) t.fail(`${p.id} ${task_type} ${name}`);
        checked += 1;
      }
    }
  }
  t.ok(checked > 500, `${checked} combinations checked`);
});
