/**
 * Checkpoints whose module names are not those of the transformers class this service builds: the
 * remote-code variants (trust_remote_code=True) and fused layouts users bring target lists from.
 * PEFT matches names, so such names match nothing here; these notes say why instead of only "not found".
 */

const PHI_REMOTE_CODE =
  'the remote-code variant of phi (model_type "phi-msft", or "mixformer-sequential" for the first phi-1.5, loaded with trust_remote_code=True: microsoft/phi-2 before transformers 4.37), whose fused mixer.Wqkv and mixer.out_proj are transformers\' q_proj, k_proj, v_proj and dense';

/** Remote-code model_types: unsupported, but the 422 names the transformers model_type their checkpoints now ship with. */
export const REMOTE_CODE_MODEL_TYPES: Readonly<Record<string, { model_type: string; note: string }>> = {
  'phi-msft': { model_type: 'phi', note: PHI_REMOTE_CODE },
  'mixformer-sequential': { model_type: 'phi', note: PHI_REMOTE_CODE },
};

/** Per supported model_type: target names that belong to another variant, and what they mean here. */
const FOREIGN_NAMES: Readonly<Record<string, ReadonlyArray<{ names: readonly string[]; note: string }>>> = {
  phi: [{ names: ['Wqkv', 'out_proj', 'mixer'], note: `are module names of ${PHI_REMOTE_CODE}` }],
  phi3: [
    { names: ['q_proj', 'k_proj', 'v_proj'], note: 'are fused into one qkv_proj in phi3: target "qkv_proj"' },
    { names: ['gate_proj', 'up_proj'], note: 'are fused into one gate_up_proj in phi3: target "gate_up_proj"' },
  ],
};

/** One sentence per variant some of `unmatched` come from, e.g. '"Wqkv" are module names of the remote-code variant ...'. */
export function foreignNameNotes(modelType: string, unmatched: readonly string[]): string[] {
  const notes: string[] = [];
  for (const { names, note } of FOREIGN_NAMES[modelType] ?? []) {
    const hits = unmatched.filter((u) => names.includes(u));
    if (hits.length > 0) notes.push(`${hits.map((h) => `"${h}"`).join(', ')} ${note}`);
  }
  return notes;
}
