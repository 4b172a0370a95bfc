import t from 'tap';
import { presetConfig } from '../../src/peft/architectures/index.js';
import { buildTestApp } from '../helpers/app.js';

// bert-base-uncased's config.json is bert-base-cased's with the uncased vocabulary (30,522 tokens).
const BERT_UNCASED = { ...presetConfig('google-bert/bert-base-cased'), vocab_size: 30522 };

t.test('the pasted adapter_config\'s task_type is used when the request has none (issue 12)', async (t) => {
  const { app } = buildTestApp();
  t.teardown(() => app.close());
  const post = (url: string, payload: object) => app.inject({ method: 'POST', url, payload });

  // LoRA r=8 on query, value: 12 layers × 2 × 8·(768 + 768) = 294,912; SEQ_CLS adds classifier 768·2 + 2 = 1,538 to modules_to_save.
  const seqCls = await post('/v1/parameters', { model: { config: BERT_UNCASED }, peft: { peft_type: 'LORA', r: 8, task_type: 'SEQ_CLS' } });
  t.equal(seqCls.statusCode, 200);
  const body = seqCls.json();
  t.same([body.trainable_params, body.all_params], [296_450, 109_780_228], 'BertForSequenceClassification, as PEFT counts it');
  t.same([body.task_type, body.task_type_source, body.model_class], ['SEQ_CLS', 'adapter', 'BertForSequenceClassification']);
  t.match(body.conventions.join(' '), 'task_type SEQ_CLS from body.peft.task_type (no top-level task_type)');

  // Without any task_type, architectures[0] BertForMaskedLM decides: the masked-LM head, 294,912 / 109,809,210.
  const mlm = (await post('/v1/parameters', { model: { config: BERT_UNCASED }, peft: { peft_type: 'LORA', r: 8 } })).json();
  t.same([mlm.trainable_params, mlm.all_params, mlm.task_type_source], [294_912, 109_809_210, 'architectures']);

  const flan = await post('/v1/parameters', { model: { preset: 'google/flan-t5-large' }, peft: { peft_type: 'LORA', r: 8, task_type: 'SEQ_2_SEQ_LM' } });
  t.equal(flan.statusCode, 200, 'flan-t5 with its adapter\'s SEQ_2_SEQ_LM: no 422 about a CAUSAL_LM nobody sent');
  t.same([flan.json().task_type, flan.json().task_type_source], ['SEQ_2_SEQ_LM', 'adapter']);

  const conflict = await post('/v1/parameters', { model: { config: BERT_UNCASED }, task_type: 'CAUSAL_LM', peft: { peft_type: 'LORA', r: 8, task_type: 'SEQ_CLS' } });
  t.equal(conflict.statusCode, 422);
  t.equal(conflict.headers['content-type'], 'application/problem+json; charset=utf-8');
  t.same(conflict.json().errors.map((e: { path: string }) => e.path), ['body.task_type', 'body.peft.task_type'], 'the 422 names both fields');

  const explicit = (await post('/v1/parameters', { model: { config: BERT_UNCASED }, task_type: 'SEQ_CLS', peft: { peft_type: 'LORA', r: 8, task_type: 'SEQ_CLS' } })).json();
  t.same([explicit.trainable_params, explicit.task_type_source], [296_450, 'request'], 'agreeing fields: the request decides');

  const badValue = await post('/v1/parameters', { model: { config: BERT_UNCASED }, peft: { peft_type: 'LORA', r: 8, task_type: 'causal_lm' } });
  t.equal(badValue.statusCode, 400);
  t.equal(badValue.json().errors[0].path, 'body.peft.task_type');

  // The estimates read the same rule.
  const memory = await post('/v1/estimates/memory', { model: { config: BERT_UNCASED }, peft: { peft_type: 'LORA', r: 8, task_type: 'SEQ_CLS' }, training: { seq_len: 128 } });
  t.equal(memory.statusCode, 200);
  t.same([memory.json().task_type, memory.json().task_type_source], ['SEQ_CLS', 'adapter']);
  t.equal(memory.json().printed, body.printed, 'the estimate counts the same model as /v1/parameters');
  const compute = await post('/v1/estimates/compute', { model: { preset: 'google/flan-t5-large' }, peft: { peft_type: 'LORA', r: 8 } });
  t.same([compute.json().task_type, compute.json().task_type_source], ['SEQ_2_SEQ_LM', 'architectures']);
  const estimateConflict = await post('/v1/estimates/compute', { model: { config: BERT_UNCASED }, task_type: 'TOKEN_CLS', peft: { peft_type: 'LORA', r: 8, task_type: 'SEQ_CLS' } });
  t.same([estimateConflict.statusCode, estimateConflict.json().errors.length], [422, 2]);
});
