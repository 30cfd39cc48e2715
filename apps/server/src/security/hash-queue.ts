/** A place taken in a HashQueue: run exactly one job with it. */
export interface QueuePlace {
  run<T>(job: () => Promise<T>): Promise<T>;
}

/**
 * Runs at most `concurrency` slow jobs (password hashes) at once, with at most `maxWaiting` more
 * in line. Beyond that a caller is refused at once instead of waiting behind seconds of work, and
 * can tell its client to come back later. A place is taken synchronously (enter), so a caller can
 * act on the answer in the same turn, e.g. count the attempt only when it will really be checked.
 */
export class HashQueue {
  #admitted = 0; // running + waiting
  #running = 0;
  readonly #line: (() => void)[] = [];
  #meanMs = 1000;

  constructor(
    readonly concurrency: number,
    readonly maxWaiting: number,
  ) {}

  get running(): number {
    return this.#running;
  }

  get waiting(): number {
    return this.#line.length;
  }

  /** A place in the queue, or undefined when it is full. */
  enter(): QueuePlace | undefined {
    if (this.#admitted >= this.concurrency + this.maxWaiting) return undefined;
    this.#admitted += 1;
    let used = false;
    return {
      run: <T>(job: () => Promise<T>): Promise<T> => {
        if (used) throw new Error('a queue place runs one job');
        used = true;
        return this.#run(job);
      },
    };
  }

  /** Seconds a refused caller should wait: about as long as one job takes. */
  retryAfterSeconds(): number {
    return Math.max(1, Math.ceil(this.#meanMs / 1000));
  }

  async #run<T>(job: () => Promise<T>): Promise<T> {
    if (this.#running < this.concurrency) this.#running += 1;
    else await new Promise<void>((resolve) => this.#line.push(resolve)); // its runner hands the slot over
    const start = performance.now();
    try {
      return await job();
    } finally {
      this.#meanMs = 0.8 * this.#meanMs + 0.2 * (performance.now() - start);
      this.#admitted -= 1;
      const next = this.#line.shift();
      if (next) next();
      else this.#running -= 1;
    }
  }
}
