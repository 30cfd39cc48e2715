// Types for throwaway-postgres.mjs, so TypeScript tests can import it.

export interface StartOptions {
  /** Folder to keep it in (data in dir/data); reused when it already holds a cluster, never removed. */
  dir?: string;
  /** Port on 127.0.0.1; a free one when omitted. */
  port?: number;
  /** PostgreSQL's log file (default dir/postgres.log). */
  log?: string;
  /** Created when missing (default tessera). */
  database?: string;
  /** Outlive this process (no exit hook, no parent-death signal). */
  detached?: boolean;
}

export interface StopOptions {
  /** Keep the folder so start() can bring the same cluster back on the same port. */
  keepData?: boolean;
  /** fast: SIGINT, a clean shutdown; immediate: SIGQUIT, a crash as far as clients see. */
  mode?: 'fast' | 'immediate';
}

export interface ThrowawayPostgres {
  /** postgres://postgres@127.0.0.1:<port>/<database> */
  readonly url: string;
  readonly dir: string;
  readonly port: number;
  /** The postmaster's pid while it runs. */
  readonly pid: number | undefined;
  start(): Promise<void>;
  stop(options?: StopOptions): Promise<void>;
}

export function startPostgres(options?: StartOptions): Promise<ThrowawayPostgres>;
export function createDatabase(url: string, name: string): Promise<string>;
export function dropDatabase(url: string): Promise<void>;
export function postgresBinaries(): { bin: string; lib: string };
