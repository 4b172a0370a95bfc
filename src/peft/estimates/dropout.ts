/** Dropout probabilities from an HF config.json: a dropout layer in training keeps a 1-byte mask per element. */
const HIDDEN_KEYS = ['hidden_dropout_prob', 'resid_pdrop', 'hidden_dropout', 'dropout', 'dropout_rate', 'residual_dropout'];
const ATTENTION_KEYS = ['attention_probs_dropout_prob', 'attn_pdrop', 'attention_dropout'];

function firstNumber(config: Record<string, unknown> | undefined, keys: string[]): number {
  for (const k of keys) {
    const v = config?.[k];
    if (typeof v === 'number' && Number.isFinite(v)) return v;
  }
  return 0;
}

export interface DropoutRates {
  hidden: number;
  attention: number;
}

export const dropoutRates = (config: Record<string, unknown> | undefined): DropoutRates => ({
  hidden: firstNumber(config, HIDDEN_KEYS),
  attention: firstNumber(config, ATTENTION_KEYS),
});
