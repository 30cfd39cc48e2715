import type { ListMachineSecretsResponse, MachineSecretView, SecretState } from '@tessera/contracts';
import type { Sql } from '../../storage/port.js';
import { hasExpired, NO_EXPIRATION } from '../expiration.js';
import { requireMachine } from '../users/commands.js';
import { findUserRow } from '../users/queries.js';
import { firstCountedHour } from './usage.js';

interface SecretRow {
  id: string;
  hint: string | null;
  created_at: string;
  expires_at: string;
  last_used_at: string | null;
  last_used_address: string | null;
  revoked_at: string | null;
  uses: number;
}

function stateOf(r: SecretRow, now: number): SecretState {
  if (r.revoked_at !== null) return 'SECRET_STATE_REVOKED';
  if (r.expires_at === NO_EXPIRATION) return 'SECRET_STATE_ACTIVE';
  return hasExpired(r.expires_at, now) ? 'SECRET_STATE_EXPIRED' : 'SECRET_STATE_EXPIRING';
}

/**
 * A service user's client secrets, newest first, with when and from where each was last used and
 * how often in the last 24 hours (as last flushed: domain/secrets/usage.ts). Never a value or hash.
 * Expired and revoked secrets stay listed until the next rotation.
 */
export async function listMachineSecrets(sql: Sql, orgId: string, userId: string, now = Date.now()): Promise<ListMachineSecretsResponse> {
  requireMachine(await findUserRow(sql, orgId, userId));
  const rows = await sql.all<SecretRow>(
    `SELECT s.id, s.hint, s.created_at, s.expires_at, s.last_used_at, s.last_used_address, s.revoked_at,
            coalesce((SELECT sum(x.uses) FROM machine_secret_uses x WHERE x.secret_id = s.id AND x.hour >= ?), 0) AS uses
     FROM machine_secrets s WHERE s.user_id = ? ORDER BY s.created_at DESC, s.id DESC`,
    [firstCountedHour(now), userId],
  );
  const result = rows.map((r): MachineSecretView => ({
    id: r.id,
    ...(r.hint ? { hint: r.hint } : {}),
    creationDate: r.created_at,
    expirationDate: r.expires_at,
    state: stateOf(r, now),
    ...(r.revoked_at ? { revocationDate: r.revoked_at } : {}),
    ...(r.last_used_at ? { lastUsed: { date: r.last_used_at, address: r.last_used_address ?? '' } } : {}),
    usesLast24h: String(r.uses),
  }));
  return { details: { totalResult: String(result.length), viewTimestamp: new Date(now).toISOString() }, result };
}
