import { createPublicKey, generateKeyPair, verify, type JsonWebKeyInput, type KeyObject } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { promisify } from 'node:util';
import { decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose';
import type { AppContext } from '../context.js';
import { hasExpired } from '../domain/expiration.js';
import { proxyTrust, throttleKeys } from '../security/client-address.js';
import { authenticatedClient, type AuthenticatedClient } from './client-auth.js';
import { throttled } from './throttled.js';
import { InvalidClient, InvalidGrant, InvalidRequest, UnauthorizedClient, type OAuthError } from './errors.js';
import { keyLookup } from './key-lookup.js';

export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const JWT_BEARER_CLIENT_ASSERTION = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const ASSERTION_ALGS = ['RS256', 'ES256'] as const;
const KEY_KIND = { RS256: 'rsa', ES256: 'ec' } as const;

/** How far a clock may be ahead of this server's. */
const SKEW_S = 60;
/** The furthest ahead an assertion's exp may be. */
const MAX_LIFETIME_S = 3600;
/** Longer assertions are refused unread: a key file's assertion is well under 2 KB. */
const MAX_ASSERTION_LENGTH = 8192;

/** What the assertion stands for: the grant itself (RFC 7523 2.1) or client authentication (2.2). */
export type AssertionUse = 'grant' | 'client';

/** Unknown key, key of another user, bad signature: one answer, so none can be told apart. */
const FAILED = 'the assertion could not be verified with a key of its subject';

export type AssertionAuthenticator = (req: IncomingMessage, assertion: string | undefined, use: AssertionUse) => Promise<AuthenticatedClient>;

/**
 * RFC 7523 assertions signed with a service user's key (ZITADEL's JWT profile). The claims are
 * checked first, since they say nothing about who exists; then, throttled like a client secret,
 * the key is read (a decoy's when the kid is unknown) and parsed, and the signature verified, so an
 * unknown kid costs what a known one does (security-assertion-enumeration.test.ts). Only with
 * the signature proven does the answer say anything about the key's or the user's state.
 */
export function assertionAuthenticator(ctx: AppContext): AssertionAuthenticator {
  const findKey = keyLookup(ctx.storage);
  const trust = proxyTrust(ctx.config.trustProxy);
  const audiences = new Set([ctx.config.issuer, `${ctx.config.issuer}/oauth/v2/token`]);

  return async (req, assertion, use) => {
    const refuse = (description: string): OAuthError => {
      ctx.metrics.clientAuthFailed('bad_assertion');
      return use === 'grant' ? new InvalidGrant(description) : new InvalidClient(description);
    };
    if (!assertion) throw new InvalidRequest(use === 'grant' ? 'assertion missing' : 'client_assertion missing');
    const { kid, alg, claims } = readAssertion(assertion, refuse);
    checkClaims(claims, audiences, refuse);

    const { pairKey, ip } = throttleKeys(trust, req, claims.sub!);
    const checked = await ctx.clientAuthGate.check(pairKey, ip, async () => findKey(kid));
    if (checked.wait > 0) throw throttled(ctx, checked.wait);
    const { found, row: read } = checked.result!;
    // Every path parses one stored key and verifies one signature: with the found key, or with the
    // decoy's (which can never authenticate anyone, found being false), or, when the key is not of the
    // assertion's kind, with a dummy of that kind.
    const parsed = read && createPublicKey({ key: JSON.parse(read.public_jwk) as JsonWebKeyInput['key'], format: 'jwk' });
    const row = found ? read : undefined;
    const fits = parsed?.asymmetricKeyType === KEY_KIND[alg];
    const signed = verifySignature(assertion, alg, fits ? parsed : (await dummyKeys())[alg]);
    if (!row || !fits || !signed || !(claims.sub === row.id || claims.sub!.toLowerCase() === row.username.toLowerCase())) {
      const over = await ctx.clientAuthGate.failed(pairKey, ip);
      if (over > 0) throw throttled(ctx, over);
      throw refuse(FAILED);
    }
    ctx.clientAuthGate.passed(pairKey).catch((err: unknown) => ctx.logger.warn({ err }, 'could not clear a client authentication count'));

    if (hasExpired(row.expiration_date)) throw refuse('the key has expired');
    if (row.state !== 'USER_STATE_ACTIVE') throw new UnauthorizedClient('the service user is deactivated');
    if (claims.jti !== undefined && !(await firstUse(ctx, row.id, claims.jti, claims.exp!))) {
      throw refuse('the assertion was already used (jti): sign a new one for each request');
    }
    return authenticatedClient(row);
  };
}

export function readAssertion(assertion: string, refuse: (d: string) => OAuthError): { kid: string; alg: (typeof ASSERTION_ALGS)[number]; claims: JWTPayload } {
  if (assertion.length > MAX_ASSERTION_LENGTH) throw refuse(`the assertion is longer than ${MAX_ASSERTION_LENGTH} characters`);
  let header: ReturnType<typeof decodeProtectedHeader>;
  let claims: JWTPayload;
  try {
    header = decodeProtectedHeader(assertion);
    claims = decodeJwt(assertion);
  } catch {
    throw refuse('the assertion is not a signed JWT');
  }
  const alg = ASSERTION_ALGS.find((a) => a === header.alg);
  if (!alg) throw refuse(`the assertion must be signed with ${ASSERTION_ALGS.join(' or ')}`);
  if (typeof header.kid !== 'string' || !header.kid) throw refuse('the assertion names no key: set kid to the keyId of the key file');
  return { kid: header.kid, alg, claims };
}

export function checkClaims(claims: JWTPayload, audiences: Set<string>, refuse: (d: string) => OAuthError): void {
  const now = Math.floor(Date.now() / 1000);
  const issuer = [...audiences][0];
  if (typeof claims.iss !== 'string' || typeof claims.sub !== 'string' || !claims.sub)
    throw refuse('the assertion needs iss and sub: both the service user id');
  if (claims.iss !== claims.sub) throw refuse("the assertion's iss and sub must both be the service user id");
  const aud = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
  if (!aud.some((a) => typeof a === 'string' && audiences.has(a))) throw refuse(`the assertion's aud must be this issuer, ${issuer}`);
  if (typeof claims.exp !== 'number') throw refuse('the assertion has no exp');
  if (claims.exp <= now - SKEW_S) throw refuse('the assertion has expired');
  if (claims.exp > now + MAX_LIFETIME_S + SKEW_S) throw refuse('the assertion expires more than an hour from now');
  if (typeof claims.iat !== 'number') throw refuse('the assertion has no iat');
  if (claims.iat > now + SKEW_S) throw refuse('the assertion was issued in the future (iat): check the clock');
  if (typeof claims.nbf === 'number' && claims.nbf > now + SKEW_S) throw refuse('the assertion is not valid yet (nbf)');
  if (claims.jti !== undefined && (typeof claims.jti !== 'string' || claims.jti.length > 256)) throw refuse('jti must be a string of at most 256 characters');
}

/** The JWS signature, verified here and now with node:crypto (jose would verify off the main thread, and convert each new key first). */
export function verifySignature(jws: string, alg: (typeof ASSERTION_ALGS)[number], key: KeyObject): boolean {
  const [header, payload, signature] = jws.split('.');
  const data = Buffer.from(`${header}.${payload}`);
  const sig = Buffer.from(signature ?? '', 'base64url');
  try {
    return alg === 'RS256' ? verify('sha256', data, key, sig) : verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, sig);
  } catch {
    return false;
  }
}

/** Records the assertion's jti until it expires; false when it was recorded already (on any node: the table is shared). */
export async function firstUse(ctx: AppContext, userId: string, jti: string, exp: number): Promise<boolean> {
  const id = `${userId}\n${jti.replaceAll('\u0000', '\uFFFD')}`;
  const now = Date.now();
  return ctx.storage.command(async (tx) => {
    await tx.run('DELETE FROM used_assertions WHERE expires_at <= ?', [now]); // the expired, this one's included
    return (await tx.run('INSERT INTO used_assertions (id, expires_at) VALUES (?, ?) ON CONFLICT (id) DO NOTHING', [id, (exp + SKEW_S) * 1000])) === 1;
  });
}

let dummies: Promise<Record<(typeof ASSERTION_ALGS)[number], KeyObject>> | undefined;

/** Keys no assertion verifies with, one per algorithm, made once: an unknown kid is checked against them at the cost of a real one. */
export function dummyKeys(): Promise<Record<(typeof ASSERTION_ALGS)[number], KeyObject>> {
  const generate = promisify(generateKeyPair);
  dummies ??= Promise.all([generate('rsa', { modulusLength: 2048 }), generate('ec', { namedCurve: 'P-256' })]).then(([rsa, ec]) => ({
    RS256: rsa.publicKey,
    ES256: ec.publicKey,
  }));
  return dummies;
}
