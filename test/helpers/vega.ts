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
