/**
 * Metrics are dotted paths into a computed response. Objects go by key; an array of named objects
 * (gpus, FLOP parts, adapters, modules) goes by the element's name, which may itself hold dots
 * (module names); any other array by index.
 */
/** Keys that name an element of an array of objects, in preference order; without one, elements go by index. */
export const ELEMENT_KEYS = ['name', 'adapter_name', 'stage'] as const;

const keyOf = (element: unknown): string | undefined => {
  if (element === null || typeof element !== 'object') return undefined;
  const rec = element as Record<string, unknown>;
  const key = ELEMENT_KEYS.find((k) => typeof rec[k] === 'string');
  return key === undefined ? undefined : (rec[key] as string);
};

/** The number at a dotted path of a response, or undefined when there is none (missing, or not a finite number). */
export function readMetric(response: unknown, path: string): number | undefined {
  const read = (value: unknown, segments: string[]): number | undefined => {
    if (segments.length === 0) return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
    if (value === null || typeof value !== 'object') return undefined;
    if (Array.isArray(value)) {
      if (value.length > 0 && keyOf(value[0]) !== undefined) {
        // Longest name first: "model.layers.0.mlp" before "model".
        for (let k = segments.length - 1; k >= 1; k--) {
          const name = segments.slice(0, k).join('.');
          const hit = value.find((e) => keyOf(e) === name);
          if (hit !== undefined) {
            const got = read(hit, segments.slice(k));
            if (got !== undefined) return got;
          }
        }
        return undefined;
      }
      return /^\d+$/.test(segments[0]) ? read(value[Number(segments[0])], segments.slice(1)) : undefined;
    }
    return Object.hasOwn(value, segments[0]) ? read((value as Record<string, unknown>)[segments[0]], segments.slice(1)) : undefined;
  };
  return read(response, path.split('.'));
}

/** Every numeric path of a computed response, addressed as readMetric reads them. */
export function numericPaths(response: unknown): string[] {
  const out: string[] = [];
  const walk = (value: unknown, prefix: string) => {
    const at = (seg: string) => (prefix === '' ? seg : `${prefix}.${seg}`);
    if (typeof value === 'number') {
      if (Number.isFinite(value)) out.push(prefix);
    } else if (Array.isArray(value)) {
      value.forEach((e, i) => walk(e, at(keyOf(e) ?? String(i))));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, at(k));
    }
  };
  walk(response, '');
  return out;
}
