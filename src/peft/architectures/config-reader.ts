import { unprocessable } from '../../errors.js';

/**
 * Reads an HF config.json the way transformers' config classes do: several spellings per field
 * (n_embd / n_embed / d_model / hidden_size ...) and each family's class defaults for absent keys.
 * A required field that is absent or not a positive integer is a 422 naming it.
 */
export class ConfigReader {
  constructor(
    readonly raw: Record<string, unknown>,
    /** Where the config sits in the request, for error paths. */
    readonly path = 'body.model.config',
  ) {}

  has(key: string): boolean {
    return this.raw[key] !== undefined && this.raw[key] !== null;
  }

  /** The first present key among `keys`; absent → `fallback`, or a 422 naming `keys[0]` when no fallback. */
  int(keys: string | string[], fallback?: number): number {
    const list = Array.isArray(keys) ? keys : [keys];
    for (const key of list) {
      if (!this.has(key)) continue;
      const value = this.raw[key];
      if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
        throw unprocessable(`config field "${key}" must be a positive integer`, [
          { path: `${this.path}.${key}`, message: `must be a positive integer, got ${JSON.stringify(value)}` },
        ]);
      }
      return value;
    }
    if (fallback !== undefined) return fallback;
    const spelled = list.length > 1 ? ` (or ${list.slice(1).map((k) => `"${k}"`).join(', ')})` : '';
    throw unprocessable(`config is missing "${list[0]}"${spelled}, which model_type "${String(this.raw.model_type)}" needs`, [
      { path: `${this.path}.${list[0]}`, message: `required for model_type "${String(this.raw.model_type)}"` },
    ]);
  }

  bool(key: string, fallback: boolean): boolean {
    const value = this.raw[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') {
      throw unprocessable(`config field "${key}" must be a boolean`, [{ path: `${this.path}.${key}`, message: 'must be a boolean' }]);
    }
    return value;
  }

  str(key: string, fallback: string): string {
    const value = this.raw[key];
    return typeof value === 'string' ? value : fallback;
  }

  /** Number of labels from id2label when num_labels is not given (HF's PretrainedConfig default is 2). */
  numLabels(): number {
    const id2label = this.raw.id2label;
    if (id2label && typeof id2label === 'object') {
      const n = Object.keys(id2label).length;
      if (n > 0) return n;
    }
    return this.int('num_labels', 2);
  }
}
