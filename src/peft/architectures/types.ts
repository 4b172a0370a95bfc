/**
 * The named module inventory: what torch's `model.named_modules()` would list for a Hugging Face
 * model built from its config.json, with every parameter's full name and shape. Parameter accounting
 * (src/peft/accounting) and estimates (src/peft/estimates) are built on this and nothing else.
 */

/** 'conv1d' is transformers' Conv1D (GPT-2), a transposed linear; 'conv1d_torch' is torch.nn.Conv1d (Whisper's audio stem). */
export type ModuleKind = 'linear' | 'conv1d' | 'embedding' | 'norm' | 'conv2d' | 'conv1d_torch' | 'other';

/** What a module does in the network, for estimates (what stays 16-bit under 4-bit quantization, etc.). */
export type ModuleRole =
  | 'embedding' // token / word embeddings
  | 'position_embedding' // learned positions, token types, patch/conv stems
  | 'attention' // q/k/v/o projections (fused or not)
  | 'mlp' // feed-forward projections, MoE experts
  | 'router' // MoE gate
  | 'norm'
  | 'lm_head' // output embedding (possibly tied)
  | 'head' // task heads: classifier, score, qa_outputs, pooler
  | 'other';

export interface ParamSpec {
  /** Full parameter name, e.g. "model.layers.0.self_attn.q_proj.weight". */
  name: string;
  shape: number[];
  /** Set when this parameter shares storage with another (tied embeddings): the full name of the owner. Counted once. */
  tied_to?: string;
  /** False for parameters the model itself freezes (Whisper's sinusoidal encoder positions). Absent means true. */
  requires_grad?: boolean;
}

export interface ModuleSpec {
  /** Full module name, e.g. "model.layers.0.self_attn.q_proj". */
  name: string;
  kind: ModuleKind;
  role: ModuleRole;
  /** Linear / Conv1D: torch's in_features and out_features (Conv1D: nx → nf). */
  in_features?: number;
  out_features?: number;
  bias?: boolean;
  /** Embedding. */
  num_embeddings?: number;
  embedding_dim?: number;
  /** Conv modules: kernel size per spatial dimension. */
  kernel_size?: number[];
  /** Set on the module whose output ends a sublayer of a block: where bottleneck adapters attach. */
  sublayer_output?: 'attention' | 'cross_attention' | 'mlp';
  /** Index of the transformer block this module sits in (for layers_to_transform); absent outside blocks. */
  layer_index?: number;
  /** The module's own (direct) parameters. */
  params: ParamSpec[];
}

export interface ArchitectureDims {
  model_type: string;
  /** Number of transformer blocks in the decoder (or encoder, for encoder-only models). */
  num_layers: number;
  /** Encoder blocks for encoder-decoder models (0 otherwise). */
  num_encoder_layers: number;
  hidden_size: number;
  num_attention_heads: number;
  num_key_value_heads: number;
  head_dim: number;
  intermediate_size: number;
  vocab_size: number;
  /** "gated": SwiGLU/GeGLU with three matrices; "plain": two matrices. */
  mlp: 'gated' | 'plain';
  /** MoE: experts per layer and experts used per token (1 and 1 for dense models). */
  num_experts: number;
  num_experts_per_token: number;
  is_encoder_decoder: boolean;
  tie_word_embeddings: boolean;
}

/** What PEFT's _prepare_prompt_learning_config reads from the config dict (model.config.to_dict()). */
export interface PromptLearningDims {
  /** Each absent when the config dict spells it in none of the keys PEFT looks for (DistilBERT's n_layers, dim, n_heads): PEFT then requires it in the adapter config. */
  num_layers?: number;
  token_dim?: number;
  num_attention_heads?: number;
  /** Present when the config class has num_key_value_heads (prefix tuning then shrinks token_dim for GQA). */
  num_key_value_heads?: number;
}

export interface ModelInventory {
  dims: ArchitectureDims;
  /** The task type the inventory was built for (it picks the head). */
  task_type?: string;
  /** transformers class the inventory mirrors, e.g. "LlamaForCausalLM". */
  model_class?: string;
  /** Prompt-learning defaults, as PEFT derives them from the config. */
  prompt_learning?: PromptLearningDims;
  /** Every module that owns parameters, in named_modules() order. */
  modules: ModuleSpec[];
}
