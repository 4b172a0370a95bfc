import { invalidInput, type FieldIssue } from '../../errors.js';
import { decodeBase64 } from '../../tensor/base64.js';
import { firstNonFinite, type DType } from '../../tensor/tensor.js';
import type { TensorJson } from './types.js';

/** How tensor `data` travels: JSON number arrays, or base64 of little-endian bytes in the request's dtype. */
export type Encoding = 'json' | 'base64';

/** A tensor as the schema accepts it: data as numbers, or as a base64 string. */
export interface EncodedTensor {
  shape: number[];
  data: ArrayLike<number> | string;
}

/**
 * The given tensors with their data as numbers. With encoding base64 every data must be a base64
 * string of finite dtype values; with json, a number array. Each offending tensor is a 400 naming it.
 */
export function decodeTensors(tensors: Record<string, EncodedTensor | undefined>, encoding: Encoding, dtype: DType): Record<string, TensorJson | undefined> {
  const out: Record<string, TensorJson | undefined> = {};
  const issues: FieldIssue[] = [];
  for (const [name, t] of Object.entries(tensors)) {
    if (!t) continue;
    const path = `body.${name}.data`;
    if (typeof t.data !== 'string') {
      if (encoding === 'base64') issues.push({ path, message: 'must be a base64 string when encoding is "base64"' });
      else out[name] = { shape: t.shape, data: t.data };
      continue;
    }
    if (encoding === 'json') {
      issues.push({ path, message: 'is a string: send numbers, or set encoding "base64"' });
      continue;
    }
    const decoded = decodeBase64(t.data, dtype);
    const at = typeof decoded === 'string' ? -1 : firstNonFinite(decoded);
    if (typeof decoded === 'string') issues.push({ path, message: decoded });
    else if (at >= 0) issues.push({ path: `${path}.${at}`, message: `${decoded[at]} is not a finite number` });
    else out[name] = { shape: t.shape, data: decoded };
  }
  if (issues.length) throw invalidInput('Tensor data do not match the encoding.', issues);
  return out;
}
