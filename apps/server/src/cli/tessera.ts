import { pathToFileURL } from 'node:url';
import { ConfigError } from '../config.js';
import { backupCommand } from './backup.js';
import { arity, type Command } from './command.js';
import { resetPasswordCommand } from './reset-password.js';
import { masterKeyCommand } from './master-key.js';
import { migrateCommand } from './migrate.js';
import { rotateKeyCommand } from './rotate-key.js';
import { createServiceUserCommand, generateSecretCommand, grantCommand } from './service-users.js';

// Every command of `npm run tessera -- <command>`, one line each.
const COMMANDS: Command[] = [
  resetPasswordCommand,
  masterKeyCommand,
  rotateKeyCommand,
  createServiceUserCommand,
  generateSecretCommand,
  grantCommand,
  migrateCommand,
  backupCommand,
];

export function usage(): string {
  const lines = COMMANDS.map((c) => [c.name, ...c.args].join(' '));
  const width = Math.max(...lines.map((l) => l.length));
  return [
    'usage: npm run tessera -- <command> [arguments]',
    '',
    ...COMMANDS.map((c, i) => `  ${lines[i]!.padEnd(width)}   ${c.summary}`),
    '',
    'Run it with the same environment as the server (at least the same TESSERA_DB or TESSERA_DATABASE_URL).',
    'From the build alone: node apps/server/dist/cli.js <command> [arguments].',
    '',
  ].join('\n');
}

/** Runs one command line; resolves with the exit code (0 done, 1 refused or failed, 2 misused). */
export async function tessera(argv: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  const [name, ...args] = argv;
  if (name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return 0;
  }
  const command = COMMANDS.find((c) => c.name === name);
  if (command && (args.includes('--help') || args.includes('-h'))) {
    process.stdout.write(`usage: npm run tessera -- ${[command.name, ...command.args].join(' ')}\n\n  ${command.summary}\n`);
    return 0;
  }
  const [min, max] = command ? arity(command) : [0, 0];
  if (!command || args.length < min || args.length > max) {
    process.stderr.write(`${name && !command ? `Unknown command "${name}".\n` : ''}${usage()}`);
    return 2;
  }
  try {
    process.stdout.write(await command.run(args, env));
    return 0;
  } catch (err) {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    return err instanceof ConfigError ? 2 : 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await tessera(process.argv.slice(2));
}
