import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';
import { invalidArgument } from '../domain/errors.js';

/**
 * Paths that belong to an API, Tessera's or one of ZITADEL's it does not serve (auth, system,
 * resources, v2...; gRPC's /zitadel.<service>/...), and must never fall back to the SPA's index.html:
 * a client would take the page for an answer. They end in the gateway's 404 instead.
 */
const API_PATH =
  /^\/(?:(?:api|management|admin|auth|system|resources|oauth|oidc|saml|idps|openapi|v2|v2beta|v3alpha|debug|\.well-known)(?:\/|$)|zitadel\.|(?:healthz|readyz|metrics)$)/i;

/**
 * A path no browser asks for: a dot segment (browsers resolve those before sending), a backslash,
 * a NUL, or percent-encoding that does not decode. It is a probe for files outside the console
 * folder; express.static already refuses to leave it, but answering with the SPA's index.html
 * would look like a hit to the scanner and hide the attempt, so it is refused instead.
 */
function isTraversalProbe(rawPath: string): boolean {
  let decoded: string;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    return true;
  }
  return /(^|[\\/])\.{1,2}([\\/]|$)/.test(decoded) || decoded.includes('\\') || decoded.includes('\0');
}

/** Serves the built console and answers every other GET for HTML with its index.html. */
export function consoleRouter(consoleDir: string): Router {
  const r = Router();
  const index = path.join(consoleDir, 'index.html');
  r.use((req, _res, next) => {
    if (isTraversalProbe(req.path)) return next(invalidArgument('PATH-INVALID', 'request path is not valid'));
    next();
  });
  r.use('/assets', express.static(path.join(consoleDir, 'assets'), { immutable: true, maxAge: '1y', index: false, fallthrough: false }));
  r.use(express.static(consoleDir, { index: false, maxAge: '1h' }));
  r.get('/{*splat}', (req, res, next) => {
    if (API_PATH.test(req.path) || !req.accepts('html')) return next();
    if (!fs.existsSync(index)) {
      res.status(503).type('text').send('The console has not been built: run `pnpm build`.');
      return;
    }
    res.set('Cache-Control', 'no-cache').sendFile(index);
  });
  return r;
}
