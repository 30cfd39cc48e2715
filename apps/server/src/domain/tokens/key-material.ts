import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, type JsonWebKey, type KeyObject } from 'node:crypto';

export type SigningAlg = 'ES256' | 'RS256';
export const SIGNING_ALGS: readonly SigningAlg[] = ['ES256', 'RS256'];

export interface PublicJwk {
  kty: string;
  kid: string;
  alg: SigningAlg;
  use: 'sig';
  crv?: string;
  x?: string;
  y?: string;
  n?: string;
  e?: string;
}

/** A published key as the server holds it in memory: parsed once, never per request. */
export interface PublishedKey {
  kid: string;
  alg: SigningAlg;
  publicKey: KeyObject;
  publicJwk: PublicJwk;
  /** Epoch seconds. */
  createdAt: number;
  /** Epoch seconds; null while the key signs new tokens. */
  retiredAt: number | null;
}

/** The active key: the only one whose private key is kept (a retired key only verifies). */
export interface SigningKey extends PublishedKey {
  privateKey: KeyObject;
}

/** RFC 7638 thumbprint: a kid that is the same wherever the public key is seen. */
export function jwkThumbprint(jwk: JsonWebKey): string {
  const members = jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

function publicJwkOf(key: KeyObject, alg: SigningAlg): PublicJwk {
  const jwk = key.export({ format: 'jwk' });
  const kid = jwkThumbprint(jwk);
  return alg === 'ES256'
    ? { kty: 'EC', kid, alg, use: 'sig', crv: jwk.crv!, x: jwk.x!, y: jwk.y! }
    : { kty: 'RSA', kid, alg, use: 'sig', n: jwk.n!, e: jwk.e! };
}

/**
 * A new key pair whose key objects share nothing with the job that generated it. The keys Node 20's
 * generateKeyPairSync returns share their lock with that job, and an EC key's JWK export holds the
 * lock while it allocates: a garbage collection that frees the job meanwhile waits on the same
 * lock, and the process hangs for ever (seen in CI; `node` alone hangs within seconds of exporting
 * fresh EC keys in a loop). Generated as DER and read back, the keys have locks of their own.
 */
export function detachedKeyPair(alg: SigningAlg): { privateKey: KeyObject; publicKey: KeyObject } {
  const publicKeyEncoding = { type: 'spki', format: 'der' } as const;
  const privateKeyEncoding = { type: 'pkcs8', format: 'der' } as const;
  const der =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256', publicKeyEncoding, privateKeyEncoding })
      : generateKeyPairSync('rsa', { modulusLength: 2048, publicKeyEncoding, privateKeyEncoding });
  return {
    privateKey: createPrivateKey({ key: der.privateKey, format: 'der', type: 'pkcs8' }),
    publicKey: createPublicKey({ key: der.publicKey, format: 'der', type: 'spki' }),
  };
}

/** A fresh key pair; synchronous, so the server can make its first key before it listens. */
export function generateSigningKey(alg: SigningAlg, now: number): SigningKey {
  const { privateKey, publicKey } = detachedKeyPair(alg);
  const publicJwk = publicJwkOf(publicKey, alg);
  return { kid: publicJwk.kid, alg, privateKey, publicKey, publicJwk, createdAt: now, retiredAt: null };
}

export interface SigningKeyRow {
  kid: string;
  alg: string;
  /** The private JWK as JSON, or wrapped under the master key; null once the key is retired. */
  private_jwk: string | null;
  public_jwk: string;
  created_at: number;
  retired_at: number | null;
}

/** The row of a new key; seal turns the private JWK into its stored form (storage/instance-keys.ts). */
export function toRow(k: SigningKey, seal: (kid: string, privateJwk: string) => string): SigningKeyRow {
  return {
    kid: k.kid,
    alg: k.alg,
    private_jwk: seal(k.kid, JSON.stringify(k.privateKey.export({ format: 'jwk' }))),
    public_jwk: JSON.stringify(k.publicJwk),
    created_at: k.createdAt,
    retired_at: k.retiredAt,
  };
}

/**
 * The key of a row; open turns a stored private JWK back into JSON. The kid must be the public
 * key's thumbprint and the private key must match it, so a row that was tampered with fails here.
 */
export function fromRow(r: SigningKeyRow, open: (kid: string, stored: string) => string): PublishedKey | SigningKey {
  if (!SIGNING_ALGS.includes(r.alg as SigningAlg)) throw new Error(`signing key ${r.kid}: unsupported alg ${r.alg}`);
  const alg = r.alg as SigningAlg;
  const publicKey = createPublicKey({ key: JSON.parse(r.public_jwk) as JsonWebKey, format: 'jwk' });
  const publicJwk = publicJwkOf(publicKey, alg);
  if (publicJwk.kid !== r.kid) throw new Error(`signing key ${r.kid}: the public key does not match its kid`);
  const published = { kid: r.kid, alg, publicKey, publicJwk, createdAt: r.created_at, retiredAt: r.retired_at };
  if (r.private_jwk === null) return published;
  const privateKey = createPrivateKey({ key: JSON.parse(open(r.kid, r.private_jwk)) as JsonWebKey, format: 'jwk' });
  if (jwkThumbprint(createPublicKey(privateKey).export({ format: 'jwk' })) !== r.kid) {
    throw new Error(`signing key ${r.kid}: the private key does not match its public key`);
  }
  return { ...published, privateKey };
}
