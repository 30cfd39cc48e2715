/**
 * One operator command of `npm run tessera -- <name> [arguments]`. Each lives in its own module
 * under cli/ and is listed once in cli/tessera.ts.
 */
export interface Command {
  name: string;
  /** Arguments as the usage line shows them: `<username>` is required, `[file]` optional. */
  args: string[];
  /** One line for the list of commands. */
  summary: string;
  /** Does the work and resolves with what to print. Throwing an Error prints its message and exits 1. */
  run(args: string[], env: NodeJS.ProcessEnv): Promise<string>;
}

/** How many arguments a command takes: [required, all]. */
export function arity(command: Command): [number, number] {
  return [command.args.filter((a) => !a.startsWith('[')).length, command.args.length];
}
