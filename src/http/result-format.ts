import type { FastifyRequest } from 'fastify';
import { RESULT_FORMATS } from '../schemas/sweeps.js';

export type ResultFormat = (typeof RESULT_FORMATS)[number];

/** Media type per format, as the routes declare their 200 content. */
export const FORMAT_MEDIA_TYPES: Record<ResultFormat, string> = { json: 'application/json', csv: 'text/csv' };

/** The body's `format` if given, else the first Accept entry naming one of ours, else json. */
export function resultFormat(request: FastifyRequest, requested: ResultFormat | undefined): ResultFormat {
  if (requested) return requested;
  const accepted = (request.headers.accept ?? '').split(',').map((entry) => entry.split(';')[0].trim().toLowerCase());
  const byType = Object.entries(FORMAT_MEDIA_TYPES).map(([format, type]) => ({ format: format as ResultFormat, at: accepted.indexOf(type) }));
  const first = byType.filter((f) => f.at >= 0).sort((a, b) => a.at - b.at)[0];
  return first?.format ?? 'json';
}
