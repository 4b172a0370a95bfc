import type { FastifyInstance } from 'fastify';

export type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/**
 * POST a body (an object, or raw JSON text) to /v1/forward/<route> and return the parsed reply. Throws, failing
 * the test, unless the status is the expected one; a 4xx must also be application/problem+json.
 */
export async function postForward(app: FastifyInstance, route: string, payload: object | string, status = 200): Promise<Json> {
  const res = await app.inject({ method: 'POST', url: `/v1/forward/${route}`, payload, headers: { 'content-type': 'application/json' } });
  if (res.statusCode !== status) throw new Error(`${route}: expected ${status}, got ${res.statusCode}: ${res.body.slice(0, 500)}`);
  if (status >= 400 && !String(res.headers['content-type']).startsWith('application/problem+json')) throw new Error(`${route}: a ${status} that is not problem+json`);
  return res.json();
}
