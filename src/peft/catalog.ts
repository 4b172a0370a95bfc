/** The PEFT methods the service knows, with each one's trainable-parameter formula as text. */
export interface MethodInfo {
  id: 'lora' | 'adapter' | 'prefix_tuning' | 'prompt_tuning' | 'ia3';
  name: string;
  peft_type: string;
  description: string;
  trainable_params_formula: string;
  reference: string;
}

export const METHODS: readonly MethodInfo[] = [
  {
    id: 'lora',
    name: 'LoRA',
    peft_type: 'LORA',
    description: 'Adds a trainable low-rank update scale·B·A beside each frozen target weight; mergeable, so no inference cost once merged.',
    trainable_params_formula:
      'sum over adapted Linear modules of r·(in_features + out_features) [+ out_features with lora_bias] [+ out_features with use_dora]; on an Embedding r·(num_embeddings + embedding_dim)',
    reference: 'Hu et al. 2021, LoRA: Low-Rank Adaptation of Large Language Models (arXiv:2106.09685)',
  },
  {
    id: 'adapter',
    name: 'Bottleneck adapter',
    peft_type: 'BOTTLENECK',
    description: 'Inserts a small down-project → non-linearity → up-project block with a residual connection after sublayers.',
    trainable_params_formula: 'per adapter 2·d·b + b + d with b = floor(d / reduction_factor); seq_bn puts one per layer, double_seq_bn two',
    reference: 'Houlsby et al. 2019 (arXiv:1902.00751); Pfeiffer et al. 2020 (arXiv:2005.00247); AdapterHub counting',
  },
  {
    id: 'prefix_tuning',
    name: 'Prefix tuning',
    peft_type: 'PREFIX_TUNING',
    description: 'Prepends trainable key/value vectors to every attention layer; the base model stays frozen.',
    trainable_params_formula:
      'num_virtual_tokens·num_layers·2·token_dim; with prefix_projection: num_virtual_tokens·token_dim + (token_dim·h + h) + (h·2·num_layers·token_dim + 2·num_layers·token_dim)',
    reference: 'Li & Liang 2021, Prefix-Tuning (arXiv:2101.00190)',
  },
  {
    id: 'prompt_tuning',
    name: 'Prompt tuning',
    peft_type: 'PROMPT_TUNING',
    description: 'Prepends trainable soft-prompt embeddings to the input sequence only.',
    trainable_params_formula: 'num_virtual_tokens·num_transformer_submodules·token_dim (submodules: 2 for seq2seq LM, else 1)',
    reference: 'Lester et al. 2021, The Power of Scale for Parameter-Efficient Prompt Tuning (arXiv:2104.08691)',
  },
  {
    id: 'ia3',
    name: 'IA3',
    peft_type: 'IA3',
    description: 'Learns one scaling vector per target module: it rescales the input of feed-forward modules and the output of the others.',
    trainable_params_formula: 'sum over targeted modules of in_features (feed-forward modules) or out_features (the others)',
    reference: 'Liu et al. 2022, Few-Shot PEFT is Better and Cheaper than In-Context Learning (arXiv:2205.05638)',
  },
];
