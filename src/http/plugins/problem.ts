import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { DomainError, type FieldIssue } from '../../errors.js';
import { unionLeaves } from '../../schemas/issues.js';
import type { Problem } from '../../schemas/problem.js';
import { NotAcceptableError } from '../result-format.js';
import { RateLimitedError } from './rate-limit.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

const TYPE_BASE = 'urn:peft-lab:problem:';

const TITLES: Record<number, string> = {
  400: 'Invalid request',
  404: 'Not found',
  405: 'Method not allowed',
  406: 'Not acceptable',
  408: 'Request timeout',
  413: 'Payload too large',
  414: 'URI too long',
  415: 'Unsupported media type',
  422: 'Unprocessable request',
  429: 'Too many requests',
  431: 'Request header fields too large',
  500: 'Internal server error',
  503: 'Service unavailable',
};

const slug = (title: string) => title.toLowerCase().replace(/[^a-z0-9]+/g, '-');

/** A request, or at the socket level (no request yet) just an id. */
type ProblemSource = Pick<FastifyRequest, 'id'> & { url?: string };

export function problemBody(
  request: ProblemSource,
  status: number,
  detail: string,
  errors?: FieldIssue[],
  title = TITLES[status] ?? 'Error',
  extra: Record<string, unknown> = {},
): Problem {
  return {
    type: TYPE_BASE + slug(title),
    title,
    status,
    detail,
    ...(request.url !== undefined ? { instance: request.url.split('?')[0] } : {}),
    request_id: request.id,
    ...(errors && errors.length > 0 ? { errors } : {}),
    ...extra,
  };
}

export function sendProblem(reply: FastifyReply, body: Problem): FastifyReply {
  return reply.code(body.status).type(PROBLEM_CONTENT_TYPE).send(body);
}

/** "/lora_A/shape/0" from the validator, with its request part, → "body.lora_A.shape.0". */
function fieldPath(part: string | undefined, instancePath: string): string {
  const rest = instancePath.split('/').filter(Boolean).join('.');
  return [part ?? 'body', rest].filter(Boolean).join('.');
}

/** Fastify's own 4xx errors (parsers, limits) and what to tell the client about each. */
function clientErrorDetail(error: FastifyError): string {
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return 'The request body is larger than the configured limit (BODY_LIMIT_BYTES).';
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return `Unsupported content type; send application/json. ${error.message}`;
    default:
      return error.message;
  }
}

/**
 * Fastify's `frameworkErrors`: what its router refuses before any hook runs (a path parameter over
 * maxParamLength, a URL that does not decode) leaves as problem+json too, naming the URL.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply): void {
  const status = error.code === 'FST_ERR_MAX_PARAM_LENGTH' ? 414 : 400;
  const message = status === 414 ? 'a path parameter is longer than the router accepts' : 'does not decode to a valid URL';
  // No hook runs for these (helmet's neither): the request id and the headers that matter for a JSON error, by hand.
  reply.header('x-request-id', request.id).header('x-content-type-options', 'nosniff').header('content-security-policy', "default-src 'none'");
  sendProblem(reply, problemBody(request, status, `The URL is refused: ${message}.`, [{ path: 'url', message }]));
}

/** Every error leaves as RFC 9457 problem+json; nothing unexpected leaks its message or stack. */
export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler<FastifyError>((error, request, reply) => {
    if (hasZodFastifySchemaValidationErrors(error)) {
      // One entry per bad field: a field that breaks several rules gets its reasons joined.
      const byPath = new Map<string, string[]>();
      for (const v of error.validation) {
        for (const leaf of unionLeaves(v.instancePath.split('/').filter(Boolean), v.keyword, v.message, v.params)) {
          const path = fieldPath(error.validationContext, leaf.path.join('/'));
          byPath.set(path, [...(byPath.get(path) ?? []), leaf.message ?? 'is invalid']);
        }
      }
      const errors = [...byPath].map(([path, messages]) => ({ path, message: messages.join('; ') }));
      const detail = `${errors.length} invalid field${errors.length === 1 ? '' : 's'}: ${errors.map((e) => e.path).join(', ')}`;
      return sendProblem(reply, problemBody(request, 400, detail, errors));
    }
    if (error instanceof DomainError) {
      return sendProblem(reply, problemBody(request, error.status, error.message, error.errors, error.title, error.extra));
    }
    if (error instanceof RateLimitedError) return sendProblem(reply, problemBody(request, 429, error.message));
    if (error instanceof NotAcceptableError) return sendProblem(reply, problemBody(request, 406, error.message, [{ path: 'headers.accept', message: `names no format this route sends: ${error.accept}` }]));
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500 && !isResponseSerializationError(error)) {
      const detail = clientErrorDetail(error);
      const path = error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? 'headers.content-type' : 'body';
      return sendProblem(reply, problemBody(request, status, detail, [{ path, message: detail }]));
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(
      reply,
      problemBody(request, 500, `An unexpected error occurred. Quote request id ${request.id} when reporting it.`),
    );
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problemBody(request, 404, `No route ${request.method} ${request.url.split('?')[0]}. See /docs for the routes.`)),
  );
}
