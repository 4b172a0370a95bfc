/**
 * GET /'s page: plain HTML, no script (helmet's CSP blocks inline scripts and the page needs none),
 * one inline stylesheet (the CSP allows inline styles for Swagger UI), figures as <img> of the SVG routes.
 */
import { OPENAPI_INFO } from '../../openapi-info.js';

export interface LandingFigure {
  /** Where the SVG is served; the page links it too, so it opens on its own. */
  src: string;
  alt: string;
  caption: string;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

const STYLE = `
body { font: 16px/1.5 system-ui, sans-serif; max-width: 72rem; margin: 2rem auto; padding: 0 1rem; color: #1b1b1b; }
code { background: #f2f2f2; padding: 0 .25rem; border-radius: 3px; }
figure { margin: 2rem 0; }
figure img { max-width: 100%; height: auto; border: 1px solid #ddd; }
figcaption { color: #555; font-size: .9rem; }
nav a { margin-right: 1.5rem; }`;

/** The landing page around the given figures. */
export function landingPage(figures: LandingFigure[]): string {
  const figureHtml = figures
    .map(
      (f) => `<figure>
  <a href="${escapeHtml(f.src)}"><img src="${escapeHtml(f.src)}" alt="${escapeHtml(f.alt)}"></a>
  <figcaption>${escapeHtml(f.caption)}</figcaption>
</figure>`,
    )
    .join('\n');
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
<nav><a href="/docs">API docs (Swagger UI)</a><a href="/openapi.json">OpenAPI 3.1 document</a></nav>
${figureHtml}
</body>
</html>
`;
}
