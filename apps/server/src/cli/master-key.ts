import fs from 'node:fs';
import path from 'node:path';
import { MasterKey } from '../security/envelope.js';
import type { Command } from './command.js';

/**
 * A new master key (32 random bytes, base64url): printed alone on stdout, or written to a new file
 * readable by its owner only, never over an existing one. Printing through npm needs `npm run -s`,
 * or npm's own header lands in the output too.
 */
export const masterKeyCommand: Command = {
  name: 'master-key',
  args: ['[file]'],
  summary: 'make a new master key: print it, or write it to a new file only its owner can read',
  async run([target]) {
    const key = MasterKey.generate();
    if (target === undefined) return `${key}\n`;
    const file = path.resolve(target);
    try {
      fs.writeFileSync(file, `${key}\n`, { flag: 'wx', mode: 0o600 });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      throw new Error(code === 'EEXIST' ? `${file} already exists; choose a new file name` : `cannot write ${file} (${code ?? 'error'})`);
    }
    return (
      `Wrote a new master key to ${file} (mode 600).\n` +
      `Set TESSERA_MASTER_KEY_FILE=${file} for the server and the tessera commands, and keep a copy apart from the\n` +
      'database and its backups: without it the keys in the database cannot be opened.\n'
    );
  },
};
