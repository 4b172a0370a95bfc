import { Error as ERROR_LEVEL, loader, logger, parse, resetSVGDefIds, View, Warn as WARN_LEVEL } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import { useSansSerifWidths } from './text-width.js';

useSansSerifWidths();

/** Charts carry their data inline: a spec that asks to load anything is refused, so rendering never touches the network or disk. */
const offline = loader();
offline.sanitize = async (uri: string) => {
  throw new Error(`chart rendering is offline; refused to load ${uri}`);
};

/** Vega-lite's warnings would go to the console; a server keeps them out of its output. */
const quiet = logger(ERROR_LEVEL, undefined, () => undefined);

async function renderOne(spec: TopLevelSpec): Promise<string> {
  const errors: unknown[] = [];
  const collect = logger(WARN_LEVEL, undefined, (_method, _level, input) => errors.push(...input));
  const view = new View(parse(compile(spec, { logger: quiet }).spec), { renderer: 'none', loader: offline, logger: collect });
  try {
    // Vega numbers clip paths from a process-wide counter: from 1 for every document, so a spec always gives the same bytes.
    resetSVGDefIds();
    const svg = await view.toSVG();
    if (errors.length > 0) throw new Error(`chart rendering failed: ${errors.map(String).join('; ')}`);
    return svg;
  } finally {
    view.finalize();
  }
}

/** The render in progress; the next waits for it (rendering is CPU-bound on this thread anyway, and the counter above is shared). */
let previous: Promise<unknown> = Promise.resolve();

/**
 * A vega-lite spec as a standalone SVG document, rendered headless (no canvas, no DOM). Rejects when
 * vega warns or errs while running it: a failed load, say, is only a warning there and would
 * otherwise give an empty chart. Renders run one at a time.
 */
export function renderSvg(spec: TopLevelSpec): Promise<string> {
  const rendered = previous.then(() => renderOne(spec));
  previous = rendered.catch(() => undefined);
  return rendered;
}
