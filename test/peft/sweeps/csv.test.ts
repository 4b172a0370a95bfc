import t from 'tap';
import { compareCsv, sweepCsv } from '../../../src/peft/sweeps/csv.js';

t.test('sweep CSV: axes then metrics, one CRLF record per point', async (t) => {
  const text = sweepCsv({
    target: 'memory',
    axes: [{ path: 'peft.r', values: [4, 8], scale: 'list', integer: false, deduplicated: false }],
    metrics: ['total_bytes', 'gpus.A100,"40GB".bytes'],
    units: {},
    points: [
      { at: { 'peft.r': 4 }, metrics: { total_bytes: 1.5, 'gpus.A100,"40GB".bytes': 2 } },
      { at: { 'peft.r': 8 }, metrics: { total_bytes: 1e21, 'gpus.A100,"40GB".bytes': -3 } },
    ],
  });
  t.equal(text, 'peft.r,total_bytes,"gpus.A100,""40GB"".bytes"\r\n4,1.5,2\r\n8,1e+21,-3\r\n', 'RFC 4180: a field with a comma or quote is quoted, quotes doubled');
});

t.test('compare CSV: one record per method', async (t) => {
  const row = { trainable_params: 1, trainable_percent: 50, adapter_checkpoint_bytes: 4, training_memory_bytes: 5, training_flops_per_token: 6, relative_training_speed: 1, inference_overhead_flops_per_token: 0 };
  const text = compareCsv({ model: 'toy', units: {}, rows: [{ method: 'lora', label: 'LoRA\nr=2', ...row }] });
  t.equal(text.split('\r\n')[0], 'method,label,trainable_params,trainable_percent,adapter_checkpoint_bytes,training_memory_bytes,training_flops_per_token,relative_training_speed,inference_overhead_flops_per_token');
  t.equal(text.split('\r\n')[1], 'lora,"LoRA\nr=2",1,50,4,5,6,1,0');
});
