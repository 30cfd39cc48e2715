import { z } from 'zod';

export const loginRequestSchema = z.object({
  username: z.string().trim().min(1, 'Username is required').max(200),
  password: z.string().min(1, 'Password is required').max(1024),
});
export type LoginRequest = z.infer<typeof loginRequestSchema>;

/** What the console learns about the signed-in operator. */
export interface Whoami {
  userId: string;
  userName: string;
  displayName: string;
  orgId: string;
  orgName: string;
  instanceOwner: boolean;
  /** The password was chosen by someone else: until the operator chooses their own, nothing else is allowed. */
  passwordChangeRequired: boolean;
  csrfToken: string;
}
