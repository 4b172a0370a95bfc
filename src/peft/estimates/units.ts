/** Byte formatting. GiB = 2^30 bytes; GB = 1e9 bytes (the unit of LitGPT's and the papers' tables). */
export const GIB = 2 ** 30;

export const gib = (bytes: number): string => `${(bytes / GIB).toFixed(2)} GiB`;

export const gb = (bytes: number): string => `${(bytes / 1e9).toFixed(2)} GB`;

/** Integer with thousands separators, for formulas. */
export const int = (n: number): string => Math.round(n).toLocaleString('en-US');

export const term = (bytes: number, formula: string) => ({ bytes: Math.round(bytes), human: gib(Math.round(bytes)), formula });
