import type { MethodContext } from './context.js';
import { applyModulesToSave } from './modules-to-save.js';

/** PEFT's _prepare_prompt_learning_config: config-derived defaults, each overridable in the adapter config. */
function promptDims(ctx: MethodContext, gqaAdjust: boolean) {
  const { fields, state } = ctx;
  const pl = state.inventory.prompt_learning!;
  // PEFT raises this ValueError when model.config.to_dict() has none of the keys it reads for a value.
  const fromConfig = (key: 'num_layers' | 'token_dim' | 'num_attention_heads') =>
    fields.optionalPositiveInt(key) ?? pl[key] ?? fields.fail(key, `is required: Please specify \`${key}\` in \`peft_config\` (the model config spells it in none of the keys PEFT reads)`);
  const numLayers = fromConfig('num_layers');
  let tokenDim = fromConfig('token_dim');
  let heads = fromConfig('num_attention_heads');
  // Grouped-query attention (PEFT #1901): prefix key/values are per KV head, so token_dim shrinks.
  if (gqaAdjust && pl.num_key_value_heads !== undefined) {
    tokenDim = Math.floor(tokenDim / heads) * pl.num_key_value_heads;
    heads = pl.num_key_value_heads;
  }
  const encoderHidden = fields.optionalPositiveInt('encoder_hidden_size') ?? tokenDim;
  const submodules = fields.optionalPositiveInt('num_transformer_submodules') ?? (ctx.task === 'SEQ_2_SEQ_LM' ? 2 : 1);
  return { numLayers, tokenDim, encoderHidden, submodules, numVirtualTokens: fields.positiveInt('num_virtual_tokens') };
}

/** Adds a prompt-encoder row; returns its parameter count. */
function encoderRow(ctx: MethodContext, part: string, kind: 'embedding' | 'linear' | 'other', params: number): number {
  ctx.state.addRow(`prompt_encoder.${ctx.adapterName}.${part}`, kind, { peft_type: ctx.peftType, adapter_name: ctx.adapterName, params });
  ctx.summary.added_params += params;
  return params;
}

const linearParams = (inF: number, outF: number) => inF * outF + outF;

/**
 * PREFIX_TUNING: Embedding(n, layers·2·token_dim), or with prefix_projection Embedding(n, token_dim) +
 * Linear(token_dim→h) + tanh + Linear(h→layers·2·token_dim). The checkpoint holds the computed prefix.
 */
export function applyPrefixTuning(ctx: MethodContext): void {
  const d = promptDims(ctx, true);
  const out = d.numLayers * 2 * d.tokenDim;
  if (ctx.fields.bool('prefix_projection', false)) {
    encoderRow(ctx, 'embedding', 'embedding', d.numVirtualTokens * d.tokenDim);
    encoderRow(ctx, 'transform.0', 'linear', linearParams(d.tokenDim, d.encoderHidden));
    encoderRow(ctx, 'transform.2', 'linear', linearParams(d.encoderHidden, out));
  } else {
    encoderRow(ctx, 'embedding', 'embedding', d.numVirtualTokens * out);
  }
  ctx.summary.checkpoint_params += d.numVirtualTokens * out;
  ctx.state.virtualTokens += d.numVirtualTokens;
  applyModulesToSave(ctx, ctx.fields.stringList('modules_to_save'));
}

/** PROMPT_TUNING: Embedding(n · num_transformer_submodules, token_dim). */
export function applyPromptTuning(ctx: MethodContext): void {
  const d = promptDims(ctx, false);
  const total = d.numVirtualTokens * d.submodules;
  ctx.summary.checkpoint_params += encoderRow(ctx, 'embedding', 'embedding', total * d.tokenDim);
  ctx.state.virtualTokens += total;
  applyModulesToSave(ctx, ctx.fields.stringList('modules_to_save'));
}

/**
 * P_TUNING: the prompt embedding plus its reparameterisation, an MLP td→h→h→td (default) or a
 * bidirectional LSTM(td, h, encoder_num_layers) with an MLP head 2h→2h→td. The checkpoint holds the encoded prompt.
 */
export function applyPTuning(ctx: MethodContext): void {
  const d = promptDims(ctx, false);
  const total = d.numVirtualTokens * d.submodules;
  const h = d.encoderHidden;
  encoderRow(ctx, 'embedding', 'embedding', total * d.tokenDim);
  const kind = ctx.fields.oneOf('encoder_reparameterization_type', ['MLP', 'LSTM'] as const, 'MLP');
  if (kind === 'MLP') {
    encoderRow(ctx, 'mlp_head.0', 'linear', linearParams(d.tokenDim, h));
    encoderRow(ctx, 'mlp_head.2', 'linear', linearParams(h, h));
    encoderRow(ctx, 'mlp_head.4', 'linear', linearParams(h, d.tokenDim));
  } else {
    const layers = ctx.fields.positiveInt('encoder_num_layers', 2);
    // Per layer and direction: W_ih [4h, in], W_hh [4h, h], b_ih and b_hh [4h]; layers after the first read 2h.
    const lstmLayer = (inF: number) => 2 * (4 * h * (inF + h) + 8 * h);
    const lstm = lstmLayer(d.tokenDim) + (layers - 1) * lstmLayer(2 * h);
    encoderRow(ctx, 'lstm_head', 'other', lstm);
    encoderRow(ctx, 'mlp_head.0', 'linear', linearParams(2 * h, 2 * h));
    encoderRow(ctx, 'mlp_head.2', 'linear', linearParams(2 * h, d.tokenDim));
  }
  ctx.summary.checkpoint_params += total * d.tokenDim;
  ctx.state.virtualTokens += total;
  applyModulesToSave(ctx, ctx.fields.stringList('modules_to_save'));
}
