/** The result of applying one or more PEFT configs over a ModelInventory. */

/** What a PEFT method attached to one base module (for FLOPs overheads and the per-module table). */
export interface AdapterAttachment {
  peft_type: string; // "LORA", "IA3", "BOTTLENECK", "LN_TUNING", "MODULES_TO_SAVE", ...
  adapter_name: string;
  /** Parameters this attachment adds. */
  params: number;
  /** LoRA: the rank used on this module, its in/out features and whether DoRA is on. */
  r?: number;
  in_features?: number;
  out_features?: number;
  use_dora?: boolean;
}

export interface ModuleRow {
  name: string;
  kind: string;
  role: string;
  /** Base parameters this module owns (tied parameters counted once, on their owner). */
  base_params: number;
  /** Parameters PEFT added to or beside this module. */
  added_params: number;
  /** Of base + added, how many require grad. */
  trainable_params: number;
  attachments: AdapterAttachment[];
}

export interface AccountingResult {
  trainable_params: number;
  all_params: number;
  /** 100 * trainable / all (unrounded). */
  trainable_percent: number;
  /** PEFT's print_trainable_parameters() line, exactly. */
  printed: string;
  base_params: number;
  added_params: number;
  /** Per-module table, always computed; the route returns it only with detail: "modules". */
  modules: ModuleRow[];
  /** Prompt-side additions that belong to no base module (prefix / prompt / p-tuning encoders). */
  virtual_tokens: number;
  /** Parameters in the saved adapter checkpoint (prompt methods save their output embeddings, not their encoders). */
  checkpoint_params?: number;
  /** One entry per stacked adapter. */
  adapters?: AdapterSummary[];
  /** Non-fatal findings, e.g. list entries of target_modules that matched nothing while others did. */
  warnings?: string[];
}

export interface AdapterSummary {
  adapter_name: string;
  peft_type: string;
  /** Parameters this adapter added (its own weights and its modules_to_save copies). */
  added_params: number;
  /** Base parameters it made trainable in place (bias="all"/"lora_only", AdapterHub heads). */
  base_params_made_trainable: number;
  checkpoint_params: number;
  /** Base modules it adapted (LoRA / IA3 targets, LN-tuning copies, bottleneck anchors). */
  adapted_modules: number;
}
