import t from 'tap';
import { compareSeedNotebook, seedNotebookFigureData } from '../../../src/peft/sweeps/seed-notebook.js';

const d = 512;
const L = 12;
const notebook = compareSeedNotebook();

t.test('every figure the notebook printed comes out identical', async (t) => {
  const printed = notebook.notebook.figures.map((f) => [f.figure, f.formatted]);
  t.same(printed, [
    ['LoRA (rank=16): Trainable params', '16,384'],
    ['LoRA (rank=16): Total params', '278,528'],
    ['LoRA (rank=16): Efficiency', '5.88'],
    ['Adapter (bottleneck=64): Trainable params', '66,112'],
    ['Adapter (bottleneck=64): Added per layer', '66,112'],
    ['Prefix Tuning (length=10): Trainable params', '122,880'],
    ['Prefix Tuning (length=10): Params per layer', '10,240'],
    ['Full Fine-tuning: All params trainable', '12,582,912'],
  ]);
  for (const f of notebook.notebook.figures) t.equal(f.formatted, f.notebook_printed, f.figure);
  // The notebook's own arithmetic, except the percentage: PEFT's 100·t/a (the notebook's t/a·100 differs in the last bit, 5.88235294117647).
  const lora = 16 * d + d * 16;
  t.same(notebook.notebook.figures.map((f) => f.value), [lora, d * d + lora, (100 * lora) / (d * d + lora), 2 * d * 64 + 64 + d, 2 * d * 64 + 64 + d, L * 10 * d * 2, Math.floor((L * 10 * d * 2) / L), 12 * d * d * 4]);
  t.ok(notebook.notebook.figures.every((f) => f.counts.length > 20 && Object.keys(f.request).includes('model')), 'each says what it counts and how it was computed');
});

t.test('the comparison runs on the notebook\'s setup: d_model 512, 12 layers, batch 4, seq 16', async (t) => {
  t.same([notebook.training.batch_size, notebook.training.seq_len, notebook.training.dtype], [4, 16, 'fp32']);
  const by = Object.fromEntries(notebook.rows.map((r) => [r.method, r]));
  t.same(notebook.rows.map((r) => r.method), ['full', 'lora', 'bottleneck', 'prefix', 'prompt', 'ia3']);
  t.equal(by.full.trainable_params, L * d * d);
  t.equal(by.lora.trainable_params, L * 2 * 16 * d);
  t.equal(by.bottleneck.trainable_params, L * (2 * d * 64 + 64 + d));
  t.equal(by.prefix.trainable_params, L * 10 * 2 * d);
  t.equal(by.prompt.trainable_params, 10 * d);
  t.equal(by.ia3.trainable_params, L * d, 'IA3 scales each Linear\'s output');
  for (const r of notebook.rows) t.equal(r.adapter_checkpoint_bytes, 4 * r.trainable_params, `${r.method}: fp32 checkpoint, 4 bytes per saved parameter`);
  // 6 FLOPs per trainable weight, 4 per frozen one backward passes through (no attention in the toy).
  t.equal(by.full.training_flops_per_token, 6 * L * d * d);
  t.equal(by.lora.training_flops_per_token, 4 * L * d * d + 6 * L * 2 * 16 * d);
  t.equal(by.lora.relative_training_speed, (6 * L * d * d) / (4 * L * d * d + 6 * L * 2 * 16 * d));
  t.equal(by.lora.inference_overhead_flops_per_token, L * 2 * 16 * (d + d), 'unmerged LoRA: 2·r·(in+out) per module');
  t.equal(by.lora.inference_overhead_merged_flops_per_token, 0);
  t.equal(by.full.relative_training_speed, 1);
});

t.test('the invented columns are named as invented, with the computed ones beside them', async (t) => {
  const [performance, speed, efficiency] = notebook.notebook.invented;
  t.same([performance.column, performance.invented, performance.notebook_values], ['performance score', true, { 'Full FT': 100, LoRA: 95, Adapter: 92, Prefix: 88 }]);
  t.same(performance.computed, {}, 'nothing computable stands for a task score');
  t.same(speed.notebook_values, { 'Full FT': 1.0, LoRA: 3.5, Adapter: 2.8, Prefix: 3.2 });
  const rows = Object.fromEntries(notebook.rows.map((r) => [r.method, r]));
  t.same(speed.computed, { 'Full FT': 1, LoRA: rows.lora.relative_training_speed, Adapter: rows.bottleneck.relative_training_speed, Prefix: rows.prefix.relative_training_speed });
  t.equal(efficiency.computed.LoRA, 100 - rows.lora.trainable_percent);
});

t.test('the figure data comes through the sweep engine', async (t) => {
  const data = seedNotebookFigureData();
  t.same(data.loraByRank.points.map((p) => [p.at['peft.r'], p.metrics.trainable_params]), [4, 8, 16, 32, 64].map((r) => [r, 2 * r * d]), 'the notebook\'s 2·rank·d_model');
  const bottlenecks = [32, 64, 128, 256, 512];
  t.same(data.adapterByBottleneck.axes[0].values, bottlenecks.map((b) => d / b), 'AdapterHub\'s reduction factor d_model / bottleneck');
  t.same(data.adapterByBottleneck.points.map((p) => p.metrics.trainable_params), bottlenecks.map((b) => 2 * d * b + d + b), 'the notebook\'s 2·d·b + d + b');
  t.same([data.loraByRank.units.trainable_params, data.loraByRank.built_once], ['parameters', ['inventory']]);
  t.same(data.compare.rows, notebook.rows);
  t.equal(data.d_model, d, 'the hidden size the chart turns reduction factors into bottleneck sizes with');
});
