import { createPrivateKey } from 'node:crypto';
import { SignJWT } from 'jose';

/** An API application's key file (type "application"), as AddAppKey answers it. */
export interface AppKeyFile {
  keyId: string;
  key: string;
  clientId: string;
}

/** Reads AddAppKey's keyDetails: the key file as base64 bytes. */
export const appKeyFile = (keyDetails: string) => JSON.parse(Buffer.from(keyDetails, 'base64').toString('utf8')) as AppKeyFile;

/** The client assertion a PRIVATE_KEY_JWT application introspects with: signed by its key, for the issuer. */
export function appAssertion(file: AppKeyFile, issuer: string): Promise<string> {
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', kid: file.keyId })
    .setIssuer(file.clientId)
    .setSubject(file.clientId)
    .setAudience(issuer)
    .setIssuedAt()
    .setExpirationTime('5m')
    .sign(createPrivateKey(file.key));
}
