import type { Storage } from '../storage/port.js';

/** An API application as the introspection endpoint knows it, found by its client_id. */
export interface AppIdentity {
  id: string;
  client_id: string;
  project_id: string;
  org_id: string;
  auth_method: string;
  secret_hash: Buffer | null;
  secret_key_id: number | null;
}

/** How often a decoy is looked for again once none could be found. */
const DECOY_REFRESH_MS = 60_000;

/**
 * Finds an API application by client_id at the same cost whether it exists or not, as
 * client-lookup.ts finds a service user: every lookup reads one full application and project row,
 * the client's own or a decoy's, and `found` is decided in SQL by the comparison that chose the row.
 */
export function appLookup(storage: Storage): (clientId: string) => Promise<AppIdentity | undefined> {
  const key = storage.engine === 'pg' ? 'id' : 'rowid';
  const lookup = `SELECT a.id, a.client_id, a.project_id, p.org_id, a.auth_method, a.secret_hash, a.secret_key_id,
            CASE WHEN a.client_id = ? THEN 1 ELSE 0 END AS found
     FROM api_apps a JOIN projects p ON p.id = a.project_id
     WHERE a.${key} = coalesce((SELECT ${key} FROM api_apps WHERE client_id = ?), ?)`;
  let decoy: number | string = storage.engine === 'pg' ? '' : -1;
  let pickAfter = 0;
  const read = (id: string) => storage.one<AppIdentity & { found: number }>(lookup, [id, id, decoy]);
  return async (given) => {
    const id = given.includes('\u0000') ? '' : given;
    let row = await read(id);
    if (!row && Date.now() > pickAfter) {
      pickAfter = Date.now() + DECOY_REFRESH_MS;
      decoy = (await storage.one<{ k: number | string }>(`SELECT ${key} AS k FROM api_apps WHERE secret_hash IS NOT NULL LIMIT 1`))?.k ?? decoy;
      row = await read(id);
    }
    return row?.found ? row : undefined;
  };
}

/** An application's key as the introspection endpoint reads it to check an assertion. */
export interface AppKeyRow {
  public_jwk: string;
  expiration_date: string;
  app_id: string;
  client_id: string;
  project_id: string;
  org_id: string;
}

/** The key's row when found; otherwise the decoy's (read at the same cost, then discarded), if there is one. */
export interface FoundAppKey {
  found: boolean;
  row: AppKeyRow | undefined;
}

/** Finds an application's key by id (an assertion's `kid`) at the same cost whether it exists or not, as key-lookup.ts. */
export function appKeyLookup(storage: Storage): (keyId: string) => Promise<FoundAppKey> {
  const lookup = `SELECT k.public_jwk, k.expiration_date, a.id AS app_id, a.client_id, a.project_id, p.org_id,
            CASE WHEN k.id = ? THEN 1 ELSE 0 END AS found
     FROM app_keys k JOIN api_apps a ON a.id = k.app_id JOIN projects p ON p.id = a.project_id
     WHERE k.id = coalesce((SELECT id FROM app_keys WHERE id = ?), ?)`;
  let decoy = '';
  let pickAfter = 0;
  const read = (id: string) => storage.one<AppKeyRow & { found: number }>(lookup, [id, id, decoy]);
  return async (given) => {
    const id = given.includes('\u0000') ? '' : given;
    let row = await read(id);
    if (!row && Date.now() > pickAfter) {
      pickAfter = Date.now() + DECOY_REFRESH_MS;
      decoy = (await storage.one<{ id: string }>('SELECT id FROM app_keys LIMIT 1'))?.id ?? '';
      row = await read(id);
    }
    return { found: Boolean(row?.found), row };
  };
}
