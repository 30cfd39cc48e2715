/** Who is calling: the same shape whether they came with a console session or a Bearer token. */
export interface Principal {
  userId: string;
  /** The organization the user belongs to; the default target of management calls. */
  orgId: string;
  userType: 'human' | 'machine';
  instanceOwner: boolean;
  via: 'session' | 'token';
}
