import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import { isCanonicalBase64url } from './base64url.js';
import { JTI_BYTES, jtiIssuedAtMs, newJtiBytes, type AccessTokenClaims } from './claims.js';

const VERSION = 1;
const HEADER_BYTES = 1 + JTI_BYTES;
const TAG_BYTES = 16;
/** Longer than any token we issue; anything bigger is refused before any work. */
export const MAX_TOKEN_LENGTH = 4096;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

type Payload = [sub: string, clientId: string, orgId: string, scope: string, aud: string[], exp: number];

/**
 * The BEARER token: self-contained, so issuing one writes nothing and checking one reads nothing.
 * Layout (base64url): version | jti | AES-256-GCM(compact claims) | tag, with version and jti as
 * associated data. Each token gets its own key and nonce, derived from the server key and its
 * random jti with HMAC-SHA-512, so there is no nonce-reuse bound on how many tokens one key may seal.
 */
export class OpaqueTokenCodec {
  readonly #key: Buffer;

  constructor(key: Buffer) {
    if (key.length < 32) throw new Error('token encryption key must be at least 32 bytes');
    this.#key = key;
  }

  encode(claims: Omit<AccessTokenClaims, 'jti'>): { token: string; jti: string } {
    const header = Buffer.allocUnsafe(HEADER_BYTES);
    header[0] = VERSION;
    newJtiBytes(claims.iatMs).copy(header, 1);
    const payload: Payload = [claims.sub, claims.clientId, claims.orgId ?? '', claims.scope.join(' '), claims.aud, claims.exp];
    const { key, iv } = this.#derive(header);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(header);
    const body = cipher.update(JSON.stringify(payload), 'utf8');
    const final = cipher.final();
    const token = Buffer.concat([header, body, final, cipher.getAuthTag()]).toString('base64url');
    return { token, jti: header.subarray(1).toString('base64url') };
  }

  /** The claims of a token this server sealed, or null for anything else. Never throws. */
  decode(token: unknown): AccessTokenClaims | null {
    // Only the canonical spelling: no second string for the same token.
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !BASE64URL.test(token) || !isCanonicalBase64url(token)) return null;
    const raw = Buffer.from(token, 'base64url');
    if (raw.length < HEADER_BYTES + TAG_BYTES + 2 || raw[0] !== VERSION) return null;
    const header = raw.subarray(0, HEADER_BYTES);
    let plain: string;
    try {
      const { key, iv } = this.#derive(header);
      const decipher = createDecipheriv('aes-256-gcm', key, iv);
      decipher.setAAD(header);
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      plain = decipher.update(raw.subarray(HEADER_BYTES, raw.length - TAG_BYTES), undefined, 'utf8') + decipher.final('utf8');
    } catch {
      return null;
    }
    const p = parsePayload(plain);
    if (!p) return null;
    const jti = header.subarray(1);
    return {
      jti: jti.toString('base64url'),
      sub: p[0],
      clientId: p[1],
      orgId: p[2],
      scope: p[3] ? p[3].split(' ') : [],
      aud: p[4],
      iatMs: jtiIssuedAtMs(jti),
      exp: p[5],
    };
  }

  #derive(header: Buffer): { key: Buffer; iv: Buffer } {
    const d = createHmac('sha512', this.#key).update(header).digest();
    return { key: d.subarray(0, 32), iv: d.subarray(32, 44) };
  }
}

const isString = (v: unknown): v is string => typeof v === 'string';

/** Authenticated bytes are ours, but the shape is still checked: a format change must fail closed. */
function parsePayload(plain: string): Payload | null {
  let p: unknown;
  try {
    p = JSON.parse(plain);
  } catch {
    return null;
  }
  if (!Array.isArray(p) || p.length !== 6) return null;
  const [sub, clientId, orgId, scope, aud, exp] = p as unknown[];
  if (!isString(sub) || !isString(clientId) || !isString(orgId) || !isString(scope)) return null;
  if (!Array.isArray(aud) || !aud.every(isString) || !Number.isSafeInteger(exp)) return null;
  return p as Payload;
}
