/** Builds EstimateModels from presets or configs through the real inventory and accounting. */
import { countParameters } from '../../../src/peft/accounting/index.js';
import { buildInventory, presetConfig } from '../../../src/peft/architectures/index.js';
import type { EstimateModel, TrainingSetup } from '../../../src/peft/estimates/types.js';
import type { PeftConfig, TaskType } from '../../../src/schemas/model.js';

export const SETUP: TrainingSetup = {
  batch_size: 1,
  seq_len: 512,
  dtype: 'bf16',
  mixed_precision: true,
  quantization: 'none',
  optimizer: 'adamw',
  gradient_checkpointing: false,
  convention: 'zero',
  overhead_bytes: 805306368,
  attn_implementation: 'sdpa',
  bnb_4bit_keeps_input: false,
};

export function modelOf(config: Record<string, unknown> | string, peft?: Record<string, unknown> | Record<string, unknown>[], task_type: TaskType = 'CAUSAL_LM'): EstimateModel {
  const cfg = typeof config === 'string' ? presetConfig(config) : config;
  const inventory = buildInventory(cfg, { task_type });
  const accounting = countParameters(inventory, peft as PeftConfig | PeftConfig[] | undefined, { task_type });
  const list = peft === undefined ? [] : Array.isArray(peft) ? peft : [peft];
  return {
    inventory,
    accounting,
    config: cfg,
    peft: list.map((p) => ({
      peft_type: String(p.peft_type).toUpperCase(),
      num_virtual_tokens: p.num_virtual_tokens as number | undefined,
      lora_dropout: p.lora_dropout as number | undefined,
    })),
  };
}

/** Σ in·out over every Linear / Conv1D (a tied LM head included): multiply-accumulates per token. */
export function matmulMacs(m: EstimateModel): number {
  return m.inventory.modules
    .filter((x) => (x.kind === 'linear' || x.kind === 'conv1d') && x.in_features && x.out_features)
    .reduce((a, x) => a + (x.in_features ?? 0) * (x.out_features ?? 0), 0);
}

export const TINY_GPT2 = { model_type: 'gpt2', n_embd: 64, n_layer: 2, n_head: 4, n_positions: 64, vocab_size: 100, resid_pdrop: 0.1, attn_pdrop: 0.1, embd_pdrop: 0.1 };
export const TINY_LLAMA = { model_type: 'llama', hidden_size: 64, intermediate_size: 176, num_hidden_layers: 3, num_attention_heads: 4, num_key_value_heads: 2, vocab_size: 128, tie_word_embeddings: false };

/** Σ in·out over the Linears inside the transformer blocks (what activation checkpointing re-runs). */
export function blockMacs(m: EstimateModel): number {
  return m.inventory.modules
    .filter((x) => x.layer_index !== undefined && (x.kind === 'linear' || x.kind === 'conv1d') && x.in_features && x.out_features)
    .reduce((a, x) => a + (x.in_features ?? 0) * (x.out_features ?? 0), 0);
}
