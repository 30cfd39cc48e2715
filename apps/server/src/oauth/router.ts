import { Router } from 'express';
import type { AppContext } from '../context.js';

/** /oauth/v2/*, /.well-known/*, /oidc/v1/*: the OAuth boundary. */
export function oauthRouter(_ctx: AppContext): Router {
  return Router();
}
