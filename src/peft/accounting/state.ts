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

const containerEntryCache = new WeakMap<ModelInventory, Map<string, boolean>>();

/** Whether some container module (a strict ancestor of a leaf) could end with `entry` (cheap, no name building; memoised per inventory). */
export function containerMayEndWith(inv: ModelInventory, entry: string): boolean {
  let byEntry = containerEntryCache.get(inv);
  if (!byEntry) containerEntryCache.set(inv, (byEntry = new Map()));
  let found = byEntry.get(entry);
  if (found === undefined) {
    const inner = `${entry}.`;
    found = inv.modules.some((m) => m.name.includes(inner));
    if (byEntry.size < 1024) byEntry.set(entry, found);
  }
  return found;
}

const leafCandidateCache = new WeakMap<ModelInventory, readonly { name: string; row: number }[]>();

/** Every module owning parameters as a match candidate {name, row}, built once per inventory. */
export function leafCandidates(inv: ModelInventory): readonly { name: string; row: number }[] {
  let list = leafCandidateCache.get(inv);
  if (!list) leafCandidateCache.set(inv, (list = inv.modules.map((m, row) => ({ name: m.name, row }))));
  return list;
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

/** What never changes for an inventory: its flattened parameters and each module's own count (built once, shared). */
interface BaseTable {
  params: readonly BaseParam[];
  /** Base parameters per module, tied ones excluded. */
  moduleBase: Float64Array;
}

const baseTables = new WeakMap<ModelInventory, BaseTable>();

function baseTable(inv: ModelInventory): BaseTable {
  // Only frozen inventories (buildInventory's cached ones) are memoised: WeakMap keys that die young
  // cost the garbage collector more than rebuilding the table.
  const memoise = Object.isFrozen(inv);
  let table = memoise ? baseTables.get(inv) : undefined;
  if (table) return table;
  const params: BaseParam[] = [];
  const moduleBase = new Float64Array(inv.modules.length);
  inv.modules.forEach((m, row) => {
    let base = 0;
    const quantizableModule = (m.kind === 'linear' || m.kind === 'conv1d') && m.role !== 'lm_head' && m.role !== 'head';
    m.params.forEach((p, j) => {
      let n = 1;
      for (const d of p.shape) n *= d;
      const tied = p.tied_to !== undefined;
      if (!tied) base += n;
      params.push({
        row,
        name: p.name,
        numel: n,
        tied,
        frozenByModel: p.requires_grad === false,
        quantizable: quantizableModule && j === 0 && !tied, // a Linear's weight is its first parameter
      });
    });
    moduleBase[row] = base;
  });
  table = { params, moduleBase };
  if (memoise) baseTables.set(inv, table);
  return table;
}

/** A row PEFT adds outside the base model (prompt encoders). */
interface ExtraRow {
  name: string;
  kind: ModuleRow['kind'];
}

/**
 * Mutable accumulation of one countParameters call. Attachments and trainable counts are kept
 * sparse; the per-module table (`rows`) is only materialised when someone reads it.
 */
export class AccountingState {
  readonly baseParams: readonly BaseParam[];
  readonly baseTrainable: Uint8Array;
  readonly warnings: string[] = [];
  virtualTokens = 0;
  private readonly moduleBase: Float64Array;
  private readonly extraRows: ExtraRow[] = [];
  /** Row index → its attachments, in order (rows past the inventory are extra rows); holes for untouched rows. */
  private readonly attachments: (AdapterAttachment[] | undefined)[] = [];
  /** Row index → trainable parameters (base made trainable + trainable attachments); extra rows grow it. */
  private trainableByRow: Float64Array;

  constructor(readonly inventory: ModelInventory) {
    const table = baseTable(inventory);
    this.baseParams = table.params;
    this.moduleBase = table.moduleBase;
    this.baseTrainable = new Uint8Array(this.baseParams.length);
    this.trainableByRow = new Float64Array(inventory.modules.length);
  }

  private addTrainable(row: number, n: number): void {
    if (row >= this.trainableByRow.length) {
      const grown = new Float64Array(Math.max(row + 1, 2 * this.trainableByRow.length));
      grown.set(this.trainableByRow);
      this.trainableByRow = grown;
    }
    this.trainableByRow[row] += n;
  }

  /** Add parameters beside a base module (or on a row made by addRow). */
  attach(row: number, attachment: AdapterAttachment, trainable = true): void {
    const list = this.attachments[row];
    if (list) list.push(attachment);
    else this.attachments[row] = [attachment];
    if (trainable) this.addTrainable(row, attachment.params);
  }

  /** A row for modules PEFT adds outside the base model (prompt encoders). */
  addRow(name: string, kind: ModuleRow['kind'], attachment: AdapterAttachment): void {
    this.extraRows.push({ name, kind });
    this.attach(this.inventory.modules.length + this.extraRows.length - 1, attachment);
  }

  /** Make base parameters trainable in place; returns how many newly became trainable. */
  makeTrainable(paramIndexes: Iterable<number>): number {
    let made = 0;
    for (const i of paramIndexes) {
      const p = this.baseParams[i];
      if (this.baseTrainable[i] || p.tied || p.frozenByModel) continue;
      this.baseTrainable[i] = 1;
      this.addTrainable(p.row, p.numel);
      made += p.numel;
    }
    return made;
  }

  /** The per-module table: every base module in inventory order, then the rows PEFT added. */
  get rows(): ModuleRow[] {
    const row = (i: number, name: string, kind: string, role: string, base: number): ModuleRow => {
      const attachments = this.attachments[i] ?? [];
      let added = 0;
      for (const a of attachments) added += a.params;
      return { name, kind, role, base_params: base, added_params: added, trainable_params: this.trainableByRow[i] ?? 0, attachments: [...attachments] };
    };
    const modules = this.inventory.modules;
    const out = modules.map((m, i) => row(i, m.name, m.kind, m.role, this.moduleBase[i]));
    this.extraRows.forEach((r, j) => out.push(row(modules.length + j, r.name, r.kind, 'other', 0)));
    return out;
  }
}
