import t from 'tap';
import { decodeBase64, encodeBase64 } from '../../../src/tensor/base64.js';
import { buildTestApp } from '../../helpers/app.js';
import { postForward } from './forward-post.js';

const { app } = buildTestApp({ logLevel: 'silent' });
t.teardown(() => app.close());

const b64 = (values: number[], dtype: 'float64' | 'float32') => Buffer.from((dtype === 'float64' ? Float64Array.from(values) : Float32Array.from(values)).buffer).toString('base64');
const x = [1, -2, 0.5, 3, 0.25, -1];
const weight = [0.1, 0.2, -0.3, 0.4, 0.5, -0.6];

t.test('base64 bytes are little-endian IEEE 754: pinned against hand-written bytes', async (t) => {
  // 1.0 as float64 is 3F F0 00 00 00 00 00 00, stored low byte first; as float32 3F 80 00 00.
  t.equal(encodeBase64(Float64Array.of(1)), Buffer.from([0, 0, 0, 0, 0, 0, 0xf0, 0x3f]).toString('base64'));
  t.equal(encodeBase64(Float32Array.of(1)), Buffer.from([0, 0, 0x80, 0x3f]).toString('base64'));
  t.same(Array.from(decodeBase64('AAAAAAAA8D8=', 'float64') as Float64Array), [1]);
  t.same(Array.from(decodeBase64('AACAPw==', 'float32') as Float32Array), [1]);
  t.match(decodeBase64('AACAPw', 'float32'), /not standard base64/);
  t.match(decodeBase64('AACAP!==', 'float32'), /not standard base64/);
  t.match(decodeBase64('AACA', 'float32'), /decodes to 3 bytes, not a whole number of float32 values/);
});

for (const dtype of ['float64', 'float32'] as const) {
  t.test(`encoding base64 in and out gives the numbers the JSON form gives (${dtype})`, async (t) => {
    const json = await postForward(app, 'ia3', { dtype, x: { shape: [2, 3], data: x }, weight: { shape: [2, 3], data: weight }, output: 'full' });
    const encoded = await postForward(app, 'ia3', {
      dtype,
      encoding: 'base64',
      x: { shape: [2, 3], data: b64(x, dtype) },
      weight: { shape: [2, 3], data: b64(weight, dtype) },
      output: 'full',
    });
    t.equal(encoded.encoding, 'base64');
    t.equal(json.encoding, 'json');
    t.equal(typeof encoded.y.data, 'string');
    t.same(encoded.y.shape, [2, 2]);
    t.same(Array.from(decodeBase64(encoded.y.data, dtype) as Float64Array), json.y.data);
  });
}

t.test('summaries stay numbers with encoding base64', async (t) => {
  const r = await postForward(app, 'lora', { seed: 1, batch: 1, seq: 2, in_features: 4, out_features: 4, r: 2, encoding: 'base64', output: 'summary' });
  t.equal(typeof r.y.mean, 'number');
  t.equal(r.encoding, 'base64');
});

t.test('data that disagree with the encoding are 400s naming the tensor', async (t) => {
  const mixed = await postForward(app, 'ia3', { encoding: 'base64', x: { shape: [1, 1], data: [1] }, weight: { shape: [1, 1], data: 'AAAAAAAA8D8=' } }, 400);
  t.same(mixed.errors, [{ path: 'body.x.data', message: 'must be a base64 string when encoding is "base64"' }]);
  const str = await postForward(app, 'ia3', { x: { shape: [1, 1], data: 'AAAAAAAA8D8=' }, weight: { shape: [1, 1], data: [1] } }, 400);
  t.same(str.errors, [{ path: 'body.x.data', message: 'is a string: send numbers, or set encoding "base64"' }]);
  const nan = await postForward(app, 'ia3', { encoding: 'base64', x: { shape: [1, 1], data: b64([NaN], 'float64') }, weight: { shape: [1, 1], data: b64([1], 'float64') } }, 400);
  t.same(nan.errors, [{ path: 'body.x.data.0', message: 'NaN is not a finite number' }]);
  const short = await postForward(app, 'ia3', { encoding: 'base64', x: { shape: [1, 2], data: b64([1], 'float64') }, weight: { shape: [1, 2], data: b64([1, 2], 'float64') } }, 400);
  t.match(short.errors, [{ path: 'body.x.data', message: /has 1 values but shape \[1, 2\] needs 2/ }]);
  const bad = await postForward(app, 'ia3', { encoding: 'base64', x: { shape: [1, 1], data: 'not base64' }, weight: { shape: [1, 1], data: b64([1], 'float64') } }, 400);
  t.match(bad.errors, [{ path: 'body.x.data', message: /not standard base64/ }]);
});
