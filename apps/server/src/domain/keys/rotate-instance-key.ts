import type { InstanceKeys, KeyPurpose } from '../../storage/instance-keys.js';
import type { Storage } from '../../storage/port.js';
import { scrubbed } from '../../storage/scrub.js';
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
  /** Client-secret rotation: personal access tokens hashed with an older key, which is kept for them. */
  tokensOnOlderKeys?: number;
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
export async function rotateInstanceKey(
  storage: Storage,
  keys: InstanceKeys,
  purpose: KeyPurpose,
  opts: RotateInstanceKeyOptions,
): Promise<InstanceKeyRotation> {
  const now = opts.now ?? Math.floor(Date.now() / 1000);
  const result = await scrubbed(storage, () =>
    storage.command(async (tx): Promise<InstanceKeyRotation> => {
      // The current row is locked, so two rotations of one purpose take turns.
      const previous = (await tx.one<{ id: number }>(
        `SELECT id FROM instance_keys WHERE purpose = ? AND retired_at IS NULL${tx.engine === 'pg' ? ' FOR UPDATE' : ''}`,
        [purpose],
      ))!.id;
      const id = (await tx.one<{ id: number }>('SELECT max(id) + 1 AS id FROM instance_keys WHERE purpose = ?', [purpose]))!.id;
      const keptUntil = purpose === 'opaque' && !opts.retireNow ? now + opts.lifetimeSeconds + PUBLISH_GRACE_SECONDS : undefined;
      await tx.run('UPDATE instance_keys SET retired_at = ?, delete_after = ? WHERE purpose = ? AND retired_at IS NULL', [now, keptUntil ?? null, purpose]);
      await tx.run('INSERT INTO instance_keys (purpose, id, material, created_at) VALUES (?, ?, ?, ?)', [purpose, id, keys.newInstanceKey(purpose, id), now]);
      const r: InstanceKeyRotation = { purpose, id, previous, keptUntil, deleted: [] };
      if (purpose === 'session' || opts.retireNow) {
        r.deleted = (await tx.all<{ id: number }>('SELECT id FROM instance_keys WHERE purpose = ? AND id <> ? ORDER BY id', [purpose, id])).map((k) => k.id);
        await tx.run('DELETE FROM instance_keys WHERE purpose = ? AND id <> ?', [purpose, id]);
      }
      if (purpose === 'session') r.signedOut = await tx.run('DELETE FROM sessions');
      if (purpose === 'client-secret-hmac') {
        r.awaitingRehash = (await tx.one<{ n: number }>(
          'SELECT (SELECT count(*) FROM machine_secrets WHERE key_id <> ?) + (SELECT count(*) FROM api_apps WHERE secret_key_id <> ?) AS n',
          [id, id],
        ))!.n;
        r.tokensOnOlderKeys = (await tx.one<{ n: number }>('SELECT count(*) AS n FROM personal_access_tokens WHERE key_id <> ?', [id]))!.n;
      }
      return r;
    }),
  );
  result.deleted.push(...(await keys.prune(now)).filter((g) => g.purpose === purpose).map((g) => g.id));
  await keys.refresh();
  return result;
}
