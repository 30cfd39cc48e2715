import type { IncomingMessage } from 'node:http';
import { InvalidRequest, RequestTooLarge } from './errors.js';

/** Enough for every parameter these endpoints take, including a 4 KiB token to introspect. */
export const FORM_BODY_LIMIT = 8 * 1024;
const FORM_TYPE = /^application\/x-www-form-urlencoded\s*(;\s*charset\s*=\s*"?utf-8"?\s*)?$/i;

/** The parameters of a form body. RFC 6749 3.2: an empty value counts as absent, and none may repeat. */
export class FormParams {
  constructor(readonly values: ReadonlyMap<string, readonly string[]>) {}

  get(name: string): string | undefined {
    const v = this.values.get(name);
    if (!v) return undefined;
    if (v.length > 1) throw new InvalidRequest(`parameter ${name} must not be repeated`);
    return v[0] || undefined;
  }

  has(name: string): boolean {
    return this.get(name) !== undefined;
  }

  static parse(body: string): FormParams {
    const values = new Map<string, string[]>();
    for (const [k, v] of new URLSearchParams(body)) {
      const list = values.get(k);
      if (list) list.push(v);
      else values.set(k, [v]);
    }
    return new FormParams(values);
  }
}

/**
 * Reads a small application/x-www-form-urlencoded body without a body-parser middleware (the
 * OAuth routes are hot and take nothing else). Too large: 413, without reading the rest.
 */
export function readForm(req: IncomingMessage): Promise<FormParams> {
  const type = req.headers['content-type'];
  if (!type || !FORM_TYPE.test(type)) {
    return Promise.reject(new InvalidRequest('the request body must be application/x-www-form-urlencoded'));
  }
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > FORM_BODY_LIMIT) return Promise.reject(tooLarge());
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > FORM_BODY_LIMIT) {
        cleanup();
        req.pause();
        reject(tooLarge());
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(FormParams.parse(Buffer.concat(chunks, size).toString('utf8')));
    };
    const onError = () => {
      cleanup();
      reject(new InvalidRequest('the request body could not be read'));
    };
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}

function tooLarge() {
  return new RequestTooLarge(`the request body must not exceed ${FORM_BODY_LIMIT} bytes`);
}
