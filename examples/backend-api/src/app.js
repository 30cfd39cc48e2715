import express from 'express';
import { Passport } from 'passport';
import { ZitadelIntrospectionStrategy } from 'passport-zitadel';

/** Where Tessera puts the roles a token's subject holds in the project: { roleKey: { orgId: orgDomain } }. */
export const ROLES_CLAIM = 'urn:zitadel:iam:org:project:roles';

/**
 * The API: every request under /api carries a Bearer token, which passport-zitadel introspects at
 * Tessera with the project's API application; an inactive token (another audience, revoked, expired,
 * its user deactivated) is answered 401 before any handler runs.
 */
export async function createApp({ issuer, authorization }) {
  const passport = new Passport();
  passport.use(await ZitadelIntrospectionStrategy.create({ authority: issuer, authorization }));
  const app = express();
  app.use('/api', passport.authenticate('zitadel-introspection', { session: false }));
  app.get('/api/hello', (req, res) => {
    res.json({ sub: req.user.sub, roles: Object.keys(req.user[ROLES_CLAIM] ?? {}) });
  });
  return app;
}
