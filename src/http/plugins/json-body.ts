import type { FastifyInstance } from 'fastify';
import secureJson from 'secure-json-parse';
import { invalidInput } from '../../errors.js';
import { MEMO_KEY_CHARS } from '../response-memo.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The JSON body's text when it is short enough to be a response memo key (MEMO_KEY_CHARS), else null. */
    jsonText: string | null;
  }
}

/**
 * JSON bodies, parsed so that a client learns *why* its body was refused: Fastify's own parser
 * drops the reason. `__proto__` and `constructor.prototype` keys are refused (prototype poisoning).
 */
export function installJsonBodyParser(app: FastifyInstance): void {
  app.decorateRequest('jsonText', null);
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = body as string;
    if (text.trim() === '') {
      done(invalidInput('The body is empty but the content type is application/json.', [{ path: 'body', message: 'is empty' }]), undefined);
      return;
    }
    if (text.length <= MEMO_KEY_CHARS) request.jsonText = text;
    try {
      done(null, secureJson.parse(text, { protoAction: 'error', constructorAction: 'error' }));
    } catch (error) {
      const reason = (error as Error).message;
      done(invalidInput(`The body is not valid JSON: ${reason}`, [{ path: 'body', message: reason }]), undefined);
    }
  });
}
