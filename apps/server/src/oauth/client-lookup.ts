import type { AccessTokenType } from '@tessera/contracts';
import DataLoader from 'dataloader';
import { countsColumn, type CarriedRead, type CheckColumn } from '../security/attempt-gate.js';
import type { StoredSecret } from '../domain/secrets/hash.js';
import type { Storage } from '../storage/port.js';

/** A service user as the token endpoint knows it, found by client_id (here) or by key (key-lookup.ts). */
export interface ClientIdentity {
  id: string;
  username: string;
  org_id: string;
  state: string;
  access_token_type: AccessTokenType;
  primary_domain: string;
  /** Sealed into the tokens it is issued (domain/tokens/claims.ts). */
  token_generation: number;
}

/** A stored secret with when it stops working (a revoked one's is the time of its revocation). */
export interface ClientSecret extends StoredSecret {
  expires_at: string;
}

export interface ClientRow extends ClientIdentity {
  /** Every secret it has: one, a few while a rotation overlaps, and the expired or revoked ones kept until the next. */
  secrets: ClientSecret[];
}

/** One row per secret (one row with a null secret when there is none). */
type Found = ClientIdentity & {
  secret_id: string | null;
  hash: Buffer | null;
  key_id: number | null;
  expires_at: string | null;
  found: number;
  carried: string | null;
};
type Read = (name: string, column: CheckColumn | undefined, decoy: number | string) => Promise<Found[]>;

/** How often a decoy without a secret is replaced by one with, once such a user exists. */
const DECOY_REFRESH_MS = 60_000;
/** Most lookups one PostgreSQL statement carries; more wait for the next. */
const MAX_BATCH = 16;

const COLUMNS = `u.id, u.username, u.org_id, u.state, u.access_token_type, o.primary_domain, u.token_generation,
  s.id AS secret_id, s.hash, s.key_id, s.expires_at`;
const JOINS = 'JOIN orgs o ON o.id = u.org_id LEFT JOIN machine_secrets s ON s.user_id = u.id';

/**
 * Finds a service user by client_id (its username, case-insensitively) at the same cost whether it
 * exists or not. A plain lookup stops at the index for an unknown name but reads three rows and
 * builds an object for a known one: about 3 µs apart, as much as the HMAC itself, and enough to
 * tell which usernames exist given enough samples. So every lookup reads a full user and its secrets:
 * the client's when it exists, otherwise a decoy's (another user's), which are then discarded. `found` is
 * decided in SQL by the same comparison that chose the row, so a decoy can never authenticate.
 * A column given (the throttle's counts) is read in the same statement and returned beside the row.
 */
export function clientLookup(storage: Storage): (clientId: string, column?: CheckColumn) => Promise<CarriedRead<ClientRow | undefined>> {
  const read = storage.engine === 'pg' ? batchedRead(storage) : sqliteRead(storage);
  // Preferably a service user with a secret, whose row costs what a real client's does.
  const key = storage.engine === 'pg' ? 'id' : 'rowid';
  const withSecret = `SELECT u.${key} AS k FROM machine_secrets s JOIN users u ON u.id = s.user_id LIMIT 1`;
  const anyUser = `SELECT ${key} AS k FROM users LIMIT 1`;
  let decoy: number | string = storage.engine === 'pg' ? '' : -1;
  let pickAfter = 0;
  const pick = async (now: number) => {
    pickAfter = now + DECOY_REFRESH_MS;
    decoy = ((await storage.one<{ k: number | string }>(withSecret)) ?? (await storage.one<{ k: number | string }>(anyUser)))?.k ?? decoy;
  };

  return async (given, column) => {
    // PostgreSQL's text cannot hold NUL, and no username has one: such a name is looked up as '' (which
    // finds no client, at the same cost), never sent to fail as an error.
    const name = given.includes('\u0000') ? '' : given;
    let rows = await read(name, column, decoy);
    // A decoy that was deleted, or one without a secret now that a better one may exist.
    if (!rows.length || (!rows[0]!.found && rows[0]!.hash === null && Date.now() > pickAfter)) {
      await pick(Date.now());
      if (!rows.length) rows = await read(name, column, decoy);
    }
    const first = rows[0];
    return { result: first?.found ? clientOf(first, rows) : undefined, column: first && column ? first.carried : undefined };
  };
}

/** The first row becomes the client (its identity columns), carrying every row's secret. */
function clientOf(first: Found, rows: Found[]): ClientRow {
  const secrets: ClientSecret[] = [];
  for (const r of rows) if (r.hash) secrets.push({ id: r.secret_id!, hash: r.hash, key_id: r.key_id!, expires_at: r.expires_at! });
  return Object.assign(first, { secrets });
}

/**
 * SQLite: one statement per lookup (it runs in this process; nothing to save by batching). SQLite checks the type in the same index walk either way.
 * The throttle's counts ride along only when the workers share them (TESSERA_WORKERS); one process keeps them in memory.
 */
function sqliteRead(storage: Storage): Read {
  const lookup = (carried: string) => `SELECT ${COLUMNS},
            CASE WHEN lower(u.username) = lower(?) AND u.type = 'machine' THEN 1 ELSE 0 END AS found, ${carried} AS carried
     FROM users u ${JOINS}
     WHERE u.rowid = coalesce((SELECT rowid FROM users WHERE lower(username) = lower(?) AND type = 'machine'), ?)`;
  const alone = lookup('NULL');
  const counted = lookup(countsColumn('sqlite', '?', '?', '?'));
  return (name, column, decoy) =>
    column ? storage.all<Found>(counted, [name, column.pair, column.address, column.since, name, decoy]) : storage.all<Found>(alone, [name, name, decoy]);
}

/**
 * PostgreSQL: the lookups made in one turn of the event loop go as one statement, a VALUES list of
 * (name, throttle keys) joined to the rows; a round trip costs both processes far more CPU than a
 * row does. A statement per batch size, all with scalar parameters, so PostgreSQL settles on a
 * generic plan for each rather than planning every call. A known name's row is read from the heap to
 * check its type, where an unknown name stops at the index: the decoy is fetched through the same
 * kind of read, so both paths read one row before the main read.
 */
function batchedRead(storage: Storage): Read {
  const statements = new Map<number, string>();
  const statement = (size: number) => {
    let text = statements.get(size);
    if (!text) {
      const rows = Array.from({ length: size }, (_, i) => `(?::text, ?::text, ?::text, ?::bigint, ${i})`).join(', ');
      text = `SELECT q.n, ${COLUMNS},
              CASE WHEN lower(u.username) = lower(q.name) AND u.type = 'machine' THEN 1 ELSE 0 END AS found,
              ${countsColumn('pg', 'q.pair', 'q.address', 'q.since')} AS carried
       FROM (VALUES ${rows}) AS q(name, pair, address, since, n)
       JOIN users u ON u.id = coalesce((SELECT id FROM users WHERE lower(username) = lower(q.name) AND type = 'machine'),
                                        (SELECT id FROM users WHERE id = ? AND type = 'machine'))
       ${JOINS}`;
      statements.set(size, text);
    }
    return text;
  };
  type Lookup = { name: string; column: CheckColumn | undefined; decoy: number | string };
  const loader = new DataLoader<Lookup, Found[]>(
    async (lookups) => {
      const params = lookups.flatMap((l) => [l.name, l.column?.pair ?? null, l.column?.address ?? null, l.column?.since ?? 0]);
      const rows = await storage.all<Found & { n: number }>(statement(lookups.length), [...params, lookups[0]!.decoy]);
      const byIndex: Found[][] = Array.from({ length: lookups.length }, () => []);
      for (const row of rows) byIndex[row.n]!.push(row);
      return byIndex;
    },
    // Every request that arrived in this turn has made its lookup by the check phase.
    { cache: false, maxBatchSize: MAX_BATCH, batchScheduleFn: (send) => setImmediate(send) },
  );
  return (name, column, decoy) => loader.load({ name, column, decoy });
}
