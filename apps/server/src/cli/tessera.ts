import { pathToFileURL } from 'node:url';
import { ConfigError } from '../config.js';
import { KeyStoreError } from '../storage/instance-keys.js';
import { CliError, USAGE_ERROR, type Command } from './command.js';
import { masterKeyCommand } from './master-key.js';
import { rotateKeyCommand } from './rotate-key.js';

/** npm run tessera -- <command> [arguments]: one line per command, each in its own module. */
const commands: Record<string, Command> = {
  'master-key': masterKeyCommand,
  'rotate-key': rotateKeyCommand,
};

function usage(): string {
  const lines = Object.entries(commands).map(([name, c]) => `  ${name} ${c.usage}\n      ${c.summary}`);
  return `usage: npm run tessera -- <command>\n\ncommands:\n${lines.join('\n')}\n`;
}

/** Runs one command line; returns the exit code, having written its output. Never throws. */
interface Output {
  write(text: string): unknown;
}

export async function runTessera(argv: string[], env: NodeJS.ProcessEnv, out: Output = process.stdout, err: Output = process.stderr): Promise<number> {
  const [name, ...args] = argv;
  const command = name === undefined ? undefined : commands[name];
  if (!command) {
    if (name !== undefined && name !== 'help' && name !== '--help') err.write(`unknown command: ${name}\n\n`);
    (name === 'help' || name === '--help' ? out : err).write(usage());
    return name === 'help' || name === '--help' ? 0 : USAGE_ERROR;
  }
  try {
    out.write(await command.run(args, env));
    return 0;
  } catch (e) {
    if (e instanceof ConfigError) {
      err.write(`${e.message}\n`);
      return USAGE_ERROR;
    }
    if (e instanceof CliError) {
      err.write(`${e.message}\n`);
      return e.exitCode;
    }
    // Known failures (a wrong master key) say what to do; anything else says what failed, never a stack.
    err.write(`tessera ${name}: ${e instanceof KeyStoreError ? e.message : `failed: ${(e as Error).message}`}\n`);
    return 1;
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.exitCode = await runTessera(process.argv.slice(2), process.env);
}
