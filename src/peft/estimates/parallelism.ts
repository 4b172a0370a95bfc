/** Data-parallel setups (DDP, DeepSpeed ZeRO 1/2/3, PyTorch FSDP) and the ones that cannot exist (422). */
import { unprocessable } from '../../errors.js';
import type { TrainingSetup } from './types.js';

export const STRATEGIES = ['ddp', 'zero1', 'zero2', 'zero3', 'fsdp_full_shard', 'fsdp_shard_grad_op'] as const;
export type Strategy = (typeof STRATEGIES)[number];

export interface Parallelism {
  strategy: Strategy;
  num_gpus_per_node: number;
  num_nodes: number;
  offload_optimizer: 'none' | 'cpu';
  offload_params: 'none' | 'cpu';
  /** ZeRO-3's deepspeed.zero.Init: parameters are created already partitioned, so no process holds the whole model on the CPU. */
  zero_init: boolean;
  /** DeepSpeed's reduce_bucket_size (elements): ZeRO's gradient reduce bucket. */
  reduce_bucket_size: number;
  /** DeepSpeed's stage3_prefetch_bucket_size (elements): ZeRO-3 parameters gathered ahead of use. */
  stage3_prefetch_bucket_size: number;
}

/** DeepSpeed's defaults (deepspeed/runtime/zero/config.py); HF Trainer's "auto" would set h² and 0.9·h² instead. */
export const DEEPSPEED_REDUCE_BUCKET = 500_000_000;
export const DEEPSPEED_PREFETCH_BUCKET = 50_000_000;
/** The most GPUs a request may describe (and the most the fewest-GPU search tries). */
export const MAX_TOTAL_GPUS = 65536;

export const ONE_GPU: Parallelism = {
  strategy: 'ddp',
  num_gpus_per_node: 1,
  num_nodes: 1,
  offload_optimizer: 'none',
  offload_params: 'none',
  zero_init: true,
  reduce_bucket_size: DEEPSPEED_REDUCE_BUCKET,
  stage3_prefetch_bucket_size: DEEPSPEED_PREFETCH_BUCKET,
};

export const isFsdp = (s: Strategy) => s === 'fsdp_full_shard' || s === 'fsdp_shard_grad_op';
/** Strategies that store parameters as shards between uses (SHARD_GRAD_OP too: it unshards only from forward to backward). */
const storesParameterShards = (s: Strategy) => s === 'zero3' || isFsdp(s);

export const totalGpus = (p: Pick<Parallelism, 'num_gpus_per_node' | 'num_nodes'>) => p.num_gpus_per_node * p.num_nodes;

const path = (field: string) => `body.parallelism.${field}`;

/** Reject parallel setups that cannot exist, naming the field and the reason. */
export function checkParallelism(p: Parallelism, setup: Pick<TrainingSetup, 'quantization' | 'convention'>): void {
  for (const field of ['num_gpus_per_node', 'num_nodes'] as const)
    if (!Number.isInteger(p[field]) || p[field] < 1)
      throw unprocessable(`parallelism.${field} is ${p[field]}: a device count is a whole number ≥ 1 (a process drives one whole GPU).`, [{ path: path(field), message: 'must be an integer ≥ 1' }]);
  if (totalGpus(p) > MAX_TOTAL_GPUS)
    throw unprocessable(`${p.num_nodes} nodes × ${p.num_gpus_per_node} GPUs is ${totalGpus(p)} GPUs, more than the ${MAX_TOTAL_GPUS} the estimate covers.`, [
      { path: path('num_nodes'), message: `num_nodes × num_gpus_per_node must be at most ${MAX_TOTAL_GPUS}` },
    ]);
  if (p.offload_params === 'cpu' && !storesParameterShards(p.strategy))
    throw unprocessable(`offload_params moves parameter shards to the CPU, which only ZeRO-3 and FSDP do; ${p.strategy} keeps every parameter on every GPU.`, [
      { path: path('offload_params'), message: 'offload_params "cpu" needs strategy zero3, fsdp_full_shard or fsdp_shard_grad_op' },
    ]);
  if (p.offload_optimizer === 'cpu' && p.strategy === 'ddp')
    throw unprocessable('DDP has no optimizer offload: ZeRO-Offload (DeepSpeed stage 1, 2 or 3) runs the optimizer step on the CPU.', [
      { path: path('offload_optimizer'), message: 'offload_optimizer "cpu" needs strategy zero1, zero2 or zero3' },
    ]);
  if (p.offload_optimizer === 'cpu' && isFsdp(p.strategy))
    throw unprocessable("FSDP has no optimizer-only offload: its CPUOffload(offload_params=True) moves parameters, gradients and the optimizer step to the CPU together; set offload_params instead.", [
      { path: path('offload_optimizer'), message: 'FSDP offloads through offload_params "cpu"; leave offload_optimizer "none"' },
    ]);
  if (setup.quantization === 'int8' && storesParameterShards(p.strategy))
    throw unprocessable(
      `${p.strategy} shards parameters as flat tensors of one float dtype; bitsandbytes' int8 weights (Int8Params) have no float storage type, unlike 4-bit weights with bnb_4bit_quant_storage, so ${p.strategy} with int8 is not supported (PEFT's DeepSpeed and FSDP guides use 4-bit).`,
      [{ path: 'body.training.quantization', message: `int8 cannot be sharded by ${p.strategy}; use nf4 / nf4-dq, or ddp / zero1 / zero2` }],
    );
  if (setup.convention === 'accelerate')
    throw unprocessable('the accelerate convention is `accelerate estimate-memory`, which sizes one device as its largest stage, not as parts that shard; use zero, hf-docs or pure-bf16 (or deepspeed) with parallelism.', [
      { path: 'body.training.convention', message: 'the accelerate convention cannot be combined with parallelism' },
    ]);
  if (setup.convention === 'deepspeed' && p.strategy !== 'zero2' && p.strategy !== 'zero3')
    throw unprocessable(`the deepspeed convention reproduces DeepSpeed's estimate_zero2_model_states_mem_needs and estimate_zero3_model_states_mem_needs; DeepSpeed has no estimator for ${p.strategy}.`, [
      { path: path('strategy'), message: 'the deepspeed convention needs strategy zero2 or zero3' },
    ]);
  if (setup.convention === 'deepspeed' && p.offload_params === 'cpu' && p.offload_optimizer !== 'cpu')
    throw unprocessable("DeepSpeed's ZeRO-3 estimator has no row for offloading parameters without the optimizer (its _all_cold skips it).", [
      { path: path('offload_optimizer'), message: 'the deepspeed convention with offload_params "cpu" needs offload_optimizer "cpu"' },
    ]);
}
