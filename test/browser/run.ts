/**
 * The service seen in a real browser: Debian's chromium driven by playwright-core against the built
 * server (dist/) on a free port. Not a tap test (it needs chromium and a build); `npm run test:browser`
 * runs it and `.ci/run` runs that. Exits 1 when any check fails; screenshots go to BROWSER_SHOTS_DIR
 * (default artifacts/browser) and each path is printed. Steps: Swagger UI runs POST /v1/sweeps; the
 * landing page shows its two charts; the notebook figure opens on its own with its six panels.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { root, startService, stopService } from '../../scripts/lib/service.js';

const shotsDir = resolve(process.env.BROWSER_SHOTS_DIR ?? join(root, 'artifacts', 'browser'));
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** The operation the Swagger UI step runs ("Try it out" → "Execute"), with its first example. */
const DOCS_OPERATION = { method: 'post', path: '/v1/sweeps' };
const NOTEBOOK_FIGURE = '/v1/compare/seed-notebook.svg';
const TIMEOUT_MS = 60_000;

const failures: string[] = [];
function check(ok: boolean, what: string): void {
  console.log(`browser: ${ok ? 'ok  ' : 'FAIL'} ${what}`);
  if (!ok) failures.push(what);
}

/** Console errors and uncaught page errors, per page. */
function watchErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(error.message));
  return errors;
}

async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  const path = join(shotsDir, `${name}.png`);
  await page.screenshot({ path, fullPage });
  console.log(`browser: screenshot ${path}`);
}

async function docsExecute(context: BrowserContext, base: string): Promise<void> {
  const page = await context.newPage();
  await page.goto(`${base}/docs`);
  const block = page.locator(`.opblock-${DOCS_OPERATION.method}`).filter({ has: page.locator(`.opblock-summary-path[data-path="${DOCS_OPERATION.path}"]`) });
  await block.locator('.opblock-summary').first().click();
  // tryItOutEnabled opens the form already (its button then reads "Cancel"); click "Try it out" only when shown.
  const tryItOut = block.getByRole('button', { name: 'Try it out' });
  if (await tryItOut.isVisible()) await tryItOut.click();
  await block.getByRole('button', { name: 'Execute' }).click();
  const status = block.locator('.live-responses-table .response .response-col_status').first();
  await status.waitFor({ timeout: TIMEOUT_MS });
  const shown = (await status.innerText()).trim();
  check(shown === '200', `Swagger UI: ${DOCS_OPERATION.method.toUpperCase()} ${DOCS_OPERATION.path} → Execute shows ${JSON.stringify(shown)} (want "200")`);
  await status.scrollIntoViewIfNeeded();
  await screenshot(page, 'docs-execute');
  await page.close();
}

async function landingPage(context: BrowserContext, base: string): Promise<void> {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const response = await page.goto(`${base}/`, { waitUntil: 'load' });
  check(response?.status() === 200, `GET / → ${response?.status()}`);
  check((await page.locator('a[href="/docs"]').count()) === 1 && (await page.locator('a[href="/openapi.json"]').count()) === 1, 'the landing page links /docs and /openapi.json');
  // The tsconfig has no DOM lib: the image's fields are named by hand.
  const images = await page.locator('img').evaluateAll((imgs) => imgs.map((i) => i as unknown as { complete: boolean; naturalWidth: number; src: string }).map(({ complete, naturalWidth, src }) => ({ complete, naturalWidth, src })));
  const broken = images.filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src);
  check(broken.length === 0, `every image on / loads${broken.length ? `; broken: ${broken.join(', ')}` : ''}`);
  // The rank sweep is drawn into the page: its two panels, each one line.
  const sweepPanels = (await panelBoxes(page, 'figure > svg')).length;
  const sweepLines = await page.locator('figure > svg .mark-line.role-mark path').count();
  check(sweepPanels === 2 && sweepLines === 2, `the rank sweep on / draws 2 panels with a line each (found ${sweepPanels} panels, ${sweepLines} lines)`);
  check(errors.length === 0, `no console errors on /${errors.length ? `: ${errors.join(' | ')}` : ''}`);
  await screenshot(page, 'landing', true);
  await page.close();
}

interface DrawnElement {
  getAttribute(name: string): string | null;
  getBBox(): { width: number; height: number };
}

/** Vega-lite's concat cells (one per panel) under `scope`, with their laid-out size in the browser. */
async function panelBoxes(page: Page, scope: string): Promise<Array<{ width: number; height: number }>> {
  // The tsconfig has no DOM lib: the SVG element's members are named by hand.
  return page.locator(`${scope} g.mark-group.role-scope`).evaluateAll((groups) =>
    groups
      .map((g) => g as unknown as DrawnElement)
      .filter((g) => /^concat_\d+_group$/.test(g.getAttribute('class')?.split(/\s+/).pop() ?? ''))
      .map((g) => {
        const { width, height } = g.getBBox();
        return { width, height };
      }),
  );
}

/** The notebook figure as a document of its own: vega's concat cells are its panels. */
async function notebookFigure(context: BrowserContext, base: string): Promise<void> {
  const page = await context.newPage();
  const errors = watchErrors(page);
  const response = await page.goto(`${base}${NOTEBOOK_FIGURE}`, { waitUntil: 'load' });
  check(response?.status() === 200 && response.headers()['content-type']?.startsWith('image/svg+xml') === true, `GET ${NOTEBOOK_FIGURE} → ${response?.status()} ${response?.headers()['content-type']}`);
  const boxes = await panelBoxes(page, 'svg');
  check(boxes.length === 6, `the notebook figure renders 6 panels (found ${boxes.length})`);
  // Rendered, not just present: every panel has a laid-out box in the browser.
  check(boxes.every((b) => b.width > 100 && b.height > 100), `each panel is drawn at a visible size (${boxes.map((b) => `${Math.round(b.width)}×${Math.round(b.height)}`).join(', ')})`);
  check(errors.length === 0, `no console errors on ${NOTEBOOK_FIGURE}${errors.length ? `: ${errors.join(' | ')}` : ''}`);
  await screenshot(page, 'notebook-figure');
  await page.close();
}

async function main(): Promise<void> {
  mkdirSync(shotsDir, { recursive: true });
  const service = await startService();
  const { base } = service;
  const userDataDir = mkdtempSync(join(tmpdir(), 'peft-lab-chromium-'));
  let context: BrowserContext | undefined;
  try {
    context = await chromium.launchPersistentContext(userDataDir, { executablePath, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
    context.setDefaultTimeout(TIMEOUT_MS);
    await docsExecute(context, base);
    await landingPage(context, base);
    await notebookFigure(context, base);
  } catch (error) {
    check(false, `browser run: ${(error as Error).message}`);
  } finally {
    await context?.close();
    await stopService(service);
    rmSync(userDataDir, { recursive: true, force: true });
  }
  console.log(`browser: ${failures.length === 0 ? 'passed' : `${failures.length} failed`} (screenshots in ${shotsDir})`);
  process.exitCode = failures.length === 0 ? 0 : 1;
}

await main();
