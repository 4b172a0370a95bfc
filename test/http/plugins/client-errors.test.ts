import { connect } from 'node:net';
import t from 'tap';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.js';

/** Opens a raw socket, runs `talk` on it, and resolves with everything the server sent once it closes the connection. */
function rawExchange(app: FastifyInstance, talk: (write: (chunk: string) => void) => void): Promise<string> {
  const { port } = app.server.address() as { port: number };
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let received = '';
    socket.on('data', (chunk) => (received += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(received));
    socket.on('connect', () => talk((chunk) => socket.writable && socket.write(chunk)));
  });
}

/** Status line, headers and parsed body of one raw HTTP/1.1 answer. */
function parseAnswer(raw: string) {
  const [head, body] = raw.split('\r\n\r\n');
  const [statusLine, ...headerLines] = head.split('\r\n');
  const headers = Object.fromEntries(headerLines.map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
  return { status: Number(statusLine.split(' ')[1]), headers, body: JSON.parse(body) as Record<string, unknown> };
}

const { app } = buildTestApp({ requestTimeoutMs: 1000, logLevel: 'warn' });
t.before(() => app.listen({ port: 0, host: '127.0.0.1' }));
t.teardown(() => app.close());

const PROBLEM = 'application/problem+json; charset=utf-8';

t.test('a body trickled one byte at a time is cut off with a 408 problem+json and a closed connection', async (t) => {
  let timer: NodeJS.Timeout | undefined;
  const raw = await rawExchange(app, (write) => {
    write('POST /v1/parameters HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{');
    timer = setInterval(() => write(' '), 50);
  });
  clearInterval(timer);
  const answer = parseAnswer(raw);
  t.equal(answer.status, 408);
  t.equal(answer.headers['content-type'], PROBLEM);
  t.equal(answer.headers.connection, 'close');
  t.equal(answer.headers['x-content-type-options'], 'nosniff');
  t.match(answer.body, { type: 'urn:peft-lab:problem:request-timeout', status: 408, detail: /REQUEST_TIMEOUT_MS/ });
  t.equal(answer.body.request_id, answer.headers['x-request-id']);
});

t.test('headers trickled one line at a time are cut off the same way; a silent connection is closed', async (t) => {
  let timer: NodeJS.Timeout | undefined;
  const raw = await rawExchange(app, (write) => {
    write('GET /v1/methods HTTP/1.1\r\nHost: test\r\n');
    timer = setInterval(() => write('X-Slow: 1\r\n'), 50);
  });
  clearInterval(timer);
  t.equal(parseAnswer(raw).status, 408);
  const silent = await rawExchange(app, (write) => write('GET /v1/methods HTTP/1.1\r\nHost: test\r\n'));
  t.equal(silent, '', 'an idle socket is closed without an answer (connection timeout)');
});

t.test('malformed HTTP: 400 problem+json; oversized headers: 431', async (t) => {
  const bad = parseAnswer(await rawExchange(app, (write) => write('NOT HTTP AT ALL\r\n\r\n')));
  t.equal(bad.status, 400);
  t.equal(bad.headers['content-type'], PROBLEM);
  t.match(bad.body, { status: 400, title: 'Invalid request', detail: /not well-formed HTTP/ });
  const big = parseAnswer(await rawExchange(app, (write) => write(`GET /healthz HTTP/1.1\r\nHost: test\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`)));
  t.equal(big.status, 431);
  t.match(big.body, { status: 431, title: 'Request header fields too large' });
});

t.test('a client that sends its request in time is served, even on a slow connection', async (t) => {
  const body = '{"model":{"preset":"meta-llama/Llama-3.2-1B"},"peft":{"peft_type":"LORA","r":8,"target_modules":["q_proj"]}}';
  let sent = 0;
  const raw = await rawExchange(app, (write) => {
    write(`POST /v1/parameters HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n`);
    const half = Math.floor(body.length / 2);
    write(body.slice(0, half));
    sent = half;
    setTimeout(() => write(body.slice(sent)), 50); // well inside REQUEST_TIMEOUT_MS (1 s here, so a loaded CI machine still has room)
  });
  t.match(raw, /^HTTP\/1\.1 200 OK/);
  t.match(raw, /trainable params: 524,288/);
});

t.test('a body declared over BODY_LIMIT_BYTES is refused from its headers, before a byte of it is read or parsed', async (t) => {
  const raw = await rawExchange(app, (write) =>
    write('POST /v1/parameters HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: 100000000\r\n\r\n'),
  );
  const answer = parseAnswer(raw);
  t.equal(answer.status, 413, 'answered with no body sent at all');
  t.equal(answer.headers['content-type'], PROBLEM);
  t.match(answer.body, { status: 413, detail: /BODY_LIMIT_BYTES/, errors: [{ path: 'body' }] });
});
