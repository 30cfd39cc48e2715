import { runTessera } from './tessera.js';

/**
 * node apps/server/dist/cli/rotate-signing-key.js [--retire-now]: the former name of
 * `npm run tessera -- rotate-key signing`, kept so scripts written for it keep working.
 */
process.exitCode = await runTessera(['rotate-key', 'signing', ...process.argv.slice(2)], process.env);
