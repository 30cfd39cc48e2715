import type { ChangeVersion } from './port.js';

/**
 * Keeps something read from the database (the keys) in step with the storage's change version: one
 * re-read at a time, started in the background by follow() on every use, or awaited by fresh() on
 * paths that must see a change from the first request after it. `reread` resolves true when it
 * succeeded; only then does the version it started at count as seen.
 */
export class VersionFollower {
  #seen = -1;
  #running: Promise<void> | undefined;

  constructor(
    private readonly version: ChangeVersion,
    private readonly reread: () => Promise<boolean>,
  ) {}

  /** Starts a re-read in the background if the database changed since the last look; cheap on every use. */
  follow(): void {
    if (this.version.current() !== this.#seen && !this.#running) void this.refresh();
  }

  /** Resolves once what is in memory is the database's as of now: re-read first if it changed. */
  async fresh(): Promise<void> {
    // A re-read already under way may have started before the change: then one more.
    for (let i = 0; i < 3 && this.version.current() !== this.#seen; i++) await this.refresh();
  }

  /** A re-read now, or the one already under way. */
  refresh(): Promise<void> {
    this.#running ??= this.#run().finally(() => (this.#running = undefined));
    return this.#running;
  }

  async #run(): Promise<void> {
    const v = this.version.current();
    if (await this.reread()) this.#seen = v;
  }
}
