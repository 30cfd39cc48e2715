import type { KeyRing } from '../security/key-ring.js';

const nowSeconds = () => Math.floor(Date.now() / 1000);

/** A KeyRing that follows the database: a rotation made elsewhere shows on the next use. */
export interface InstanceKeyRing extends KeyRing {
  /** Ids of the keys that still open, verify or check something: the current one first. */
  ids(): number[];
  /**
   * A key by id; an id not known here yet (a key made on another node a moment ago) waits for
   * one re-read of the keys first.
   */
  find(id: number): Promise<Buffer | undefined>;
}

/** Unknown ids re-read the keys at most this often, so made-up ids cannot turn into a read each. */
const UNKNOWN_ID_COOLDOWN_MS = 1_000;

/** One purpose's keys in memory; each use first lets the store look for rows changed elsewhere. */
export class LiveRing implements InstanceKeyRing {
  #current!: { id: number; key: Buffer };
  #keys = new Map<number, { key: Buffer; deleteAfter: number | null }>();
  #lastForced = 0;

  constructor(
    private readonly refresh: () => void,
    private readonly reread: () => Promise<void>,
  ) {}

  async find(id: number): Promise<Buffer | undefined> {
    const known = this.get(id);
    if (known || this.#keys.has(id) || Date.now() - this.#lastForced < UNKNOWN_ID_COOLDOWN_MS) return known;
    this.#lastForced = Date.now();
    await this.reread();
    return this.keyNow(id);
  }

  get current(): { id: number; key: Buffer } {
    this.refresh();
    return this.#current;
  }

  get(id: number): Buffer | undefined {
    this.refresh();
    return this.keyNow(id);
  }

  ids(): number[] {
    this.refresh();
    return this.idsNow();
  }

  /** As get(), without looking for changes first (for the store itself, while it reloads). */
  keyNow(id: number): Buffer | undefined {
    const k = this.#keys.get(id);
    // A retired key past its time opens nothing, even before the next prune deletes its row.
    return k && (k.deleteAfter === null || k.deleteAfter > nowSeconds()) ? k.key : undefined;
  }

  idsNow(): number[] {
    const now = nowSeconds();
    const kept = [...this.#keys].filter(([id, k]) => id !== this.#current.id && (k.deleteAfter === null || k.deleteAfter > now));
    return [this.#current.id, ...kept.map(([id]) => id).sort((a, b) => b - a)];
  }

  set(current: { id: number; key: Buffer }, keys: Map<number, { key: Buffer; deleteAfter: number | null }>): void {
    this.#current = current;
    this.#keys = keys;
  }
}
