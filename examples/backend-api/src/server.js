import { readFileSync } from 'node:fs';
import { createApp } from './app.js';

/**
 * Starts the API from the environment: TESSERA_ISSUER, and the API application's credentials:
 * API_KEY_FILE (the key file of a PRIVATE_KEY_JWT application), or API_CLIENT_ID and
 * API_CLIENT_SECRET (a BASIC one). PORT, 3000 unless set.
 */
const env = process.env;
if (!env.TESSERA_ISSUER || !(env.API_KEY_FILE || (env.API_CLIENT_ID && env.API_CLIENT_SECRET))) {
  console.error('Set TESSERA_ISSUER, and API_KEY_FILE or API_CLIENT_ID and API_CLIENT_SECRET (see README.md).');
  process.exit(2);
}
const authorization = env.API_KEY_FILE
  ? { type: 'jwt-profile', profile: JSON.parse(readFileSync(env.API_KEY_FILE, 'utf8')) }
  : { type: 'basic', clientId: env.API_CLIENT_ID, clientSecret: env.API_CLIENT_SECRET };
const app = await createApp({ issuer: env.TESSERA_ISSUER, authorization });
const server = app.listen(Number(env.PORT ?? 3000), env.HOST ?? '127.0.0.1', () => {
  console.log(`backend API listening on http://${env.HOST ?? '127.0.0.1'}:${server.address().port}`);
});
process.on('SIGTERM', () => server.close());
