/**
 * The figures the service draws from fixed requests (the seed notebook's, the landing page's rank
 * sweep): computed and rendered once per process on first use, then served from memory.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { notebookFigureSpec, renderSvg, sweepChartSpec } from '../peft/charts/index.js';
import { runSweepSync, type SweepRequest } from '../peft/sweeps/engine.js';
import { FIGURE_LIMITS, seedNotebookFigureData } from '../peft/sweeps/seed-notebook.js';
import { parametersTarget } from '../peft/sweeps/targets.js';

export interface StaticFigure {
  svg: string;
  /** Strong: a hash of the bytes, which a given version renders identically every time. */
  etag: string;
}

/** The first call's promise, kept; a failure is not kept, so the next request tries again. */
export function once<T>(make: () => Promise<T>): () => Promise<T> {
  let made: Promise<T> | undefined;
  return () =>
    (made ??= make().catch((error: unknown) => {
      made = undefined;
      throw error;
    }));
}

const withEtag = (svg: string): StaticFigure => ({ svg, etag: `"${createHash('sha256').update(svg).digest('base64url').slice(0, 32)}"` });

/** GET /v1/compare/seed-notebook.svg: the notebook's six panels from the comparison and two sweeps. */
export const seedNotebookFigure = once(async () => withEtag(await renderSvg(notebookFigureSpec(seedNotebookFigureData()))));

export const LANDING_SWEEP_MODEL = 'meta-llama/Llama-2-7b-hf';

/** The landing page's rank sweep, as POST /v1/sweeps runs it (this body with "format": "svg" draws the same chart). */
export const LANDING_SWEEP: SweepRequest & { target: 'parameters' } = {
  target: 'parameters',
  base: { model: { preset: LANDING_SWEEP_MODEL }, peft: { peft_type: 'LORA', r: 8, lora_alpha: 16, target_modules: ['q_proj', 'v_proj'] } },
  axes: [{ path: 'peft.r', from: 1, to: 256, steps: 9, scale: 'log' }],
  metrics: ['trainable_params', 'adapter_checkpoint_bytes.bf16'],
};

/** The landing page's rank-sweep chart, an SVG document to draw into the page. */
export const landingSweepSvg = once(async () => renderSvg(sweepChartSpec(runSweepSync(parametersTarget, LANDING_SWEEP, FIGURE_LIMITS))));

/** If-None-Match per RFC 9110 §13.1.2: `*` or any listed tag, compared weakly (a W/ prefix is ignored). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t.replace(/^W\//, '') === etag;
  });
}

/**
 * Sends a figure that changes only with the service's version: an hour's caching, then revalidation
 * by ETag (a 304 without the body when it still matches).
 */
export function sendFigure(request: FastifyRequest, reply: FastifyReply, figure: StaticFigure): FastifyReply {
  reply.header('etag', figure.etag).header('cache-control', 'public, max-age=3600');
  if (matches(request.headers['if-none-match'], figure.etag)) return reply.code(304).send();
  return reply.type('image/svg+xml; charset=utf-8').send(figure.svg);
}

/** Draws the fixed figures now: a first render holds the event loop for 0.1 to 0.6 s, better before the process takes traffic. */
export async function warmFigures(): Promise<void> {
  await Promise.all([seedNotebookFigure(), landingSweepSvg()]);
}
