/**
 * The "accelerate" convention: what `accelerate estimate-memory` prints. It loads the model on the meta
 * device, sizes every parameter and buffer in fp32, and reports the largest training *stage* for batch 1:
 * fp32 → 4× the model (model + grads + two Adam states at the step); fp16/bf16 → 2× the fp32 size
 * (model, 1.5× for grads, 2× for the optimizer states). Batch, sequence length and PEFT are ignored.
 */
import type { ArchitectureDims } from '../architectures/types.js';

export interface AccelerateStage {
  stage: 'model' | 'gradients' | 'optimizer' | 'step';
  bytes: number;
}

const BERT_LIKE = new Set(['bert', 'roberta', 'xlm-roberta', 'camembert', 'electra']);
const ROTARY = new Set(['llama', 'mistral', 'mixtral', 'qwen2', 'qwen3', 'gemma', 'gemma2', 'phi', 'gpt_neox', 'falcon']);

export interface BufferBytes {
  bytes: number;
  formula: string;
}

/** Non-parameter buffers accelerate counts (named_buffers), for the families whose buffers we know. */
export function bufferBytes(dims: ArchitectureDims, config: Record<string, unknown> | undefined): BufferBytes {
  const maxPos = typeof config?.max_position_embeddings === 'number' ? config.max_position_embeddings : 0;
  if (BERT_LIKE.has(dims.model_type))
    return { bytes: 2 * 8 * maxPos, formula: `embeddings.position_ids + token_type_ids: 2 × int64 [1, ${maxPos}]` };
  if (dims.model_type === 'layoutlm') return { bytes: 8 * maxPos, formula: `embeddings.position_ids: int64 [1, ${maxPos}]` };
  if (ROTARY.has(dims.model_type)) return { bytes: 4 * Math.floor(dims.head_dim / 2), formula: `rotary_emb.inv_freq: fp32 [${Math.floor(dims.head_dim / 2)}]` };
  return { bytes: 0, formula: `no buffers modelled for ${dims.model_type}` };
}

/** accelerate's stages for all_params fp32 parameters plus buffers. */
export function accelerateStages(allParams: number, buffers: number, sixteenBit: boolean): AccelerateStage[] {
  const fp32 = 4 * allParams + buffers;
  if (!sixteenBit)
    return [
      { stage: 'model', bytes: fp32 },
      { stage: 'gradients', bytes: fp32 },
      { stage: 'optimizer', bytes: 2 * fp32 },
      { stage: 'step', bytes: 4 * fp32 },
    ];
  return [
    { stage: 'model', bytes: fp32 },
    { stage: 'gradients', bytes: fp32 + Math.floor(fp32 / 2) },
    { stage: 'optimizer', bytes: 2 * fp32 },
    { stage: 'step', bytes: 2 * fp32 },
  ];
}
