import type { FastifyInstance } from 'fastify';

/** One operation of the OpenAPI document, with what a fuzzer needs to aim at it. */
export interface FuzzOperation {
  method: 'GET' | 'POST';
  /** OpenAPI path, e.g. "/v1/models/{org}/{name}". */
  path: string;
  params: Array<{ name: string; in: 'path' | 'query'; example: unknown }>;
  /** Example request bodies (POST): the document's own, plus the variants `seedVariants` derives. */
  seeds: unknown[];
  /** Every property name the request body schema mentions, at any depth: keys worth setting to bad values. */
  bodyKeys: string[];
}

interface SchemaNode {
  $ref?: string;
  properties?: Record<string, SchemaNode>;
  items?: SchemaNode;
  anyOf?: SchemaNode[];
  oneOf?: SchemaNode[];
  allOf?: SchemaNode[];
  additionalProperties?: SchemaNode | boolean;
  examples?: unknown[];
}

interface Doc {
  paths: Record<string, Record<string, {
    parameters?: Array<{ name: string; in: string; example?: unknown; schema?: SchemaNode & { default?: unknown } }>;
    requestBody?: { content: Record<string, { example?: unknown; examples?: Record<string, { value: unknown }>; schema?: SchemaNode }> };
  }>>;
  components?: { schemas?: Record<string, SchemaNode> };
}

function propertyNames(node: SchemaNode | undefined, doc: Doc, seen = new Set<string>(), names = new Set<string>()): Set<string> {
  if (!node || typeof node !== 'object') return names;
  if (node.$ref) {
    if (seen.has(node.$ref)) return names;
    seen.add(node.$ref);
    return propertyNames(doc.components?.schemas?.[node.$ref.split('/').pop()!], doc, seen, names);
  }
  for (const [name, child] of Object.entries(node.properties ?? {})) {
    names.add(name);
    propertyNames(child, doc, seen, names);
  }
  for (const child of [node.items, ...(node.anyOf ?? []), ...(node.oneOf ?? []), ...(node.allOf ?? [])]) propertyNames(child, doc, seen, names);
  if (typeof node.additionalProperties === 'object') propertyNames(node.additionalProperties, doc, seen, names);
  return names;
}

/** The example with every integer above `cap` lowered to it: the same request at sizes a fuzzer can afford by the thousand. */
export function shrunk(value: unknown, cap = 16): unknown {
  if (typeof value === 'number') return Number.isInteger(value) && value > cap ? cap : value;
  if (Array.isArray(value)) return value.map((v) => shrunk(v, cap));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, shrunk(v, cap)]));
  return value;
}

/**
 * Seeds for one body: the example, its shrunk form, and, when it names a model preset, the same body
 * with that preset's config.json pasted in (so the fuzzer reaches the config reader's fields).
 */
async function seedVariants(app: FastifyInstance, example: unknown): Promise<unknown[]> {
  const seeds = [example, shrunk(example)];
  const preset = (example as { model?: { preset?: unknown } } | undefined)?.model?.preset;
  if (typeof preset === 'string') {
    const res = await app.inject(`/v1/models/${preset}`);
    const config = res.statusCode === 200 ? (res.json() as { config?: unknown }).config : undefined;
    if (config) seeds.push({ ...(example as object), model: { config } });
  }
  return seeds;
}

/** Every operation of the app's own OpenAPI document: a route added to the app is fuzzed with no change here. */
export async function fuzzOperations(app: FastifyInstance): Promise<FuzzOperation[]> {
  await app.ready();
  const doc = app.swagger() as unknown as Doc;
  const operations: FuzzOperation[] = [];
  for (const [path, ops] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(ops)) {
      const media = op.requestBody?.content['application/json'];
      // Every example the operation documents, each with its variants. @fastify/swagger writes one as `example` and
      // several as a named `examples` map: reading only the first form left memory, sweeps and compare with no seed at all.
      const examples = media?.examples ? Object.values(media.examples).map((e) => e.value) : media?.example !== undefined ? [media.example] : (media?.schema?.examples ?? []);
      operations.push({
        method: method.toUpperCase() as FuzzOperation['method'],
        path,
        params: (op.parameters ?? [])
          .filter((p) => p.in === 'path' || p.in === 'query')
          .map((p) => ({ name: p.name, in: p.in as 'path' | 'query', example: p.example ?? p.schema?.examples?.[0] ?? p.schema?.default })),
        seeds: (await Promise.all(examples.map((example) => seedVariants(app, example)))).flat(),
        bodyKeys: [...propertyNames(media?.schema, doc)],
      });
    }
  }
  return operations;
}
