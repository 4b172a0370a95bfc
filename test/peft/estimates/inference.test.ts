import t from 'tap';
import { estimateInferenceMemory, estimateTrainingAndInferenceMemory, fitOnGpus, resolveGpus, estimateTrainingMemory, GPU_CATALOGUE } from '../../../src/peft/estimates/index.js';
import { modelOf, SETUP } from './helpers.js';

t.test('KV cache: 2 · layers · kv_heads · head_dim · s · b · 2 B (GQA)', async (t) => {
  const m = modelOf('meta-llama/Llama-3.1-8B');
  const inf = estimateInferenceMemory(m, { ...SETUP, seq_len: 8192, batch_size: 4 });
  t.equal(inf.kv_cache.bytes, 2 * 32 * 8 * 128 * 8192 * 4 * 2);
  t.ok(inf.notes.some((n) => /GQA/.test(n)));
  t.equal(inf.weights.bytes, 2 * m.accounting.all_params);
  t.equal(inf.total_bytes, inf.weights.bytes + inf.kv_cache.bytes + inf.logits.bytes + inf.overhead.bytes);
  const mha = estimateInferenceMemory(modelOf('meta-llama/Llama-2-7b-hf'), { ...SETUP, seq_len: 4096 });
  t.equal(mha.kv_cache.bytes, 2 * 32 * 32 * 128 * 4096 * 2);
});

t.test('prefix tuning lengthens the cache; encoder-only models have none; seq2seq adds cross-attention', async (t) => {
  const prefix = estimateInferenceMemory(modelOf('meta-llama/Llama-2-7b-hf', { peft_type: 'PREFIX_TUNING', num_virtual_tokens: 30 }), SETUP);
  t.equal(prefix.kv_cache.bytes, 2 * 32 * 4096 * (SETUP.seq_len + 30) * 2);
  const bert = estimateInferenceMemory(modelOf('google-bert/bert-base-cased', undefined, 'SEQ_CLS'), SETUP);
  t.equal(bert.kv_cache.bytes, 0);
  const t5 = estimateInferenceMemory(modelOf('google-t5/t5-base', undefined, 'SEQ_2_SEQ_LM'), SETUP);
  t.equal(t5.kv_cache.bytes, 2 * 2 * 12 * 768 * SETUP.seq_len * 2, 'self + cross attention in 12 decoder layers');
  const q = estimateInferenceMemory(modelOf('meta-llama/Llama-2-7b-hf', { peft_type: 'LORA', r: 8 }), { ...SETUP, quantization: 'nf4' });
  t.ok(q.weights.bytes < 5e9, 'NF4 weights');
});

t.test('GPU fit and the largest micro-batch that fits', async (t) => {
  const m = modelOf('meta-llama/Llama-2-7b-hf', { peft_type: 'LORA', r: 8 });
  const mem = estimateTrainingMemory(m, { ...SETUP, seq_len: 2048 });
  const [a100] = resolveGpus([{ name: 'a100-40gb' }]);
  t.equal(a100.bytes, 40 * 2 ** 30);
  const [fit] = fitOnGpus([a100], mem.total_bytes, mem.fixed_bytes, mem.per_sample_bytes);
  const b = fit.max_micro_batch ?? -1;
  t.ok(b >= 1);
  const at = (n: number) => estimateTrainingMemory(m, { ...SETUP, seq_len: 2048, batch_size: n }).total_bytes;
  t.ok(at(b) <= a100.bytes && at(b + 1) > a100.bytes, `micro-batch ${b} fits and ${b + 1} does not`);
  t.equal(fit.fits, mem.total_bytes <= a100.bytes);
  const [tiny] = fitOnGpus([{ name: 'x', bytes: 1e9 }], mem.total_bytes, mem.fixed_bytes, mem.per_sample_bytes);
  t.same([tiny.fits, tiny.max_micro_batch], [false, 0]);
  t.equal(fitOnGpus([a100], 1, 1, 0)[0].max_micro_batch, null, 'no per-sample cost: batch size not modelled');
  t.same(resolveGpus([{ name: 'B200-custom', bytes: 192e9 }]), [{ name: 'B200-custom', bytes: 192e9 }]);
  t.throws(() => resolveGpus([{ name: 'nope' }]), { status: 400, errors: [{ path: 'body.gpus.0.name' }] });
  t.throws(() => resolveGpus([{ name: 'x', bytes: 0 }]), { status: 400, errors: [{ path: 'body.gpus.0.bytes' }] });
  t.ok(GPU_CATALOGUE.length > 5);
});

t.test('an encoder-only family keeps no KV cache even under its masked-LM head (CAUSAL_LM)', async (t) => {
  for (const preset of ['google-bert/bert-base-cased', 'FacebookAI/roberta-base', 'microsoft/layoutlm-base-uncased']) {
    const m = modelOf(preset, undefined, 'CAUSAL_LM');
    t.ok(m.inventory.modules.some((x) => x.role === 'lm_head'), `${preset} has an LM head`);
    const inf = estimateInferenceMemory(m, SETUP);
    t.equal(inf.kv_cache.bytes, 0, preset);
    t.ok(inf.notes.some((n) => /no KV cache/.test(n)), preset);
  }
});

t.test('the memory route\'s shared module table gives exactly the separate training and inference estimates', async (t) => {
  const cases: Array<[ReturnType<typeof modelOf>, typeof SETUP]> = [
    [modelOf('meta-llama/Llama-2-7b-hf', { peft_type: 'LORA', r: 8, target_modules: 'all-linear' }), { ...SETUP, quantization: 'nf4-dq', gradient_checkpointing: true }],
    [modelOf('mistralai/Mixtral-8x7B-v0.1', { peft_type: 'PREFIX_TUNING', num_virtual_tokens: 20 }), { ...SETUP, attn_implementation: 'eager' }],
    [modelOf('google-t5/t5-base', undefined, 'SEQ_2_SEQ_LM'), { ...SETUP, convention: 'accelerate', dtype: 'fp32', mixed_precision: false }],
  ];
  for (const [m, setup] of cases) {
    const both = estimateTrainingAndInferenceMemory(m, setup);
    t.same(both.training, estimateTrainingMemory(m, setup), `${m.inventory.model_class} training`);
    t.same(both.inference, estimateInferenceMemory(m, setup), `${m.inventory.model_class} inference`);
  }
  t.throws(() => estimateTrainingAndInferenceMemory(modelOf('meta-llama/Llama-2-7b-hf'), { ...SETUP, quantization: 'nf4' }), { status: 422, errors: [{ path: 'body.training.quantization' }] }, 'a setup that cannot exist is still refused');
});
