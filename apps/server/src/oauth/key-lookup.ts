import type { CarriedRead } from '../security/attempt-gate.js';
import type { Storage } from '../storage/port.js';
import type { ClientIdentity } from './client-lookup.js';

export interface KeyRow extends ClientIdentity {
  /** The key's public half as a JWK (JSON text): far cheaper to import than its PEM. */
  public_jwk: string;
  expiration_date: string;
}

/** The key's row when found; otherwise the decoy's (to be read at the same cost, then discarded), if there is one. */
export interface FoundKey {
  found: boolean;
  row: KeyRow | undefined;
}

/** How often the decoy key is looked for again once none could be found. */
const DECOY_REFRESH_MS = 60_000;

/**
 * Finds a service user's key by id (an assertion's `kid`) at the same cost whether it exists or not,
 * as client-lookup.ts finds a client: every lookup reads one full key and user row, the key's own
 * or a decoy (another key), and `found` is decided in SQL by the comparison that chose the row. The
 * decoy's row is returned too, so that its public key can be parsed as a found one would be.
 */
export function keyLookup(storage: Storage): (keyId: string) => Promise<CarriedRead<FoundKey>> {
  const lookup = `SELECT u.id, u.username, u.org_id, u.state, u.access_token_type, o.primary_domain, u.token_generation,
            k.public_jwk, k.expiration_date, CASE WHEN k.id = ? THEN 1 ELSE 0 END AS found
     FROM machine_keys k JOIN users u ON u.id = k.user_id JOIN orgs o ON o.id = u.org_id
     WHERE k.id = coalesce((SELECT id FROM machine_keys WHERE id = ?), ?)`;
  let decoy = '';
  let pickAfter = 0;
  const read = (id: string) => storage.one<KeyRow & { found: number }>(lookup, [id, id, decoy]);
  return async (given) => {
    const id = given.includes('\u0000') ? '' : given;
    let row = await read(id);
    if (!row && Date.now() > pickAfter) {
      pickAfter = Date.now() + DECOY_REFRESH_MS;
      decoy = (await storage.one<{ id: string }>('SELECT id FROM machine_keys LIMIT 1'))?.id ?? '';
      row = await read(id);
    }
    return { result: { found: Boolean(row?.found), row } };
  };
}
