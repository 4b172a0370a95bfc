import type { TopLevelSpec } from 'vega-lite';
import { taskFile, WorkerPool } from './worker-pool.js';

/**
 * What one SVG render is priced at for admission: the largest chart a request may ask for (a sweep chart
 * of MAX_SVG_MARKS marks in two panels) rendered in 61 ms on a quiet machine here (`npm run bench
 * charts`), with room for load. Smaller charts cost less, so the price errs toward refusing early,
 * never toward queueing too long.
 */
export const CHART_RENDER_MS = 100;

/**
 * The chart thread's old generation, in MB. Unbounded, V8 let the thread's garbage grow to 550 MiB under
 * a stream of SVG requests (+400 MiB of RSS over rendering on the event loop); bounded at 256 or 512 MB,
 * +150 MiB. Three renders at the cap in a row ran within 160 MB and not within 96, so 512 leaves them
 * three times the room. A thread that did run out would stop the process (piscina's 'error' event), as
 * the event loop's own heap running out would.
 */
export const CHART_HEAP_MB = 512;

/**
 * SVG charts rendered off the event loop, on one thread (the other core stays with the event loop and
 * the forward passes), started on the first chart. Renders queue while the queue stays within
 * MAX_QUEUE_WAIT_MS at CHART_RENDER_MS each; past that, 503 with Retry-After.
 */
export class ChartPool {
  private readonly pool: WorkerPool;

  constructor(maxWaitMs: number) {
    this.pool = new WorkerPool({ filename: taskFile('chart-task'), size: 1, maxWaitMs, task: 'chart', resourceLimits: { maxOldGenerationSizeMb: CHART_HEAP_MB } });
  }

  /** The spec as a standalone SVG document, byte for byte what renderSvg gives on this thread. */
  async render(spec: TopLevelSpec): Promise<string> {
    return (await this.pool.run(spec, CHART_RENDER_MS)) as string;
  }

  get started(): boolean {
    return this.pool.started;
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}
