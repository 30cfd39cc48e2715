import type { AccessTokenType } from '@tessera/contracts';
import type { CarriedRead, CheckColumn } from '../security/attempt-gate.js';
import type { Storage } from '../storage/port.js';

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
 * A column given (the throttle's counts) is read in the same statement and returned beside the row.
 */
export function clientLookup(storage: Storage): (clientId: string, column?: CheckColumn) => Promise<CarriedRead<ClientRow | undefined>> {
  // SQLite's rowid is its cheapest key; PostgreSQL has none, and reads the primary key instead.
  const key = storage.engine === 'pg' ? 'id' : 'rowid';
  // PostgreSQL reads a known name's row from the heap to check its type, and an unknown name stops
  // at the index: the decoy is fetched through the same kind of read, so both paths read one row
  // before the main read. SQLite checks the type in the same index walk either way.
  const decoyRow = storage.engine === 'pg' ? "(SELECT id FROM users WHERE id = ? AND type = 'machine')" : '?';
  const lookup = (carry = 'NULL') => `SELECT u.id, u.username, u.org_id, u.state, u.access_token_type, o.primary_domain, s.hash, s.key_id,
            u.token_generation,
            CASE WHEN lower(u.username) = lower(?) AND u.type = 'machine' THEN 1 ELSE 0 END AS found,
            ${carry} AS carried
     FROM users u JOIN orgs o ON o.id = u.org_id LEFT JOIN machine_secrets s ON s.user_id = u.id
     WHERE u.${key} = coalesce((SELECT ${key} FROM users WHERE lower(username) = lower(?) AND type = 'machine'), ${decoyRow})`;
  const plain = lookup();
  // Preferably a service user with a secret, whose row costs what a real client's does.
  const withSecret = `SELECT u.${key} AS k FROM machine_secrets s JOIN users u ON u.id = s.user_id LIMIT 1`;
  const anyUser = `SELECT ${key} AS k FROM users LIMIT 1`;
  let decoy: number | string = storage.engine === 'pg' ? '' : -1;
  let pickAfter = 0;
  const pick = async (now: number) => {
    pickAfter = now + DECOY_REFRESH_MS;
    decoy = ((await storage.one<{ k: number | string }>(withSecret)) ?? (await storage.one<{ k: number | string }>(anyUser)))?.k ?? decoy;
  };
  // PostgreSQL's text cannot hold NUL, and no username has one: such a name is looked up as '' (which
  // finds no client, at the same cost), never sent to fail as an error.
  const read = (given: string, column?: CheckColumn) => {
    const name = given.includes('\u0000') ? '' : given;
    const [text, params] = column ? [lookup(column.sql), [name, ...column.params, name, decoy]] : [plain, [name, name, decoy]];
    return storage.one<ClientRow & { found: number; carried: string | null }>(text, params);
  };

  return async (name, column) => {
    let row = await read(name, column);
    // A decoy that was deleted, or one without a secret now that a better one may exist.
    if (!row || (!row.found && row.hash === null && Date.now() > pickAfter)) {
      await pick(Date.now());
      row ??= await read(name, column);
    }
    return { result: row?.found ? row : undefined, column: row ? row.carried : undefined };
  };
}
