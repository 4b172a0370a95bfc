import { z } from 'zod';

/** One bad field: where it is (dotted path from the request part, e.g. "body.lora_A.shape") and why. */
export const FieldIssueSchema = z.object({
  path: z.string(),
  message: z.string(),
});

/**
 * RFC 9457 problem details, the one error body of every route. Loose, so that a problem may carry
 * extra members (a budget and a cost, say) without the response serializer turning it into a 500.
 */
export const ProblemSchema = z
  .looseObject({
    type: z.string().describe('A URI naming the kind of problem.'),
    title: z.string(),
    status: z.number().int(),
    detail: z.string().optional(),
    instance: z.string().optional().describe('The request path.'),
    request_id: z.string().optional(),
    errors: z.array(FieldIssueSchema).optional().describe('One entry per offending field.'),
  })
  .meta({ id: 'Problem', description: 'RFC 9457 problem details (application/problem+json).' });

export type Problem = z.infer<typeof ProblemSchema>;

export type ProblemStatus = 400 | 404 | 406 | 413 | 415 | 422 | 503;

/** The response entries a route declares for its error statuses, all with the one shared Problem schema. */
export function problemResponses<S extends ProblemStatus>(...statuses: S[]): Record<S, typeof ProblemSchema> {
  return Object.fromEntries(statuses.map((s) => [s, ProblemSchema])) as Record<S, typeof ProblemSchema>;
}
