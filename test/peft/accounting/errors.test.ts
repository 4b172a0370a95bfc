import t from 'tap';
import { caught } from '../../helpers/domain.js';
import { countParameters } from '../../../src/peft/accounting/index.js';
import { buildInventory, resolveModelConfig, SUPPORTED_MODEL_TYPES } from '../../../src/peft/architectures/index.js';
import type { PeftConfig, TaskType } from '../../../src/schemas/model.js';

const LLAMA = { model_type: 'llama', hidden_size: 64, num_hidden_layers: 2, num_attention_heads: 4, intermediate_size: 128, vocab_size: 100 };

const count = (peft: PeftConfig | PeftConfig[], config: Record<string, unknown> = LLAMA, task: TaskType = 'CAUSAL_LM') =>
  countParameters(buildInventory(config, { task_type: task }), peft, { task_type: task });

t.test('unknown model_type → 422 listing the supported ones', async (t) => {
  const e = caught(() => buildInventory({ model_type: 'mamba' }, { task_type: 'CAUSAL_LM' }));
  t.equal(e.status, 422);
  for (const type of ['llama', 'gpt2', 't5', 'whisper', 'toy']) t.match(e.message, type);
  t.equal(e.errors[0].path, 'body.model.config.model_type');
  t.ok(SUPPORTED_MODEL_TYPES.length >= 23);
  t.equal(caught(() => buildInventory({}, { task_type: 'CAUSAL_LM' })).status, 422, 'no model_type at all');
});

t.test('a missing or malformed config field → 422 naming it', async (t) => {
  const { hidden_size: _h, ...noHidden } = LLAMA;
  const e = caught(() => buildInventory(noHidden, { task_type: 'CAUSAL_LM' }));
  t.equal(e.status, 422);
  t.match(e.message, '"hidden_size"');
  t.equal(e.errors[0].path, 'body.model.config.hidden_size');
  const gpt2 = caught(() => buildInventory({ model_type: 'gpt2', n_layer: 2, n_head: 2, n_positions: 8, vocab_size: 10 }, { task_type: 'CAUSAL_LM' }));
  t.match(gpt2.message, '"n_embd"', 'names the family\'s own spelling');
  t.match(gpt2.errors[0].message, 'or "hidden_size"');
  const several = caught(() => buildInventory({ model_type: 'llama', hidden_size: 0 }, { task_type: 'CAUSAL_LM' }));
  t.same(several.errors.map((e) => e.path.replace('body.model.config.', '')), ['hidden_size', 'num_hidden_layers', 'num_attention_heads', 'intermediate_size', 'vocab_size'], 'every bad field at once');
  const typed = caught(() => buildInventory({ ...LLAMA, hidden_size: '64' }, { task_type: 'CAUSAL_LM' }));
  t.match(typed.errors[0].message, 'positive integer');
  t.equal(caught(() => buildInventory({ ...LLAMA, tie_word_embeddings: 'yes' }, { task_type: 'CAUSAL_LM' })).status, 422);
});

t.test('a task the family has no class for → 422', async (t) => {
  const e = caught(() => buildInventory(resolveModelConfig({ preset: 'google/vit-base-patch16-224-in21k' }), { task_type: 'CAUSAL_LM' }));
  t.equal(e.status, 422);
  t.equal(e.errors[0].path, 'body.task_type');
});

t.test('unknown preset → 404', async (t) => {
  const e = caught(() => resolveModelConfig({ preset: 'meta-llama/Llama-9-1T' }));
  t.equal(e.status, 404);
  t.equal(e.errors[0].path, 'body.model.preset');
  t.equal(caught(() => resolveModelConfig({ preset: 'toString' })).status, 404, 'no prototype keys');
});

t.test('targets that match nothing → 422 with PEFT\'s message', async (t) => {
  const e = caught(() => count({ peft_type: 'LORA', r: 8, target_modules: ['foo', 'bar'] }));
  t.equal(e.status, 422);
  t.equal(e.message, "Target modules {'foo', 'bar'} not found in the base model. Please check the target modules and try again.");
  t.equal(e.errors[0].path, 'body.peft.target_modules');
  const layers = caught(() => count({ peft_type: 'LORA', r: 8, target_modules: ['q_proj'], layers_to_transform: [7], layers_pattern: 'layers' }));
  t.match(layers.message, "Note: You specified 'layers_to_transform': [7]. You also specified 'layers_pattern': \"layers\".");
  t.match(caught(() => count({ peft_type: 'IA3', target_modules: ['nope'], feedforward_modules: [] })).message, "Target modules {'nope'} not found");
  t.match(caught(() => count({ peft_type: 'LN_TUNING', target_modules: 'nope' })).message, 'Target modules nope not found');
  t.equal(caught(() => count([{ peft_type: 'LORA' }, { peft_type: 'LORA', target_modules: ['x'] }])).errors[0].path, 'body.peft.1.target_modules', 'stacked: the index is in the path');
});

t.test('unsupported peft_type → 422 listing the supported ones', async (t) => {
  const e = caught(() => count({ peft_type: 'LOHA' }));
  t.equal(e.status, 422);
  t.match(e.message, 'LORA, IA3, LN_TUNING, PREFIX_TUNING, PROMPT_TUNING, P_TUNING, BOTTLENECK');
  t.equal(e.errors[0].path, 'body.peft.peft_type');
});

t.test('r that is not a positive integer → 422', async (t) => {
  for (const r of [0, -4, 1.5, '8', true]) {
    const e = caught(() => count({ peft_type: 'LORA', r }));
    t.equal(e.status, 422, `r=${JSON.stringify(r)}`);
    t.equal(e.errors[0].path, 'body.peft.r');
  }
  t.equal(caught(() => count({ peft_type: 'LORA', r: 8, rank_pattern: { q_proj: 0 } })).errors[0].path, 'body.peft.rank_pattern.q_proj');
});

t.test('other unusable configs → 422', async (t) => {
  t.match(caught(() => count({ peft_type: 'LORA', target_modules: ['self_attn'] })).message, 'is not supported', 'a container module');
  t.match(caught(() => count({ peft_type: 'LORA', target_modules: ['input_layernorm'] })).message, 'is not supported', 'a norm');
  t.match(caught(() => count({ peft_type: 'IA3', target_modules: ['embed_tokens'], feedforward_modules: [] })).message, 'is not supported');
  t.equal(caught(() => count({ peft_type: 'LORA', target_modules: ['embed_tokens'], lora_bias: true })).errors[0].path, 'body.peft.lora_bias');
  t.equal(caught(() => count({ peft_type: 'LORA', target_modules: '([' })).errors[0].path, 'body.peft.target_modules', 'bad regex');
  t.equal(caught(() => count({ peft_type: 'LORA', bias: 'some' })).errors[0].path, 'body.peft.bias');
  t.equal(caught(() => count({ peft_type: 'LORA', use_dora: 'yes' })).errors[0].path, 'body.peft.use_dora');
  t.equal(caught(() => count({ peft_type: 'LORA', layers_to_transform: [-1] })).errors[0].path, 'body.peft.layers_to_transform');
  t.equal(caught(() => count({ peft_type: 'LORA', modules_to_save: 'lm_head' } as unknown as PeftConfig)).errors[0].path, 'body.peft.modules_to_save');
  const vit = resolveModelConfig({ preset: 'google/vit-base-patch16-224-in21k' });
  t.match(caught(() => count({ peft_type: 'LORA' }, vit, 'IMAGE_CLASSIFICATION')).message, 'Please specify `target_modules`', 'no default for vit');
  t.match(caught(() => count({ peft_type: 'IA3', target_modules: ['query'] }, vit, 'IMAGE_CLASSIFICATION')).message, 'feedforward_modules');
  t.match(caught(() => count({ peft_type: 'IA3', target_modules: ['k_proj'], feedforward_modules: ['down_proj'] })).message, 'subset');
  t.equal(caught(() => count({ peft_type: 'PREFIX_TUNING' })).errors[0].path, 'body.peft.num_virtual_tokens');
  t.equal(caught(() => count({ peft_type: 'P_TUNING', num_virtual_tokens: 4, encoder_reparameterization_type: 'GRU' })).status, 422);
  t.equal(caught(() => count({ peft_type: 'BOTTLENECK', config: 'lora' })).errors[0].path, 'body.peft.config');
  t.equal(caught(() => count({ peft_type: 'BOTTLENECK', reduction_factor: 0 })).errors[0].path, 'body.peft.reduction_factor');
  t.equal(caught(() => count({ peft_type: 'BOTTLENECK', reduction_factor: { middle: 4 } })).errors[0].path, 'body.peft.reduction_factor.middle');
  t.equal(caught(() => count({ peft_type: 'BOTTLENECK', scaling: 'huge' })).errors[0].path, 'body.peft.scaling');
  t.equal(caught(() => count({ peft_type: 'LORA', rank_pattern: [1] })).status, 422);
  t.equal(caught(() => count({ peft_type: 'LORA', layers_pattern: '(', layers_to_transform: 0 })).errors[0].path, 'body.peft.layers_pattern');
  t.match(caught(() => count({ peft_type: 'LORA', target_modules: '(.*a+)+b' })).message, 'repeated group holds a quantifier', 'a pattern that could backtrack exponentially');
  t.equal(caught(() => count({ peft_type: 'LORA', target_modules: ['q_proj'], layers_to_transform: 0, layers_pattern: '(x+)*' })).status, 422);
});

t.test('sizes that would hang or lose exactness are refused', async (t) => {
  t.equal(caught(() => buildInventory({ ...LLAMA, num_hidden_layers: 10_000_000 }, { task_type: 'CAUSAL_LM' })).status, 413, 'too many modules');
  t.equal(caught(() => buildInventory({ ...LLAMA, vocab_size: 1e14 }, { task_type: 'CAUSAL_LM' })).status, 422, 'beyond 2^53 / 100');
  t.equal(caught(() => count({ peft_type: 'PROMPT_TUNING', num_virtual_tokens: 1e13 })).status, 422);
  const lstm = count({ peft_type: 'P_TUNING', num_virtual_tokens: 1, encoder_reparameterization_type: 'LSTM', encoder_num_layers: 1_000_000_000, encoder_hidden_size: 1 });
  t.ok(lstm.trainable_params > 1e10, 'a billion LSTM layers is counted in closed form, not looped');
});
