import fs from 'node:fs';
import path from 'node:path';
import express, { Router } from 'express';

/** Paths that belong to an API and must never fall back to the SPA's index.html. */
const API_PREFIXES = ['/api/', '/management/', '/oauth/', '/oidc/', '/.well-known/', '/healthz', '/readyz'];

/** Serves the built console and answers every other GET for HTML with its index.html. */
export function consoleRouter(consoleDir: string): Router {
  const r = Router();
  const index = path.join(consoleDir, 'index.html');
  r.use(
    '/assets',
    express.static(path.join(consoleDir, 'assets'), { immutable: true, maxAge: '1y', index: false, fallthrough: false }),
  );
  r.use(express.static(consoleDir, { index: false, maxAge: '1h' }));
  r.get('/{*splat}', (req, res, next) => {
    if (API_PREFIXES.some((p) => req.path.startsWith(p)) || !req.accepts('html')) return next();
    if (!fs.existsSync(index)) {
      res.status(503).type('text').send('The console has not been built: run `pnpm build`.');
      return;
    }
    res.set('Cache-Control', 'no-cache').sendFile(index);
  });
  return r;
}
