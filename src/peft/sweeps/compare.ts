/**
 * Methods compared on one model and one training setup. Each row is the memory and compute routes'
 * own computation (their schemas fill the defaults, their functions give the figures) for the model
 * with that method's adapter_config.json; the config and inventory are built once for all rows.
 */
import { DomainError, unprocessable, type FieldIssue } from '../../errors.js';
import { zodFieldIssues } from '../../schemas/issues.js';
import type { CompareMethod, CustomCompareRequest } from '../../schemas/compare.js';
import { ComputeRequestSchema, MemoryRequestSchema } from '../../schemas/estimates.js';
import { loadEstimateBase, loadEstimateModel } from '../estimates/load.js';
import { checkParallelism } from '../estimates/parallelism.js';
import { computeEstimate, memoryEstimate } from '../estimates/responses.js';
import type { ParallelColumns } from './csv.js';
import type { CompareResult, CompareRow } from './types.js';

const PEFT_TYPES: Record<Exclude<CompareMethod, 'full'>, string> = {
  lora: 'LORA',
  bottleneck: 'BOTTLENECK',
  prefix: 'PREFIX_TUNING',
  prompt: 'PROMPT_TUNING',
  ia3: 'IA3',
};

export const COMPARE_UNITS: Record<string, string> = {
  trainable_params: 'parameters',
  trainable_percent: '%',
  adapter_checkpoint_bytes: 'bytes',
  training_memory_bytes: 'bytes',
  per_gpu_memory_bytes: 'bytes',
  per_cpu_memory_bytes: 'bytes',
  training_flops_per_token: 'FLOPs/token',
  relative_training_speed: '',
  inference_overhead_flops_per_token: 'FLOPs/token',
  inference_overhead_merged_flops_per_token: 'FLOPs/token',
};

/** A compare row with the columns the contract adds to CompareRow. */
export type CompareRowOut = CompareRow & ParallelColumns & { method: CompareMethod; inference_overhead_merged_flops_per_token: number; printed: string };
export type CompareOutcome = Omit<CompareResult, 'rows'> & {
  rows: CompareRowOut[];
  training: CustomCompareRequest['training'];
  parallelism?: CustomCompareRequest['parallelism'];
  notes: string[];
};

function defaultLabel(method: CompareMethod, config: Record<string, unknown>): string {
  const has = (k: string) => config[k] !== undefined && config[k] !== null;
  switch (method) {
    case 'full':
      return 'Full fine-tuning';
    case 'lora':
      return has('r') ? `LoRA r=${config.r}` : 'LoRA';
    case 'bottleneck':
      return has('reduction_factor') && typeof config.reduction_factor === 'number' ? `Bottleneck adapter (reduction ${config.reduction_factor})` : 'Bottleneck adapter';
    case 'prefix':
      return has('num_virtual_tokens') ? `Prefix tuning (${config.num_virtual_tokens} tokens)` : 'Prefix tuning';
    case 'prompt':
      return has('num_virtual_tokens') ? `Prompt tuning (${config.num_virtual_tokens} tokens)` : 'Prompt tuning';
    case 'ia3':
      return 'IA3';
  }
}

/** "body.peft.r" (as the estimate code names it) → "methods.2.config.r"; other fields keep their place in the request. */
const inMethod = (i: number, path: string) => path.replace(/^body\.?/, '').replace(/^peft(\.|$)/, `methods.${i}.config$1`).replace(/\.$/, '');

function methodError(i: number, issues: FieldIssue[], cause: { status: DomainError['status']; title: string; message: string }): DomainError {
  const errors = issues.map((e) => ({ path: inMethod(i, e.path), message: e.message }));
  const detail = `methods[${i}]: ${errors.length ? errors.map((e) => `${e.path} ${e.message}`).join('; ') : cause.message}`;
  return new DomainError(cause.status === 400 ? 422 : cause.status, cause.status === 400 ? 'Unprocessable request' : cause.title, detail, errors);
}

/** A DomainError of the shared setup (not of one method) keeps its field's place in the request. */
const inRequest = (e: DomainError) => new DomainError(e.status, e.title, e.message, e.errors.map((i) => ({ ...i, path: i.path.replace(/^body\./, '') })));

export function compareMethods(req: CustomCompareRequest, modelName: string): CompareOutcome {
  const p = req.parallelism;
  // The parallel setup is every row's: an impossible one is the request's error, not the first method's.
  if (p) {
    try {
      checkParallelism(p, req.training);
    } catch (e) {
      throw e instanceof DomainError ? inRequest(e) : e;
    }
  }
  const base = loadEstimateBase(req);
  const rows = req.methods.map((m, i): CompareRowOut => {
    const config = (m.config ?? {}) as Record<string, unknown>;
    if (m.method === 'full' && Object.keys(config).length > 0) {
      throw unprocessable(`methods[${i}]: full fine-tuning takes no config.`, [{ path: `methods.${i}.config`, message: 'must be absent for method "full"' }]);
    }
    if (m.method !== 'full' && config.peft_type !== undefined && String(config.peft_type).toUpperCase() !== PEFT_TYPES[m.method]) {
      throw unprocessable(`methods[${i}]: peft_type ${JSON.stringify(config.peft_type)} is not method ${m.method}.`, [
        { path: `methods.${i}.config.peft_type`, message: `must be ${PEFT_TYPES[m.method]} or absent for method "${m.method}"` },
      ]);
    }
    const body = {
      model: req.model,
      task_type: req.task_type,
      num_labels: req.num_labels,
      training: req.training,
      ...(m.method === 'full' ? {} : { peft: { ...config, peft_type: PEFT_TYPES[m.method] } }),
    };
    // Each row is validated as the memory and compute routes validate their bodies (their defaults included).
    const memoryBody = MemoryRequestSchema.safeParse(p ? { ...body, parallelism: p } : body);
    const computeBody = ComputeRequestSchema.safeParse(body);
    if (!memoryBody.success) throw methodError(i, zodFieldIssues(memoryBody.error), { status: 400, title: 'Invalid request', message: 'the method\'s config is invalid' });
    if (!computeBody.success) throw methodError(i, zodFieldIssues(computeBody.error), { status: 400, title: 'Invalid request', message: 'the method\'s config is invalid' });
    try {
      const model = loadEstimateModel(memoryBody.data, base);
      const memory = memoryEstimate(memoryBody.data, model);
      const compute = computeEstimate(computeBody.data, model);
      const parallel: ParallelColumns =
        'per_gpu' in memory ? { per_gpu_memory_bytes: memory.per_gpu.total_bytes, per_cpu_memory_bytes: memory.per_cpu.total_bytes, strategy: memory.parallelism.effective_strategy } : {};
      return {
        method: m.method,
        label: m.label ?? defaultLabel(m.method, config),
        trainable_params: model.accounting.trainable_params,
        trainable_percent: model.accounting.trainable_percent,
        adapter_checkpoint_bytes: memory.checkpoint.bytes,
        training_memory_bytes: memory.total_bytes,
        ...parallel,
        training_flops_per_token: compute.training.total,
        relative_training_speed: compute.relative_speed_vs_full_finetune,
        inference_overhead_flops_per_token: compute.inference.method_overhead_unmerged.flops,
        inference_overhead_merged_flops_per_token: compute.inference.method_overhead_merged.flops,
        printed: model.accounting.printed,
      };
    } catch (e) {
      if (e instanceof DomainError) throw methodError(i, e.errors, e);
      throw e;
    }
  });
  const t = req.training;
  const units = p ? COMPARE_UNITS : Object.fromEntries(Object.entries(COMPARE_UNITS).filter(([k]) => !k.startsWith('per_')));
  return {
    model: modelName,
    training: t,
    ...(p ? { parallelism: p } : {}),
    rows,
    units,
    notes: [
      `Memory: POST /v1/estimates/memory total_bytes under convention "${t.convention}", ${t.dtype} weights${t.mixed_precision ? ' with mixed precision' : ''}, optimizer ${t.optimizer}, micro-batch ${t.batch_size} × ${t.seq_len} tokens, overhead ${t.overhead_bytes} bytes.`,
      ...(p
        ? [
            `Per GPU: POST /v1/estimates/memory per_gpu.total_bytes (and per_cpu.total_bytes for one host) under ${p.strategy} on ${p.num_nodes} × ${p.num_gpus_per_node} GPUs (offload_optimizer ${p.offload_optimizer}, offload_params ${p.offload_params}); training_memory_bytes stays the one-GPU peak. Under PEFT only trainable parameters have gradients and optimizer states to shard; ZeRO-3 and FSDP FULL_SHARD also shard the frozen weights.`,
          ]
        : []),
      `adapter_checkpoint_bytes: the checkpoint in ${t.dtype}, tensor payload only (the adapter alone; every parameter for full fine-tuning).`,
      'FLOPs per token: POST /v1/estimates/compute (6 per trainable weight, 4 per frozen weight backward passes through, 2 where it does not, attention 12·h·s per block); relative_training_speed is full fine-tuning\'s FLOPs over the method\'s, an upper bound on a measured speed-up.',
      'inference_overhead_flops_per_token is unmerged (the adapter loaded beside the weights); merged LoRA and IA3 add 0, as inference_overhead_merged_flops_per_token says.',
    ],
  };
}
