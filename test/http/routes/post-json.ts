import type { FastifyInstance, LightMyRequestResponse } from 'fastify';

/** A poster for one route: fails the test unless the status is the expected one, and a 4xx must be problem+json. */
export function jsonPoster(app: FastifyInstance, url: string) {
  return async (payload: object, status: number, headers: Record<string, string> = {}): Promise<LightMyRequestResponse> => {
    const res = await app.inject({ method: 'POST', url, payload, headers });
    if (res.statusCode !== status) throw new Error(`expected ${status}, got ${res.statusCode}: ${res.body.slice(0, 600)}`);
    if (status >= 400 && !String(res.headers['content-type']).startsWith('application/problem+json')) throw new Error('a 4xx that is not problem+json');
    return res;
  };
}
