import { existsSync, readdirSync, readFileSync } from 'node:fs';
import t from 'tap';
import { buildInventory, countBaseParameters, listPresets, presetConfig } from '../../../src/peft/architectures/index.js';
import { FAMILIES } from '../../../src/peft/architectures/registry.js';
import { PRESET_CONFIGS } from '../../../src/peft/architectures/presets.data.js';

const REFERENCE_DIR = '/work/shared/reference/hf-configs';

t.test('every reference config.json is accepted as-is, under every task its family has a class for', async (t) => {
  const ids = Object.keys(PRESET_CONFIGS);
  t.ok(ids.length >= 25, `${ids.length} presets`);
  for (const id of ids) {
    const config = presetConfig(id);
    const family = FAMILIES.find((f) => f.model_types.includes(String(config.model_type)));
    t.ok(family, `${id}: model_type ${String(config.model_type)} is supported`);
    for (const task of family!.tasks) {
      const inv = buildInventory(config, { task_type: task });
      t.ok(countBaseParameters(inv) > 0, `${id} ${task}`);
      t.equal(new Set(inv.modules.map((m) => m.name)).size, inv.modules.length, `${id} ${task}: module names are unique`);
    }
  }
});

t.test('the generated preset module holds exactly the reference files', { skip: !existsSync(REFERENCE_DIR) && 'reference directory not present' }, async (t) => {
  const files = readdirSync(REFERENCE_DIR).filter((f) => f.endsWith('.json'));
  t.equal(Object.keys(PRESET_CONFIGS).length, files.length);
  for (const file of files) {
    const id = file.replace(/\.json$/, '').replace('__', '/');
    t.same(PRESET_CONFIGS[id], JSON.parse(readFileSync(`${REFERENCE_DIR}/${file}`, 'utf8')), id);
  }
});

t.test('preset listing: counts of well-known models', async (t) => {
  const byId = new Map(listPresets().map((p) => [p.id, p]));
  // Published model sizes (sum of numel, tied once) for presets the reference does not list.
  t.equal(byId.get('openai-community/gpt2-large')?.parameter_count, 774_030_080);
  t.equal(byId.get('FacebookAI/roberta-base')?.parameter_count, 124_645_632);
  t.equal(byId.get('facebook/opt-125m')?.parameter_count, 125_239_296);
  t.equal(byId.get('EleutherAI/pythia-1b')?.parameter_count, 1_011_781_632);
  t.equal(byId.get('microsoft/phi-2')?.parameter_count, 2_779_683_840);
  t.equal(byId.get('google/gemma-2-2b')?.parameter_count, 2_614_341_888);
  t.equal(byId.get('mistralai/Mixtral-8x7B-v0.1')?.parameter_count, 46_702_792_704);
  t.equal(byId.get('meta-llama/Llama-3.2-1B')?.parameter_count, 1_235_814_400);
  t.equal(byId.get('tiiuae/falcon-7b')?.parameter_count, 6_921_720_704);
  t.equal(byId.get('google-t5/t5-large')?.parameter_count, 737_668_096);
  t.equal(byId.get('bigscience/bloomz-7b1')?.task_type, 'CAUSAL_LM');
  t.equal(byId.get('google-bert/bert-base-cased')?.task_type, 'FEATURE_EXTRACTION');
  t.equal(byId.get('openai/whisper-large-v2')?.task_type, 'SEQ_2_SEQ_LM');
});
