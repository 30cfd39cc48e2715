import { tessera } from './tessera.js';

/**
 * node apps/server/dist/cli/rotate-signing-key.js [--retire-now]: the former name of
 * `npm run tessera -- rotate-key signing`, kept so scripts written for it keep working.
 */
process.exitCode = await tessera(['rotate-key', 'signing', ...process.argv.slice(2)]);
