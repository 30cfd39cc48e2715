/** Who is calling: the same shape whether they came with a console session or a Bearer token. */
export interface Principal {
  userId: string;
  /** The organization the user belongs to; the default target of management calls. */
  orgId: string;
  userType: 'human' | 'machine';
  instanceOwner: boolean;
  via: 'session' | 'token';
  /** A console operator whose password someone else chose: until they choose their own, only that is allowed. */
  passwordChangeRequired?: boolean;
  /** The stored key of the console session the call came with (storage/session-store.ts), so a password change can keep it. */
  sessionKey?: string;
}
