import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { Ajv, type ValidateFunction } from 'ajv';
import { compile, type TopLevelSpec } from 'vega-lite';

export interface CompiledScale {
  name: string;
  type?: string;
  domain?: unknown;
}

/** Every scale of the compiled vega spec, panels' included, with vega-lite's warnings while compiling. */
export function compiledScales(spec: TopLevelSpec): { scales: CompiledScale[]; warnings: string[] } {
  const warnings: string[] = [];
  const quiet = { level: () => quiet, error: () => quiet, warn: (...m: unknown[]) => (warnings.push(m.map(String).join(' ')), quiet), info: () => quiet, debug: () => quiet };
  const compiled = compile(spec, { logger: quiet as never }).spec as { scales?: CompiledScale[]; marks?: unknown[] };
  const scales: CompiledScale[] = [];
  const visit = (node: { scales?: CompiledScale[]; marks?: unknown[] }) => {
    scales.push(...(node.scales ?? []));
    for (const mark of node.marks ?? []) visit(mark as typeof node);
  };
  visit(compiled);
  return { scales, warnings };
}

let vegaLiteValidator: ValidateFunction | undefined;

/** Errors of `spec` against vega-lite's own JSON schema (the one its package ships), [] when it is a valid spec. */
export function vegaLiteSchemaErrors(spec: unknown): string[] {
  if (!vegaLiteValidator) {
    const schema = JSON.parse(readFileSync(createRequire(import.meta.url).resolve('vega-lite/vega-lite-schema.json'), 'utf8'));
    // The schema names formats (uri, color-hex) ajv does not know; their strings are checked by compiling the spec instead.
    vegaLiteValidator = new Ajv({ strict: false, validateFormats: false }).compile(schema);
  }
  return vegaLiteValidator(spec) ? [] : (vegaLiteValidator.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

/** Every `data` member anywhere in the spec: a self-contained spec has only inline `values`. */
export function dataSources(spec: unknown): unknown[] {
  if (Array.isArray(spec)) return spec.flatMap(dataSources);
  if (spec === null || typeof spec !== 'object') return [];
  return Object.entries(spec).flatMap(([key, value]) => (key === 'data' ? [value, ...dataSources(value)] : dataSources(value)));
}
