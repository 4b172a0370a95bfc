/**
 * The one format dispatch of the result routes (sweeps, compare): which format a request asks for
 * (its body's `format`, else its Accept header), how each format is declared in the OpenAPI document,
 * and how a result is sent in it. A route supplies its result, its CSV and its chart spec.
 */
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { TopLevelSpec } from 'vega-lite';
import type { z } from 'zod';
import { CsvDocumentSchema, SvgDocumentSchema, VegaLiteSpecSchema } from '../schemas/charts.js';
import { RESULT_FORMATS } from '../schemas/sweeps.js';
import type { ChartPool } from '../workers/chart-pool.js';

export type ResultFormat = (typeof RESULT_FORMATS)[number];

/** Media type per format, as the routes declare their 200 content and as Accept names them. */
export const FORMAT_MEDIA_TYPES = {
  json: 'application/json',
  csv: 'text/csv',
  svg: 'image/svg+xml',
  // Jupyter's media type for a vega-lite spec; its version follows vega-lite's major version, as the spec's $schema does.
  'vega-lite': 'application/vnd.vegalite.v6+json',
} as const satisfies Record<ResultFormat, string>;

/** A result route's declared 200 content: its JSON schema first (Swagger UI's default), then every other format. */
export function resultContent(json: z.ZodType) {
  return {
    [FORMAT_MEDIA_TYPES.json]: { schema: json },
    [FORMAT_MEDIA_TYPES.csv]: { schema: CsvDocumentSchema },
    [FORMAT_MEDIA_TYPES.svg]: { schema: SvgDocumentSchema },
    [FORMAT_MEDIA_TYPES['vega-lite']]: { schema: VegaLiteSpecSchema },
  };
}

/** 406: the Accept header names nothing a result route can send. The problem handler turns it into problem+json. */
export class NotAcceptableError extends Error {
  readonly statusCode = 406;
  constructor(readonly accept: string) {
    super(`Accept: ${accept} names no format this route sends; it sends ${Object.values(FORMAT_MEDIA_TYPES).join(', ')} (or set "format" in the body).`);
    this.name = 'NotAcceptableError';
  }
}

interface MediaRange {
  type: string;
  subtype: string;
  q: number;
  /** Position in the header, for ties. */
  at: number;
}

/** Accept's media ranges with their q-values (RFC 9110 §12.5.1); malformed entries are skipped. */
function mediaRanges(accept: string): MediaRange[] {
  return accept.split(',').flatMap((entry, at) => {
    const [range, ...params] = entry.split(';').map((part) => part.trim());
    const [type, subtype, extra] = range.toLowerCase().split('/');
    if (!type || !subtype || extra !== undefined) return [];
    const qParam = params.find((p) => /^q\s*=/i.test(p));
    const q = qParam === undefined ? 1 : Number(qParam.split('=')[1]);
    return Number.isFinite(q) && q >= 0 && q <= 1 ? [{ type, subtype, q, at }] : [];
  });
}

/** The most specific range that matches a media type decides its q (type/subtype over type/* over *\/*). */
function rangeFor(mediaType: string, ranges: MediaRange[]): MediaRange | undefined {
  const [type, subtype] = mediaType.split('/');
  const specificity = (r: MediaRange) => (r.type === type && r.subtype === subtype ? 2 : r.type === type && r.subtype === '*' ? 1 : r.type === '*' && r.subtype === '*' ? 0 : -1);
  return ranges.filter((r) => specificity(r) >= 0).sort((a, b) => specificity(b) - specificity(a))[0];
}

/**
 * The body's `format` if given; else the format Accept prefers (highest q, then the earliest range,
 * then json, csv, svg, vega-lite in that order, so that *\/* is json); json without an Accept header.
 * Throws NotAcceptableError when Accept allows none of them.
 */
export function resultFormat(request: FastifyRequest, requested: ResultFormat | undefined): ResultFormat {
  if (requested) return requested;
  const accept = request.headers.accept?.trim();
  if (!accept) return 'json';
  const ranges = mediaRanges(accept);
  const offers = RESULT_FORMATS.map((format, order) => ({ format, order, range: rangeFor(FORMAT_MEDIA_TYPES[format], ranges) }))
    .filter((o) => o.range !== undefined && o.range.q > 0)
    .sort((a, b) => b.range!.q - a.range!.q || a.range!.at - b.range!.at || a.order - b.order);
  if (offers.length === 0) throw new NotAcceptableError(accept);
  return offers[0].format;
}

/** How a route's result becomes each non-JSON format. */
export interface ResultRenderers<Result> {
  csv(result: Result): string;
  chart(result: Result): TopLevelSpec;
}

/** Sends the result in the chosen format (an SVG rendered on the chart thread); the answer varies with Accept, so caches are told. */
export async function sendResult<Result>(reply: FastifyReply, format: ResultFormat, result: Result, renderers: ResultRenderers<Result>, charts: ChartPool): Promise<FastifyReply> {
  reply.header('vary', 'Accept');
  const type = `${FORMAT_MEDIA_TYPES[format]}; charset=utf-8`;
  switch (format) {
    case 'json':
      return reply.type(type).send(result);
    case 'csv':
      return reply.type(type).send(renderers.csv(result));
    case 'svg':
      return reply.type(type).send(await charts.render(renderers.chart(result)));
    case 'vega-lite':
      // A string, so that the spec goes out as built rather than through a response schema.
      return reply.type(type).send(JSON.stringify(renderers.chart(result)));
  }
}
