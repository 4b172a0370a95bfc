import { BYTES_PER_ELEMENT, type DType, type TensorData } from './tensor.js';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

/** The little-endian bytes of `data` in its own dtype, as standard base64 (typed arrays are little-endian on every platform Node ships for here). */
export function encodeBase64(data: TensorData): string {
  return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
}

/** Base64 of little-endian float32/float64 bytes → a typed array, or the reason it is not one. */
export function decodeBase64(text: string, dtype: DType): TensorData | string {
  if (text.length % 4 !== 0 || !BASE64.test(text)) return 'is not standard base64 (A–Z, a–z, 0–9, +, /, padded with = to a multiple of 4)';
  const bytes = Buffer.from(text, 'base64');
  const size = BYTES_PER_ELEMENT[dtype];
  if (bytes.length % size !== 0) return `decodes to ${bytes.length} bytes, not a whole number of ${dtype} values (${size} bytes each)`;
  // Copy into an aligned buffer: Buffer's pool offset need not be a multiple of 8.
  const aligned = new Uint8Array(bytes.length);
  aligned.set(bytes);
  return dtype === 'float64' ? new Float64Array(aligned.buffer) : new Float32Array(aligned.buffer);
}
