/**
 * Counts failures per key in a sliding window and answers how long a key must wait once it has
 * failed too often. Success does not clear a shared key (e.g. an address), only the caller's own.
 * In memory: it protects one process, which is what Tessera runs.
 */
export class FailureLimiter {
  readonly #failures = new Map<string, number[]>();
  readonly #sweep: NodeJS.Timeout;

  constructor(
    readonly maxFailures: number,
    readonly windowMs: number,
  ) {
    this.#sweep = setInterval(() => this.#prune(Date.now()), windowMs);
    this.#sweep.unref();
  }

  /** Seconds until the key may try again; 0 when it may try now. */
  retryAfter(key: string, now = Date.now()): number {
    const times = this.#recent(key, now);
    if (times.length < this.maxFailures) return 0;
    const oldest = times[times.length - this.maxFailures]!;
    return Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000));
  }

  fail(key: string, now = Date.now()): void {
    const times = this.#recent(key, now);
    times.push(now);
    // Keep only what can still matter.
    if (times.length > this.maxFailures) times.splice(0, times.length - this.maxFailures);
    this.#failures.set(key, times);
  }

  reset(key: string): void {
    this.#failures.delete(key);
  }

  close(): void {
    clearInterval(this.#sweep);
  }

  #recent(key: string, now: number): number[] {
    const times = this.#failures.get(key);
    if (!times) return [];
    const cutoff = now - this.windowMs;
    while (times.length && times[0]! <= cutoff) times.shift();
    if (!times.length) this.#failures.delete(key);
    return times;
  }

  #prune(now: number): void {
    for (const key of this.#failures.keys()) this.#recent(key, now);
  }
}
