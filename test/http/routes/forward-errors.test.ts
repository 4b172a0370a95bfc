import t from 'tap';
import { buildTestApp } from '../../helpers/app.js';
import { postForward } from './forward-post.js';

const { app } = buildTestApp({ logLevel: 'silent' });
t.teardown(() => app.close());

interface Problem {
  status: number;
  title: string;
  detail: string;
  errors: Array<{ path: string; message: string }>;
  budget?: { flops: number; bytes: number };
  cost?: { flops: number; bytes: number };
}

const problem = async (route: string, payload: object, status: number) => (await postForward(app, route, payload, status)) as Problem;

const T = (shape: number[], fill = 0.5) => ({ shape, data: new Array(shape.reduce((a, b) => a * b, 1)).fill(fill) });

t.test('400: data length differs from the product of shape', async (t) => {
  const p = await problem('lora', { x: { shape: [2, 4], data: [1, 2, 3] }, weight: T([3, 4]), lora_A: T([2, 4]), lora_B: T([3, 2]) }, 400);
  t.same(p.errors, [{ path: 'body.x.data', message: 'has 3 values but shape [2, 4] needs 8' }]);
});

t.test('400: non-numbers, zero or negative dimensions, r < 1', async (t) => {
  const nonNumber = await problem('ia3', { x: { shape: [2], data: [1, 'two'] }, weight: T([1, 2]) }, 400);
  t.match(nonNumber.errors, [{ path: 'body.x.data.1' }]);
  const zeroDim = await problem('ia3', { x: { shape: [0, 2], data: [] }, weight: T([1, 2]) }, 400);
  t.match(zeroDim.errors, [{ path: 'body.x.shape.0' }]);
  const negative = await problem('lora', { seed: 1, batch: -1, seq: 2, in_features: 4, out_features: 4, r: 2 }, 400);
  t.match(negative.errors, [{ path: 'body.batch' }]);
  const rank = await problem('lora', { seed: 1, batch: 1, seq: 2, in_features: 4, out_features: 4, r: 0 }, 400);
  t.match(rank.errors, [{ path: 'body.r' }]);
  const nullValue = await problem('adapter', { x: { shape: [1], data: [null] }, d_model: 1 }, 400);
  t.match(nullValue.errors, [{ path: 'body.x.data.0' }]);
  const badSeed = await problem('adapter', { seed: 1.5, batch: 1, seq: 1, d_model: 2, bottleneck: 1 }, 400);
  t.match(badSeed.errors, [{ path: 'body.seed' }]);
  const heads = await problem('prefix', { seed: 1, batch: 1, seq: 1, d_model: 2, prefix_length: 1 }, 400);
  t.match(heads.errors, [{ path: 'body.num_heads' }], 'num_heads is required');
});

t.test('400: missing tensors without a seed, or dimensions to draw them', async (t) => {
  const noSeed = await problem('lora', { x: T([2, 4]), r: 2 }, 400);
  t.same(noSeed.errors.map((e) => e.path), ['body.weight', 'body.lora_A', 'body.lora_B']);
  t.match(noSeed.errors[0].message, /required unless a seed is given/);
  const noDims = await problem('lora', { seed: 'x', in_features: 4, out_features: 3, r: 2 }, 400);
  t.same(noDims.errors, [{ path: 'body.x', message: 'cannot be made: give it, or the dimension field(s) batch, seq' }]);
});

t.test('400: a float32 request with a value outside float32 range', async (t) => {
  const p = await problem('ia3', { dtype: 'float32', x: { shape: [2], data: [1, 1e39] }, weight: T([1, 2]) }, 400);
  t.same(p.errors, [{ path: 'body.x.data.1', message: '1e+39 is outside the float32 range' }]);
});

t.test('422: every offending tensor is named with expected and actual shape', async (t) => {
  const p = await problem('lora', { x: T([2, 3, 8]), weight: T([6, 7]), lora_A: T([4, 8]), lora_B: T([5, 4]), bias: T([6]) }, 422);
  t.same(p.errors, [
    { path: 'body.weight.shape', message: 'expected [out_features=6, in_features=8], got [6, 7]' },
    { path: 'body.lora_B.shape', message: 'expected [out_features=6, r=4], got [5, 4]' },
  ]);
  t.equal(p.title, 'Unprocessable request');
});

t.test('422: a dimension field that contradicts a tensor, and a wrong rank', async (t) => {
  const conflict = await problem('adapter', { seed: 1, x: T([2, 8]), d_model: 16, bottleneck: 2 }, 422);
  t.same(conflict.errors, [{ path: 'body.d_model', message: 'is 16 but x.shape gives 8' }]);
  const rank = await problem('prefix', { seed: 1, x: T([2, 8]), num_heads: 2, prefix_length: 1 }, 422);
  t.match(rank.errors, [{ path: 'body.x.shape', message: /expected \[batch=\?, seq=\?, d_model=\?\], got \[2, 8\]/ }]);
  const batch = await problem('prefix', { seed: 1, x: T([2, 3, 8]), batch: 4, num_heads: 2, prefix_length: 1 }, 422);
  t.same(batch.errors, [{ path: 'body.batch', message: 'is 4 but x.shape gives 2' }]);
  const projOut = await problem('prefix', {
    seed: 1, x: T([1, 2, 4]), num_heads: 2, prefix_length: 1, prefix_projection: true, encoder_hidden_size: 3, projection_out_weight: T([4, 3]),
  }, 422);
  t.same(projOut.errors, [{ path: 'body.projection_out_weight.shape', message: 'expected [2*d_model=8, encoder_hidden_size=3], got [4, 3]' }]);
});

t.test('422: configurations that cannot be computed', async (t) => {
  const heads = await problem('prefix', { seed: 1, batch: 1, seq: 2, d_model: 10, num_heads: 4, prefix_length: 2 }, 422);
  t.same(heads.errors, [{ path: 'body.num_heads', message: 'must divide d_model=10, got 4' }]);
  const ids = await problem('prompt', { seed: 1, batch: 1, seq: 1, d_model: 2, num_virtual_tokens: 2, prompt_init: 'text', vocab_size: 5, init_token_ids: [1, 5, 9] }, 422);
  t.same(ids.errors.map((e) => e.path), ['body.init_token_ids.1', 'body.init_token_ids.2']);
  t.equal(ids.errors[0].message, "token id 5 is outside embedding_table's 5 rows", 'a drawn table has vocab_size rows');
  const givenTable = await problem('prompt', { seed: 1, batch: 1, seq: 1, d_model: 2, num_virtual_tokens: 1, prompt_init: 'text', embedding_table: T([3, 2]), init_token_ids: [3] }, 422);
  t.same(givenTable.errors, [{ path: 'body.init_token_ids.0', message: "token id 3 is outside embedding_table's 3 rows" }], 'a given table binds vocab_size');
  const twoPrompts = await problem('prompt', { seed: 1, batch: 1, seq: 1, d_model: 2, num_virtual_tokens: 1, prompt_init: 'text', vocab_size: 5, init_token_ids: [1], prompt_embeddings: T([1, 2]) }, 422);
  t.same(twoPrompts.errors.map((e) => e.path), ['body.prompt_embeddings']);
  const twoPrefixes = await problem('prefix', { seed: 1, batch: 1, seq: 1, d_model: 2, num_heads: 1, prefix_length: 1, prefix_projection: true, prefix_keys: T([1, 2]) }, 422);
  t.same(twoPrefixes.errors.map((e) => e.path), ['body.prefix_keys']);
  const unused = await problem('prefix', { seed: 1, batch: 1, seq: 1, d_model: 2, num_heads: 1, prefix_length: 1, prefix_embedding: T([1, 2]) }, 422);
  t.match(unused.errors, [{ path: 'body.prefix_embedding', message: /only used with prefix_projection/ }]);
  const overflow = await problem('ia3', { dtype: 'float32', x: T([1, 2], 1e30), weight: T([1, 2], 1e30) }, 422);
  t.match(overflow.errors, [{ path: 'y', message: /overflows float32/ }]);
});

t.test('400: TEXT init without token ids', async (t) => {
  const p = await problem('prompt', { seed: 1, batch: 1, seq: 1, d_model: 2, num_virtual_tokens: 2, prompt_init: 'text', vocab_size: 5 }, 400);
  t.same(p.errors.map((e) => e.path), ['body.init_token_ids']);
});

t.test('413: over the FLOPs or bytes budget, stating budget and cost, before allocating', async (t) => {
  const flops = await problem('lora', { seed: 1, batch: 1024, seq: 1024, in_features: 4096, out_features: 4096, r: 16, output: 'summary' }, 413);
  t.equal(flops.budget?.flops, 2e10);
  t.ok((flops.cost?.flops ?? 0) > 2e10);
  t.match(flops.errors, [{ path: 'body', message: /needs \d+ FLOPs, over the budget of 20000000000/ }]);
  // 4·10⁶ output values as JSON and float64s cost more than 256 MiB though the FLOPs are few.
  const bytes = await problem('prompt', { seed: 1, batch: 64, seq: 1024, d_model: 1024, num_virtual_tokens: 1, output: 'full' }, 413);
  t.equal(bytes.budget?.bytes, 256 * 1024 * 1024);
  t.ok((bytes.cost?.bytes ?? 0) > 256 * 1024 * 1024);
  t.match(bytes.errors, [{ path: 'body', message: /bytes, over the budget of 268435456/ }]);
  const huge = await problem('prefix', { seed: 1, batch: 16_777_216, seq: 16_777_216, d_model: 16_777_216, num_heads: 1, prefix_length: 1 }, 413);
  t.ok(Number.isFinite(huge.cost?.flops), 'astronomic sizes are priced, not allocated');
});

t.test('400: a data array longer than any body could honestly carry', async (t) => {
  const { app: roomy } = buildTestApp({ logLevel: 'silent', bodyLimitBytes: 16 * 1024 * 1024 });
  t.teardown(() => roomy.close());
  const payload = `{"x":{"shape":[1],"data":[${'0,'.repeat(4_194_304)}0]},"weight":{"shape":[1,1],"data":[1]}}`;
  const res = await roomy.inject({ method: 'POST', url: '/v1/forward/ia3', payload, headers: { 'content-type': 'application/json' } });
  t.equal(res.statusCode, 400);
  t.match(res.json().errors, [{ path: 'body.x.data' }]);
});

t.test('a LoRA rank above min(in, out) is a 422 naming r', async (t) => {
  const { app } = buildTestApp({ logLevel: 'silent' });
  t.teardown(() => app.close());
  const res = await app.inject({ method: 'POST', url: '/v1/forward/lora', payload: { seed: 1, batch: 1, seq: 2, in_features: 3, out_features: 2, r: 3 } });
  t.equal(res.statusCode, 422);
  t.same(res.json().errors, [{ path: 'body.r', message: 'must be at most min(in_features=3, out_features=2) = 2, got 3' }]);
});
