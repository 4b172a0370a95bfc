import t from 'tap';
import { numericPaths, readMetric } from '../../../src/peft/sweeps/metrics.js';

const response = {
  total_bytes: 10,
  label: 'x',
  breakdown: { activations: { bytes: 7, human: '7 B' } },
  gpus: [{ name: 'A100-40GB', bytes: 40, fits: true, max_micro_batch: null }, { name: 'T4-16GB', bytes: 16 }],
  modules: [{ name: 'model', base_params: 1 }, { name: 'model.layers.0.mlp', base_params: 5 }],
  groups: [{ blocks: 3 }, { blocks: 4 }],
  shape: [2, 8],
  bad: Number.NaN,
};

t.test('metrics read objects by key, named arrays by name (dots allowed), others by index', async (t) => {
  t.equal(readMetric(response, 'total_bytes'), 10);
  t.equal(readMetric(response, 'breakdown.activations.bytes'), 7);
  t.equal(readMetric(response, 'gpus.T4-16GB.bytes'), 16);
  t.equal(readMetric(response, 'modules.model.layers.0.mlp.base_params'), 5, 'the longest matching name');
  t.equal(readMetric(response, 'modules.model.base_params'), 1);
  t.equal(readMetric(response, 'groups.1.blocks'), 4);
  t.equal(readMetric(response, 'shape.0'), 2);
});

t.test('what is not a finite number reads as missing', async (t) => {
  for (const path of ['label', 'breakdown.activations.human', 'gpus.A100-40GB.fits', 'gpus.A100-40GB.max_micro_batch', 'gpus.H100.bytes', 'groups.9.blocks', 'groups.x', 'bad', 'breakdown', 'total_bytes.x', 'toString']) {
    t.equal(readMetric(response, path), undefined, path);
  }
});

t.test('numericPaths lists exactly what readMetric reads', async (t) => {
  const paths = numericPaths(response);
  t.same(paths, ['total_bytes', 'breakdown.activations.bytes', 'gpus.A100-40GB.bytes', 'gpus.T4-16GB.bytes', 'modules.model.base_params', 'modules.model.layers.0.mlp.base_params', 'groups.0.blocks', 'groups.1.blocks', 'shape.0', 'shape.1']);
  for (const p of paths) t.type(readMetric(response, p), 'number', p);
});
