// node apps/server/dist/cli.js <command> [arguments]: the commands of `npm run tessera`, for a
// deployment that ships the build without the repository's scripts.
import { tessera } from './cli/tessera.js';

process.exitCode = await tessera(process.argv.slice(2));
