/**
 * A preload for `npm run load` (LOAD_MEMORY_TRACE=<file>): every thread of the service (the event loop
 * and each pool worker, which inherit the --import) appends one JSON line a second with its V8 heap,
 * the process's external/array-buffer bytes and RSS, and its draw cache, so that RSS growth can be
 * split into heap, external, cache and native (ONNX Runtime, thread stacks) parts.
 */
import { appendFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { threadId } from 'node:worker_threads';

const file = process.env.MEMORY_TRACE_FILE;
if (file) {
  const drawCacheModule = new URL('../../dist/peft/forward/draw-cache.js', import.meta.url).href;
  const cache = import(drawCacheModule).then((m) => m.drawCache).catch(() => undefined);
  const start = Date.now();
  const timer = setInterval(async () => {
    const heap = getHeapStatistics();
    const usage = process.memoryUsage();
    const drawCache = await cache;
    const line = {
      t_ms: Date.now() - start,
      thread: threadId,
      rss: usage.rss,
      heap_used: heap.used_heap_size,
      heap_total: heap.total_heap_size,
      external: usage.external,
      array_buffers: usage.arrayBuffers,
      malloced: heap.malloced_memory,
      draw_cache_bytes: drawCache?.heldBytes ?? null,
      draw_cache_entries: drawCache?.size ?? null,
    };
    appendFileSync(file, `${JSON.stringify(line)}\n`);
  }, 1000);
  timer.unref();
}
