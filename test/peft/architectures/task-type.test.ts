import t from 'tap';
import { presetConfig } from '../../../src/peft/architectures/index.js';
import { resolveTaskType, taskOfClassName } from '../../../src/peft/architectures/task-type.js';
import type { PeftConfig } from '../../../src/schemas/model.js';
import { caught } from '../../helpers/domain.js';

const bert = presetConfig('google-bert/bert-base-cased'); // architectures: ["BertForMaskedLM"]
const lora = (task_type?: unknown): PeftConfig => ({ peft_type: 'LORA', r: 8, ...(task_type === undefined ? {} : { task_type }) }) as PeftConfig;

t.test('precedence: top-level, then the adapter, then architectures[0], then the family default', async (t) => {
  t.same(resolveTaskType(bert, { task_type: 'SEQ_CLS', peft: lora('SEQ_CLS') }).source, 'request');
  t.same(resolveTaskType(bert, { task_type: 'TOKEN_CLS', peft: lora(null) }), { task_type: 'TOKEN_CLS', source: 'request', reason: 'task_type TOKEN_CLS from body.task_type' }, 'a null adapter task_type is absent');
  const adapter = resolveTaskType(bert, { peft: lora('SEQ_CLS') });
  t.same([adapter.task_type, adapter.source], ['SEQ_CLS', 'adapter']);
  t.match(adapter.reason, 'body.peft.task_type');
  const arch = resolveTaskType(bert, { peft: lora() });
  t.same([arch.task_type, arch.source], ['CAUSAL_LM', 'architectures'], 'BertForMaskedLM: the masked-LM head, counted under CAUSAL_LM');
  t.match(arch.reason, '"BertForMaskedLM"');
  const bare = resolveTaskType({ ...bert, architectures: undefined }, {});
  t.same([bare.task_type, bare.source], ['FEATURE_EXTRACTION', 'family_default'], 'an encoder without architectures: the bare model');
  const t5 = resolveTaskType({ ...presetConfig('google/flan-t5-large'), architectures: undefined }, {});
  t.same([t5.task_type, t5.source], ['SEQ_2_SEQ_LM', 'family_default'], 'a generative family: its LM head');
  t.equal(resolveTaskType(presetConfig('google/vit-base-patch16-224-in21k'), {}).task_type, 'FEATURE_EXTRACTION', 'ViTModel');
  t.equal(resolveTaskType(presetConfig('google/flan-t5-large'), {}).task_type, 'SEQ_2_SEQ_LM', 'T5ForConditionalGeneration');
  const stacked = resolveTaskType(bert, { peft: [lora(), lora('SEQ_CLS'), lora('SEQ_CLS')] });
  t.same([stacked.task_type, stacked.reason], ['SEQ_CLS', 'task_type SEQ_CLS from body.peft.1.task_type (no top-level task_type)'], 'the first stacked adapter that names one');
});

t.test('architectures[0] the family has no class for, or no task class at all: the family default, said why', async (t) => {
  const pre = resolveTaskType({ ...bert, architectures: ['BertForPreTraining'] }, {});
  t.same([pre.task_type, pre.source], ['FEATURE_EXTRACTION', 'family_default']);
  t.match(pre.reason, '"BertForPreTraining" names no task class');
  const qa = resolveTaskType({ ...presetConfig('google/gemma-2-2b'), architectures: ['Gemma2ForQuestionAnswering'] }, {});
  t.same([qa.task_type, qa.source], ['CAUSAL_LM', 'family_default']);
  t.match(qa.reason, 'QUESTION_ANS) is not a class this service builds for model_type "gemma2"');
  t.equal(resolveTaskType({ ...bert, architectures: 'BertModel' }, {}).source, 'family_default', 'architectures must be a list');
});

t.test('class names → tasks', async (t) => {
  const cases: Array<[string, string | undefined]> = [
    ['LlamaForCausalLM', 'CAUSAL_LM'],
    ['GPT2LMHeadModel', 'CAUSAL_LM'],
    ['RobertaForMaskedLM', 'CAUSAL_LM'],
    ['MT5ForConditionalGeneration', 'SEQ_2_SEQ_LM'],
    ['DebertaV2ForSequenceClassification', 'SEQ_CLS'],
    ['DistilBertForTokenClassification', 'TOKEN_CLS'],
    ['DistilBertForQuestionAnswering', 'QUESTION_ANS'],
    ['ViTForImageClassification', 'IMAGE_CLASSIFICATION'],
    ['BertModel', 'FEATURE_EXTRACTION'],
    ['GPT2DoubleHeadsModel', undefined],
    ['BertForPreTraining', undefined],
    ['', undefined],
  ];
  for (const [name, task] of cases) t.equal(taskOfClassName(name), task, name || '(empty)');
});

t.test('conflicts and bad values are 422s naming every field involved', async (t) => {
  const explicit = caught(() => resolveTaskType(bert, { task_type: 'CAUSAL_LM', peft: lora('SEQ_CLS') }));
  t.equal(explicit.status, 422);
  t.same(explicit.errors.map((e) => e.path), ['body.task_type', 'body.peft.task_type']);
  t.match(explicit.message, 'body.task_type (CAUSAL_LM) and body.peft.task_type (SEQ_CLS) disagree');
  const stacked = caught(() => resolveTaskType(bert, { peft: [lora('SEQ_CLS'), lora('TOKEN_CLS')] }));
  t.same(stacked.errors.map((e) => e.path), ['body.peft.0.task_type', 'body.peft.1.task_type']);
  const stackedExplicit = caught(() => resolveTaskType(bert, { task_type: 'SEQ_CLS', peft: [lora('SEQ_CLS'), lora('TOKEN_CLS')] }));
  t.same(stackedExplicit.errors.map((e) => e.path), ['body.peft.0.task_type', 'body.peft.1.task_type']);
  const bad = caught(() => resolveTaskType(bert, { peft: lora('causal_lm') }));
  t.same([bad.status, bad.errors[0].path], [422, 'body.peft.task_type']);
  t.match(bad.errors[0].message, '"causal_lm"');
  const noClass = caught(() => resolveTaskType(presetConfig('google/gemma-2-2b'), { peft: lora('QUESTION_ANS') }));
  t.same([noClass.status, noClass.errors[0].path], [422, 'body.peft.task_type'], 'the 422 names the field that asked for the task');
  t.match(noClass.message, 'task_type QUESTION_ANS (from body.peft.task_type) has no transformers class for model_type "gemma2"');
  const noClassTop = caught(() => resolveTaskType(presetConfig('google/gemma-2-2b'), { task_type: 'QUESTION_ANS' }));
  t.same(noClassTop.errors[0].path, 'body.task_type');
  t.notMatch(noClassTop.message, 'from body', 'the top-level field needs no "from"');
  t.equal(resolveTaskType({ model_type: 'nope' }, { peft: lora('SEQ_CLS') }).task_type, 'SEQ_CLS', 'an unknown model_type is left to buildInventory to refuse');
});
