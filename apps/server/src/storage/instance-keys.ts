import { randomBytes } from 'node:crypto';
import type { Logger } from '../logger.js';
import { isWrapped, type MasterKey } from '../security/envelope.js';
import { dataVersionOf, type DataVersion } from './data-version.js';
import type { Db } from './db.js';
import { LiveRing, type InstanceKeyRing } from './live-key-ring.js';
import { truncateWal, withSecureDelete } from './scrub.js';

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
 * The instance keys of one database connection, in memory: unwrapped once, re-read only when the
 * key rows changed (checked against the connection's data version, so a rotation by the CLI shows
 * within its poll interval, 0.1 s). Open with openInstanceKeys() (storage/open-instance-keys.ts).
 */
export class InstanceKeys {
  readonly #rings = new Map<KeyPurpose, LiveRing>(KEY_PURPOSES.map((p) => [p, new LiveRing(() => this.refresh())]));
  /** Session cookie secrets, current first, updated in place: express-session keeps this array. */
  readonly sessionSecrets: string[] = [];
  readonly #unwrapped = new Map<string, Buffer>();
  readonly #version: DataVersion;
  readonly #selectRows;
  readonly #selectShape;
  readonly #timer: NodeJS.Timeout;
  #seenVersion = -1;
  #shape = '';
  #ticks = 0;
  #failed = false;

  constructor(
    private readonly db: Db,
    readonly masterKey: MasterKey | undefined,
    private readonly logger?: Logger,
  ) {
    this.#version = dataVersionOf(db);
    this.#selectRows = db.prepare('SELECT purpose, id, material, retired_at, delete_after FROM instance_keys');
    this.#selectShape = db.prepare("SELECT group_concat(purpose || ':' || id || ':' || ifnull(retired_at, '') || ':' || ifnull(delete_after, ''), ',') FROM instance_keys").pluck();
    this.reload();
    this.#timer = setInterval(() => this.#tick(), REFRESH_MS);
    this.#timer.unref();
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

  /** Re-reads the keys if their rows changed since the last look; cheap enough for every use. */
  refresh(): void {
    const v = this.#version.current();
    if (v === this.#seenVersion) return;
    this.#seenVersion = v;
    try {
      if (this.#selectShape.get() !== this.#shape) this.reload();
      this.#failed = false;
    } catch (err) {
      // Keep serving with the keys already in memory (a closed database at shutdown, or a key
      // wrapped under a master key this process was not given).
      if (!this.#failed && this.db.open) this.logger?.error({ err: (err as Error).message }, 'instance keys could not be re-read; restart Tessera');
      this.#failed = true;
    }
  }

  reload(): void {
    const rows = this.#selectRows.all() as KeyRow[];
    for (const purpose of KEY_PURPOSES) {
      const mine = rows.filter((r) => r.purpose === purpose);
      const current = mine.find((r) => r.retired_at === null);
      if (!current) throw new KeyStoreError(`the database has no current ${purpose} key`);
      const keys = new Map(mine.map((r) => [r.id, { key: this.#material(r), deleteAfter: r.delete_after }]));
      this.#rings.get(purpose)!.set({ id: current.id, key: keys.get(current.id)!.key }, keys);
    }
    const session = this.#rings.get('session')!;
    this.sessionSecrets.splice(0, this.sessionSecrets.length, ...session.idsNow().map((id) => session.keyNow(id)!.toString('base64url')));
    this.#shape = this.#selectShape.get() as string;
  }

  /**
   * Deletes keys nothing needs any more: retired opaque keys past their last token's expiry,
   * client-secret keys no stored hash was made with, retired session keys. Zeroes what they leave.
   */
  prune(now = nowSeconds()): { purpose: KeyPurpose; id: number }[] {
    const gone = this.db
      .prepare(
        `SELECT purpose, id FROM instance_keys k WHERE retired_at IS NOT NULL AND (
           (delete_after IS NOT NULL AND delete_after <= @now) OR purpose = 'session' OR
           (purpose = 'client-secret-hmac' AND NOT EXISTS (SELECT 1 FROM machine_secrets s WHERE s.key_id = k.id)))`,
      )
      .all({ now }) as { purpose: KeyPurpose; id: number }[];
    if (!gone.length) return gone;
    const del = this.db.prepare('DELETE FROM instance_keys WHERE purpose = ? AND id = ? AND retired_at IS NOT NULL');
    withSecureDelete(this.db, () => this.db.transaction(() => gone.forEach((g) => del.run(g.purpose, g.id))).immediate());
    truncateWal(this.db);
    for (const g of gone) this.#unwrapped.delete(instanceKeyLabel(g.purpose, g.id));
    this.refresh();
    return gone;
  }

  close(): void {
    clearInterval(this.#timer);
    if (stores.get(this.db) === this) stores.delete(this.db);
  }

  #tick(): void {
    try {
      this.refresh();
      if (++this.#ticks % PRUNE_EVERY === 0) this.prune();
    } catch {
      // A closed or busy database: the next tick tries again.
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

const stores = new WeakMap<Db, InstanceKeys>();

export function registerInstanceKeys(db: Db, keys: InstanceKeys): void {
  stores.get(db)?.close();
  stores.set(db, keys);
}

/** The instance keys opened for this connection (openInstanceKeys). */
export function instanceKeys(db: Db): InstanceKeys {
  const keys = stores.get(db);
  if (!keys) throw new Error('instance keys are not open on this database connection');
  return keys;
}

export function instanceKeyRing(db: Db, purpose: KeyPurpose): InstanceKeyRing {
  return instanceKeys(db).ring(purpose);
}
