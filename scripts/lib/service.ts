/** Start the built service (dist/server.js) as an outside client sees it: its own process, a free port, real HTTP. */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolvePort(port));
    });
  });
}

export interface Service {
  child: ChildProcess;
  port: number;
  base: string;
  /** Lines the service wrote to stdout (JSON logs). */
  logs: () => string[];
}

/** Polls `url` until it answers 200 (or `timeoutMs` passes, or `child`, the process that should answer, exits). */
export async function waitFor200(url: string, timeoutMs = 20_000, child?: ChildProcess): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child && (child.exitCode !== null || child.signalCode !== null)) {
      throw new Error(`the service exited (${child.exitCode ?? child.signalCode}) before ${url} answered 200`);
    }
    try {
      if ((await fetch(url)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
}

/** A loaded machine can take tens of seconds to start the service; a service that dies is noticed at once. */
const READY_TIMEOUT_MS = 60_000;

/** Starts dist/server.js on a free port and resolves once /readyz answers 200. */
export async function startService(env: Record<string, string> = {}): Promise<Service> {
  const port = await freePort();
  const child = spawn(process.execPath, ['dist/server.js'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let out = '';
  child.stdout!.on('data', (chunk) => (out += chunk));
  const base = `http://127.0.0.1:${port}`;
  await waitFor200(`${base}/readyz`, READY_TIMEOUT_MS, child);
  return { child, port, base, logs: () => out.split('\n').filter(Boolean) };
}

/** Resident set size of a process in bytes, from /proc (Linux). */
export function rssBytes(pid: number): number {
  const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
  return match ? Number(match[1]) * 1024 : NaN;
}

/** SIGTERM, then the exit code (null if it had to be killed after `graceMs`). */
export async function stopService(service: Service, graceMs = 15_000): Promise<number | null> {
  if (service.child.exitCode !== null || service.child.signalCode !== null) return service.child.exitCode; // already gone (killed: exitCode stays null)
  const exited = once(service.child, 'exit');
  service.child.kill('SIGTERM');
  const timer = setTimeout(() => service.child.kill('SIGKILL'), graceMs);
  const [code] = await exited;
  clearTimeout(timer);
  return code as number | null;
}

export const MiB = 2 ** 20;
