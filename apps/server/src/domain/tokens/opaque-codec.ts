import { createCipheriv, createDecipheriv, createHmac } from 'node:crypto';
import type { KeyRing } from '../../security/key-ring.js';
import { isCanonicalBase64url } from './base64url.js';
import { JTI_BYTES, jtiIssuedAtMs, newJtiBytes, type AccessTokenClaims } from './claims.js';
import type { Decoded } from './decoded-cache.js';

/** version | key id (uint32, big-endian) | jti; the claims end with the user's token generation. */
const VERSION = 2;
const KEY_ID_BYTES = 4;
const HEADER_BYTES = 1 + KEY_ID_BYTES + JTI_BYTES;
/**
 * version | jti, sealed under key id 0, claims without a generation: what servers issued before
 * tokens named their key. Still opened, never issued, so such tokens live out their lifetime.
 */
const VERSION_1 = 1;
const HEADER_1_BYTES = 1 + JTI_BYTES;
const TAG_BYTES = 16;
/** Longer than any token we issue; anything bigger is refused before any work. */
export const MAX_TOKEN_LENGTH = 4096;
const BASE64URL = /^[A-Za-z0-9_-]+$/;

type Payload1 = [sub: string, clientId: string, orgId: string, scope: string, aud: string[], exp: number];
type Payload = [...Payload1, gen: number];

/**
 * The BEARER token: self-contained, so issuing one writes nothing and checking one reads nothing.
 * Layout (base64url): header | AES-256-GCM(compact claims) | tag, with the header as associated
 * data. Each token gets its own key and nonce, derived from the ring key the header names and the
 * token's random jti with HMAC-SHA-512, so there is no nonce-reuse bound on how many tokens one key
 * may seal. The key id lets a rotated ring open what its older keys sealed; an id the ring no
 * longer holds opens nothing.
 */
export class OpaqueTokenCodec {
  constructor(private readonly keys: KeyRing) {
    if (keys.current.key.length < 32) throw new Error('token encryption key must be at least 32 bytes');
  }

  encode(claims: Omit<AccessTokenClaims, 'jti'>): { token: string; jti: string } {
    const { id, key } = this.keys.current;
    const header = Buffer.allocUnsafe(HEADER_BYTES);
    header[0] = VERSION;
    header.writeUInt32BE(id, 1);
    newJtiBytes(claims.iatMs).copy(header, 1 + KEY_ID_BYTES);
    const payload: Payload = [claims.sub, claims.clientId, claims.orgId ?? '', claims.scope.join(' '), claims.aud, claims.exp, claims.gen];
    const { tokenKey, iv } = derive(key, header);
    const cipher = createCipheriv('aes-256-gcm', tokenKey, iv);
    cipher.setAAD(header);
    const body = cipher.update(JSON.stringify(payload), 'utf8');
    const final = cipher.final();
    const token = Buffer.concat([header, body, final, cipher.getAuthTag()]).toString('base64url');
    return { token, jti: header.subarray(1 + KEY_ID_BYTES).toString('base64url') };
  }

  /** The claims of a token sealed under a key of the ring, and that key's id; or null. Never throws. */
  decode(token: unknown): Decoded | null {
    // Only the canonical spelling: no second string for the same token.
    if (typeof token !== 'string' || token.length > MAX_TOKEN_LENGTH || !BASE64URL.test(token) || !isCanonicalBase64url(token)) return null;
    const raw = Buffer.from(token, 'base64url');
    const version = raw[0];
    const headerBytes = version === VERSION ? HEADER_BYTES : version === VERSION_1 ? HEADER_1_BYTES : 0;
    if (headerBytes === 0 || raw.length < headerBytes + TAG_BYTES + 2) return null;
    const keyId = version === VERSION ? raw.readUInt32BE(1) : 0;
    const key = this.keys.get(keyId);
    if (!key) return null;
    const header = raw.subarray(0, headerBytes);
    let plain: string;
    try {
      const { tokenKey, iv } = derive(key, header);
      const decipher = createDecipheriv('aes-256-gcm', tokenKey, iv);
      decipher.setAAD(header);
      decipher.setAuthTag(raw.subarray(raw.length - TAG_BYTES));
      plain = decipher.update(raw.subarray(headerBytes, raw.length - TAG_BYTES), undefined, 'utf8') + decipher.final('utf8');
    } catch {
      return null;
    }
    const p = parsePayload(plain, version === VERSION ? 7 : 6);
    if (!p) return null;
    const jti = header.subarray(headerBytes - JTI_BYTES);
    const claims: AccessTokenClaims = {
      jti: jti.toString('base64url'),
      sub: p[0],
      clientId: p[1],
      orgId: p[2],
      scope: p[3] ? p[3].split(' ') : [],
      aud: p[4],
      iatMs: jtiIssuedAtMs(jti),
      exp: p[5],
      gen: p.length === 7 ? p[6] : 0,
    };
    return { claims, keyId };
  }

  /** The id of the key a well-formed token names, without opening it. */
  static keyIdOf(token: string): number | undefined {
    if (token.length > MAX_TOKEN_LENGTH || !BASE64URL.test(token)) return undefined;
    const raw = Buffer.from(token.slice(0, 8), 'base64url');
    return raw[0] === VERSION && raw.length >= 1 + KEY_ID_BYTES ? raw.readUInt32BE(1) : raw[0] === VERSION_1 ? 0 : undefined;
  }

  /** Whether the ring still holds the key a decoded token named (a cached token counts only then). */
  hasKey(id: number): boolean {
    return this.keys.get(id) !== undefined;
  }
}

/** This token's own AES key and nonce, from the ring key and the token's header (random jti). */
function derive(ringKey: Buffer, header: Buffer): { tokenKey: Buffer; iv: Buffer } {
  const d = createHmac('sha512', ringKey).update(header).digest();
  return { tokenKey: d.subarray(0, 32), iv: d.subarray(32, 44) };
}

const isString = (v: unknown): v is string => typeof v === 'string';

/** Authenticated bytes are ours, but the shape is still checked: a format change must fail closed. */
function parsePayload(plain: string, length: 6 | 7): Payload1 | Payload | null {
  let p: unknown;
  try {
    p = JSON.parse(plain);
  } catch {
    return null;
  }
  if (!Array.isArray(p) || p.length !== length) return null;
  const [sub, clientId, orgId, scope, aud, exp, gen] = p as unknown[];
  if (!isString(sub) || !isString(clientId) || !isString(orgId) || !isString(scope)) return null;
  if (!Array.isArray(aud) || !aud.every(isString) || !Number.isSafeInteger(exp)) return null;
  if (length === 7 && !(Number.isSafeInteger(gen) && (gen as number) >= 0)) return null;
  return p as Payload1 | Payload;
}
