/** One `tessera <name>` command (cli/tessera.ts lists them). */
export interface Command {
  /** The arguments after the command name, as shown in usage lines. */
  usage: string;
  /** One line for the list of commands. */
  summary: string;
  /** What to print on success; failures throw (CliError for the expected ones). */
  run(args: string[], env: NodeJS.ProcessEnv): string | Promise<string>;
}

/** A failure the operator can fix, with the exit code to leave with: 2 for usage or configuration. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export const USAGE_ERROR = 2;
