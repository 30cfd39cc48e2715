/** What a verified access token tells the rest of the server. */
export interface VerifiedAccessToken {
  jti: string;
  /** The service user's id. */
  userId: string;
  /**
   * The organization the (active) service user belongs to, read with its state. Optional: a
   * verifier that does not read the user's row leaves it out, and callers read it themselves.
   */
  orgId?: string;
  clientId: string;
  scope: string[];
  aud: string[];
  /** Epoch seconds. */
  iat: number;
  exp: number;
  /** True when the audience includes the management API. */
  management: boolean;
}

/**
 * Verifies an access token: signature or decryption, expiry, revocation, and that its user still
 * exists and is active. Answers null for anything that is not a currently valid token.
 */
export interface AccessTokenVerifier {
  verify(token: string): Promise<VerifiedAccessToken | null>;
}
