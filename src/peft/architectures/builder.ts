import { overBudget } from '../../errors.js';
import type { ModuleRole, ModuleSpec, ParamSpec } from './types.js';

/** A bound on the inventory size (a 70B model has ~700 modules, a 256-expert MoE ~50,000). */
export const MAX_MODULES = 200_000;

type Sublayer = NonNullable<ModuleSpec['sublayer_output']>;

interface PlaceOptions {
  layer?: number;
  /** This module's output ends a sublayer (where bottleneck adapters attach). */
  sublayer?: Sublayer;
}

/** Joins name parts, dropping empty ones (a base model built without a prefix). */
export const join = (...parts: string[]): string => parts.filter((p) => p !== '').join('.');

/**
 * Accumulates the named module inventory in named_modules() order. One method per torch module
 * type, each knowing that type's parameters and shapes.
 */
export class InventoryBuilder {
  readonly modules: ModuleSpec[] = [];

  private push(spec: ModuleSpec, opts: PlaceOptions): ModuleSpec {
    if (this.modules.length >= MAX_MODULES) {
      throw overBudget(`the config describes more than ${MAX_MODULES} modules`, [{ path: 'body.model.config', message: `more than ${MAX_MODULES} modules (layers × experts too large)` }]);
    }
    if (opts.layer !== undefined) spec.layer_index = opts.layer;
    if (opts.sublayer) spec.sublayer_output = opts.sublayer;
    this.modules.push(spec);
    return spec;
  }

  /** torch.nn.Linear: weight [out, in], bias [out]. `tiedWeightTo` marks an output embedding sharing the input one. */
  linear(name: string, inF: number, outF: number, bias: boolean, role: ModuleRole, opts: PlaceOptions & { tiedWeightTo?: string; tiedBiasTo?: string } = {}) {
    // Plain object literals, no spreads: this runs once per Linear of every inventory built.
    const weight: ParamSpec = { name: `${name}.weight`, shape: [outF, inF] };
    if (opts.tiedWeightTo) weight.tied_to = opts.tiedWeightTo;
    const params: ParamSpec[] = [weight];
    if (bias) {
      const b: ParamSpec = { name: `${name}.bias`, shape: [outF] };
      if (opts.tiedBiasTo) b.tied_to = opts.tiedBiasTo;
      params.push(b);
    }
    return this.push({ name, kind: 'linear', role, in_features: inF, out_features: outF, bias, params }, opts);
  }
  /** transformers' Conv1D (GPT-2): a linear stored transposed, weight [nx, nf], bias [nf]. */
  conv1d(name: string, nx: number, nf: number, role: ModuleRole, opts: PlaceOptions = {}) {
    const params: ParamSpec[] = [
      { name: `${name}.weight`, shape: [nx, nf] },
      { name: `${name}.bias`, shape: [nf] },
    ];
    return this.push({ name, kind: 'conv1d', role, in_features: nx, out_features: nf, bias: true, params }, opts);
  }

  embedding(name: string, num: number, dim: number, role: ModuleRole, opts: PlaceOptions & { tiedTo?: string; frozen?: boolean } = {}) {
    const weight: ParamSpec = { name: `${name}.weight`, shape: [num, dim] };
    if (opts.tiedTo) weight.tied_to = opts.tiedTo;
    if (opts.frozen) weight.requires_grad = false;
    return this.push({ name, kind: 'embedding', role, num_embeddings: num, embedding_dim: dim, params: [weight] }, opts);
  }

  /** LayerNorm (weight + bias) or RMSNorm / T5LayerNorm (weight only). */
  norm(name: string, dim: number, withBias: boolean, opts: PlaceOptions = {}) {
    const params: ParamSpec[] = [{ name: `${name}.weight`, shape: [dim] }];
    if (withBias) params.push({ name: `${name}.bias`, shape: [dim] });
    return this.push({ name, kind: 'norm', role: 'norm', params }, opts);
  }

  /** torch.nn.Conv1d / Conv2d: weight [out, in, ...kernel], bias [out]. */
  conv(name: string, kind: 'conv2d' | 'conv1d_torch', inC: number, outC: number, kernel: number[], role: ModuleRole, opts: PlaceOptions = {}) {
    const params: ParamSpec[] = [
      { name: `${name}.weight`, shape: [outC, inC, ...kernel] },
      { name: `${name}.bias`, shape: [outC] },
    ];
    return this.push({ name, kind, role, in_features: inC, out_features: outC, kernel_size: kernel, bias: true, params }, opts);
  }

  /** A module owning bare parameters (ViT's cls_token, BERT's MLM bias, ...). */
  other(name: string, role: ModuleRole, params: ParamSpec[], opts: PlaceOptions = {}) {
    return this.push({ name, kind: 'other', role, params }, opts);
  }
}
