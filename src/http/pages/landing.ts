/**
 * GET /'s page: plain HTML, no script (helmet's CSP blocks inline scripts and the page needs none),
 * one inline stylesheet (the CSP allows inline styles for Swagger UI), figures as <img> of the SVG routes or inline SVG.
 */
import { OPENAPI_INFO } from '../../openapi-info.js';

/** A figure: an image of an SVG route (linked, so it opens on its own) or an SVG document drawn into the page. */
export type LandingFigure = {
  caption: string;
  /** The POST that draws it, shown as a curl command. */
  request?: { path: string; body: object };
} & ({ src: string; alt: string } | { svg: string });

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `
body { font: 16px/1.5 system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }
code { background: #f2f2f2; padding: 0 .25rem; border-radius: 3px; }
figure { margin: 2rem 0; }
figure img, figure svg { max-width: 100%; height: auto; border: 1px solid #ddd; }
pre { background: #f6f6f6; padding: .5rem; overflow-x: auto; }
figcaption { color: #555; font-size: .9rem; }
nav a { margin-right: 1.5rem; }`;

const curl = (request: NonNullable<LandingFigure['request']>) =>
  `curl -s localhost:3000${request.path} -H 'content-type: application/json' \\\n  -d '${JSON.stringify(request.body)}' > chart.svg`;

function figureHtml(f: LandingFigure): string {
  const picture = 'svg' in f ? f.svg : `<a href="${escapeHtml(f.src)}"><img src="${escapeHtml(f.src)}" alt="${escapeHtml(f.alt)}"></a>`;
  const request = f.request ? `\n  <details><summary>Draw it yourself</summary><pre><code>${escapeHtml(curl(f.request))}</code></pre></details>` : '';
  return `<figure>
  ${picture}
  <figcaption>${escapeHtml(f.caption)}</figcaption>${request}
</figure>`;
}

/** The landing page around the given figures. */
export function landingPage(figures: LandingFigure[]): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(OPENAPI_INFO.title)}</title>
<style>${STYLE}</style>
</head>
<body>
<h1>${escapeHtml(OPENAPI_INFO.title)}</h1>
<p>A stateless REST/JSON service for the arithmetic of parameter-efficient fine-tuning: exact trainable-parameter
counts as Hugging Face PEFT's <code>print_trainable_parameters()</code> prints them, forward passes of LoRA,
bottleneck adapters, prefix and prompt tuning and IA3 over real tensors, and training and inference memory and
FLOPs estimates that name their convention.</p>
<p>Sweeps (<code>POST /v1/sweeps</code>: any of those over one or two axes) and method comparisons
(<code>POST /v1/compare</code>) answer in JSON, CSV, SVG or a vega-lite spec: set <code>"format"</code>, or send
<code>Accept: image/svg+xml</code>. The charts below are drawn that way, server-side, by vega.</p>
<nav><a href="/docs">API docs (Swagger UI)</a><a href="/openapi.json">OpenAPI 3.1 document</a></nav>
${figures.map(figureHtml).join('\n')}
</body>
</html>
`;
}
