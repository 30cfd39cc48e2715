const NONE: readonly number[] = [];

/**
 * Counts attempts per key in a sliding window and answers how long a key must wait once it has
 * reached its limit. Success does not clear a shared key (e.g. an address), only the caller's own.
 * In memory: it protects one process, which is what Tessera runs.
 *
 * Slow checks (a password hash) must count an attempt before it is checked and give it back if it
 * turns out a success: reserve(), then release(). Counting only after the check would let every
 * request that arrives while the first one is being checked pass the check too.
 *
 * Memory is bounded: at most `maxKeys` keys. Past that, the key counted least recently is
 * forgotten to make room (a Map keeps insertion order; a key counted again moves to its end).
 * Refusing new keys instead would let whoever fills the map lock everyone else out, and not
 * counting them would let them guess freely. Forgetting the stalest key is safe when filling the
 * map within one window costs more than the forgotten counts allowed: each limiter's caller says
 * why that holds for it (context.ts).
 */
export class FailureLimiter {
  readonly #attempts = new Map<string, number[]>();
  readonly #sweep: NodeJS.Timeout;

  constructor(
    readonly maxFailures: number,
    readonly windowMs: number,
    readonly maxKeys: number,
  ) {
    this.#sweep = setInterval(() => this.#prune(Date.now()), windowMs);
    this.#sweep.unref();
  }

  /** How many keys are held now. */
  get size(): number {
    return this.#attempts.size;
  }

  /** Seconds until the key may try again; 0 when it may try now. Counts nothing. */
  retryAfter(key: string, now = Date.now()): number {
    const times = this.#recent(key, now);
    if (times.length < this.maxFailures) return 0;
    const oldest = times[times.length - this.maxFailures]!;
    return Math.max(1, Math.ceil((oldest + this.windowMs - now) / 1000));
  }

  /**
   * Counts an attempt whose outcome is not known yet; returns the time it was counted at, for
   * release(). Call it in the same synchronous turn as the retryAfter() that allowed it.
   */
  reserve(key: string, now = Date.now()): number {
    this.fail(key, now);
    return now;
  }

  /** Takes back one attempt counted by reserve() at `at` (it succeeded, or was never checked). */
  release(key: string, at: number): void {
    const times = this.#attempts.get(key);
    if (!times) return;
    const i = times.lastIndexOf(at);
    if (i >= 0) times.splice(i, 1);
    if (!times.length) this.#attempts.delete(key);
  }

  /** Counts a failure now: for checks so fast they run in the same synchronous turn as retryAfter(). */
  fail(key: string, now = Date.now()): void {
    let times = this.#attempts.get(key);
    if (times) {
      this.#attempts.delete(key); // set again below, as the most recently counted key
      const cutoff = now - this.windowMs;
      while (times.length && times[0]! <= cutoff) times.shift();
    } else {
      if (this.#attempts.size >= this.maxKeys) this.#attempts.delete(this.#attempts.keys().next().value!);
      times = [];
    }
    times.push(now);
    // Keep only what can still matter.
    if (times.length > this.maxFailures) times.splice(0, times.length - this.maxFailures);
    this.#attempts.set(key, times);
  }

  reset(key: string): void {
    this.#attempts.delete(key);
  }

  close(): void {
    clearInterval(this.#sweep);
  }

  #recent(key: string, now: number): readonly number[] {
    const times = this.#attempts.get(key);
    if (!times) return NONE;
    const cutoff = now - this.windowMs;
    while (times.length && times[0]! <= cutoff) times.shift();
    if (!times.length) this.#attempts.delete(key);
    return times;
  }

  #prune(now: number): void {
    for (const key of this.#attempts.keys()) this.#recent(key, now);
  }
}
