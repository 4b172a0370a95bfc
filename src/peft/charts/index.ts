/** Chart specs (vega-lite) built from sweep and comparison results, and their server-side SVG rendering. */
export { compareChartSpec, COMPARE_COLUMNS } from './compare-chart.js';
export { notebookFigureSpec, type NotebookFigureData } from './notebook-figure.js';
export { renderSvg } from './render.js';
export { checkSvgSize, MAX_SVG_MARKS, sweepChartSpec } from './sweep-chart.js';
