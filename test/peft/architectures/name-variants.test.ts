import t from 'tap';
import { countParameters } from '../../../src/peft/accounting/index.js';
import { buildInventory, presetConfig } from '../../../src/peft/architectures/index.js';
import { foreignNameNotes } from '../../../src/peft/architectures/name-variants.js';
import { caught } from '../../helpers/domain.js';

t.test('remote-code phi (phi-msft, mixformer-sequential): a 422 that says so and names the transformers model_type', async (t) => {
  for (const model_type of ['phi-msft', 'mixformer-sequential']) {
    const e = caught(() => buildInventory({ ...presetConfig('microsoft/phi-2'), model_type }, { task_type: 'CAUSAL_LM' }));
    t.equal(e.status, 422);
    t.match(e.message, 'remote-code variant of phi');
    t.match(e.message, 'mixer.Wqkv');
    t.match(e.message, 'paste the transformers config (model_type "phi")');
    t.same(e.errors.map((x) => x.path), ['body.model.config.model_type']);
  }
});

t.test('target names of the remote-code phi or of unfused layouts: the 422 or warning says where they come from', async (t) => {
  const phi = buildInventory(presetConfig('microsoft/phi-2'), { task_type: 'CAUSAL_LM' });
  // The target list old phi-2 tutorials copied from PEFT's former phi default: all four match nothing in transformers' phi.
  const e = caught(() => countParameters(phi, { peft_type: 'LORA', r: 8, target_modules: ['Wqkv', 'out_proj'] }, { task_type: 'CAUSAL_LM' }));
  t.equal(e.status, 422);
  t.match(e.message, 'not found in the base model');
  t.match(e.message, '"Wqkv", "out_proj" are module names of the remote-code variant of phi');
  const partly = countParameters(phi, { peft_type: 'LORA', r: 8, target_modules: ['Wqkv', 'fc1', 'fc2'] }, { task_type: 'CAUSAL_LM' });
  t.match(partly.warnings?.[0], /"Wqkv" matched no module .*; "Wqkv" are module names of the remote-code variant/);

  const phi3 = buildInventory(presetConfig('microsoft/Phi-3-mini-4k-instruct'), { task_type: 'CAUSAL_LM' });
  const unfused = countParameters(phi3, { peft_type: 'LORA', r: 8, target_modules: ['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj'] }, { task_type: 'CAUSAL_LM' });
  // Only o_proj and down_proj exist: 32 · 8 · ((3072 + 3072) + (8192 + 3072)).
  t.equal(unfused.trainable_params, 32 * 8 * (6144 + 11264));
  t.match(unfused.warnings?.[0], 'are fused into one qkv_proj in phi3: target "qkv_proj"');
  t.match(unfused.warnings?.[0], 'are fused into one gate_up_proj in phi3: target "gate_up_proj"');
  const none = caught(() => countParameters(phi3, { peft_type: 'IA3', target_modules: ['q_proj', 'v_proj'], feedforward_modules: [] }, { task_type: 'CAUSAL_LM' }));
  t.match(none.message, 'fused into one qkv_proj');
  t.same(foreignNameNotes('llama', ['Wqkv']), [], 'other model types have no such notes');
});

t.test('PEFT has no default targets for phi3, qwen2_moe or distilbert: target_modules is required, as in PEFT', async (t) => {
  for (const id of ['microsoft/Phi-3-mini-4k-instruct', 'Qwen/Qwen1.5-MoE-A2.7B', 'distilbert/distilbert-base-uncased']) {
    const config = presetConfig(id);
    const task = id.includes('distil') ? 'SEQ_CLS' : 'CAUSAL_LM';
    const e = caught(() => countParameters(buildInventory(config, { task_type: task }), { peft_type: 'LORA', r: 8 }, { task_type: task }));
    t.match(e.message, `PEFT has no default for model_type "${String(config.model_type)}"`, id);
  }
  // …and the defaults it does have for the others.
  const lora = (id: string) => countParameters(buildInventory(presetConfig(id), { task_type: 'FEATURE_EXTRACTION' }), { peft_type: 'LORA', r: 4 }, { task_type: 'FEATURE_EXTRACTION' });
  t.equal(lora('microsoft/deberta-v3-base').trainable_params, 12 * 2 * 4 * (768 + 768), 'deberta-v2: query_proj, value_proj');
  t.equal(lora('google/gemma-3-1b-it').trainable_params, 26 * 4 * ((1152 + 1024) + (1152 + 256)), 'gemma3_text: q_proj, v_proj');
  const ia3 = countParameters(buildInventory(presetConfig('bigcode/starcoderbase-1b'), { task_type: 'CAUSAL_LM' }), { peft_type: 'IA3' }, { task_type: 'CAUSAL_LM' });
  t.equal(ia3.trainable_params, 24 * (2304 + 8192), 'gpt_bigcode IA3: c_attn (out) + mlp.c_proj (feedforward: in)');
});
