import t from 'tap';
import { countParameters } from '../../../src/peft/accounting/index.js';
import { buildInventory, countBaseParameters, resolveModelConfig } from '../../../src/peft/architectures/index.js';
import type { PeftConfig, TaskType } from '../../../src/schemas/model.js';

/** The published print_trainable_parameters() lines of reference/peft-counting.md, verbatim. */
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
  {
    preset: 'facebook/opt-350m',
    task: 'CAUSAL_LM',
    peft: { peft_type: 'LORA', r: 16, lora_alpha: 32, target_modules: ['q_proj', 'v_proj'] },
    printed: 'trainable params: 1,572,864 || all params: 332,769,280 || trainable%: 0.4727',
  },
  {
    preset: 'bigscience/bloomz-560m',
    task: 'CAUSAL_LM',
    peft: { peft_type: 'PREFIX_TUNING', num_virtual_tokens: 20 },
    printed: 'trainable params: 983,040 || all params: 560,197,632 || trainable%: 0.1755',
  },
  {
    preset: 'bigscience/mt0-large',
    task: 'SEQ_2_SEQ_LM',
    peft: { peft_type: 'LORA', r: 8, lora_alpha: 32 },
    printed: 'trainable params: 2,359,296 || all params: 1,231,940,608 || trainable%: 0.1915',
  },
  {
    preset: 'bigscience/mt0-large',
    task: 'SEQ_2_SEQ_LM',
    peft: { peft_type: 'IA3' },
    printed: 'trainable params: 282,624 || all params: 1,229,863,936 || trainable%: 0.0230',
  },
  {
    preset: 'google/vit-base-patch16-224-in21k',
    task: 'IMAGE_CLASSIFICATION',
    num_labels: 101,
    peft: { peft_type: 'LORA', r: 16, lora_alpha: 16, target_modules: ['query', 'value'], modules_to_save: ['classifier'] },
    printed: 'trainable params: 667,493 || all params: 86,543,818 || trainable%: 0.7713',
  },
  {
    preset: 'google-bert/bert-base-cased',
    task: 'SEQ_CLS',
    num_labels: 2,
    peft: { peft_type: 'LORA', r: 8, target_modules: ['query', 'key'] },
    printed: 'trainable params: 296,450 || all params: 108,608,260 || trainable%: 0.2730',
  },
];

const integers = (line: string) => line.match(/[\d,]+(?= \|\|)/g)!.map((s) => Number(s.replaceAll(',', '')));

for (const v of VECTORS) {
  t.test(`${v.preset} ${v.task} ${v.peft.peft_type}`, async (t) => {
    const inv = buildInventory(resolveModelConfig({ preset: v.preset }), { task_type: v.task, num_labels: v.num_labels });
    const result = countParameters(inv, v.peft, { task_type: v.task });
    t.equal(result.printed, v.printed, 'the printed line, character for character');
    const [trainable, all] = integers(v.printed);
    t.equal(result.trainable_params, trainable);
    t.equal(result.all_params, all);
    t.equal(result.base_params + result.added_params, result.all_params, 'all = base + added');
    t.same(result.warnings, []);
    // PEFT prints the same line for a model loaded in 8-bit or 4-bit (all even-sized weights).
    for (const quantization of ['8bit', '4bit'] as const) t.equal(countParameters(inv, v.peft, { task_type: v.task, quantization }).printed, v.printed, quantization);
  });
}

t.test('published base totals (sum of numel, tied weights once)', async (t) => {
  const base = (preset: string, task: TaskType) => countBaseParameters(buildInventory(resolveModelConfig({ preset }), { task_type: task }));
  t.equal(base('meta-llama/Llama-2-7b-hf', 'CAUSAL_LM'), 6_738_415_616);
  t.equal(base('mistralai/Mistral-7B-v0.1', 'CAUSAL_LM'), 7_241_732_096);
  t.equal(base('meta-llama/Meta-Llama-3-8B', 'CAUSAL_LM'), 8_030_261_248);
  t.equal(base('google-bert/bert-base-cased', 'FEATURE_EXTRACTION'), 108_310_272, 'BertModel with pooler');
  t.equal(base('google-t5/t5-base', 'SEQ_2_SEQ_LM'), 222_903_552);
});

t.test('AdapterHub anchor: roberta-base seq_bn at reduction factor 64 adds 230,544', async (t) => {
  const inv = buildInventory(resolveModelConfig({ preset: 'FacebookAI/roberta-base' }), { task_type: 'FEATURE_EXTRACTION' });
  const result = countParameters(inv, { peft_type: 'BOTTLENECK', config: 'seq_bn', reduction_factor: 64 }, { task_type: 'FEATURE_EXTRACTION' });
  t.equal(result.added_params, 230_544);
  t.equal(result.trainable_params, 230_544);
});
