import { unprocessable, type FieldIssue, shownValue } from '../../errors.js';

/**
 * Reads an HF config.json the way transformers' config classes do: several spellings per field
 * (n_embd / n_embed / d_model / hidden_size ...) and each family's class defaults for absent keys.
 * A required field that is absent or malformed is recorded (the build goes on with a placeholder)
 * so that throwIfInvalid() can name every bad field in one 422.
 */
export class ConfigReader {
  readonly issues: FieldIssue[] = [];

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
        this.issues.push({ path: `${this.path}.${key}`, message: `must be a positive integer, got ${shownValue(value)}` });
        return 1;
      }
      return value;
    }
    if (fallback !== undefined) return fallback;
    const spelled = list.length > 1 ? ` (or ${list.slice(1).map((k) => `"${k}"`).join(', ')})` : '';
    this.issues.push({ path: `${this.path}.${list[0]}`, message: `missing${spelled}: required for model_type "${String(this.raw.model_type)}"` });
    return 1;
  }

  /** One 422 naming every missing or malformed field met while building. */
  throwIfInvalid(): void {
    if (this.issues.length === 0) return;
    const fields = this.issues.map((i) => `"${i.path.slice(this.path.length + 1)}"`).join(', ');
    throw unprocessable(`config for model_type "${String(this.raw.model_type)}" has missing or invalid fields: ${fields}`, this.issues);
  }

  bool(key: string, fallback: boolean): boolean {
    const value = this.raw[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'boolean') {
      this.issues.push({ path: `${this.path}.${key}`, message: `must be a boolean, got ${shownValue(value)}` });
      return fallback;
    }
    return value;
  }

  str(key: string, fallback: string): string {
    const value = this.raw[key];
    if (value === undefined || value === null) return fallback;
    if (typeof value !== 'string') {
      this.issues.push({ path: `${this.path}.${key}`, message: `must be a string, got ${shownValue(value)}` });
      return fallback;
    }
    return value;
  }

  /** hidden / heads as transformers computes a default head_dim; below 1 (more heads than width) is a bad heads field. */
  headDim(hidden: number, heads: number, headsKey: string): number {
    const hd = Math.floor(hidden / heads);
    if (hd < 1) this.issues.push({ path: `${this.path}.${headsKey}`, message: `${heads} heads leave no width per head in a hidden size of ${hidden}` });
    return Math.max(hd, 1);
  }

  /** Number of labels from id2label when num_labels is not given (HF's PretrainedConfig default is 2). */
  numLabels(): number {
    const id2label = this.raw.id2label;
    if (id2label !== undefined && id2label !== null && (typeof id2label !== 'object' || Array.isArray(id2label))) {
      this.issues.push({ path: `${this.path}.id2label`, message: 'must be an object mapping label ids to names' });
    } else if (id2label) {
      const n = Object.keys(id2label).length;
      if (n > 0) return n;
    }
    return this.int('num_labels', 2);
  }
}
