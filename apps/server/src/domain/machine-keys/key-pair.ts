import { createPublicKey, generateKeyPair, type KeyObject } from 'node:crypto';
import { promisify } from 'node:util';
import { invalidArgument } from '../errors.js';

const generate = promisify(generateKeyPair);

/** ZITADEL's key file: what the operator downloads once, and ZITADEL's SDKs read to sign assertions. */
export interface KeyFile {
  type: 'serviceaccount';
  keyId: string;
  /** PKCS#1 PEM ("-----BEGIN RSA PRIVATE KEY-----"), as ZITADEL writes it. */
  key: string;
  expirationDate: string;
  userId: string;
}

/** A new RSA-2048 key pair, as ZITADEL makes: the public half as SPKI PEM to keep, the private half for the file only. */
export async function newKeyPair(): Promise<{ publicKey: string; privateKey: string }> {
  return generate('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
}

/**
 * An operator's own public key (PEM, SPKI or PKCS#1 RSA), kept as SPKI PEM. RSA of at least 2048
 * bits, or EC P-256: the keys whose assertions (RS256, ES256) are accepted.
 */
export function uploadedPublicKey(pem: string): string {
  let key: KeyObject;
  try {
    key = createPublicKey(pem);
  } catch {
    throw invalidArgument('KEY-BadPublicKey', 'publicKey is not a PEM public key', 'publicKey');
  }
  const details = key.asymmetricKeyDetails ?? {};
  const rsa = key.asymmetricKeyType === 'rsa' && (details.modulusLength ?? 0) >= 2048;
  const p256 = key.asymmetricKeyType === 'ec' && details.namedCurve === 'prime256v1';
  if (!rsa && !p256) throw invalidArgument('KEY-KeyKind', 'publicKey must be RSA of 2048 bits or more, or EC P-256', 'publicKey');
  return key.export({ type: 'spki', format: 'pem' }) as string;
}
