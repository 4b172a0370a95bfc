/** The chart formats of POST /v1/sweeps and POST /v1/compare (svg, vega-lite), Accept negotiation and the 406. */
import t from 'tap';
import type { TopLevelSpec } from 'vega-lite';
import { MAX_SVG_MARKS, renderSvg } from '../../../src/peft/charts/index.js';
import { CHART_RENDER_MS } from '../../../src/workers/chart-pool.js';
import { buildTestApp } from '../../helpers/app.js';
import { byClass, findAll, panelGroups, parseSvg, textsIn, type SvgElement } from '../../helpers/svg.js';
import { compiledScales, dataSources, vegaLiteSchemaErrors } from '../../helpers/vega.js';
import { jsonPoster } from './post-json.js';

const LLAMA = { preset: 'meta-llama/Llama-2-7b-hf' };
const LORA = { peft_type: 'LORA', r: 8, lora_alpha: 16, target_modules: ['q_proj', 'v_proj'] };
const RANK_SWEEP = { target: 'parameters', base: { model: LLAMA, peft: LORA }, axes: [{ path: 'peft.r', from: 4, to: 64, steps: 5, scale: 'log' }], metrics: ['trainable_params'] };
/** seq_len along x, a line per rank, a panel per metric. */
const GRID = {
  target: 'memory',
  base: { model: LLAMA, peft: LORA },
  axes: [{ path: 'training.seq_len', values: [512, 1024, 2048, 4096] }, { path: 'peft.r', values: [4, 16, 64] }],
  metrics: ['total_bytes', 'parameters.trainable'],
};
const COMPARE = {
  model: LLAMA,
  training: { seq_len: 512 },
  methods: [{ method: 'full' }, { method: 'lora', config: { r: 8, target_modules: ['q_proj', 'v_proj'] } }, { method: 'prompt', label: '<script>alert(1)</script> & "prompt"', config: { num_virtual_tokens: 20 } }],
};

// Compiled now, before any app runs: compiling vega-lite's schema holds the event loop for seconds.
vegaLiteSchemaErrors({});

function app() {
  const { app } = buildTestApp({ logLevel: 'silent' });
  t.teardown(() => app.close());
  return { app, sweep: jsonPoster(app, '/v1/sweeps'), compare: jsonPoster(app, '/v1/compare') };
}

const marks = (root: SvgElement, kind: string) => byClass(root, `mark-${kind}`, 'role-mark').flatMap((m) => m.children);

t.test('a sweep as SVG: well-formed, titled, axis titles with units, a point per grid value', async (t) => {
  const { sweep } = app();
  const byFormat = await sweep({ ...RANK_SWEEP, format: 'svg' }, 200);
  const byAccept = await sweep(RANK_SWEEP, 200, { accept: 'image/svg+xml' });
  for (const res of [byFormat, byAccept]) {
    t.equal(res.headers['content-type'], 'image/svg+xml; charset=utf-8');
    t.equal(res.headers.vary, 'Accept', 'the answer depends on Accept');
  }
  t.equal(byAccept.body, byFormat.body, 'the same chart either way, byte for byte');
  const root = parseSvg(byFormat.body);
  const texts = textsIn(root);
  for (const text of ['trainable_params vs peft.r', 'Sweep over parameters: 5 points', 'peft.r, log scale', 'trainable_params (parameters)']) t.ok(texts.includes(text), text);
  const json = (await sweep(RANK_SWEEP, 200)).json();
  t.equal(marks(root, 'symbol').length, json.points.length, 'a point per grid point');
  t.equal(marks(root, 'line').length, 1);
});

t.test('a 2-axis sweep as SVG: a panel per metric, one line per value of the second axis', async (t) => {
  const { sweep } = app();
  const root = parseSvg((await sweep({ ...GRID, format: 'svg' }, 200)).body);
  const panels = panelGroups(root);
  t.equal(panels.length, 2);
  for (const [i, panel] of panels.entries()) {
    t.equal(marks(panel, 'line').length, 3, `panel ${i}: a line per peft.r value`);
    t.equal(marks(panel, 'symbol').length, 12, `panel ${i}: 4 seq_len × 3 ranks`);
    t.ok(['peft.r', '4', '16', '64'].every((label) => textsIn(panel).includes(label)), 'a legend naming the second axis and its values');
  }
  t.ok(textsIn(panels[0]).includes('total_bytes (bytes, 1 GiB = 2³⁰ B)'));
  t.ok(textsIn(panels[1]).includes('parameters.trainable (parameters)'), 'ranks 4…64 span 16×: a linear axis');
});

t.test('vega-lite: a valid, self-contained spec, carrying the JSON response\'s numbers, that renders to the SVG format', async (t) => {
  const { sweep } = app();
  const res = await sweep({ ...GRID, format: 'vega-lite' }, 200);
  t.equal(res.headers['content-type'], 'application/vnd.vegalite.v6+json; charset=utf-8');
  const spec = res.json() as TopLevelSpec & { concat: Array<{ data: { values: Array<{ x: number; y: number; series: number }> } }> };
  t.equal(spec.$schema, 'https://vega.github.io/schema/vega-lite/v6.json');
  t.same(vegaLiteSchemaErrors(spec), [], "valid against vega-lite's JSON schema");
  t.same(compiledScales(spec).warnings, [], 'compiles without a warning');
  const sources = dataSources(spec);
  t.equal(sources.length, 2);
  t.ok(sources.every((d) => typeof d === 'object' && d !== null && Array.isArray((d as { values?: unknown }).values) && !('url' in d)), 'data inline, nothing to load');
  const json = (await sweep(GRID, 200)).json();
  const expected = json.points.map((p: { at: Record<string, number>; metrics: Record<string, number> }) => ({ x: p.at['training.seq_len'], y: p.metrics.total_bytes, series: p.at['peft.r'] }));
  t.same(spec.concat[0].data.values, expected, 'the first panel draws total_bytes at every point');
  t.equal(await renderSvg(spec), (await sweep({ ...GRID, format: 'svg' }, 200)).body, 'the SVG format is this spec rendered');
  t.equal((await sweep(GRID, 200, { accept: 'application/vnd.vegalite.v6+json' })).body, res.body, 'Accept picks it too');
});

t.test('compare as SVG and vega-lite: a panel per column, a bar per method, labels escaped', async (t) => {
  const { compare } = app();
  const res = await compare(COMPARE, 200, { accept: 'image/svg+xml' });
  t.equal(res.headers['content-type'], 'image/svg+xml; charset=utf-8');
  const root = parseSvg(res.body);
  t.same(findAll(root, (e) => e.tag === 'script'), [], 'a label is text, never markup');
  const panels = panelGroups(root);
  t.equal(panels.length, 7);
  for (const panel of panels) {
    t.equal(marks(panel, 'rect').length, 3, 'a bar per method');
    t.ok(textsIn(panel).includes('<script>alert(1)</script> & "prompt"'), 'the label as typed');
  }
  const texts = textsIn(root);
  for (const text of ['PEFT methods compared on meta-llama/Llama-2-7b-hf', 'trainable_params (parameters), log scale', 'training_memory_bytes (bytes, 1 GiB = 2³⁰ B)']) t.ok(texts.includes(text), text);
  const spec = (await compare({ ...COMPARE, format: 'vega-lite' }, 200)).json();
  t.same(vegaLiteSchemaErrors(spec), []);
  t.same(compiledScales(spec).warnings, []);
  const rows = (await compare(COMPARE, 200)).json().rows;
  t.same(spec.concat[3].data.values.map((v: { value: number }) => v.value), rows.map((r: { training_memory_bytes: number }) => r.training_memory_bytes), 'the memory panel draws the rows\' training memory');
  const notebook = parseSvg((await compare({ preset: 'seed-notebook', format: 'svg' }, 200)).body);
  t.equal(panelGroups(notebook).length, 7, 'the seed-notebook preset charts the same way');
  const pasted = { ...COMPARE, model: { config: { model_type: 'toy', d_model: 64, num_layers: 2 } }, methods: [{ method: 'full' }, { method: 'lora', config: { r: 4, target_modules: ['linear'] } }] };
  t.ok(textsIn(parseSvg((await compare({ ...pasted, format: 'svg' }, 200)).body)).includes('PEFT methods compared on toy'), "a pasted config is named by its model_type");
});

t.test('compare with parallelism: a panel for the memory per GPU after the one-GPU training memory', async (t) => {
  const { compare } = app();
  const parallel = { ...COMPARE, parallelism: { strategy: 'zero3', num_gpus_per_node: 4, num_nodes: 1 } };
  const rows = (await compare(parallel, 200)).json().rows as Array<{ per_gpu_memory_bytes: number; training_memory_bytes: number }>;
  const spec = (await compare({ ...parallel, format: 'vega-lite' }, 200)).json();
  t.same(spec.concat.map((p: { title: string }) => p.title).slice(3, 6), ['Training memory', 'Training memory per GPU (parallelism)', 'Training FLOPs per token']);
  t.same(spec.concat[4].data.values.map((v: { value: number }) => v.value), rows.map((r) => r.per_gpu_memory_bytes));
  t.ok(rows.some((r) => r.per_gpu_memory_bytes < r.training_memory_bytes), 'ZeRO-3 over 4 GPUs holds less per GPU: a panel of its own, not a copy');
  const panels = panelGroups(parseSvg((await compare({ ...parallel, format: 'svg' }, 200)).body));
  t.equal(panels.length, 8);
  t.ok(textsIn(panels[4]).includes('per_gpu_memory_bytes (bytes, 1 GiB = 2³⁰ B)'));
  t.equal(panelGroups(parseSvg((await compare({ ...COMPARE, format: 'svg' }, 200)).body)).length, 7, 'without parallelism, no such panel');
});

t.test('Accept negotiation on the routes: csv, svg, json, q-values; the body\'s format wins', async (t) => {
  const { sweep, compare } = app();
  const typeFor = async (post: typeof sweep, body: object, accept: string) => (await post(body, 200, { accept })).headers['content-type'];
  t.match(await typeFor(sweep, RANK_SWEEP, 'text/csv'), /^text\/csv/);
  t.match(await typeFor(sweep, RANK_SWEEP, '*/*'), /^application\/json/);
  t.match(await typeFor(sweep, RANK_SWEEP, 'text/csv;q=0.5, image/svg+xml'), /^image\/svg\+xml/);
  t.match(await typeFor(sweep, RANK_SWEEP, 'image/svg+xml;q=0.2, application/json'), /^application\/json/);
  t.match(await typeFor(compare, { preset: 'seed-notebook' }, 'text/html, text/csv;q=0.1'), /^text\/csv/);
  t.match(await typeFor(sweep, { ...RANK_SWEEP, format: 'csv' }, 'image/svg+xml'), /^text\/csv/, 'format over Accept');
  t.match(await typeFor(compare, { preset: 'seed-notebook', format: 'json' }, 'text/html'), /^application\/json/, 'format over an Accept we could not serve');
});

t.test('an Accept the routes cannot serve: 406 problem+json naming headers.accept, before anything is computed', async (t) => {
  const { sweep, compare } = app();
  for (const [post, body] of [[sweep, RANK_SWEEP], [compare, { preset: 'seed-notebook' }]] as const) {
    const problem = (await post(body, 406, { accept: 'text/html' })).json();
    t.same([problem.status, problem.title], [406, 'Not acceptable']);
    t.same(problem.errors, [{ path: 'headers.accept', message: 'names no format this route sends: text/html' }]);
    t.match(problem.detail, 'image/svg+xml');
  }
  const badPoint = { ...RANK_SWEEP, axes: [{ path: 'peft.r', values: [8, 0] }] };
  await sweep(badPoint, 422);
  await sweep(badPoint, 406, { accept: 'application/xml' });
});

t.test('an SVG over the cap: 413 before the sweep runs, pointing to vega-lite', async (t) => {
  const { sweep } = app();
  // seq_len 0 is invalid: had the sweep run, this would be a 422 for points[0].
  const big = { target: 'compute', base: { model: LLAMA }, axes: [{ path: 'training.seq_len', from: 0, to: 1000, steps: 1001 }], metrics: ['training.total', 'inference.total_merged'] };
  const problem = (await sweep({ ...big, format: 'svg' }, 413)).json();
  t.same([problem.cap, problem.requested], [MAX_SVG_MARKS, 2002]);
  t.same(problem.errors, [{ path: 'format', message: 'svg draws at most 2000 points × metrics, this sweep 2002' }]);
  t.match(problem.detail, /"format": "vega-lite"/);
  t.equal((await sweep({ ...big, format: 'vega-lite' }, 422)).json().errors[0].path, 'points[0].training.seq_len', 'vega-lite has no cap of its own: the sweep runs');
  const atCap = parseSvg((await sweep({ ...big, axes: [{ path: 'training.seq_len', from: 1, to: 1000, steps: 1000 }], format: 'svg' }, 200)).body);
  t.equal(marks(atCap, 'symbol').length, MAX_SVG_MARKS, 'at the cap: drawn');
});

t.test('SVGs render on the chart thread, admitted by MAX_QUEUE_WAIT_MS: past it, a 503 with Retry-After', async (t) => {
  const { app } = buildTestApp({ logLevel: 'silent', maxQueueWaitMs: CHART_RENDER_MS });
  t.teardown(() => app.close());
  const svg = () => app.inject({ method: 'POST', url: '/v1/compare', payload: { ...COMPARE, format: 'svg' } });
  const answers = await Promise.all([svg(), svg()]);
  t.same(answers.map((r) => r.statusCode).sort(), [200, 503], 'an idle thread takes the first; the second would wait 200 ms, over 100');
  const [drawn, refused] = answers[0].statusCode === 200 ? answers : [answers[1], answers[0]];
  t.match(drawn.body, /^<svg /);
  t.equal(refused.headers['retry-after'], '1');
  t.match(refused.json(), { status: 503, detail: /worker pool is saturated: a chart would wait about 200 ms, over the limit of 100 ms/ });
  t.equal((await svg()).statusCode, 200, 'the queue drained: the next is drawn');
});
