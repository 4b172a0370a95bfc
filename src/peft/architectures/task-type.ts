import { shownValue, unprocessable, type FieldIssue } from '../../errors.js';
import { TASK_TYPES, type PeftInput, type TASK_TYPE_SOURCES, type TaskType } from '../../schemas/model.js';
import { defaultTaskType, familyTasks } from './index.js';

export type TaskTypeSource = (typeof TASK_TYPE_SOURCES)[number];

export interface ResolvedTaskType {
  task_type: TaskType;
  source: TaskTypeSource;
  /** One sentence naming the field that decided (and what was passed over), for the response. */
  reason: string;
}

/** transformers class-name endings → the task whose class this service counts (a masked-LM head counts under CAUSAL_LM). */
const CLASS_SUFFIXES: ReadonlyArray<readonly [string, TaskType]> = [
  ['ForCausalLM', 'CAUSAL_LM'],
  ['LMHeadModel', 'CAUSAL_LM'],
  ['ForMaskedLM', 'CAUSAL_LM'],
  ['ForConditionalGeneration', 'SEQ_2_SEQ_LM'],
  ['ForSequenceClassification', 'SEQ_CLS'],
  ['ForTokenClassification', 'TOKEN_CLS'],
  ['ForQuestionAnswering', 'QUESTION_ANS'],
  ['ForImageClassification', 'IMAGE_CLASSIFICATION'],
];

/** The task a transformers class name stands for: "BertForSequenceClassification" → SEQ_CLS, "ViTModel" → FEATURE_EXTRACTION. */
export function taskOfClassName(name: string): TaskType | undefined {
  for (const [suffix, task] of CLASS_SUFFIXES) if (name.endsWith(suffix)) return task;
  // The bare model ("BertModel"), not a head class ("GPT2DoubleHeadsModel") nor a task class ("BertForPreTraining").
  return /^[A-Za-z0-9]+Model$/.test(name) && !name.includes('For') && !name.includes('Head') ? 'FEATURE_EXTRACTION' : undefined;
}

const isTaskType = (v: unknown): v is TaskType => typeof v === 'string' && (TASK_TYPES as readonly string[]).includes(v);

/** Each adapter's own task_type (null / absent skipped), with its field path. */
function adapterTaskTypes(peft: PeftInput | undefined): Array<{ path: string; task: TaskType }> {
  if (peft === undefined) return [];
  const list = Array.isArray(peft) ? peft : [peft];
  const found: Array<{ path: string; task: TaskType }> = [];
  list.forEach((config, i) => {
    const path = Array.isArray(peft) ? `body.peft.${i}.task_type` : 'body.peft.task_type';
    const value = (config as Record<string, unknown>).task_type;
    if (value === undefined || value === null) return;
    if (!isTaskType(value)) {
      const message = `must be one of ${TASK_TYPES.join(', ')} (or null), got ${shownValue(value)}`;
      throw unprocessable(`${path} ${message}`, [{ path, message }]);
    }
    found.push({ path, task: value });
  });
  return found;
}

function conflict(a: { path: string; task: TaskType }, b: { path: string; task: TaskType }): never {
  const errors: FieldIssue[] = [
    { path: a.path, message: `${a.task} conflicts with ${b.path} = ${b.task}` },
    { path: b.path, message: `${b.task} conflicts with ${a.path} = ${a.task}` },
  ];
  throw unprocessable(`${a.path} (${a.task}) and ${b.path} (${b.task}) disagree; give one task_type, or make them equal`, errors);
}

/** A task the request or the adapter names must be one the family has a class for (422 naming that field). */
function requireClass(config: Record<string, unknown>, task: TaskType, path: string): void {
  const tasks = familyTasks(config.model_type);
  if (tasks === undefined || tasks.includes(task)) return; // an unknown model_type is refused by buildInventory
  const modelType = String(config.model_type);
  const from = path === 'body.task_type' ? '' : ` (from ${path})`;
  throw unprocessable(`task_type ${task}${from} has no transformers class for model_type "${modelType}"; use one of: ${tasks.join(', ')}`, [
    { path, message: `must be one of ${tasks.join(', ')} for model_type "${modelType}"` },
  ]);
}

/**
 * The task type a request is counted under, and which input decided it: the one rule /v1/parameters,
 * the estimates, sweeps and comparisons share: an explicit top-level task_type, else the adapter's,
 * else config.architectures[0]'s class, else the family default. An explicit task_type that disagrees with an adapter's, or two adapters that disagree, is a 422 naming both fields.
 */
export function resolveTaskType(config: Record<string, unknown>, request: { task_type?: TaskType; peft?: PeftInput }): ResolvedTaskType {
  const adapters = adapterTaskTypes(request.peft);
  for (const other of adapters.slice(1)) if (other.task !== adapters[0].task) conflict(adapters[0], other);
  if (request.task_type !== undefined) {
    const explicit = { path: 'body.task_type', task: request.task_type };
    if (adapters.length > 0 && adapters[0].task !== explicit.task) conflict(explicit, adapters[0]);
    requireClass(config, explicit.task, explicit.path);
    return { task_type: explicit.task, source: 'request', reason: `task_type ${explicit.task} from body.task_type` };
  }
  if (adapters.length > 0) {
    requireClass(config, adapters[0].task, adapters[0].path);
    return { task_type: adapters[0].task, source: 'adapter', reason: `task_type ${adapters[0].task} from ${adapters[0].path} (no top-level task_type)` };
  }
  const fallback = defaultTaskType(config);
  const architectures = config.architectures;
  const first = Array.isArray(architectures) && typeof architectures[0] === 'string' ? architectures[0] : undefined;
  if (first !== undefined) {
    const task = taskOfClassName(first);
    const tasks = familyTasks(config.model_type);
    if (task !== undefined && (tasks === undefined || tasks.includes(task))) {
      return { task_type: task, source: 'architectures', reason: `task_type ${task} from config.architectures[0] "${first}" (no top-level or adapter task_type)` };
    }
    const why = task === undefined ? 'names no task class this service counts' : `(${task}) is not a class this service builds for model_type "${String(config.model_type)}"`;
    return { task_type: fallback, source: 'family_default', reason: `task_type ${fallback}, the family default: config.architectures[0] "${first}" ${why}` };
  }
  return { task_type: fallback, source: 'family_default', reason: `task_type ${fallback}, the family default (no top-level task_type, adapter task_type or config.architectures)` };
}
