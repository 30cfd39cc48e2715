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

/** A signing key as the server holds it in memory: parsed once, never per request. */
export interface SigningKey {
  kid: string;
  alg: SigningAlg;
  privateKey: KeyObject;
  publicKey: KeyObject;
  publicJwk: PublicJwk;
  /** Epoch seconds. */
  createdAt: number;
  /** Epoch seconds; null while the key signs new tokens. */
  retiredAt: number | null;
}

/** RFC 7638 thumbprint: a kid that is the same wherever the public key is seen. */
export function jwkThumbprint(jwk: JsonWebKey): string {
  const members =
    jwk.kty === 'EC'
      ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y }
      : { e: jwk.e, kty: jwk.kty, n: jwk.n };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

function publicJwkOf(key: KeyObject, alg: SigningAlg): PublicJwk {
  const jwk = key.export({ format: 'jwk' });
  const kid = jwkThumbprint(jwk);
  return alg === 'ES256'
    ? { kty: 'EC', kid, alg, use: 'sig', crv: jwk.crv!, x: jwk.x!, y: jwk.y! }
    : { kty: 'RSA', kid, alg, use: 'sig', n: jwk.n!, e: jwk.e! };
}

/** A fresh key pair; synchronous, so the server can make its first key before it listens. */
export function generateSigningKey(alg: SigningAlg, now: number): SigningKey {
  const { privateKey, publicKey } =
    alg === 'ES256'
      ? generateKeyPairSync('ec', { namedCurve: 'P-256' })
      : generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicJwk = publicJwkOf(publicKey, alg);
  return { kid: publicJwk.kid, alg, privateKey, publicKey, publicJwk, createdAt: now, retiredAt: null };
}

export interface SigningKeyRow {
  kid: string;
  alg: string;
  private_jwk: string;
  public_jwk: string;
  created_at: number;
  retired_at: number | null;
}

export function toRow(k: SigningKey): SigningKeyRow {
  return {
    kid: k.kid,
    alg: k.alg,
    private_jwk: JSON.stringify(k.privateKey.export({ format: 'jwk' })),
    public_jwk: JSON.stringify(k.publicJwk),
    created_at: k.createdAt,
    retired_at: k.retiredAt,
  };
}

export function fromRow(r: SigningKeyRow): SigningKey {
  if (!SIGNING_ALGS.includes(r.alg as SigningAlg)) throw new Error(`signing key ${r.kid}: unsupported alg ${r.alg}`);
  const alg = r.alg as SigningAlg;
  const privateKey = createPrivateKey({ key: JSON.parse(r.private_jwk) as JsonWebKey, format: 'jwk' });
  const publicKey = createPublicKey(privateKey);
  return { kid: r.kid, alg, privateKey, publicKey, publicJwk: publicJwkOf(publicKey, alg), createdAt: r.created_at, retiredAt: r.retired_at };
}
