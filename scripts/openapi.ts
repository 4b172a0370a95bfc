/**
 * Generates openapi/openapi.json from the route schemas (`npm run openapi`), or with --check fails
 * when the committed document is stale (`npm run openapi:check`).
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { generateOpenApi } from './openapi-doc.js';

const target = resolve(dirname(fileURLToPath(import.meta.url)), '..', 'openapi', 'openapi.json');
const text = await generateOpenApi();

if (process.argv.includes('--check')) {
  let committed = '';
  try {
    committed = readFileSync(target, 'utf8');
  } catch {
    /* missing counts as stale */
  }
  if (committed !== text) {
    process.stderr.write('openapi/openapi.json is stale: run `npm run openapi` and commit the result.\n');
    process.exit(1);
  }
  process.stdout.write('openapi/openapi.json is up to date.\n');
} else {
  mkdirSync(dirname(target), { recursive: true });
  writeFileSync(target, text);
  process.stdout.write(`wrote ${target}\n`);
}
