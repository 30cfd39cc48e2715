import { randomBytes } from 'node:crypto';
import type { Logger } from '../logger.js';
import { isWrapped, type MasterKey } from '../security/envelope.js';
import { LiveRing, type InstanceKeyRing } from './live-key-ring.js';
import type { Storage } from './port.js';
import { scrubbed } from './scrub.js';
import { VersionFollower } from './version-follower.js';

/** What each kind of instance key does: seal BEARER tokens, sign session cookies, hash client secrets. */
export type KeyPurpose = 'opaque' | 'session' | 'client-secret-hmac';
export const KEY_PURPOSES: readonly KeyPurpose[] = ['opaque', 'session', 'client-secret-hmac'];
export const INSTANCE_KEY_BYTES = 32;
/** How often a running server looks for keys rotated by the CLI and deletes keys whose time is up. */
const REFRESH_MS = 1_000;
const PRUNE_EVERY = 60;

/** The name a stored key is wrapped under: a wrapped value opens only in its own row. */
export const instanceKeyLabel = (purpose: KeyPurpose, id: number) => `instance-key/${purpose}/${id}`;
export const signingKeyLabel = (kid: string) => `signing-key/${kid}`;

/** The stored form of a new random key: wrapped under the master key when there is one, else base64url. */
export function newStoredInstanceKey(masterKey: MasterKey | undefined, purpose: KeyPurpose, id: number): string {
  const key = randomBytes(INSTANCE_KEY_BYTES);
  return masterKey ? masterKey.wrap(key, instanceKeyLabel(purpose, id)) : key.toString('base64url');
}

/** A problem an operator must fix before Tessera can use its keys; the message says how. */
export class KeyStoreError extends Error {
  override name = 'KeyStoreError';
}

interface KeyRow {
  purpose: KeyPurpose;
  id: number;
  material: string;
  retired_at: number | null;
  delete_after: number | null;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

export type { InstanceKeyRing };

/**
 * The instance keys, in memory: unwrapped once, re-read when the key rows changed. Whether they
 * did is looked at (in the background) once the database's change version moved, and every
 * REFRESH_MS, so a rotation by the CLI or another node shows within about a second; a key id that
 * is not known yet makes the next use wait for a re-read (rings' `find`). Open with
 * openInstanceKeys() (storage/open-instance-keys.ts).
 */
export class InstanceKeys {
  readonly #rings = new Map<KeyPurpose, LiveRing>(
    KEY_PURPOSES.map((p) => [
      p,
      new LiveRing(
        () => this.follow(),
        () => this.refresh(),
      ),
    ]),
  );
  /** Session cookie secrets, current first, updated in place: express-session keeps this array. */
  readonly sessionSecrets: string[] = [];
  readonly #unwrapped = new Map<string, Buffer>();
  readonly #timer: NodeJS.Timeout;
  #shape = '';
  #ticks = 0;
  #failed = false;
  readonly #follower: VersionFollower;
  #closed = false;

  private constructor(
    private readonly storage: Storage,
    readonly masterKey: MasterKey | undefined,
    private readonly logger?: Logger,
  ) {
    this.#follower = new VersionFollower(storage.version, () => this.#reread());
    this.#timer = setInterval(() => void this.#tick(), REFRESH_MS);
    this.#timer.unref();
  }

  static async open(storage: Storage, masterKey: MasterKey | undefined, logger?: Logger): Promise<InstanceKeys> {
    const keys = new InstanceKeys(storage, masterKey, logger);
    try {
      await keys.reload();
    } catch (err) {
      keys.close();
      throw err;
    }
    return keys;
  }

  ring(purpose: KeyPurpose): InstanceKeyRing {
    return this.#rings.get(purpose)!;
  }

  newInstanceKey(purpose: KeyPurpose, id: number): string {
    return newStoredInstanceKey(this.masterKey, purpose, id);
  }

  sealSigningKey(kid: string, privateJwk: string): string {
    return this.masterKey ? this.masterKey.wrap(Buffer.from(privateJwk, 'utf8'), signingKeyLabel(kid)) : privateJwk;
  }

  openSigningKey(kid: string, stored: string): string {
    return isWrapped(stored) ? this.#open(stored, signingKeyLabel(kid)).toString('utf8') : stored;
  }

  /** Starts a re-read in the background if the database changed since the last look; cheap on every use. */
  follow(): void {
    this.#follower.follow();
  }

  /**
   * Resolves once the keys in memory are those of the database as of now: re-read first if the
   * database changed since the last look. Paths that seal, open or check call it, so a key rotated
   * or withdrawn elsewhere is used or refused from the first request that follows the change.
   */
  fresh(): Promise<void> {
    return this.#follower.fresh();
  }

  /** Re-reads the keys if their rows changed since the last look. */
  refresh(): Promise<void> {
    return this.#follower.refresh();
  }

  async #reread(): Promise<boolean> {
    try {
      if ((await this.#readShape()) !== this.#shape) await this.reload();
      this.#failed = false;
      return true;
    } catch (err) {
      // Keep serving with the keys already in memory (a closed database at shutdown, or a key
      // wrapped under a master key this process was not given).
      if (!this.#failed && !this.#closed) this.logger?.error({ err: (err as Error).message }, 'instance keys could not be re-read; restart Tessera');
      this.#failed = true;
      return false;
    }
  }

  async #readShape(): Promise<string> {
    const rows = await this.storage.all<{ purpose: string; id: number; retired_at: number | null; delete_after: number | null }>(
      'SELECT purpose, id, retired_at, delete_after FROM instance_keys ORDER BY purpose, id',
    );
    return rows.map((r) => `${r.purpose}:${r.id}:${r.retired_at ?? ''}:${r.delete_after ?? ''}`).join(',');
  }

  async reload(): Promise<void> {
    const rows = await this.storage.all<KeyRow>('SELECT purpose, id, material, retired_at, delete_after FROM instance_keys ORDER BY purpose, id');
    const shape = rows.map((r) => `${r.purpose}:${r.id}:${r.retired_at ?? ''}:${r.delete_after ?? ''}`).join(',');
    const next = new Map<KeyPurpose, { current: { id: number; key: Buffer }; keys: Map<number, { key: Buffer; deleteAfter: number | null }> }>();
    for (const purpose of KEY_PURPOSES) {
      const mine = rows.filter((r) => r.purpose === purpose);
      const current = mine.find((r) => r.retired_at === null);
      if (!current) throw new KeyStoreError(`the database has no current ${purpose} key`);
      const keys = new Map(mine.map((r) => [r.id, { key: this.#material(r), deleteAfter: r.delete_after }]));
      next.set(purpose, { current: { id: current.id, key: keys.get(current.id)!.key }, keys });
    }
    for (const [purpose, n] of next) this.#rings.get(purpose)!.set(n.current, n.keys);
    const session = this.#rings.get('session')!;
    this.sessionSecrets.splice(0, this.sessionSecrets.length, ...session.idsNow().map((id) => session.keyNow(id)!.toString('base64url')));
    this.#shape = shape;
  }

  /**
   * The client-secret keys among `candidates` that an API application's secret hash was made with. None
   * before migration 014 made the table (a database opened by an earlier release's code in the upgrade tests).
   */
  async #appSecretKeyIds(candidates: readonly { purpose: KeyPurpose }[]): Promise<Set<number>> {
    if (!candidates.some((c) => c.purpose === 'client-secret-hmac')) return new Set();
    const table =
      this.storage.engine === 'pg'
        ? await this.storage.one<{ t: string | null }>("SELECT to_regclass('api_apps')::text AS t")
        : await this.storage.one<{ t: string }>("SELECT name AS t FROM sqlite_master WHERE type = 'table' AND name = 'api_apps'");
    if (!table?.t) return new Set();
    const rows = await this.storage.all<{ id: number }>('SELECT DISTINCT secret_key_id AS id FROM api_apps WHERE secret_key_id IS NOT NULL');
    return new Set(rows.map((r) => r.id));
  }

  /**
   * Deletes keys nothing needs any more: retired opaque keys past their last token's expiry,
   * client-secret keys no stored hash was made with, retired session keys. Zeroes what they leave.
   */
  async prune(now = nowSeconds()): Promise<{ purpose: KeyPurpose; id: number }[]> {
    const found = await this.storage.all<{ purpose: KeyPurpose; id: number }>(
      `SELECT purpose, id FROM instance_keys k WHERE retired_at IS NOT NULL AND (
         (delete_after IS NOT NULL AND delete_after <= ?) OR purpose = 'session' OR
         (purpose = 'client-secret-hmac' AND NOT EXISTS (SELECT 1 FROM machine_secrets s WHERE s.key_id = k.id)
                                           AND NOT EXISTS (SELECT 1 FROM personal_access_tokens p WHERE p.key_id = k.id)))`,
      [now],
    );
    const appKeys = await this.#appSecretKeyIds(found);
    const gone = found.filter((g) => g.purpose !== 'client-secret-hmac' || !appKeys.has(g.id));
    if (!gone.length) return gone;
    await scrubbed(this.storage, () =>
      this.storage.command(async (tx) => {
        for (const g of gone) await tx.run('DELETE FROM instance_keys WHERE purpose = ? AND id = ? AND retired_at IS NOT NULL', [g.purpose, g.id]);
      }),
    );
    for (const g of gone) this.#unwrapped.delete(instanceKeyLabel(g.purpose, g.id));
    await this.refresh();
    return gone;
  }

  close(): void {
    this.#closed = true;
    clearInterval(this.#timer);
  }

  async #tick(): Promise<void> {
    try {
      await this.refresh();
      if (++this.#ticks % PRUNE_EVERY === 0) await this.prune();
    } catch {
      // A closed or unreachable database: the next tick tries again.
    }
  }

  /** A row's key, unwrapped once: a re-wrap (new master key) changes the text, never the key. */
  #material(r: KeyRow): Buffer {
    const label = instanceKeyLabel(r.purpose, r.id);
    let key = this.#unwrapped.get(label);
    if (!key) {
      key = isWrapped(r.material) ? this.#open(r.material, label) : Buffer.from(r.material, 'base64url');
      if (key.length !== INSTANCE_KEY_BYTES) throw new KeyStoreError(`${label} is not a ${INSTANCE_KEY_BYTES}-byte key`);
      this.#unwrapped.set(label, key);
    }
    return key;
  }

  #open(stored: string, label: string): Buffer {
    if (!this.masterKey) {
      throw new KeyStoreError(`${label} is wrapped with a master key: set TESSERA_MASTER_KEY or TESSERA_MASTER_KEY_FILE`);
    }
    try {
      return this.masterKey.unwrap(stored, label);
    } catch {
      throw new KeyStoreError(`${label} does not open with the master key: the row was altered, or copied from another row`);
    }
  }
}
