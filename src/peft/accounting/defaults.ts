/**
 * PEFT's per-model-type defaults (peft/utils/constants.py), as one table. `toy` is ours: the seed
 * notebook's model, whose one Linear per block is named "linear". PEFT has no entry for phi3,
 * qwen2_moe or distilbert: their configs must name target_modules, as in PEFT.
 */
export interface MethodDefaults {
  /** TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING */
  lora?: readonly string[];
  /** TRANSFORMERS_MODELS_TO_IA3_TARGET_MODULES_MAPPING and ..._IA3_FEEDFORWARD_MODULES_MAPPING */
  ia3?: { targets: readonly string[]; feedforward: readonly string[] };
  /** TRANSFORMERS_MODELS_TO_LNTUNING_TARGET_MODULES_MAPPING */
  ln_tuning?: readonly string[];
}

const LLAMA_LN = ['input_layernorm', 'post_attention_layernorm', 'norm'];

export const DEFAULTS_BY_MODEL_TYPE: Readonly<Record<string, MethodDefaults>> = {
  llama: { lora: ['q_proj', 'v_proj'], ia3: { targets: ['k_proj', 'v_proj', 'down_proj'], feedforward: ['down_proj'] }, ln_tuning: LLAMA_LN },
  mistral: { lora: ['q_proj', 'v_proj'], ia3: { targets: ['k_proj', 'v_proj', 'down_proj'], feedforward: ['down_proj'] }, ln_tuning: LLAMA_LN },
  mixtral: { lora: ['q_proj', 'v_proj'], ia3: { targets: ['k_proj', 'v_proj', 'w2'], feedforward: ['w2'] } },
  qwen2: { lora: ['q_proj', 'v_proj'], ia3: { targets: ['q_proj', 'v_proj', 'down_proj'], feedforward: ['down_proj'] }, ln_tuning: ['post_attention_layernorm'] },
  qwen3: { lora: ['q_proj', 'v_proj'], ia3: { targets: ['q_proj', 'v_proj', 'down_proj'], feedforward: ['down_proj'] }, ln_tuning: ['post_attention_layernorm'] },
  gemma: { lora: ['q_proj', 'v_proj'], ia3: { targets: ['q_proj', 'v_proj', 'down_proj'], feedforward: ['down_proj'] }, ln_tuning: LLAMA_LN },
  gemma2: {
    lora: ['q_proj', 'v_proj'],
    ia3: { targets: ['q_proj', 'v_proj', 'down_proj'], feedforward: ['down_proj'] },
    ln_tuning: ['input_layernorm', 'post_attention_layernorm', 'pre_feedforward_layernorm', 'post_feedforward_layernorm', 'norm'],
  },
  gemma3_text: {
    lora: ['q_proj', 'v_proj'],
    ia3: { targets: ['q_proj', 'v_proj', 'down_proj'], feedforward: ['down_proj'] },
    ln_tuning: ['input_layernorm', 'post_attention_layernorm', 'pre_feedforward_layernorm', 'post_feedforward_layernorm', 'norm'],
  },
  phi: { lora: ['q_proj', 'v_proj', 'fc1', 'fc2'], ia3: { targets: ['q_proj', 'v_proj', 'fc2'], feedforward: ['fc2'] }, ln_tuning: ['input_layernorm', 'final_layernorm'] },
  gpt2: { lora: ['c_attn'], ia3: { targets: ['c_attn', 'mlp.c_proj'], feedforward: ['mlp.c_proj'] }, ln_tuning: ['ln_1', 'ln_2', 'ln_f'] },
  gpt_bigcode: { lora: ['c_attn'], ia3: { targets: ['c_attn', 'mlp.c_proj'], feedforward: ['mlp.c_proj'] } },
  gptj: { lora: ['q_proj', 'v_proj'], ia3: { targets: ['q_proj', 'v_proj', 'fc_out'], feedforward: ['fc_out'] }, ln_tuning: ['ln_1', 'ln_f'] },
  opt: { lora: ['q_proj', 'v_proj'], ia3: { targets: ['q_proj', 'k_proj', 'fc2'], feedforward: ['fc2'] } },
  bloom: {
    lora: ['query_key_value'],
    ia3: { targets: ['query_key_value', 'mlp.dense_4h_to_h'], feedforward: ['mlp.dense_4h_to_h'] },
    ln_tuning: ['input_layernorm', 'post_attention_layernorm', 'ln_f'],
  },
  gpt_neox: { lora: ['query_key_value'], ia3: { targets: ['query_key_value', 'dense_4h_to_h'], feedforward: ['dense_4h_to_h'] } },
  falcon: {
    lora: ['query_key_value'],
    ia3: { targets: ['query_key_value', 'dense_4h_to_h'], feedforward: ['dense_4h_to_h'] },
    ln_tuning: ['input_layernorm', 'post_attention_layernorm', 'ln_f'],
  },
  bert: { lora: ['query', 'value'], ia3: { targets: ['key', 'value', 'output.dense'], feedforward: ['output.dense'] } },
  roberta: { lora: ['query', 'value'], ia3: { targets: ['key', 'value', 'output.dense'], feedforward: ['output.dense'] } },
  'deberta-v2': { lora: ['query_proj', 'value_proj'], ia3: { targets: ['key_proj', 'value_proj', 'output.dense'], feedforward: ['output.dense'] } },
  'xlm-roberta': { lora: ['query', 'value'] },
  layoutlm: { lora: ['query', 'value'] },
  t5: { lora: ['q', 'v'], ia3: { targets: ['k', 'v', 'wo'], feedforward: ['wo'] }, ln_tuning: ['layer_norm', 'final_layer_norm'] },
  mt5: { lora: ['q', 'v'], ia3: { targets: ['k', 'v', 'wi_1'], feedforward: [] }, ln_tuning: ['layer_norm', 'final_layer_norm'] },
  bart: {
    lora: ['q_proj', 'v_proj'],
    ia3: { targets: ['q_proj', 'v_proj', 'fc2'], feedforward: ['fc2'] },
    ln_tuning: ['self_attn_layer_norm', 'encoder_attn_layer_norm', 'final_layer_norm'],
  },
  toy: { lora: ['linear'], ia3: { targets: ['linear'], feedforward: [] } },
};
