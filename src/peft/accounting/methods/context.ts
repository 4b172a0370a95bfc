import type { TaskType } from '../../../schemas/model.js';
import type { PeftFields } from '../peft-fields.js';
import type { AccountingState } from '../state.js';
import type { AdapterSummary } from '../types.js';

/** What every method receives for one adapter. */
export interface MethodContext {
  state: AccountingState;
  fields: PeftFields;
  adapterName: string;
  peftType: string;
  task: TaskType;
  summary: AdapterSummary;
}

/** Record parameters an adapter adds (trainable, saved) beside base module `row`. */
export function addBeside(ctx: MethodContext, row: number, params: number, extra: Partial<import('../types.js').AdapterAttachment> = {}): void {
  ctx.state.attach(row, Object.assign({ peft_type: ctx.peftType, adapter_name: ctx.adapterName, params }, extra));
  ctx.summary.added_params += params;
  ctx.summary.checkpoint_params += params;
}
