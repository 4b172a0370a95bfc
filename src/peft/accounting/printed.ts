/**
 * PEFT's print_trainable_parameters() line, reproduced exactly:
 *   f"trainable params: {t:,d} || all params: {a:,d} || trainable%: {100 * t / a:.4f}"
 * Python's int/int division is correctly rounded (as is IEEE division of exact integers), and `.4f`
 * formats the exact binary value, rounding an exact tie half-to-even (JS toFixed rounds it up).
 */

/** Python's f"{n:,d}" for a non-negative integer. */
export function formatThousands(n: number): string {
  return BigInt(n).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Python's f"{x:.4f}" for a finite double: exact rational rounding, half-to-even on exact ties. */
export const formatFixed4 = (x: number): string => formatFixed(x, 4);

/** Python's f"{x:.{digits}f}" for a finite double (digits ≥ 1): exact rational rounding, half-to-even on exact ties. */
export function formatFixed(x: number, digits: number): string {
  if (!Number.isFinite(x)) throw new RangeError('formatFixed needs a finite number');
  const negative = x < 0 || Object.is(x, -0);
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, Math.abs(x));
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const exponentBits = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exponent: number;
  if (exponentBits === 0) {
    exponent = -1074; // subnormal
  } else {
    mantissa |= 1n << 52n;
    exponent = exponentBits - 1075;
  }
  // |x| * 10^digits = mantissa * 10^digits * 2^exponent, as the exact fraction num / den.
  const scale = 10n ** BigInt(digits);
  let num = mantissa * scale;
  let den = 1n;
  if (exponent >= 0) num <<= BigInt(exponent);
  else den <<= BigInt(-exponent);
  let q = num / den;
  const twiceRemainder = (num % den) * 2n;
  if (twiceRemainder > den || (twiceRemainder === den && q % 2n === 1n)) q += 1n;
  const intPart = q / scale;
  const frac = (q % scale).toString().padStart(digits, '0');
  return `${negative ? '-' : ''}${intPart}.${frac}`;
}

/** 100 * trainable / all as Python computes it (one correctly rounded division). */
export function trainablePercent(trainable: number, all: number): number {
  return all === 0 ? 0 : (100 * trainable) / all;
}

export function printedLine(trainable: number, all: number): string {
  return `trainable params: ${formatThousands(trainable)} || all params: ${formatThousands(all)} || trainable%: ${formatFixed4(trainablePercent(trainable, all))}`;
}
