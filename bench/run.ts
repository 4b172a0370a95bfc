/**
 * `npm run bench`: runs every bench/*.bench.ts module's default export in turn. Each prints its own
 * figures and ratios against a baseline measured in the same run.
 */
import { readdirSync } from 'node:fs';
import { availableParallelism, cpus, loadavg, totalmem } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const only = process.argv[2];
const files = readdirSync(here)
  .filter((f) => f.endsWith('.bench.ts') && (!only || f.includes(only)))
  .sort();

const load = () => loadavg().map((l) => l.toFixed(2)).join(' ');
// The machine is shared: the load average says how much of it the other processes took meanwhile.
console.log(`machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, ${(totalmem() / 2 ** 30).toFixed(1)} GiB; Node ${process.version}; load average at start ${load()}`);
for (const file of files) {
  const mod = (await import(pathToFileURL(join(here, file)).href)) as { default: () => Promise<void> | void };
  process.stdout.write(`\n== ${file} ==\n`);
  await mod.default();
}
console.log(`\nload average at the end ${load()}`);
