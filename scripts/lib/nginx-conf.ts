/**
 * deploy/nginx.conf for a local nginx (Debian's 1.22 included): the same file with only its marked
 * lines swapped, so that the failover run exercises the upstream settings compose deploys.
 */
export interface LocalNginx {
  upstreams: string[];
  listen: string;
  accessLog: string;
}

const MARKED: Record<string, (local: LocalNginx) => string> = {
  '[compose only]': () => '',
  '[upstream servers]': (local) => local.upstreams.map((u) => `    server ${u} max_fails=0;`).join('\n'),
  '[listen]': (local) => `    listen ${local.listen};`,
  '[access log]': (local) => `  access_log ${local.accessLog} json;`,
};

export function localNginxConf(composeConf: string, local: LocalNginx): string {
  const lines = composeConf.split('\n');
  for (const marker of Object.keys(MARKED)) {
    const at = lines.findIndex((l) => l.includes('#') && l.includes(marker));
    if (at < 0) throw new Error(`deploy/nginx.conf has no line marked ${marker}`);
    // "[compose only]" marks the comment above its line; the others mark the line itself
    if (marker === '[compose only]') lines[at + 1] = MARKED[marker](local);
    else lines[at] = MARKED[marker](local);
  }
  return lines.join('\n');
}
