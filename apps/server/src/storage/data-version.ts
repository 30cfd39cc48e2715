import type { ChangeVersion } from './port.js';

/**
 * Rows read on every request (a client's credentials, a user's state, a caller's grants), kept
 * until the database may have changed (the storage's change version moved), then all forgotten at
 * once. Only found rows are kept, so unknown keys cannot fill it; at most `max` entries, the least
 * recently added going first. A row loaded while the version moved is not kept: it may predate the
 * change. Values are shared between requests and must not be changed by callers.
 */
export class VersionedCache<K, V> {
  readonly #entries = new Map<K, V>();
  #version = -1;

  constructor(
    private readonly version: ChangeVersion,
    private readonly max: number,
  ) {}

  /** The kept value, or undefined on a miss; never reads. */
  peek(key: K): V | undefined {
    const now = this.version.current();
    if (now !== this.#version) {
      this.#entries.clear();
      this.#version = now;
    }
    return this.#entries.get(key);
  }

  async get(key: K, load: (key: K) => Promise<V | undefined>): Promise<V | undefined> {
    const hit = this.peek(key);
    if (hit !== undefined) return hit;
    const before = this.#version;
    const loaded = await load(key);
    if (loaded !== undefined && this.version.current() === before && this.#version === before) {
      if (this.#entries.size >= this.max) this.#entries.delete(this.#entries.keys().next().value!);
      this.#entries.set(key, loaded);
    }
    return loaded;
  }
}
