import { existsSync, readdirSync, readFileSync } from 'node:fs';
import t from 'tap';
import { buildInventory, countBaseParameters, listPresets, presetConfig } from '../../../src/peft/architectures/index.js';
import { FAMILIES } from '../../../src/peft/architectures/registry.js';
import { PRESET_CONFIGS, PRESET_SOURCES } from '../../../src/peft/architectures/presets.data.js';

const REFERENCE_DIR = '/work/shared/reference/hf-configs';
/** Configs written from model cards' published dimensions, each with its source (scripts/preset-configs/sources.json). */
const WRITTEN_DIR = new URL('../../../scripts/preset-configs/', import.meta.url).pathname;
const configFiles = (dir: string) => readdirSync(dir).filter((f) => f.endsWith('.json') && f !== 'sources.json');
const idOf = (file: string) => file.replace(/\.json$/, '').replace('__', '/');

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

t.test('the generated preset module holds exactly the reference files and the written ones', { skip: !existsSync(REFERENCE_DIR) && 'reference directory not present' }, async (t) => {
  const reference = configFiles(REFERENCE_DIR);
  const written = configFiles(WRITTEN_DIR);
  t.equal(Object.keys(PRESET_CONFIGS).length, reference.length + written.length);
  for (const file of reference) {
    t.same(PRESET_CONFIGS[idOf(file)], JSON.parse(readFileSync(`${REFERENCE_DIR}/${file}`, 'utf8')), idOf(file));
    t.match(PRESET_SOURCES[idOf(file)], 'as the Hub serves it');
  }
  const sources = JSON.parse(readFileSync(`${WRITTEN_DIR}/sources.json`, 'utf8')) as Record<string, string>;
  t.same(Object.keys(sources).sort(), written.map(idOf).sort(), 'one source per written config');
  for (const file of written) {
    t.same(PRESET_CONFIGS[idOf(file)], JSON.parse(readFileSync(`${WRITTEN_DIR}/${file}`, 'utf8')), idOf(file));
    t.equal(PRESET_SOURCES[idOf(file)], sources[idOf(file)]);
    t.match(PRESET_SOURCES[idOf(file)], /^Written here, not downloaded/, `${idOf(file)}: says it was written, not downloaded`);
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

t.test('written presets: the totals their sources publish', async (t) => {
  const count = (id: string) => listPresets().find((p) => p.id === id)?.parameter_count;
  // Phi-3 tutorial (rickiepark/fine-tuning-llm Chapter0): 3833.66M total with 12.58M LoRA parameters.
  t.equal(count('microsoft/Phi-3-mini-4k-instruct'), 3_821_079_552);
  t.equal(count('bigcode/starcoderbase-1b'), 1_137_207_296, '1,138,042,880 all params less 835,584 LoRA (ilyasoulk/adversarial)');
  t.equal(count('EleutherAI/gpt-j-6b'), 6_050_882_784, '6,054,552,800 all params less 3,670,016 LoRA (huggingface/peft#140)');
  t.equal(count('distilbert/distilbert-base-uncased'), 66_362_880, 'DistilBertModel, the card\'s 66M');
  const gemma = buildInventory(presetConfig('google/gemma-3-1b-it'), { task_type: 'CAUSAL_LM' });
  const embedding = gemma.modules.filter((m) => m.role === 'embedding').reduce((a, m) => a + m.params.reduce((b, p) => b + p.shape[0] * p.shape[1], 0), 0);
  t.same([Math.round(embedding / 1e6), Math.round((countBaseParameters(gemma) - embedding) / 1e6)], [302, 698], 'Gemma 3 report: 302M embedding, 698M non-embedding');
  const deberta = buildInventory(presetConfig('microsoft/deberta-v3-base'), { task_type: 'FEATURE_EXTRACTION' });
  const words = 128_100 * 768;
  t.equal(Math.round(words / 1e6), 98, 'card: 98M embedding parameters');
  // Backbone by hand: 12 layers × 7,087,872 + rel_embeddings 512·768 + two LayerNorms 2·1536; the card rounds it to "86M".
  t.equal(countBaseParameters(deberta) - words, 12 * 7_087_872 + 512 * 768 + 2 * 1536);
  t.equal(Math.round(count('Qwen/Qwen1.5-MoE-A2.7B')! / 1e8) / 10, 14.3, 'card: 14.3B');
});
