import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import t from 'tap';
import { localNginxConf } from '../../scripts/lib/nginx-conf.js';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const compose = readFileSync(join(root, 'deploy/nginx.conf'), 'utf8');
const local = { upstreams: ['127.0.0.1:4001', '127.0.0.1:4002'], listen: '127.0.0.1:4000', accessLog: '/tmp/access.log' };

t.test('the local nginx config is deploy/nginx.conf with only the marked lines swapped', async (t) => {
  const conf = localNginxConf(compose, local);
  t.match(conf, /^\s+server 127\.0\.0\.1:4001 max_fails=0;\n\s+server 127\.0\.0\.1:4002 max_fails=0;$/m);
  t.match(conf, /^\s+listen 127\.0\.0\.1:4000;$/m);
  t.match(conf, /^\s+access_log \/tmp\/access\.log json;$/m);
  const directives = conf.split('\n').map((l) => l.replace(/#.*/, '')).join('\n');
  t.notMatch(directives, /resolver|api-replica|\bresolve\b/, 'nothing compose-only is left');
  const removed = compose.split('\n').filter((l) => !conf.split('\n').includes(l));
  t.same(removed.map((l) => l.trim().split(' ')[0]), ['resolver', 'server', 'access_log', 'listen'], 'every other line is the compose one');
  for (const setting of ['least_conn;', 'keepalive 32;', 'proxy_next_upstream error timeout http_502 http_503 non_idempotent;']) t.ok(conf.includes(setting), setting);
  t.throws(() => localNginxConf(compose.replace('# [listen]', ''), local), /no line marked \[listen\]/);
});

const nginx = (() => {
  try {
    execFileSync('nginx', ['-v'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

t.test('Debian nginx accepts the local config (nginx -t)', { skip: nginx ? false : 'nginx is not installed (.ci/run installs it)' }, async (t) => {
  const work = mkdtempSync(join(tmpdir(), 'nginx-conf-test-'));
  t.teardown(() => rmSync(work, { recursive: true, force: true }));
  writeFileSync(join(work, 'nginx.conf'), localNginxConf(compose, { ...local, accessLog: join(work, 'access.log') }));
  const check = spawnSync('nginx', ['-t', '-p', work, '-c', join(work, 'nginx.conf'), '-g', `pid ${join(work, 'pid')}; error_log ${join(work, 'error.log')};`], { encoding: 'utf8' });
  t.equal(check.status, 0, check.stderr);
  t.match(check.stderr, /syntax is ok/);
});
