/**
 * What ZeRO-3 and FSDP gather: ZeRO-3 fetches one module's parameters at a time (the largest module bounds it),
 * FSDP unshards one wrap unit at a time (a decoder block under TRANSFORMER_BASED_WRAP; the root unit holds
 * everything outside the blocks: embeddings, final norm, LM head).
 */
import type { AccountingResult } from '../accounting/types.js';
import { activationBytes, type TrainableBytes } from './precision.js';
import { quantizedWeightBytes } from './quantization.js';
import type { ModuleState } from './modules.js';
import type { TrainingSetup } from './types.js';

export interface GatherUnit {
  name: string;
  /** Bytes of its parameters as gathered for compute: packed bytes for quantized weights, the compute dtype for the rest (FSDP's MixedPrecision param_dtype; DeepSpeed holds 16-bit copies). */
  bytes: number;
  /** Bytes of its gradients (trainable parameters only) before they are reduce-scattered. */
  grad_bytes: number;
}

export interface ShardUnits {
  /** ZeRO-3: the module with the most stored bytes. */
  largest_module: GatherUnit;
  /** FSDP: the largest decoder block. */
  largest_block: GatherUnit;
  /** FSDP's root unit: every module outside the blocks. */
  root: GatherUnit;
}

const empty = (name: string): GatherUnit => ({ name, bytes: 0, grad_bytes: 0 });
const larger = (a: GatherUnit, b: GatherUnit) => (b.bytes + b.grad_bytes > a.bytes + a.grad_bytes ? b : a);

export function shardUnits(states: readonly ModuleState[], accounting: AccountingResult, setup: TrainingSetup, tb: Pick<TrainableBytes, 'gradients'>): ShardUnits {
  const w = activationBytes(setup);
  const rows = new Map(accounting.modules.map((r) => [r.name, r]));
  let largestModule = empty('none');
  const blocks = new Map<string, GatherUnit>();
  const root = empty('root (outside the blocks)');
  for (const m of states) {
    const row = rows.get(m.spec.name);
    const trainable = row?.trainable_params ?? 0;
    const frozen = (row?.base_params ?? 0) + (row?.added_params ?? 0) - trainable;
    const q = setup.quantization;
    const frozenBytes = m.quantized && q !== 'none' ? quantizedWeightBytes(m.weight_numel, q, m.spec.out_features ?? 1) + (frozen - m.weight_numel) * w : frozen * w;
    const unit: GatherUnit = { name: m.spec.name, bytes: frozenBytes + trainable * w, grad_bytes: trainable * tb.gradients };
    largestModule = larger(largestModule, unit);
    const owner = m.block === undefined ? root : (blocks.get(m.block) ?? blocks.set(m.block, empty(m.block)).get(m.block)!);
    owner.bytes += unit.bytes;
    owner.grad_bytes += unit.grad_bytes;
  }
  let largestBlock = empty('none');
  for (const b of blocks.values()) largestBlock = larger(largestBlock, b);
  return { largest_module: largestModule, largest_block: largestBlock, root };
}
