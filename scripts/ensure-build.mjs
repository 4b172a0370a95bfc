// `npm start` and `npm run bench` (whose response-bytes bench starts dist/server.js) run this first:
// build dist/ when it is missing or older than any source file.
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const newest = (dir) =>
  readdirSync(dir, { withFileTypes: true }).reduce((max, entry) => {
    const path = join(dir, entry.name);
    return Math.max(max, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }, 0);

const target = 'dist/server.js';
if (!existsSync('src')) process.exit(0); // a production install ships dist/ only
if (!existsSync(target) || statSync(target).mtimeMs < Math.max(newest('src'), statSync('package.json').mtimeMs)) {
  console.error('peft-lab: building dist/ …');
  execSync('npm run build', { stdio: 'inherit' });
}
