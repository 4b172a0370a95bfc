/**
 * How a memoized route answers (POST /v1/parameters, POST /v1/forward/*): from the app's ResponseMemo
 * when it holds the answer, else by computing it and keeping its bytes. Every answer says which in an
 * `x-memo` header (and the forward routes in their `memo` member). A hit is sent as the bytes the
 * computing request was sent with `memo: "hit"`, without the serializer; it still passes every
 * onRequest hook (rate limit, pressure, shutdown), the body limit and the content-type parser.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { MEMO_STATES } from '../schemas/forward/common.js';
import { bodyKey, MEMO_ANSWER_BYTES, rawKey, type ResponseMemo } from './response-memo.js';

export type MemoState = (typeof MEMO_STATES)[number];

export const MEMO_HEADER = 'x-memo';
const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * What the request's Cache-Control asks (RFC 9111 §5.2.1): `no-cache` a recomputation that refreshes
 * the memo, `no-store` one that keeps nothing.
 */
export function recomputationAsked(header: string | string[] | undefined): 'no-cache' | 'no-store' | undefined {
  if (header === undefined) return undefined;
  const directives = String(header).split(',').map((d) => d.split('=')[0].trim().toLowerCase());
  if (directives.includes('no-store')) return 'no-store';
  return directives.includes('no-cache') ? 'no-cache' : undefined;
}

const sendHit = (reply: FastifyReply, answer: Buffer) => reply.header(MEMO_HEADER, 'hit').type(JSON_TYPE).send(answer);

/**
 * Answers a repeat of a body text that validated and was answered before, before the body is validated
 * (only such a text is a key). Install it before the routes' other preValidation hooks.
 */
export function installMemoHits(app: FastifyInstance, memo: ResponseMemo): void {
  if (!memo.enabled) return;
  app.addHook('preValidation', async (request, reply) => {
    if (request.jsonText === null || recomputationAsked(request.headers['cache-control'])) return;
    const hit = memo.get(rawKey(request.routeOptions.url!, request.jsonText));
    if (hit !== undefined) return sendHit(reply, hit);
  });
}

/**
 * The answer for the validated `request.body`: the memo's, else `compute()`'s, sent and (when its
 * body and answer are small enough) kept under both keys. With `member`, the JSON carries `memo` too.
 * What compute() throws is not kept.
 */
export async function sendMemoized(
  request: FastifyRequest,
  reply: FastifyReply,
  memo: ResponseMemo,
  compute: () => object | Promise<object>,
  member: boolean,
): Promise<FastifyReply> {
  const route = request.routeOptions.url!;
  const asked = recomputationAsked(request.headers['cache-control']);
  const key = memo.enabled ? bodyKey(route, request.body) : undefined;
  const raw = request.jsonText === null ? undefined : rawKey(route, request.jsonText);
  if (key !== undefined && asked === undefined) {
    const hit = memo.get(key);
    if (hit !== undefined) {
      if (raw !== undefined) memo.set(raw, hit);
      return sendHit(reply, hit);
    }
  }
  const answer = await compute();
  const state: MemoState = key === undefined ? 'off' : asked ? 'bypass' : 'miss';
  const serialize = (memoState: MemoState) => reply.serialize(member ? { ...answer, memo: memoState } : answer) as string;
  const json = serialize(state);
  // A JSON string is never longer than its UTF-8 bytes: an answer over the cap is not serialized again.
  if (key !== undefined && asked !== 'no-store' && json.length <= MEMO_ANSWER_BYTES) {
    const kept = Buffer.from(member ? serialize('hit') : json);
    if (memo.set(key, kept) && raw !== undefined) memo.set(raw, kept);
  }
  return reply.header(MEMO_HEADER, state).type(JSON_TYPE).send(json);
}
