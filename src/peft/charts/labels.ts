/**
 * Readable numbers on axes and bars, as vega expressions over a value expression: parameters and
 * FLOPs in SI steps (12.6M, 1.24B; "B" for 10^9 as ML papers write parameter counts), bytes in binary
 * units (KiB, MiB, GiB = 2^30 bytes), percentages with a % sign.
 */

/** 3 significant digits with SI prefixes; below 1 plain digits (d3's "~s" would write 0.5 as "500m"). */
const si = (value: string) => `(abs(${value}) < 1 ? format(${value}, '.3~r') : format(${value}, '.3~s'))`;

const binaryBytes = (value: string) =>
  `(${value} >= 1073741824 ? format(${value} / 1073741824, '.3~r') + ' GiB' : ` +
  `${value} >= 1048576 ? format(${value} / 1048576, '.3~r') + ' MiB' : ` +
  `${value} >= 1024 ? format(${value} / 1024, '.3~r') + ' KiB' : format(${value}, '.3~r') + ' B')`;

/** A vega expression that formats `value` (e.g. "datum.value") for its unit, or undefined for the default format. */
export function labelExpression(unit: string, value: string): string | undefined {
  switch (unit) {
    case 'parameters':
      return `replace(${si(value)}, 'G', 'B')`;
    case 'FLOPs/token':
    case 'FLOPs':
      return si(value);
    case 'bytes':
      return binaryBytes(value);
    case '%':
      return `format(${value}, '.3~r') + '%'`;
    default:
      return undefined;
  }
}

/** "trainable_params (parameters)"; bytes name their binary convention once, in the title. */
export function axisTitle(name: string, unit: string): string {
  if (unit === '') return name;
  if (unit === 'bytes') return `${name} (bytes, 1 GiB = 2³⁰ B)`;
  return `${name} (${unit})`;
}

/** Log where the values are all positive and span two decades or more; a linear axis would flatten the small ones. */
export function wantsLogScale(values: number[]): boolean {
  if (values.length === 0 || values.some((v) => !(v > 0))) return false;
  return Math.max(...values) / Math.min(...values) >= 100;
}
