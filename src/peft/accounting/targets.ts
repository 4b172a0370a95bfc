import { overBudget, unprocessable, shownValue } from '../../errors.js';
import type { ModelInventory } from '../architectures/types.js';
import type { PeftFields } from './peft-fields.js';
import { containerMayEndWith, leafCandidates, moduleNames } from './state.js';

/** What PEFT's check_target_module_exists reads from a config. */
export interface TargetSpec {
  target_modules: string[] | string;
  layers_to_transform?: number | number[];
  layers_pattern?: string | string[];
  exclude_modules?: string[] | string;
  /** The list holds full names of Linear modules ("all-linear"): no container can match. */
  leaf_only?: boolean;
  /** With leaf_only: the inventory rows of those names, in order (lets matching skip name lookups). */
  leaf_rows?: readonly number[];
}

/** Most unbounded quantifiers (*, +, {n,m}) a user pattern may hold: each one multiplies backtracking by the name length. */
export const MAX_UNBOUNDED_QUANTIFIERS = 3;
/** Most quantifiers of any kind (? included: k optional items can try 2^k ways). */
export const MAX_QUANTIFIERS = 8;

/**
 * Why a pattern could backtrack catastrophically on a module name, or undefined when it cannot:
 * a repeated group holding a quantifier ((a+)+) or an alternation ((a|a)*), or more quantifiers than
 * the caps above (.*.*.*.*x is polynomial of that degree). Reads escapes and [classes] as literals.
 */
export function regexCostProblem(source: string): string | undefined {
  interface Group {
    risky: boolean;
  }
  const stack: Group[] = [{ risky: false }];
  let unbounded = 0;
  let total = 0;
  let lastGroupRisky: boolean | undefined; // the group just closed, if the next token may quantify it
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    const top = stack[stack.length - 1];
    let quantifier: 'unbounded' | 'bounded' | undefined;
    if (c === '\\') {
      i++;
    } else if (c === '[') {
      for (i++; i < source.length && source[i] !== ']'; i++) if (source[i] === '\\') i++;
    } else if (c === '(') {
      stack.push({ risky: false });
      if (source[i + 1] === '?') i++; // (?:, (?=, (?! ... : group syntax, not a quantifier
      lastGroupRisky = undefined;
      continue;
    } else if (c === ')') {
      const closed = stack.length > 1 ? stack.pop()! : { risky: false };
      stack[stack.length - 1].risky ||= closed.risky;
      lastGroupRisky = closed.risky;
      continue;
    } else if (c === '|') {
      top.risky = true;
    } else if (c === '*' || c === '+') {
      quantifier = 'unbounded';
    } else if (c === '?') {
      quantifier = 'bounded';
    } else if (c === '{') {
      const m = /^\{(\d*)(,?)(\d*)\}/.exec(source.slice(i));
      if (m) {
        i += m[0].length - 1;
        quantifier = m[2] === ',' && m[3] !== m[1] ? 'unbounded' : 'bounded';
      }
    }
    if (quantifier) {
      if (lastGroupRisky && quantifier === 'unbounded') return 'a repeated group holds a quantifier or an alternation, e.g. (a+)+ or (a|a)*';
      total++;
      if (quantifier === 'unbounded') unbounded++;
      top.risky = true;
      if (source[i + 1] === '?' || source[i + 1] === '+') i++; // lazy / possessive modifier
    }
    lastGroupRisky = undefined;
  }
  if (unbounded > MAX_UNBOUNDED_QUANTIFIERS) return `more than ${MAX_UNBOUNDED_QUANTIFIERS} unbounded quantifiers (*, +, {n,m})`;
  if (total > MAX_QUANTIFIERS) return `more than ${MAX_QUANTIFIERS} quantifiers`;
  return undefined;
}

/**
 * Longest pattern accepted. V8 compiles a regex lazily, so one too large for it (a megabyte of text,
 * found by the fuzzer) only fails at its first test(), deep in matching: refuse it here instead.
 */
export const MAX_PATTERN_CHARS = 10_000;

/** Compiles a user pattern; one JS cannot compile, or one that could backtrack catastrophically, is a 422 on `path`. */
export function compileUserRegex(source: string, path: string): RegExp {
  if (source.length > MAX_PATTERN_CHARS) {
    throw unprocessable(`${path}: a pattern of ${source.length} characters is refused (at most ${MAX_PATTERN_CHARS})`, [
      { path, message: `pattern longer than ${MAX_PATTERN_CHARS} characters` },
    ]);
  }
  const problem = regexCostProblem(source);
  if (problem) {
    throw unprocessable(`${path}: this pattern is refused because it could backtrack catastrophically: ${problem}`, [
      { path, message: `pattern too costly to match: ${problem}` },
    ]);
  }
  try {
    return new RegExp(source);
  } catch (e) {
    throw unprocessable(`${path} is not a valid regular expression: ${(e as Error).message}`, [{ path, message: 'invalid regular expression' }]);
  }
}

/** A Python regex compiled for re.fullmatch; a pattern JS cannot compile (or too costly) is a 422 on `path`. */
export function fullMatcher(pattern: string, path: string): RegExp {
  compileUserRegex(pattern, path);
  try {
    return new RegExp(`^(?:${pattern})$`);
  } catch (e) {
    throw unprocessable(`${path} is not a valid regular expression: ${(e as Error).message}`, [{ path, message: 'invalid regular expression' }]);
  }
}

/** PEFT's get_pattern_key test for a rank_pattern / alpha_pattern key: re.match(rf"(.*\\.)?({key})$", name). */
export function patternKeyMatcher(key: string, path: string): RegExp {
  compileUserRegex(key, path);
  try {
    return new RegExp(`^(?:.*\\.)?(?:${key})$`);
  } catch (e) {
    throw unprocessable(`${path} is not a valid regular expression: ${(e as Error).message}`, [{ path, message: 'invalid regular expression' }]);
  }
}

/** PEFT's list rule: the key equals an entry or ends with "." + entry. */
function makeSuffixMatcher(entries: readonly string[]): (key: string) => boolean {
  if (entries.length > 8) {
    // Long lists ("all-linear" expands to every Linear's full name): look up each dotted suffix.
    const set = new Set(entries);
    return (key) => {
      if (set.has(key)) return true;
      for (let dot = key.indexOf('.'); dot !== -1; dot = key.indexOf('.', dot + 1)) if (set.has(key.slice(dot + 1))) return true;
      return false;
    };
  }
  return (key) => {
    for (const e of entries) {
      if (key === e) return true;
      if (key.length > e.length && key.endsWith(e) && key.charCodeAt(key.length - e.length - 1) === 46) return true;
    }
    return false;
  };
}

/** Wall-clock budget for matching one adapter's targets against the inventory. */
export const MATCH_BUDGET_MS = 1000;

function matchOverBudget(fields: PeftFields, usesRegex: boolean): never {
  const path = `${fields.path}.target_modules`;
  throw overBudget(`matching ${usesRegex ? 'this target_modules pattern' : 'these targets'} against the model took over ${MATCH_BUDGET_MS} ms; use a simpler pattern or a list`, [
    { path, message: 'too costly to match against this model' },
  ]);
}

/** PEFT's MIN_TARGET_MODULES_FOR_OPTIMIZATION (utils/constants.py). */
export const MIN_TARGET_MODULES_FOR_OPTIMIZATION = 20;

/** Dotted suffixes of a name, shortest first: "a.b.c" → ["c", "b.c", "a.b.c"]. */
function dottedSuffixes(name: string): string[] {
  const parts = name.split('.');
  const out: string[] = [];
  for (let i = parts.length - 1; i >= 0; i--) out.push(parts.slice(i).join('.'));
  return out;
}

/**
 * PEFT's _find_minimal_target_modules over this inventory (tuners_utils.py): the shortest suffixes
 * that cover every target and end no other module name (the root "" and containers included).
 */
export function condensedTargets(inv: ModelInventory, targets: readonly string[]): string[] {
  const unique = [...new Set(targets)];
  const targetSet = new Set(unique);
  const dotted = unique.map((t) => `.${t}`);
  const otherSuffixes = new Set<string>(['']);
  for (const name of moduleNames(inv).names) {
    if (targetSet.has(name) || dotted.some((d) => name.endsWith(d))) continue;
    for (const suffix of dottedSuffixes(name)) otherSuffixes.add(suffix);
  }
  const compare = (a: string[], b: string[]) => {
    for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    return a.length - b.length;
  };
  const entries = unique.map((item) => ({ item, suffixes: dottedSuffixes(item) })).sort((a, b) => compare(a.suffixes, b.suffixes));
  const required: string[] = [];
  const requiredSet = new Set<string>();
  for (const { item, suffixes } of entries) {
    for (const suffix of suffixes) {
      if (requiredSet.has(suffix) || otherSuffixes.has(suffix)) continue;
      if (!required.some((r) => item.endsWith(`.${r}`))) {
        required.push(suffix);
        requiredSet.add(suffix);
        break;
      }
    }
  }
  return required.length > 0 ? required : unique;
}

/** A matched module: its full name and, for a module owning parameters, its inventory index. */
export interface MatchedModule {
  name: string;
  row: number | undefined;
}

/**
 * Modules (containers included, in named_modules() order) that PEFT's check_target_module_exists
 * accepts: a list entry equal to the name or a dotted suffix of it (then layers_to_transform filters by
 * the block index), or a string regex matching the whole name. `skip` names are never targeted.
 * Container names are only built when a regex or a list entry could match one.
 */
export function matchTargets(inv: ModelInventory, spec: TargetSpec, fields: PeftFields, skip: (name: string) => boolean): MatchedModule[] {
  const regex = typeof spec.target_modules === 'string' ? fullMatcher(spec.target_modules, `${fields.path}.target_modules`) : undefined;
  const layers = spec.layers_to_transform;
  const usesLayers = layers !== undefined && (Array.isArray(layers) ? layers.length > 0 : true);
  let list = Array.isArray(spec.target_modules) ? spec.target_modules : undefined;
  // PEFT condenses lists of 20+ entries (all-linear's full names included) to minimal suffixes before
  // matching; this only changes the result through layers_to_transform, which exact names bypass.
  if (list && usesLayers && list.length >= MIN_TARGET_MODULES_FOR_OPTIMIZATION) list = condensedTargets(inv, list);
  const exact = list ? new Set(list) : undefined;
  const listMatch = list ? makeSuffixMatcher(list) : undefined;
  const excludeRegex = typeof spec.exclude_modules === 'string' ? fullMatcher(spec.exclude_modules, `${fields.path}.exclude_modules`) : undefined;
  const excludeMatch = Array.isArray(spec.exclude_modules) ? makeSuffixMatcher(spec.exclude_modules) : undefined;
  const layerRegexes = layerIndexPatterns(spec.layers_pattern, fields);
  if (spec.leaf_rows && !usesLayers && spec.exclude_modules === undefined) {
    // all-linear: each full name matches itself; a module name never ends with ".<another full name>"
    // because every name in an inventory starts at the same root.
    const out: MatchedModule[] = [];
    for (const row of spec.leaf_rows) {
      const name = inv.modules[row].name;
      if (!skip(name)) out.push({ name, row });
    }
    return out;
  }

  const withContainers = !spec.leaf_only && (regex !== undefined || list!.some((e) => containerMayEndWith(inv, e)));
  const candidates: readonly MatchedModule[] = withContainers
    ? (() => {
        const { names, leafIndex } = moduleNames(inv);
        return names.map((name) => ({ name, row: leafIndex.get(name) }));
      })()
    : leafCandidates(inv);

  const out: MatchedModule[] = [];
  const started = performance.now();
  for (let i = 0; i < candidates.length; i++) {
    // The pattern caps bound each name's cost; this bounds a huge inventory times a slow pattern.
    if ((i & 255) === 255 && performance.now() - started > MATCH_BUDGET_MS) matchOverBudget(fields, regex !== undefined);
    const candidate = candidates[i];
    const key = candidate.name;
    if (skip(key)) continue;
    if (excludeRegex ? excludeRegex.test(key) : excludeMatch ? excludeMatch(key) : false) continue;
    let found: boolean;
    if (regex) found = regex.test(key);
    else {
      found = listMatch!(key);
      // An exact name bypasses layers_to_transform, as in PEFT.
      if (found && usesLayers && !exact!.has(key)) {
        let index: number | undefined;
        for (const re of layerRegexes) {
          const m = re.exec(key);
          if (m) {
            index = Number(m[1]);
            break;
          }
        }
        found = index !== undefined && (Array.isArray(layers) ? layers.includes(index) : layers === index);
      }
    }
    if (found) out.push(candidate);
  }
  return out;
}

/**
 * PEFT's layer-index regexes. Lazy, so the first ".<name>.<digits>." in the key is the layer (PEFT
 * #3318: the greedy form took the expert index of MoE names and the sublayer index of T5 names).
 */
function layerIndexPatterns(pattern: string | string[] | undefined, fields: PeftFields): RegExp[] {
  const patterns = pattern === undefined ? [] : Array.isArray(pattern) ? pattern : [pattern];
  if (patterns.length === 0 || patterns.every((p) => p.length === 0)) return [/^.*?\.[^.]*\.(\d+)\./];
  const path = `${fields.path}.layers_pattern`;
  return patterns.map((p) => {
    compileUserRegex(p, path);
    return compileUserRegex(`^.*?\\.(?:${p})\\.(\\d+)\\.`, path);
  });
}

/** Python's repr of the target set in PEFT's "not found" message ({'a', 'b'}; a regex string as-is). */
export function pythonTargetsRepr(targets: string[] | string): string {
  return typeof targets === 'string' ? targets : `{${targets.map((t) => `'${t}'`).join(', ')}}`;
}

/** PEFT's error when no module matched. */
export function targetsNotFound(fields: PeftFields, spec: TargetSpec, notes: readonly string[] = []): never {
  let message = `Target modules ${pythonTargetsRepr(spec.target_modules)} not found in the base model. Please check the target modules and try again.`;
  for (const note of notes) message += ` Note: ${note}.`;
  if (spec.layers_to_transform !== undefined) message += ` Note: You specified 'layers_to_transform': ${shownValue(spec.layers_to_transform)}.`;
  if (spec.layers_pattern !== undefined) message += ` You also specified 'layers_pattern': ${shownValue(spec.layers_pattern)}.`;
  throw unprocessable(message, [{ path: `${fields.path}.target_modules`, message }]);
}

/** List entries that matched no module although others did (PEFT proceeds silently; we say so). */
export function unmatchedEntries(targets: string[] | string, matched: readonly MatchedModule[]): string[] {
  if (typeof targets === 'string') return [];
  if (targets.length <= 8) return targets.filter((t) => !matched.some(({ name }) => name === t || name.endsWith(`.${t}`)));
  // Long lists: each matched name and its dotted suffixes, once: linear in names instead of entries × names.
  const seen = new Set<string>();
  for (const { name } of matched) {
    seen.add(name);
    for (let dot = name.indexOf('.'); dot !== -1; dot = name.indexOf('.', dot + 1)) seen.add(name.slice(dot + 1));
  }
  return targets.filter((t) => !seen.has(t));
}
