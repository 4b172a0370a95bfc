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
  /** Mixtral: block_sparse_moe with experts w1/w2/w3. Qwen2-MoE: mlp with gated experts, a shared expert and its sigmoid gate. */
  moe?: 'mixtral' | 'qwen2_moe';
  /** QuestionAnswering's base model attribute (Llama keeps "transformer" for backward compatibility). */
  qaPrefix?: string;
  tasks?: readonly TaskType[];
  /** transformers class names that do not follow className(stem, task). */
  classNames?: Partial<Record<TaskType, string>>;
}

const VARIANTS: Record<string, LlamaVariant> = {
  llama: { stem: 'Llama', tieDefault: false, mlpBiasKey: true, qaPrefix: 'transformer' },
  mistral: { stem: 'Mistral', tieDefault: false },
  mixtral: { stem: 'Mixtral', tieDefault: false, moe: 'mixtral' },
  qwen2: { stem: 'Qwen2', tieDefault: false, qkvBiasAlways: true },
  qwen2_moe: { stem: 'Qwen2Moe', tieDefault: false, qkvBiasAlways: true, moe: 'qwen2_moe' },
  qwen3: { stem: 'Qwen3', tieDefault: false, headDimDefault: 128, qkNorm: true },
  gemma: { stem: 'Gemma', tieDefault: true, headDimDefault: 256, tasks: ['CAUSAL_LM', 'SEQ_CLS', 'TOKEN_CLS', 'FEATURE_EXTRACTION'] },
  gemma2: { stem: 'Gemma2', tieDefault: true, headDimDefault: 256, sandwichNorms: true, tasks: ['CAUSAL_LM', 'SEQ_CLS', 'TOKEN_CLS', 'FEATURE_EXTRACTION'] },
  // Gemma 3's text-only checkpoints (gemma-3-1b); the multimodal ones are model_type "gemma3".
  gemma3_text: {
    stem: 'Gemma3',
    tieDefault: true,
    headDimDefault: 256,
    qkNorm: true,
    sandwichNorms: true,
    tasks: ['CAUSAL_LM', 'SEQ_CLS', 'FEATURE_EXTRACTION'],
    classNames: { SEQ_CLS: 'Gemma3TextForSequenceClassification', FEATURE_EXTRACTION: 'Gemma3TextModel' },
  },
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
  const E = v.moe === 'mixtral' ? cfg.int('num_local_experts') : v.moe === 'qwen2_moe' ? cfg.int('num_experts') : 1;
  const topK = v.moe === 'mixtral' ? cfg.int('num_experts_per_tok', 2) : v.moe === 'qwen2_moe' ? cfg.int('num_experts_per_tok', 4) : 1;
  const sparseLayer = v.moe === 'qwen2_moe' ? qwen2MoeSparseLayers(cfg, L) : () => v.moe === 'mixtral';
  const qwenExperts = v.moe === 'qwen2_moe' ? { expert: cfg.int('moe_intermediate_size'), shared: cfg.int('shared_expert_intermediate_size') } : undefined;

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
    if (qwenExperts && sparseLayer(i)) {
      addQwen2MoeBlock(b, `${layer}.mlp`, H, E, qwenExperts, i);
    } else if (sparseLayer(i)) {
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
    model_class: v.classNames?.[task] ?? className(v.stem, task),
    prompt_learning: { num_layers: L, token_dim: H, num_attention_heads: nH, num_key_value_heads: nKV },
  };
}

/**
 * Qwen2MoeDecoderLayer's rule: a sparse block where the layer is not in mlp_only_layers and
 * (index + 1) is a multiple of decoder_sparse_step; a dense Qwen2MoeMLP of intermediate_size elsewhere.
 */
function qwen2MoeSparseLayers(cfg: ConfigReader, L: number): (i: number) => boolean {
  const step = cfg.int('decoder_sparse_step', 1);
  const raw = cfg.raw.mlp_only_layers ?? [];
  const dense = Array.isArray(raw) && raw.every((x) => Number.isInteger(x)) ? new Set(raw as number[]) : undefined;
  if (!dense) cfg.issues.push({ path: `${cfg.path}.mlp_only_layers`, message: `must be a list of layer indices (0 to ${L - 1})` });
  return (i) => !dense?.has(i) && (i + 1) % step === 0;
}

/** Qwen2MoeSparseMoeBlock: router, E gated experts of moe_intermediate_size, one shared expert and its 1-output gate. */
function addQwen2MoeBlock(b: InventoryBuilder, mlp: string, H: number, E: number, sizes: { expert: number; shared: number }, layer: number): void {
  const at = { layer };
  b.linear(`${mlp}.gate`, H, E, false, 'router', { ...at, sublayer: 'mlp' });
  const gated = (name: string, I: number) => {
    b.linear(`${name}.gate_proj`, H, I, false, 'mlp', at);
    b.linear(`${name}.up_proj`, H, I, false, 'mlp', at);
    b.linear(`${name}.down_proj`, I, H, false, 'mlp', at);
  };
  for (let e = 0; e < E; e++) gated(`${mlp}.experts.${e}`, sizes.expert);
  gated(`${mlp}.shared_expert`, sizes.shared);
  b.linear(`${mlp}.shared_expert_gate`, H, 1, false, 'router', at);
}

export const llamaFamilies: Family[] = Object.entries(VARIANTS).map(([modelType, v]) => ({
  model_types: [modelType],
  tasks: v.tasks ?? DECODER_TASKS,
  build: buildLlamaLike,
}));
