/** The worker-thread side of SVG charts: vega renders a spec (tens of milliseconds at the cap) off the event loop. */
import type { TopLevelSpec } from 'vega-lite';
import { renderSvg } from '../peft/charts/render.js';

export default function renderChartTask(spec: TopLevelSpec): Promise<string> {
  return renderSvg(spec);
}
