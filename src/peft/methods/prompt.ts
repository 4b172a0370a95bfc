import { invalidInput, unprocessable } from '../../errors.js';
import { allocateData, dtypeOf, type TensorData } from '../../tensor/tensor.js';
import type { ForwardMethod } from '../forward/method.js';

export interface PromptOptions {
  /** "random": prompt_embeddings given or drawn; "text": rows of embedding_table picked by init_token_ids (PEFT's TEXT init). */
  prompt_init: 'random' | 'text';
  init_token_ids: number[];
}

/** Prompt tuning trains one embedding of num_virtual_tokens × d (one transformer submodule). */
export const promptTrainableParams = (d: number, numVirtualTokens: number): number => numVirtualTokens * d;

/** PEFT's TEXT init: truncate the token ids to n, or repeat them until they reach n, then truncate. */
export function textInitTokenIds(ids: readonly number[], n: number): number[] {
  const reps = Math.ceil(n / ids.length);
  return Array.from({ length: reps }, () => ids).flat().slice(0, n);
}

/** The n prompt rows of TEXT init: rows of the embedding table [vocab, d] at the token ids, same dtype. */
function textInitRows(table: TensorData, ids: readonly number[], n: number, d: number): TensorData {
  const rows = allocateData(dtypeOf(table), n * d);
  textInitTokenIds(ids, n).forEach((id, i) => rows.set(table.subarray(id * d, (id + 1) * d), i * d));
  return rows;
}

export const prompt: ForwardMethod<PromptOptions> = {
  name: 'prompt',
  specs: (o) => [
    { name: 'inputs_embeds', dims: ['batch', 'seq', 'd_model'], init: { kind: 'normal', std: 1 } },
    // nn.Embedding's default init, N(0, 1), is what PEFT's RANDOM init leaves in place.
    { name: 'prompt_embeddings', dims: ['num_virtual_tokens', 'd_model'], init: o.prompt_init === 'text' ? { kind: 'derived' } : { kind: 'normal', std: 1 } },
    { name: 'embedding_table', dims: ['vocab_size', 'd_model'], init: o.prompt_init === 'text' ? { kind: 'normal', std: 1 } : { kind: 'absent' } },
    { name: 'attention_mask', dims: ['batch', 'seq'], init: { kind: 'constant', value: 1 } },
  ],
  checkOptions(o, given) {
    if (o.prompt_init === 'random') {
      const unused = [...(given.has('embedding_table') ? ['embedding_table'] : []), ...(o.init_token_ids.length ? ['init_token_ids'] : [])];
      const issues = unused.map((n) => ({ path: `body.${n}`, message: 'is only used with prompt_init "text"' }));
      if (issues.length) throw unprocessable('TEXT-init inputs given with prompt_init "random".', issues);
    }
    if (o.prompt_init === 'text' && o.init_token_ids.length === 0) {
      throw invalidInput('TEXT init needs token ids.', [{ path: 'body.init_token_ids', message: 'must list at least one token id when prompt_init is "text"' }]);
    }
    if (o.prompt_init === 'text' && given.has('prompt_embeddings')) {
      throw unprocessable('Two sources for the prompt.', [{ path: 'body.prompt_embeddings', message: 'cannot be given when prompt_init is "text" (it is built from embedding_table)' }]);
    }
  },
  check({ vocab_size }, o) {
    if (o.prompt_init !== 'text') return [];
    // vocab_size is embedding_table's row count: bound from its shape when given, its drawn shape otherwise.
    return o.init_token_ids.flatMap((id, i) =>
      id < vocab_size ? [] : [{ path: `body.init_token_ids.${i}`, message: `token id ${id} is outside embedding_table's ${vocab_size} rows` }],
    );
  },
  size({ batch: B, seq: S, d_model: d, num_virtual_tokens: n, vocab_size: V }, _rows, o) {
    const table = o.prompt_init === 'text' ? V * d : 0;
    return {
      flops: 0, // concatenation and row lookups copy values; they do no arithmetic
      elements: B * S * d + n * d + table + B * S + B * (n + S) * d + B * (n + S),
      output_elements: B * (n + S) * d + B * (n + S),
    };
  },
  compute(t, { batch: B, seq: S, d_model: d, num_virtual_tokens: n }, _rows, o, dtype) {
    const promptRows = o.prompt_init === 'text' ? textInitRows(t.embedding_table.data, o.init_token_ids, n, d) : t.prompt_embeddings.data;
    const embeds = allocateData(dtype, B * (n + S) * d);
    const mask = allocateData(dtype, B * (n + S));
    for (let b = 0; b < B; b++) {
      // PEFT prepends the virtual tokens: [prompt; inputs_embeds], with mask ones for the prompt.
      embeds.set(promptRows, b * (n + S) * d);
      embeds.set(t.inputs_embeds.data.subarray(b * S * d, (b + 1) * S * d), (b * (n + S) + n) * d);
      mask.fill(1, b * (n + S), b * (n + S) + n);
      mask.set(t.attention_mask.data.subarray(b * S, (b + 1) * S), b * (n + S) + n);
    }
    return {
      outputs: {
        inputs_embeds: { shape: [B, n + S, d], data: embeds },
        attention_mask: { shape: [B, n + S], data: mask },
      },
      extras: {},
    };
  },
  trainableParams: ({ d_model, num_virtual_tokens }) => promptTrainableParams(d_model, num_virtual_tokens),
};

