import fs from 'node:fs';
import path from 'node:path';
import { MasterKey } from '../security/envelope.js';
import { CliError, USAGE_ERROR, type Command } from './command.js';

/**
 * tessera master-key [--out <file>]: a new master key (32 random bytes, base64url). Printed alone
 * on stdout, or written to a new file readable by its owner only (never over an existing one).
 * Use `npm run -s` when printing: npm writes its own header to stdout otherwise.
 */
export const masterKeyCommand: Command = {
  usage: '[--out <file>]',
  summary: 'make a new master key (for TESSERA_MASTER_KEY or TESSERA_MASTER_KEY_FILE)',
  run(args) {
    const key = MasterKey.generate();
    if (args.length === 0) return `${key}\n`;
    if (args.length !== 2 || args[0] !== '--out') throw new CliError(`usage: npm run tessera -- master-key ${masterKeyCommand.usage}`, USAGE_ERROR);
    const file = path.resolve(args[1]!);
    try {
      fs.writeFileSync(file, `${key}\n`, { flag: 'wx', mode: 0o600 });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new CliError(code === 'EEXIST' ? `${file} already exists; choose a new file name` : `cannot write ${file} (${code ?? 'error'})`);
    }
    return (
      `Wrote a new master key to ${file} (mode 600).\n` +
      `Set TESSERA_MASTER_KEY_FILE=${file} for the server and the tessera commands, and keep a copy apart from the\n` +
      'database and its backups: without it the keys in the database cannot be opened.\n'
    );
  },
};
