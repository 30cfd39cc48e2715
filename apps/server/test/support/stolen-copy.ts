import { createPrivateKey, sign, type JsonWebKey, type KeyObject } from 'node:crypto';
import Database from 'better-sqlite3';
import { newJtiBytes } from '../../src/domain/tokens/claims.js';
import { OpaqueTokenCodec } from '../../src/domain/tokens/opaque-codec.js';

/** 2100-01-01: a token no server would issue, but one a stolen key can seal. */
export const YEAR_2100 = 4_102_444_800;

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
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '%fts%'").pluck().all() as string[];
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

/** A BEARER token sealed with key, for the victim, with the management audience, valid until 2100. */
export function sealOpaque(key: Buffer, v: Victim, managementAudience: string): string {
  return new OpaqueTokenCodec(key).encode({
    sub: v.userId,
    clientId: v.clientId,
    orgId: v.orgId,
    scope: ['openid', 'urn:zitadel:iam:org:project:id:zitadel:aud'],
    aud: [v.clientId, managementAudience],
    iatMs: Date.now(),
    exp: YEAR_2100,
  }).token;
}

/** An RFC 9068 JWT access token signed with key under kid, for the victim, valid until 2100. */
export function signJwt(key: KeyObject, kid: string, v: Victim, issuer: string, managementAudience: string): string {
  const iatMs = Date.now();
  const iat = Math.floor(iatMs / 1000);
  const b64 = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = `${b64({ alg: 'ES256', kid, typ: 'at+jwt' })}.${b64({
    iss: issuer,
    sub: v.userId,
    aud: [v.clientId, managementAudience],
    exp: YEAR_2100,
    iat,
    nbf: iat,
    jti: newJtiBytes(iatMs).toString('base64url'),
    client_id: v.clientId,
    scope: 'openid urn:zitadel:iam:org:project:id:zitadel:aud',
  })}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}
