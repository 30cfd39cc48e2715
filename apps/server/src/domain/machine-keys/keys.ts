import { createPublicKey } from 'node:crypto';
import type {
  AddMachineKeyRequest,
  AddMachineKeyResponse,
  KeyType,
  ListMachineKeysRequest,
  ListMachineKeysResponse,
  MachineKeyView,
  ObjectDetails,
} from '@tessera/contracts';
import { newId } from '../../storage/ids.js';
import type { Sql, Storage } from '../../storage/port.js';
import { invalidArgument, notFound } from '../errors.js';
import { expiration } from '../expiration.js';
import { details } from '../events.js';
import { lockUser, requireMachine, touchUser } from '../users/commands.js';
import { findUserRow } from '../users/queries.js';
import { newKeyPair, uploadedPublicKey, type KeyFile } from './key-pair.js';

/** Keys one service user may hold; each is a way in, and the list is read on every change to them. */
const MAX_KEYS_PER_USER = 100;

interface KeyRow {
  id: string;
  user_id: string;
  type: KeyType;
  sequence: number;
  created_at: string;
  expiration_date: string;
  org_id: string;
}

const toView = (r: KeyRow): MachineKeyView => ({
  id: r.id,
  details: details(r.sequence, r.created_at, r.org_id, r.created_at),
  type: r.type,
  expirationDate: r.expiration_date,
});

/**
 * AddMachineKey: a new RSA key pair whose private half is in the answer's key file and nowhere
 * else, or the operator's own public key (then there is no file to give).
 */
export async function addMachineKey(
  storage: Storage,
  orgId: string,
  userId: string,
  editorUserId: string | null,
  req: AddMachineKeyRequest,
): Promise<AddMachineKeyResponse> {
  const expirationDate = expiration(req.expirationDate);
  // Generated outside the transaction: making an RSA key takes tens of milliseconds of CPU.
  const pair =
    req.publicKey === undefined ? await newKeyPair() : { publicKey: uploadedPublicKey(Buffer.from(req.publicKey, 'base64').toString('utf8')), privateKey: '' };
  return storage.command(async (tx) => {
    requireMachine(await findUserRow(tx, orgId, userId));
    await lockUser(tx, userId); // the count holds until the insert
    const { n } = (await tx.one<{ n: number }>('SELECT count(*) AS n FROM machine_keys WHERE user_id = ?', [userId]))!;
    if (n >= MAX_KEYS_PER_USER) throw invalidArgument('KEY-TooMany', `a service user holds at most ${MAX_KEYS_PER_USER} keys; remove one first`);
    const keyId = newId();
    const d = await touchUser(tx, orgId, userId, editorUserId, 'user.machine.key.added', { keyId, type: req.type, expirationDate });
    await tx.run(
      `INSERT INTO machine_keys (id, user_id, type, public_key, public_jwk, sequence, created_at, expiration_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [keyId, userId, req.type, pair.publicKey, jwkOf(pair.publicKey), Number(d.sequence), d.changeDate, expirationDate],
    );
    const file: KeyFile | undefined = pair.privateKey ? { type: 'serviceaccount', keyId, key: pair.privateKey, expirationDate, userId } : undefined;
    return {
      keyId,
      // ZITADEL leaves keyDetails out when the public key was uploaded: there is no file to give.
      ...(file ? { keyDetails: Buffer.from(JSON.stringify(file)).toString('base64') } : {}),
      details: { ...d, creationDate: d.changeDate },
    };
  });
}

const jwkOf = (pem: string) => JSON.stringify(createPublicKey(pem).export({ format: 'jwk' }));

/** Fills in the JWK of keys stored before there was a column for it (migration 011); at start, once per key. */
export async function fillKeyJwks(storage: Storage): Promise<number> {
  const rows = await storage.all<{ id: string; public_key: string }>('SELECT id, public_key FROM machine_keys WHERE public_jwk IS NULL');
  if (!rows.length) return 0;
  await storage.command(async (tx) => {
    for (const r of rows) await tx.run('UPDATE machine_keys SET public_jwk = ? WHERE id = ? AND public_jwk IS NULL', [jwkOf(r.public_key), r.id]);
  });
  return rows.length;
}

/** RemoveMachineKey: assertions signed with it are refused from the next request. */
export function removeMachineKey(storage: Storage, orgId: string, userId: string, keyId: string, editorUserId: string | null): Promise<ObjectDetails> {
  return storage.command(async (tx) => {
    requireMachine(await findUserRow(tx, orgId, userId));
    const removed = await tx.run('DELETE FROM machine_keys WHERE id = ? AND user_id = ?', [keyId, userId]);
    if (!removed) throw keyNotFound();
    return touchUser(tx, orgId, userId, editorUserId, 'user.machine.key.removed', { keyId });
  });
}

const KEY_FROM = 'machine_keys k JOIN users u ON u.id = k.user_id';
const KEY_COLUMNS = 'k.id, k.user_id, k.type, k.sequence, k.created_at, k.expiration_date, u.org_id';

/** GetMachineKeyByIDs. */
export async function getMachineKey(sql: Sql, orgId: string, userId: string, keyId: string): Promise<MachineKeyView> {
  const row = await sql.one<KeyRow>(`SELECT ${KEY_COLUMNS} FROM ${KEY_FROM} WHERE k.id = ? AND k.user_id = ? AND u.org_id = ?`, [keyId, userId, orgId]);
  if (!row) throw keyNotFound();
  return toView(row);
}

/** ListMachineKeys: by creation, newest first unless asc, with ZITADEL's paging. */
export async function listMachineKeys(sql: Sql, orgId: string, userId: string, req: ListMachineKeysRequest): Promise<ListMachineKeysResponse> {
  requireMachine(await findUserRow(sql, orgId, userId));
  const order = req.query?.asc ? 'ASC' : 'DESC';
  const { n } = (await sql.one<{ n: number }>('SELECT count(*) AS n FROM machine_keys WHERE user_id = ?', [userId]))!;
  const rows = await sql.all<KeyRow>(`SELECT ${KEY_COLUMNS} FROM ${KEY_FROM} WHERE k.user_id = ? ORDER BY k.sequence ${order} LIMIT ? OFFSET ?`, [
    userId,
    req.query?.limit || 100,
    req.query?.offset ?? 0,
  ]);
  return { details: { totalResult: String(n), viewTimestamp: new Date().toISOString() }, result: rows.map(toView) };
}

function keyNotFound() {
  return notFound('KEY-NotFound', 'key not found');
}
