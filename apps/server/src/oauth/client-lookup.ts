import type { AccessTokenType } from '@tessera/contracts';
import type { Db } from '../storage/db.js';

export interface ClientRow {
  id: string;
  username: string;
  org_id: string;
  state: string;
  access_token_type: AccessTokenType;
  primary_domain: string;
  hash: Buffer | null;
  /** Sealed into the tokens it is issued (domain/tokens/claims.ts). */
  token_generation: number;
  /** The instance key the hash was made with (machine_secrets.key_id); null with the hash. */
  key_id: number | null;
}

/** How often a decoy without a secret is replaced by one with, once such a user exists. */
const DECOY_REFRESH_MS = 60_000;

/**
 * Finds a service user by client_id (its username, case-insensitively) at the same cost whether it
 * exists or not. A plain lookup stops at the index for an unknown name but reads three rows and
 * builds an object for a known one: about 3 µs apart, as much as the HMAC itself, and enough to
 * tell which usernames exist given enough samples. So every lookup reads one full row: the
 * client's when it exists, otherwise a decoy (another user's), which is then discarded. `found` is
 * decided in SQL by the same comparison that chose the row, so a decoy can never authenticate.
 */
export function clientLookup(db: Db): (clientId: string) => ClientRow | undefined {
  const lookup = db.prepare(
    `SELECT u.id, u.username, u.org_id, u.state, u.access_token_type, o.primary_domain, s.hash, s.key_id,
            u.token_generation,
            (u.username = @name COLLATE NOCASE AND u.type = 'machine') AS found
     FROM users u JOIN orgs o ON o.id = u.org_id LEFT JOIN machine_secrets s ON s.user_id = u.id
     WHERE u.rowid = coalesce((SELECT rowid FROM users WHERE username = @name COLLATE NOCASE AND type = 'machine'), @decoy)`,
  );
  // Preferably a service user with a secret, whose row costs what a real client's does.
  const withSecret = db.prepare('SELECT u.rowid FROM machine_secrets s JOIN users u ON u.id = s.user_id LIMIT 1').pluck();
  const anyUser = db.prepare('SELECT rowid FROM users LIMIT 1').pluck();
  let decoy: number | bigint = -1;
  let pickAfter = 0;
  const pick = (now: number) => {
    decoy = ((withSecret.get() ?? anyUser.get()) as number | undefined) ?? -1;
    pickAfter = now + DECOY_REFRESH_MS;
  };

  return (name) => {
    let row = lookup.get({ name, decoy }) as (ClientRow & { found: number }) | undefined;
    // A decoy that was deleted, or one without a secret now that a better one may exist.
    if (!row || (!row.found && row.hash === null && Date.now() > pickAfter)) {
      pick(Date.now());
      row ??= lookup.get({ name, decoy }) as (ClientRow & { found: number }) | undefined;
    }
    return row?.found ? row : undefined;
  };
}
