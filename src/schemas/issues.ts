/** Reading zod's validation issues: the request validator's (src/http/plugins/problem.ts) and the sweeps' per-point checks. */

interface UnionIssue {
  code?: string;
  path?: PropertyKey[];
  message?: string;
  errors?: UnionIssue[][];
}

/**
 * A zod "invalid_union" issue says only "Invalid input" at the union (body.peft for an adapter
 * object-or-array). Name the field instead: descend into the branch whose type matched (the one
 * without a type mismatch at the union itself, fewest issues first), recursively.
 */
export function unionLeaves(path: string[], code: string | undefined, message: string | undefined, params: unknown): Array<{ path: string[]; message?: string }> {
  const branches = code === 'invalid_union' ? (params as { errors?: UnionIssue[][] } | undefined)?.errors : undefined;
  if (!Array.isArray(branches)) return [{ path, message }];
  const candidates = branches
    .filter((issues) => issues.length > 0 && !issues.some((i) => i.code === 'invalid_type' && (i.path?.length ?? 0) === 0))
    .sort((a, b) => a.length - b.length);
  if (candidates.length === 0) return [{ path, message }];
  return candidates[0].flatMap((i) => unionLeaves([...path, ...(i.path ?? []).map(String)], i.code, i.message, i));
}


/** A ZodError's issues as {path, message} fields, a union's named at the branch that matched; paths are dotted, without "body". */
export function zodFieldIssues(error: { issues: ReadonlyArray<{ path: PropertyKey[]; code: string; message: string }> }): Array<{ path: string; message: string }> {
  return error.issues.flatMap((issue) =>
    unionLeaves(issue.path.map(String), issue.code, issue.message, issue).map((leaf) => ({ path: leaf.path.join('.'), message: leaf.message ?? 'is invalid' })),
  );
}
