/**
 * `npm run failover`: two instances of the built service behind nginx (deploy/nginx.conf with its
 * upstream lines pointed at them), autocannon through nginx for FAILOVER_DURATION_S (default 20) s,
 * one instance killed with SIGKILL at 40 % of the run. Passes when under 1 % of the completed requests
 * failed (a status other than the one expected, or a socket error) and every request completed after
 * the kill was served by the survivor.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { stdout } from 'node:process';
import { join } from 'node:path';
import { LOAD_MIX } from './load-mix.js';
import { drive } from './load.js';
import { freePort, root, startService, stopService, waitFor200 } from './lib/service.js';
import { localNginxConf } from './lib/nginx-conf.js';

const durationS = Number(process.env.FAILOVER_DURATION_S ?? 20);

interface AccessLine {
  status: number;
  upstream: string;
}

const readAccess = (path: string, from = 0): AccessLine[] =>
  readFileSync(path, 'utf8').slice(from).split('\n').filter(Boolean).map((l) => JSON.parse(l) as AccessLine);

/** The upstream that finally answered ("a, b" when nginx moved the request on from a to b). */
const finalUpstream = (line: AccessLine) => line.upstream.split(',').at(-1)!.trim();

const countBy = (items: string[]) => [...items.reduce((m, k) => m.set(k, (m.get(k) ?? 0) + 1), new Map<string, number>())].map(([k, n]) => `${k}: ${n}`).join(', ');

async function main(): Promise<number> {
  const work = mkdtempSync(join(tmpdir(), 'peft-failover-'));
  const a = await startService({ TRUST_PROXY: 'true' });
  const b = await startService({ TRUST_PROXY: 'true' }).catch(async (error) => {
    await stopService(a);
    throw error;
  });
  let nginx: ChildProcess | undefined;
  const failures: string[] = [];
  try {
    const lbPort = await freePort();
    const accessLog = join(work, 'access.log');
    const conf = localNginxConf(readFileSync(join(root, 'deploy/nginx.conf'), 'utf8'), {
      upstreams: [`127.0.0.1:${a.port}`, `127.0.0.1:${b.port}`],
      listen: `127.0.0.1:${lbPort}`,
      accessLog,
    });
    writeFileSync(join(work, 'nginx.conf'), conf);
    const nginxArgs = ['-p', work, '-c', join(work, 'nginx.conf'), '-g', `daemon off; pid ${join(work, 'nginx.pid')}; error_log ${join(work, 'error.log')} warn;`];
    nginx = spawn('nginx', nginxArgs, { stdio: 'inherit' });
    const lb = `http://127.0.0.1:${lbPort}`;
    await waitFor200(`${lb}/healthz`);
    stdout.write(`failover: nginx ${lb} → instances :${a.port} (pid ${a.child.pid}) and :${b.port} (pid ${b.child.pid}); load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);

    const tally = new Map<string, Map<number, number>>();
    let logOffsetAtKill = 0;
    const killAtMs = durationS * 400;
    const killer = setTimeout(() => {
      logOffsetAtKill = statSync(accessLog).size;
      a.child.kill('SIGKILL');
      stdout.write(`failover: SIGKILL to :${a.port} at ${(killAtMs / 1000).toFixed(1)} s\n`);
    }, killAtMs);
    const result = await drive(lb, LOAD_MIX, durationS, tally);
    clearTimeout(killer);

    const expected = new Map(LOAD_MIX.map((e) => [e.kind, e.expect]));
    let completed = 0;
    let wrong = 0;
    for (const [kind, byStatus] of tally) {
      for (const [status, n] of byStatus) {
        completed += n;
        if (status !== expected.get(kind)) wrong += n;
      }
    }
    const failed = wrong + result.errors;
    const rate = failed / Math.max(1, completed + result.errors);
    const all = readAccess(accessLog);
    const afterKill = readAccess(accessLog, logOffsetAtKill);
    const beforeKill = all.slice(0, all.length - afterKill.length);
    const retried = afterKill.filter((l) => l.upstream.includes(',')).length;
    const survivor = `127.0.0.1:${b.port}`;
    const notSurvivor = afterKill.filter((l) => finalUpstream(l) !== survivor).length;

    stdout.write(`failover: ${completed} responses in ${result.duration.toFixed(1)} s (${result.requests.average.toFixed(1)} req/s), socket errors ${result.errors}, p50 ${result.latency.p50} ms, p99 ${result.latency.p99} ms\n`);
    stdout.write(`failover: unexpected statuses ${wrong}, failed ${failed} = ${(rate * 100).toFixed(3)} % of completed (limit 1 %)\n`);
    stdout.write(`failover: before the kill, served by ${countBy(beforeKill.map(finalUpstream))}\n`);
    stdout.write(`failover: after the kill, served by ${countBy(afterKill.map(finalUpstream)) || 'none'}; ${retried} moved on from the dead instance by nginx\n`);
    stdout.write(`failover: statuses at nginx after the kill: ${countBy(afterKill.map((l) => String(l.status)))}\n`);
    if (rate >= 0.01) failures.push(`${(rate * 100).toFixed(3)} % of completed requests failed`);
    if (afterKill.length === 0) failures.push('no request completed after the kill');
    if (notSurvivor > 0) failures.push(`${notSurvivor} requests after the kill were not served by the survivor`);
    if (beforeKill.every((l) => finalUpstream(l) === survivor)) failures.push('the killed instance served nothing before the kill');
  } finally {
    if (nginx && nginx.exitCode === null) {
      nginx.kill('SIGQUIT');
      await once(nginx, 'exit');
    }
    await stopService(a);
    const code = await stopService(b);
    if (code !== 0) failures.push(`the survivor exited ${code} on SIGTERM`);
    rmSync(work, { recursive: true, force: true });
  }
  console.log(failures.length ? `failover: FAILED\n  - ${failures.join('\n  - ')}` : 'failover: passed');
  return failures.length ? 1 : 0;
}

process.exit(await main());
