import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Runs src/server.ts in a child process (through tsx) with the given environment. */
function startServer(env: Record<string, string>) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    cwd: root,
    // tap follows child processes for coverage; this child runs the sources through tsx, whose line
    // maps differ from tap's loader and would blank out coverage it has already seen. Exclude it.
    env: { PATH: process.env.PATH ?? '', _TAPJS_PROCESSINFO_COV_EXCLUDE_: '/.*/', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  return { child, out: () => stdout, err: () => stderr };
}

t.test('a bad environment stops the process with a readable message', async (t) => {
  const { child, err } = startServer({ PORT: 'eighty', LOG_LEVEL: 'loud' });
  const [code] = await once(child, 'exit');
  t.equal(code, 1);
  t.match(err(), /peft-lab: Invalid environment:/);
  t.match(err(), /PORT: .*\(got "eighty"\)/);
  t.match(err(), /LOG_LEVEL: .*\(got "loud"\)/);
});

t.test('the server listens, answers, and exits cleanly on SIGTERM', async (t) => {
  const { child, out } = startServer({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info' });
  // pino's "Server listening at http://127.0.0.1:PORT" line tells the port.
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout.on('data', () => {
      const match = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(out());
      if (match) resolve(match[1]);
    });
    child.on('exit', (code) => reject(new Error(`exited early with ${code}`)));
  });
  const res = await fetch(`${url}/healthz`);
  t.equal(res.status, 200);
  t.same(await res.json(), { status: 'ok' });
  child.kill('SIGTERM');
  const [code] = await once(child, 'exit');
  t.equal(code, 0);
  const lines = out().split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; signal?: string });
  t.ok(lines.some((l) => l.msg.startsWith('shutting down') && l.signal === 'SIGTERM'), 'logs the shutdown as JSON');
  t.ok(lines.some((l) => l.msg === 'request completed'), 'one JSON line per request');
});
