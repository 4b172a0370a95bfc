/** Byte formatting: every human string beside a byte count is in GiB (2^30 bytes). */
const GIB = 2 ** 30;

export const gib = (bytes: number): string => `${(bytes / GIB).toFixed(2)} GiB`;

/** Integer with thousands separators, for formulas. */
export const int = (n: number): string => Math.round(n).toLocaleString('en-US');

export const term = (bytes: number, formula: string) => ({ bytes: Math.round(bytes), human: gib(Math.round(bytes)), formula });
