import type { TaskType } from '../../../schemas/model.js';
import { numel } from '../../architectures/index.js';
import { containerMayEndWith, modulesUnder, moduleNames } from '../state.js';
import type { MethodContext } from './context.js';

/** Heads PEFT's task classes add to modules_to_save (PeftModelForSequenceClassification etc.). */
const TASK_HEAD_MODULES: Partial<Record<TaskType, readonly string[]>> = {
  SEQ_CLS: ['classifier', 'score'],
  TOKEN_CLS: ['classifier', 'score'],
  QUESTION_ANS: ['qa_outputs'],
};

/**
 * modules_to_save: every module whose name ends with an entry (PEFT's plain str.endswith) is deep-copied;
 * the copy is trainable and saved, the original frozen, and both count in "all". Returns the wrapped
 * module names, which other targeting then skips.
 */
export function applyModulesToSave(ctx: MethodContext, userEntries: readonly string[] | undefined): string[] {
  if (userEntries?.some((e) => e === '')) ctx.fields.fail('modules_to_save', 'must not hold an empty name (every module name ends with "")');
  const entries = [...(userEntries ?? []), ...(TASK_HEAD_MODULES[ctx.task] ?? [])];
  if (entries.length === 0) return [];
  const { state } = ctx;
  const wrapped: string[] = [];
  // Containers are only listed when one could end with an entry (e.g. RoBERTa's "classifier" head).
  const keys = entries.some((e) => containerMayEndWith(state.inventory, e)) ? moduleNames(state.inventory).names : state.inventory.modules.map((m) => m.name);
  for (const key of keys) {
    if (wrapped.some((w) => key.startsWith(`${w}.`))) continue;
    if (!entries.some((e) => key.endsWith(e))) continue;
    wrapped.push(key);
    const rows = modulesUnder(state.inventory, key);
    const inside = new Set(rows.flatMap((row) => state.inventory.modules[row].params.map((p) => p.name)));
    for (const row of rows) {
      const m = state.inventory.modules[row];
      let copy = 0;
      // A deep copy owns weights tied to the outside; weights tied within the copied subtree stay shared.
      for (const p of m.params) if (!p.tied_to || !inside.has(p.tied_to)) copy += numel(p.shape);
      if (copy > 0) {
        state.attach(row, { peft_type: 'MODULES_TO_SAVE', adapter_name: ctx.adapterName, params: copy });
        ctx.summary.added_params += copy;
        ctx.summary.checkpoint_params += copy;
      }
    }
  }
  const taskEntries = TASK_HEAD_MODULES[ctx.task] ?? [];
  if (taskEntries.length > 0 && !wrapped.some((w) => taskEntries.some((e) => w.endsWith(e)))) {
    const heads = [...new Set(state.inventory.modules.filter((m) => m.role === 'head' && !m.name.includes('pooler') && !isUnder(m.name, wrapped)).map((m) => m.name.split('.')[0]))];
    if (heads.length > 0) {
      state.warnings.push(`PEFT adds ${taskEntries.map((e) => `"${e}"`).join('/')} to modules_to_save for ${ctx.task}, which matches no module of this model: its head (${heads.join(', ')}) stays frozen unless listed in modules_to_save`);
    }
  }
  return wrapped;
}

export function isUnder(name: string, wrapped: readonly string[]): boolean {
  return wrapped.some((w) => name === w || name.startsWith(`${w}.`));
}
