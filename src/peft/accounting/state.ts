import type { ModelInventory } from '../architectures/types.js';
import type { AdapterAttachment, ModuleRow } from './types.js';

/** Names of every module torch's named_modules() would list (containers too), parents first; cached per inventory. */
const namesCache = new WeakMap<ModelInventory, { names: string[]; leafIndex: Map<string, number> }>();

export function moduleNames(inv: ModelInventory): { names: string[]; leafIndex: Map<string, number> } {
  let cached = namesCache.get(inv);
  if (!cached) {
    const names: string[] = [];
    const seen = new Set<string>();
    const leafIndex = new Map<string, number>();
    let previousParent = '';
    inv.modules.forEach((m, i) => {
      leafIndex.set(m.name, i);
      const lastDot = m.name.lastIndexOf('.');
      const parent = lastDot === -1 ? '' : m.name.slice(0, lastDot);
      // Siblings share their ancestors: walk them only when the parent changes.
      if (parent !== previousParent) {
        previousParent = parent;
        for (let dot = m.name.indexOf('.'); dot !== -1 && dot <= lastDot; dot = m.name.indexOf('.', dot + 1)) {
          const ancestor = m.name.slice(0, dot);
          if (!seen.has(ancestor)) {
            seen.add(ancestor);
            names.push(ancestor);
          }
        }
      }
      if (!seen.has(m.name)) {
        seen.add(m.name);
        names.push(m.name);
      }
    });
    cached = { names, leafIndex };
    namesCache.set(inv, cached);
  }
  return cached;
}

/** Whether some container module (a strict ancestor of a leaf) could end with `entry` (cheap, no name building). */
export function containerMayEndWith(inv: ModelInventory, entry: string): boolean {
  const inner = `${entry}.`;
  for (const m of inv.modules) if (m.name.includes(inner)) return true;
  return false;
}

/** Indexes of inventory modules at or under `name`. */
export function modulesUnder(inv: ModelInventory, name: string): number[] {
  const prefix = `${name}.`;
  const out: number[] = [];
  inv.modules.forEach((m, i) => {
    if (m.name === name || m.name.startsWith(prefix)) out.push(i);
  });
  return out;
}

/** Base parameters flattened, with which of them require grad. */
export interface BaseParam {
  row: number;
  name: string;
  numel: number;
  /** Counted once on its owner: tied parameters are skipped in totals. */
  tied: boolean;
  frozenByModel: boolean;
  /** bitsandbytes would store it as Params4bit under 4-bit loading. */
  quantizable: boolean;
}

/** Mutable accumulation of one countParameters call. */
export class AccountingState {
  readonly rows: ModuleRow[];
  readonly baseParams: BaseParam[] = [];
  readonly baseTrainable: Uint8Array;
  readonly warnings: string[] = [];
  virtualTokens = 0;

  constructor(readonly inventory: ModelInventory) {
    this.rows = inventory.modules.map((m, row) => {
      let base = 0;
      const quantizableModule = (m.kind === 'linear' || m.kind === 'conv1d') && m.role !== 'lm_head' && m.role !== 'head';
      m.params.forEach((p, j) => {
        let n = 1;
        for (const d of p.shape) n *= d;
        const tied = p.tied_to !== undefined;
        if (!tied) base += n;
        this.baseParams.push({
          row,
          name: p.name,
          numel: n,
          tied,
          frozenByModel: p.requires_grad === false,
          quantizable: quantizableModule && j === 0 && !tied, // a Linear's weight is its first parameter
        });
      });
      return { name: m.name, kind: m.kind, role: m.role, base_params: base, added_params: 0, trainable_params: 0, attachments: [] };
    });
    this.baseTrainable = new Uint8Array(this.baseParams.length);
  }

  /** Add parameters beside a base module (or on a new row when `row` is a name not in the inventory). */
  attach(row: number, attachment: AdapterAttachment, trainable = true): void {
    const r = this.rows[row];
    r.attachments.push(attachment);
    r.added_params += attachment.params;
    if (trainable) r.trainable_params += attachment.params;
  }

  /** A row for modules PEFT adds outside the base model (prompt encoders). */
  addRow(name: string, kind: ModuleRow['kind'], attachment: AdapterAttachment): void {
    this.rows.push({ name, kind, role: 'other', base_params: 0, added_params: 0, trainable_params: 0, attachments: [] });
    this.attach(this.rows.length - 1, attachment);
  }

  /** Make base parameters trainable in place; returns how many newly became trainable. */
  makeTrainable(paramIndexes: Iterable<number>): number {
    let made = 0;
    for (const i of paramIndexes) {
      const p = this.baseParams[i];
      if (this.baseTrainable[i] || p.tied || p.frozenByModel) continue;
      this.baseTrainable[i] = 1;
      this.rows[p.row].trainable_params += p.numel;
      made += p.numel;
    }
    return made;
  }
}
