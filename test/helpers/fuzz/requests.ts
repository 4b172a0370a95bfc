import fc from 'fast-check';
import type { FuzzOperation } from './operations.js';

/** One fuzzed request, its body as raw text so that it can be truncated or carry keys JS objects cannot. */
export interface FuzzRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  url: string;
  headers: Record<string, string>;
  payload?: string;
  /** What kind of abuse this is, for the failure message. */
  kind: string;
}

const MiB = 1 << 20;
const nested = (open: string, leaf: string, close: string, depth: number) => open.repeat(depth) + leaf + close.repeat(depth);

/** JSON text fragments that break a field: wrong types, numbers JS cannot hold, NaN-like strings, hostile structure. */
const hostileFragment: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom('0', '-0', '-1', '1.5', '1e999', '-1e999', '1e-400', '5e-324', '1e308', '-1e308', '65536', '2147483648', '4294967296', '1e9', '9007199254740993', '123456789012345678901234567890') },
  { weight: 3, arbitrary: fc.constantFrom('"NaN"', '"Infinity"', '"-Infinity"', '"1e999"', '"0x1F"', '""', '" "', '"12abc"', '"../../etc/passwd"', '"\\u0000"', '"💥"') },
  { weight: 4, arbitrary: fc.constantFrom('null', 'true', 'false', '[]', '{}', '[1,2,3]', '{"a":1}', '"text"', '[null]', '[[1]]', '[-1]', '[0]') },
  // shapes whose product overflows any budget, a double, or 2^53
  { weight: 3, arbitrary: fc.constantFrom('[65536,65536,65536,65536]', '[16777216,16777216]', '[4294967296,4294967296]', '[1,1,1,1,1,1,1,1,1]', '[9007199254740991,2]') },
  { weight: 2, arbitrary: fc.constantFrom('{"__proto__":{"polluted":"yes"}}', '{"constructor":{"prototype":{"polluted":"yes"}}}', '{"prototype":{"polluted":"yes"}}') },
  { weight: 2, arbitrary: fc.constantFrom(64, 5000, 100_000).chain((d) => fc.constantFrom(nested('[', '1', ']', d), nested('{"a":', '1', '}', d))) },
  { weight: 1, arbitrary: fc.constantFrom(`"${'x'.repeat(MiB)}"`, `[${'1,'.repeat(200_000)}1]`, `[${'"a",'.repeat(100_000)}"a"]`) },
  { weight: 4, arbitrary: fc.oneof(fc.double(), fc.integer(), fc.string({ maxLength: 40 }), fc.boolean()).map((v) => JSON.stringify(v)) },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)) },
);

/** A path from the root of a JSON value to one of its nodes. */
type Path = Array<string | number>;

function nodePaths(value: unknown, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(value)) value.slice(0, 4).forEach((v, i) => nodePaths(v, [...prefix, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) nodePaths(v, [...prefix, k], out);
  return out;
}

const MARK = (i: number) => `@@FUZZ${i}@@`;

/** Body text: the tree as JSON, with each marked node replaced by its raw fragment. */
function render(tree: unknown, fragments: string[]): string {
  return JSON.stringify(tree).replace(/"@@FUZZ(\d+)@@"/g, (_m, i: string) => fragments[Number(i)]);
}

type Mutation = { op: 'replace' | 'delete' | 'add'; at: number; key: string; fragment: string };

function applyMutations(seed: unknown, mutations: Mutation[]): { tree: unknown; fragments: string[] } {
  const root = { value: structuredClone(seed) as unknown };
  const fragments: string[] = [];
  for (const m of mutations) {
    const paths = nodePaths(root.value);
    const path = paths[m.at % paths.length];
    const parent = path.slice(0, -1).reduce<unknown>((node, k) => (node as Record<string | number, unknown>)[k], root.value);
    const last = path.at(-1);
    const node = path.length === 0 ? root.value : (parent as Record<string | number, unknown>)[last!];
    const mark = MARK(fragments.push(m.fragment) - 1);
    if (m.op === 'add' && node && typeof node === 'object' && !Array.isArray(node)) {
      // defineProperty, so that "__proto__" becomes an own key of the JSON text instead of a prototype
      Object.defineProperty(node, m.key, { value: mark, enumerable: true, writable: true, configurable: true });
    } else if (m.op === 'delete' && path.length > 0 && !Array.isArray(parent)) {
      delete (parent as Record<string, unknown>)[last as string];
    } else if (path.length === 0) {
      root.value = mark;
    } else {
      (parent as Record<string | number, unknown>)[last!] = mark;
    }
  }
  return { tree: root.value, fragments };
}

const mutation = (keys: string[]): fc.Arbitrary<Mutation> =>
  fc.record({
    op: fc.constantFrom('replace', 'replace', 'add', 'delete') as fc.Arbitrary<Mutation['op']>,
    at: fc.nat(),
    key: fc.oneof(fc.constantFrom(...keys, '__proto__', 'constructor', 'prototype'), fc.string({ maxLength: 12 })),
    fragment: hostileFragment,
  });

const JSON_HEADERS = { 'content-type': 'application/json' };

/**
 * Bodies for a POST operation: mutated seeds, random JSON, broken JSON text, and the right body under the
 * wrong content type; with `structured` (sweeps, compare), bodies built from the operation's structure too,
 * as they are and mutated.
 */
function bodies(op: FuzzOperation, structured?: fc.Arbitrary<unknown>): fc.Arbitrary<Pick<FuzzRequest, 'headers' | 'payload' | 'kind'>> {
  const seeds = op.seeds.length > 0 ? op.seeds : [{}];
  const seed = structured ? fc.oneof(fc.constantFrom(...seeds), structured) : fc.constantFrom(...seeds);
  const keys = op.bodyKeys.length > 0 ? op.bodyKeys : ['x'];
  const built = structured
    ? [{ weight: 12, arbitrary: structured.map((body) => ({ headers: JSON_HEADERS, payload: JSON.stringify(body), kind: 'structured body' })) }]
    : [];
  return fc.oneof(
    ...built,
    {
      weight: 12,
      arbitrary: fc.tuple(seed, fc.array(mutation(keys), { minLength: 1, maxLength: 3 })).map(([s, ms]) => {
        const { tree, fragments } = applyMutations(s, ms);
        return { headers: JSON_HEADERS, payload: render(tree, fragments), kind: `mutated example (${ms.map((m) => m.op).join(', ')})` };
      }),
    },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => ({ headers: JSON_HEADERS, payload: JSON.stringify(v), kind: 'random JSON' })) },
    { weight: 1, arbitrary: hostileFragment.map((f) => ({ headers: JSON_HEADERS, payload: f, kind: 'hostile fragment as the whole body' })) },
    {
      weight: 2,
      arbitrary: fc.tuple(seed, fc.nat()).map(([s, cut]) => {
        const text = JSON.stringify(s);
        return { headers: JSON_HEADERS, payload: text.slice(0, cut % text.length), kind: 'truncated body' };
      }),
    },
    {
      weight: 1,
      arbitrary: fc.constantFrom('', ' ', '\u0000\u0001\u00ff', '{"a":1}{"b":2}', "{'single':'quotes'}", '{"a":NaN}', '{"a":Infinity}', '{"a":1,}', '\ufeff{}').map((p) => ({
        headers: JSON_HEADERS,
        payload: p,
        kind: 'malformed JSON',
      })),
    },
    {
      weight: 2,
      arbitrary: fc
        .tuple(seed, fc.constantFrom('text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/xml', 'application/octet-stream', 'application/json; charset=utf-16', 'application/jsonx', 'json', ''))
        .map(([s, type]) => ({ headers: type ? { 'content-type': type } : ({} as Record<string, string>), payload: JSON.stringify(s), kind: `wrong content type "${type}"` })),
    },
  );
}

/** A path or query value a client could send: the example, or something hostile. */
const paramValue = (example: unknown) =>
  fc.oneof(
    { weight: 2, arbitrary: fc.constant(String(example ?? 'x')) },
    { weight: 3, arbitrary: fc.string({ maxLength: 30 }) },
    { weight: 2, arbitrary: fc.constantFrom('..', '%2e%2e', '__proto__', 'constructor', 'x'.repeat(5000), '%00', '%ZZ', '-1', '1e999', 'NaN', '') },
  );

function url(op: FuzzOperation): fc.Arbitrary<string> {
  const values = op.params.map((p) => paramValue(p.example));
  const extraQuery = fc.array(fc.tuple(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('__proto__', 'constructor[prototype][polluted]')), fc.string({ maxLength: 8 })), { maxLength: 2 });
  return fc.tuple(fc.tuple(...values), extraQuery).map(([vals, extra]) => {
    let path = op.path;
    const query: string[] = [];
    op.params.forEach((p, i) => {
      const enc = /%[0-9A-Fa-f]{2}|^\.\.$/.test(vals[i]) ? vals[i] : encodeURIComponent(vals[i]);
      if (p.in === 'path') path = path.replace(`{${p.name}}`, enc === '' ? 'x' : enc);
      else query.push(`${p.name}=${enc}`);
    });
    for (const [k, v] of extra) query.push(`${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
    return query.length ? `${path}?${query.join('&')}` : path;
  });
}

/** Requests for one operation: its own method with bad parameters or bodies, and now and then a method it does not have. */
export function fuzzRequests(op: FuzzOperation, structured?: fc.Arbitrary<unknown>): fc.Arbitrary<FuzzRequest> {
  const own =
    op.method === 'POST'
      ? fc.tuple(url(op), bodies(op, structured)).map(([u, b]) => ({ method: op.method, url: u, ...b }))
      : url(op).map((u) => ({ method: op.method, url: u, headers: {}, kind: 'bad parameters' }));
  const wrongMethod = fc
    .tuple(url(op), fc.constantFrom<FuzzRequest['method']>('PUT', 'DELETE', op.method === 'GET' ? 'POST' : 'GET'))
    .map(([u, method]) => ({ method, url: u, headers: JSON_HEADERS, ...(method === 'GET' ? {} : { payload: '{}' }), kind: 'wrong method' }));
  return fc.oneof({ weight: 19, arbitrary: own }, { weight: 1, arbitrary: wrongMethod });
}
