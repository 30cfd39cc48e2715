import { inTransaction, type Db } from '../../storage/db.js';
import { instanceKeys, type KeyPurpose } from '../../storage/instance-keys.js';
import { truncateWal, withSecureDelete } from '../../storage/scrub.js';
import { PUBLISH_GRACE_SECONDS } from '../tokens/signing-keys.js';

export interface InstanceKeyRotation {
  purpose: KeyPurpose;
  /** The new current key. */
  id: number;
  /** The key it replaced. */
  previous: number;
  /** Opaque keys kept until the tokens they sealed have expired: epoch seconds of their deletion. */
  keptUntil?: number;
  /** Keys deleted by this rotation (at once, or because nothing needs them any more). */
  deleted: number[];
  /** Session rotation: console sessions deleted. */
  signedOut?: number;
  /** Client-secret rotation: secrets still hashed with an older key, re-hashed at their next use. */
  awaitingRehash?: number;
}

export interface RotateInstanceKeyOptions {
  /** Access token lifetime: how long a retired opaque key must still open tokens. */
  lifetimeSeconds: number;
  /** Opaque key only: delete the old key now, so every token it sealed is refused at once. */
  retireNow?: boolean;
  now?: number;
}

/**
 * A new current key for one purpose, in one transaction, with what each purpose needs for the old:
 * - opaque: the old key still opens the tokens it sealed until they expire (lifetime plus grace),
 *   then is deleted; with retireNow it is deleted at once and its tokens are refused;
 * - session: the old key is deleted and so is every console session: everyone signs in again
 *   (a session key is rotated because it may be known, so no cookie signed with it is kept);
 * - client-secret-hmac: the old key checks the hashes it made until each is re-hashed at its
 *   client's next successful authentication (or replaced), and is deleted once none needs it.
 */
export function rotateInstanceKey(db: Db, purpose: KeyPurpose, opts: RotateInstanceKeyOptions): InstanceKeyRotation {
  const keys = instanceKeys(db);
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  const result = withSecureDelete(db, () =>
    inTransaction(db, (): InstanceKeyRotation => {
      const previous = db.prepare('SELECT id FROM instance_keys WHERE purpose = ? AND retired_at IS NULL').pluck().get(purpose) as number;
      const id = db.prepare('SELECT max(id) + 1 FROM instance_keys WHERE purpose = ?').pluck().get(purpose) as number;
      const keptUntil = purpose === 'opaque' && !opts.retireNow ? now + opts.lifetimeSeconds + PUBLISH_GRACE_SECONDS : undefined;
      db.prepare('UPDATE instance_keys SET retired_at = ?, delete_after = ? WHERE purpose = ? AND retired_at IS NULL').run(now, keptUntil ?? null, purpose);
      db.prepare('INSERT INTO instance_keys (purpose, id, material, created_at) VALUES (?, ?, ?, ?)').run(purpose, id, keys.newInstanceKey(purpose, id), now);
      const r: InstanceKeyRotation = { purpose, id, previous, keptUntil, deleted: [] };
      if (purpose === 'session' || opts.retireNow) {
        r.deleted = db.prepare('SELECT id FROM instance_keys WHERE purpose = ? AND id <> ? ORDER BY id').pluck().all(purpose, id) as number[];
        db.prepare('DELETE FROM instance_keys WHERE purpose = ? AND id <> ?').run(purpose, id);
      }
      if (purpose === 'session') r.signedOut = db.prepare('DELETE FROM sessions').run().changes;
      if (purpose === 'client-secret-hmac') {
        r.awaitingRehash = db.prepare('SELECT count(*) FROM machine_secrets WHERE key_id <> ?').pluck().get(id) as number;
      }
      return r;
    }),
  );
  result.deleted.push(...keys.prune(now).filter((g) => g.purpose === purpose).map((g) => g.id));
  truncateWal(db);
  keys.refresh();
  return result;
}
