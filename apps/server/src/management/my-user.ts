import { detailsResponseSchema, getUserResponseSchema, updateMyPasswordSchema } from '@tessera/contracts';
import type { Router } from 'express';
import { checkPassword } from '../console-session/password-check.js';
import type { AppContext } from '../context.js';
import { failedPrecondition, invalidArgument } from '../domain/errors.js';
import { hashPassword } from '../domain/passwords.js';
import { setOwnPassword } from '../domain/users/humans.js';
import { getUser } from '../domain/users/queries.js';
import { endpoint, type Endpoint } from './endpoint.js';
import { apiRouter } from './router.js';

/** /auth/v1: ZITADEL's auth API, what a signed-in user may do to themselves. No permission: only ever yourself. */
export const authEndpoints: readonly Endpoint[] = [
  endpoint({
    method: 'get',
    path: '/users/me',
    summary: 'GetMyUser',
    scope: 'self',
    response: getUserResponseSchema,
    handler: async ({ ctx, principal }) => ({ user: await getUser(ctx.storage, principal.orgId, principal.userId) }),
  }),
  endpoint({
    method: 'put',
    path: '/users/me/password',
    summary: 'UpdateMyPassword',
    scope: 'self',
    body: updateMyPasswordSchema,
    response: detailsResponseSchema,
    handler: async ({ ctx, principal, body, address }) => {
      if (principal.userType !== 'human') {
        throw failedPrecondition('USER-NotHuman', 'a service user has no password: it authenticates with a client secret, a key or a token');
      }
      if (body.newPassword === body.oldPassword)
        throw invalidArgument('USER-PasswordUnchanged', 'the new password must differ from the current one', 'newPassword');
      const me = await ctx.storage.one<{ username: string; password_hash: string }>('SELECT username, password_hash FROM users WHERE id = ?', [
        principal.userId,
      ]);
      // Guessed like a sign-in, so throttled like one: a session left open must not become a password oracle.
      if (!me || !(await checkPassword(ctx, address(), me.username, body.oldPassword, async () => me.password_hash))) {
        throw invalidArgument('USER-PasswordWrong', 'the current password is not correct', 'oldPassword');
      }
      return { details: await setOwnPassword(ctx.storage, principal.orgId, principal.userId, await hashPassword(body.newPassword), principal.sessionKey) };
    },
  }),
];

export function authRouter(ctx: AppContext): Router {
  return apiRouter(ctx, authEndpoints);
}
