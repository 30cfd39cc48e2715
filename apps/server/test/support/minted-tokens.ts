import { createCipheriv, createHmac, randomBytes, sign } from 'node:crypto';
import type { TestApp } from './test-app.js';

/** What a token says about itself, as whoever holds the server's keys could choose it. */
export interface MintClaims {
  sub: string;
  clientId: string;
  orgId: string;
  scope: string[];
  aud: string[];
  /** Epoch milliseconds. */
  iatMs: number;
  /** Epoch seconds. */
  exp: number;
}

function jtiFor(iatMs: number): Buffer {
  const jti = randomBytes(16);
  jti.writeUIntBE(iatMs, 0, 6);
  return jti;
}

/**
 * An opaque token in the first format (version 1 | jti, then AES-256-GCM under a key derived from
 * the instance's first opaque-token key, id 0), sealed with the server's own key: what servers issued before
 * tokens named their key and their generation, and what a stolen key could mint.
 */
export function sealVersion1(t: TestApp, c: MintClaims): string {
  return sealVersion1With(t.ctx.instanceKeys.ring('opaque').get(0)!, c);
}

export function sealVersion1With(key: Buffer, c: MintClaims): string {
  const header = Buffer.concat([Buffer.from([1]), jtiFor(c.iatMs)]);
  const d = createHmac('sha512', key).update(header).digest();
  const cipher = createCipheriv('aes-256-gcm', d.subarray(0, 32), d.subarray(32, 44));
  cipher.setAAD(header);
  const payload = JSON.stringify([c.sub, c.clientId, c.orgId, c.scope.join(' '), c.aud, c.exp]);
  const body = Buffer.concat([cipher.update(payload, 'utf8'), cipher.final()]);
  return Buffer.concat([header, body, cipher.getAuthTag()]).toString('base64url');
}

/**
 * A JWT access token signed with the server's active key. Without `extra` it has exactly the
 * claims servers signed before tokens carried a generation.
 */
export function signJwt(t: TestApp, c: MintClaims, extra: Record<string, unknown> = {}): string {
  const key = t.ctx.tokens.keys.active;
  const iat = Math.floor(c.iatMs / 1000);
  const b64 = (v: object) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const header = b64({ alg: key.alg, kid: key.kid, typ: 'at+jwt' });
  const payload = b64({
    iss: t.config.issuer,
    sub: c.sub,
    aud: c.aud,
    exp: c.exp,
    iat,
    nbf: iat,
    jti: jtiFor(c.iatMs).toString('base64url'),
    client_id: c.clientId,
    scope: c.scope.join(' '),
    ...extra,
  });
  const input = Buffer.from(`${header}.${payload}`);
  const signature = key.alg === 'ES256' ? sign('sha256', input, { key: key.privateKey, dsaEncoding: 'ieee-p1363' }) : sign('sha256', input, key.privateKey);
  return `${header}.${payload}.${signature.toString('base64url')}`;
}
