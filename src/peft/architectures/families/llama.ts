import type { TaskType } from '../../../schemas/model.js';
import { InventoryBuilder, join } from '../builder.js';
import type { ConfigReader } from '../config-reader.js';
import { DECODER_TASKS, type Family } from '../family.js';
import { addDecoderHead, className } from '../heads.js';
import type { ModelInventory } from '../types.js';

/** What differs between the Llama-shaped families, as data. */
interface LlamaVariant {
  stem: string;
  tieDefault: boolean;
  /** Config class default for head_dim when the config omits it (undefined: hidden_size / num_attention_heads). */
  headDimDefault?: number;
  /** q/k/v biases: from attention_bias (default false), or always on (Qwen2). o_proj follows attention_bias. */
  qkvBiasAlways?: boolean;
  mlpBiasKey?: boolean;
  /** Qwen3: RMSNorm on q and k per head. */
  qkNorm?: boolean;
  /** Gemma 2: pre/post feed-forward norms as well. */
  sandwichNorms?: boolean;
  moe?: boolean;
  /** QuestionAnswering's base model attribute (Llama keeps "transformer" for backward compatibility). */
  qaPrefix?: string;
  tasks?: readonly TaskType[];
}

const VARIANTS: Record<string, LlamaVariant> = {
  llama: { stem: 'Llama', tieDefault: false, mlpBiasKey: true, qaPrefix: 'transformer' },
  mistral: { stem: 'Mistral', tieDefault: false },
  mixtral: { stem: 'Mixtral', tieDefault: false, moe: true },
  qwen2: { stem: 'Qwen2', tieDefault: false, qkvBiasAlways: true },
  qwen3: { stem: 'Qwen3', tieDefault: false, headDimDefault: 128, qkNorm: true },
  gemma: { stem: 'Gemma', tieDefault: true, headDimDefault: 256, tasks: ['CAUSAL_LM', 'SEQ_CLS', 'TOKEN_CLS', 'FEATURE_EXTRACTION'] },
  gemma2: { stem: 'Gemma2', tieDefault: true, headDimDefault: 256, sandwichNorms: true, tasks: ['CAUSAL_LM', 'SEQ_CLS', 'TOKEN_CLS', 'FEATURE_EXTRACTION'] },
};

function buildLlamaLike(cfg: ConfigReader, task: TaskType, numLabels: number): ModelInventory {
  const modelType = String(cfg.raw.model_type);
  const v = VARIANTS[modelType];
  const H = cfg.int('hidden_size');
  const L = cfg.int('num_hidden_layers');
  const nH = cfg.int('num_attention_heads');
  const nKV = cfg.int('num_key_value_heads', nH);
  const hd = cfg.has('head_dim') ? cfg.int('head_dim') : (v.headDimDefault ?? cfg.headDim(H, nH, 'num_attention_heads'));
  const I = cfg.int('intermediate_size');
  const V = cfg.int('vocab_size');
  const tie = cfg.bool('tie_word_embeddings', v.tieDefault);
  const attnBias = cfg.bool('attention_bias', false);
  const qkvBias = v.qkvBiasAlways ? true : attnBias;
  const mlpBias = v.mlpBiasKey ? cfg.bool('mlp_bias', false) : false;
  const E = v.moe ? cfg.int('num_local_experts') : 1;
  const topK = v.moe ? cfg.int('num_experts_per_tok', 2) : 1;

  const prefix = task === 'FEATURE_EXTRACTION' ? '' : task === 'QUESTION_ANS' && v.qaPrefix ? v.qaPrefix : 'model';
  const b = new InventoryBuilder();
  const embed = join(prefix, 'embed_tokens');
  b.embedding(embed, V, H, 'embedding');
  for (let i = 0; i < L; i++) {
    const layer = join(prefix, 'layers', String(i));
    const at = { layer: i };
    const attn = `${layer}.self_attn`;
    b.linear(`${attn}.q_proj`, H, nH * hd, qkvBias, 'attention', at);
    b.linear(`${attn}.k_proj`, H, nKV * hd, qkvBias, 'attention', at);
    b.linear(`${attn}.v_proj`, H, nKV * hd, qkvBias, 'attention', at);
    b.linear(`${attn}.o_proj`, nH * hd, H, attnBias, 'attention', { ...at, sublayer: 'attention' });
    if (v.qkNorm) {
      b.norm(`${attn}.q_norm`, hd, false, at);
      b.norm(`${attn}.k_norm`, hd, false, at);
    }
    if (v.moe) {
      const moe = `${layer}.block_sparse_moe`;
      b.linear(`${moe}.gate`, H, E, false, 'router', { ...at, sublayer: 'mlp' });
      for (let e = 0; e < E; e++) {
        b.linear(`${moe}.experts.${e}.w1`, H, I, false, 'mlp', at);
        b.linear(`${moe}.experts.${e}.w2`, I, H, false, 'mlp', at);
        b.linear(`${moe}.experts.${e}.w3`, H, I, false, 'mlp', at);
      }
    } else {
      b.linear(`${layer}.mlp.gate_proj`, H, I, mlpBias, 'mlp', at);
      b.linear(`${layer}.mlp.up_proj`, H, I, mlpBias, 'mlp', at);
      b.linear(`${layer}.mlp.down_proj`, I, H, mlpBias, 'mlp', { ...at, sublayer: 'mlp' });
    }
    b.norm(`${layer}.input_layernorm`, H, false, at);
    b.norm(`${layer}.post_attention_layernorm`, H, false, at);
    if (v.sandwichNorms) {
      b.norm(`${layer}.pre_feedforward_layernorm`, H, false, at);
      b.norm(`${layer}.post_feedforward_layernorm`, H, false, at);
    }
  }
  b.norm(join(prefix, 'norm'), H, false);
  addDecoderHead(b, { task, hidden: H, vocab: V, numLabels, tiedEmbedding: tie ? `${embed}.weight` : undefined });

  return {
    dims: {
      model_type: modelType,
      num_layers: L,
      num_encoder_layers: 0,
      hidden_size: H,
      num_attention_heads: nH,
      num_key_value_heads: nKV,
      head_dim: hd,
      intermediate_size: I,
      vocab_size: V,
      mlp: 'gated',
      num_experts: E,
      num_experts_per_token: topK,
      is_encoder_decoder: false,
      tie_word_embeddings: tie,
    },
    modules: b.modules,
    task_type: task,
    model_class: className(v.stem, task),
    prompt_learning: { num_layers: L, token_dim: H, num_attention_heads: nH, num_key_value_heads: nKV },
  };
}

export const llamaFamilies: Family[] = Object.entries(VARIANTS).map(([modelType, v]) => ({
  model_types: [modelType],
  tasks: v.tasks ?? DECODER_TASKS,
  build: buildLlamaLike,
}));
