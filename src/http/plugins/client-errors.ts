import { randomUUID } from 'node:crypto';
import { STATUS_CODES } from 'node:http';
import type { Socket } from 'node:net';
import { PROBLEM_CONTENT_TYPE, problemBody } from './problem.js';

/** What Node reports at the socket, before Fastify has a request: the status it means and what to say. */
function classify(error: NodeJS.ErrnoException): { status: number; detail: string } {
  if (error.code === 'ERR_HTTP_REQUEST_TIMEOUT') {
    return { status: 408, detail: 'The request was not received in full within REQUEST_TIMEOUT_MS; the connection is closed.' };
  }
  if (error.code === 'HPE_HEADER_OVERFLOW') return { status: 431, detail: 'The request headers are larger than the server accepts.' };
  return { status: 400, detail: 'The request is not well-formed HTTP.' };
}

/**
 * Fastify's clientErrorHandler, answering as problem+json like every other error: a slow client cut
 * off by REQUEST_TIMEOUT_MS gets a 408, malformed HTTP a 400. Nothing is written once a response has started.
 */
export function clientErrorHandler(error: NodeJS.ErrnoException, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const started = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage?.headersSent === true;
  if (socket.writable && !started) {
    const { status, detail } = classify(error);
    const id = randomUUID();
    const body = JSON.stringify(problemBody({ id }, status, detail));
    socket.write(
      `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nConnection: close\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `X-Content-Type-Options: nosniff\r\nX-Request-Id: ${id}\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
  }
  socket.destroy(error);
}
