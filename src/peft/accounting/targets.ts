import { unprocessable } from '../../errors.js';
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
}

/** A quantified group that itself holds a quantifier, e.g. (a+)+ : exponential backtracking on a miss. */
const NESTED_QUANTIFIER = /\((?:[^()\\]|\\.)*[*+}](?:[^()\\]|\\.)*\)[*+{]/;

/** Compiles a user pattern; one JS cannot compile, or one that could backtrack exponentially, is a 422 on `path`. */
export function compileUserRegex(source: string, path: string): RegExp {
  if (NESTED_QUANTIFIER.test(source)) {
    throw unprocessable(`${path}: nested quantifiers such as (a+)+ are refused (they can backtrack exponentially)`, [
      { path, message: 'nested quantifiers are not supported' },
    ]);
  }
  try {
    return new RegExp(source);
  } catch (e) {
    throw unprocessable(`${path} is not a valid regular expression: ${(e as Error).message}`, [{ path, message: 'invalid regular expression' }]);
  }
}

/** A Python regex compiled for re.fullmatch; a pattern JS cannot compile is a 422 on `path`. */
export function fullMatcher(pattern: string, path: string): RegExp {
  if (NESTED_QUANTIFIER.test(pattern)) return compileUserRegex(pattern, path);
  try {
    return new RegExp(`^(?:${pattern})$`);
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
  const list = Array.isArray(spec.target_modules) ? spec.target_modules : undefined;
  const exact = list ? new Set(list) : undefined;
  const listMatch = list ? makeSuffixMatcher(list) : undefined;
  const excludeRegex = typeof spec.exclude_modules === 'string' ? fullMatcher(spec.exclude_modules, `${fields.path}.exclude_modules`) : undefined;
  const excludeMatch = Array.isArray(spec.exclude_modules) ? makeSuffixMatcher(spec.exclude_modules) : undefined;
  const layers = spec.layers_to_transform;
  const usesLayers = layers !== undefined && (Array.isArray(layers) ? layers.length > 0 : true);
  const layerRegexes = layerIndexPatterns(spec.layers_pattern, fields);

  const withContainers = !spec.leaf_only && (regex !== undefined || list!.some((e) => containerMayEndWith(inv, e)));
  const candidates: readonly MatchedModule[] = withContainers
    ? (() => {
        const { names, leafIndex } = moduleNames(inv);
        return names.map((name) => ({ name, row: leafIndex.get(name) }));
      })()
    : leafCandidates(inv);

  const out: MatchedModule[] = [];
  for (const candidate of candidates) {
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

/** PEFT's layer-index regexes: greedy, so the last ".<name>.<digits>." in the key wins (as in Python's re.match). */
function layerIndexPatterns(pattern: string | string[] | undefined, fields: PeftFields): RegExp[] {
  const patterns = pattern === undefined ? [] : Array.isArray(pattern) ? pattern : [pattern];
  if (patterns.length === 0 || patterns.every((p) => p.length === 0)) return [/^.*\.[^.]*\.(\d+)\./];
  return patterns.map((p) => compileUserRegex(`^.*\\.${p}\\.(\\d+)\\.`, `${fields.path}.layers_pattern`));
}

/** Python's repr of the target set in PEFT's "not found" message ({'a', 'b'}; a regex string as-is). */
export function pythonTargetsRepr(targets: string[] | string): string {
  return typeof targets === 'string' ? targets : `{${targets.map((t) => `'${t}'`).join(', ')}}`;
}

/** PEFT's error when no module matched. */
export function targetsNotFound(fields: PeftFields, spec: TargetSpec): never {
  let message = `Target modules ${pythonTargetsRepr(spec.target_modules)} not found in the base model. Please check the target modules and try again.`;
  if (spec.layers_to_transform !== undefined) message += ` Note: You specified 'layers_to_transform': ${JSON.stringify(spec.layers_to_transform)}.`;
  if (spec.layers_pattern !== undefined) message += ` You also specified 'layers_pattern': ${JSON.stringify(spec.layers_pattern)}.`;
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
