import type { Worker } from 'node:cluster';
import type { PrimaryMessage } from './messages.js';

/** How long the primary waits for the workers' counts before it answers the asking worker anyway. */
const ROUND_TIMEOUT_MS = 1_500;

/**
 * The primary's side of a usage flush: a worker about to list client secrets asks, the primary has
 * every other worker write its counted uses, and answers the asker once all have (or once the
 * wait ends: a worker that dies meanwhile has nothing left to write).
 */
export class UsageRounds {
  #rounds = new Map<number, { waitingFor: Set<Worker>; done: () => void }>();
  #nextId = 0;

  constructor(private readonly tell: (worker: Worker, message: PrimaryMessage) => void) {}

  start(asker: Worker, askerId: number, workers: Iterable<Worker>): void {
    const id = this.#nextId++;
    const waitingFor = new Set([...workers].filter((w) => w !== asker && w.isConnected()));
    const timer = setTimeout(() => done(), ROUND_TIMEOUT_MS);
    const done = () => {
      clearTimeout(timer);
      this.#rounds.delete(id);
      this.tell(asker, { tessera: 'usage-flushed', id: askerId });
    };
    if (waitingFor.size === 0) return done();
    this.#rounds.set(id, { waitingFor, done });
    for (const w of waitingFor) this.tell(w, { tessera: 'flush-usage', id });
  }

  /** A worker is gone: no round waits for it any longer. */
  gone(worker: Worker): void {
    for (const id of [...this.#rounds.keys()]) this.flushed(worker, id);
  }

  /** A worker has written its counts for round id. */
  flushed(worker: Worker, id: number): void {
    const round = this.#rounds.get(id);
    if (!round?.waitingFor.delete(worker)) return;
    if (round.waitingFor.size === 0) round.done();
  }
}
