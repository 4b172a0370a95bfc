import t from 'tap';
import { countParameters } from '../../../src/peft/accounting/index.js';
import { buildInventory, countBaseParameters, resolveModelConfig } from '../../../src/peft/architectures/index.js';
import type { PeftConfig, TaskType } from '../../../src/schemas/model.js';

/** The published print_trainable_parameters() lines of peft-counting.md, verbatim. */
const VECTORS: Array<{ preset: string; task: TaskType; num_labels?: number; peft: PeftConfig; printed: string }> = [
  {
    preset: 'Qwen/Qwen2.5-3B-Instruct',
    task: 'CAUSAL_LM',
    peft: { peft_type: 'LORA', r: 16, lora_alpha: 32 },
    printed: 'trainable params: 3,686,400 || all params: 3,089,625,088 || trainable%: 0.1193',
  },
  {
    preset: 'meta-llama/Llama-3.2-1B',
    task: 'CAUSAL_LM',
    peft: { peft_type: 'LORA', r: 8, lora_alpha: 32, target_modules: ['q_proj'] },
    printed: 'trainable params: 524,288 || all params: 1,236,338,688 || trainable%: 0.0424',
  },
];

for (const v of VECTORS) {
  t.test(`${v.preset} ${v.peft.peft_type}`, async (t) => {
    const inv = buildInventory(resolveModelConfig({ preset: v.preset }), { task_type: v.task, num_labels: v.num_labels });
    const result = countParameters(inv, v.peft, { task_type: v.task });
    t.equal(result.printed, v.printed);
    const [trainable, all] = v.printed.match(/[\d,]+/g)!.slice(0, 2).map((s) => Number(s.replaceAll(',', '')));
    t.equal(result.trainable_params, trainable);
    t.equal(result.all_params, all);
    t.equal(result.base_params + result.added_params, result.all_params);
  });
}

t.test('published base totals (sum of numel, tied weights once)', async (t) => {
  const base = (preset: string, task: TaskType) => countBaseParameters(buildInventory(resolveModelConfig({ preset }), { task_type: task }));
  t.equal(base('meta-llama/Llama-2-7b-hf', 'CAUSAL_LM'), 6_738_415_616);
  t.equal(base('mistralai/Mistral-7B-v0.1', 'CAUSAL_LM'), 7_241_732_096);
  t.equal(base('meta-llama/Meta-Llama-3-8B', 'CAUSAL_LM'), 8_030_261_248);
});
