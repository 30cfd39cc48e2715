import { createPublicKey } from 'node:crypto';
import type { AddAppKeyRequest, AddAppKeyResponse, AppKeyView, KeyType, ListAppKeysRequest, ListAppKeysResponse, ObjectDetails } from '@tessera/contracts';
import { newId } from '../../storage/ids.js';
import type { Sql, Storage } from '../../storage/port.js';
import { failedPrecondition, invalidArgument, notFound } from '../errors.js';
import { details } from '../events.js';
import { expiration } from '../expiration.js';
import { newKeyPair } from '../machine-keys/key-pair.js';
import { touchProject } from '../projects/projects.js';
import { requireApp } from './apps.js';

/** Keys one application may hold. */
const MAX_KEYS_PER_APP = 100;

/** ZITADEL's application key file: what a resource server reads to sign its introspection assertions. */
export interface AppKeyFile {
  type: 'application';
  keyId: string;
  /** PKCS#1 PEM, as ZITADEL writes it. */
  key: string;
  appId: string;
  clientId: string;
  expirationDate: string;
}

/** AddAppKey: a new RSA key pair for a PRIVATE_KEY_JWT application; the private half is in the answer's key file only. */
export async function addAppKey(
  storage: Storage,
  orgId: string,
  projectId: string,
  appId: string,
  editorUserId: string | null,
  req: AddAppKeyRequest,
): Promise<AddAppKeyResponse> {
  const expirationDate = expiration(req.expirationDate);
  const pair = await newKeyPair(); // outside the transaction: tens of milliseconds of CPU
  return storage.command(async (tx) => {
    const app = await requireApp(tx, orgId, projectId, appId);
    if (app.auth_method !== 'API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT') {
      throw failedPrecondition('APP-NotPrivateKeyJwt', 'only an application with API_AUTH_METHOD_TYPE_PRIVATE_KEY_JWT has keys');
    }
    if (tx.engine === 'pg') await tx.one('SELECT 1 FROM api_apps WHERE id = ? FOR UPDATE', [appId]);
    const { n } = (await tx.one<{ n: number }>('SELECT count(*) AS n FROM app_keys WHERE app_id = ?', [appId]))!;
    if (n >= MAX_KEYS_PER_APP) throw invalidArgument('APP-TooManyKeys', `an application holds at most ${MAX_KEYS_PER_APP} keys; remove one first`);
    const keyId = newId();
    const d = await touchProject(tx, orgId, projectId, editorUserId, 'project.application.key.added', { appId, keyId, type: req.type, expirationDate });
    const jwk = JSON.stringify(createPublicKey(pair.publicKey).export({ format: 'jwk' }));
    await tx.run('INSERT INTO app_keys (id, app_id, type, public_key, public_jwk, sequence, created_at, expiration_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)', [
      keyId,
      appId,
      req.type,
      pair.publicKey,
      jwk,
      Number(d.sequence),
      d.changeDate,
      expirationDate,
    ]);
    const file: AppKeyFile = { type: 'application', keyId, key: pair.privateKey, appId, clientId: app.client_id, expirationDate };
    return {
      id: keyId,
      details: { ...d, creationDate: d.changeDate },
      keyDetails: Buffer.from(JSON.stringify(file)).toString('base64'),
    };
  });
}

interface AppKeyRow {
  id: string;
  type: KeyType;
  sequence: number;
  created_at: string;
  expiration_date: string;
}

/** Never the public key: id, type, expiration and details, as ZITADEL's authn Key. */
const KEY_COLUMNS = 'id, type, sequence, created_at, expiration_date';

const toView = (r: AppKeyRow, orgId: string): AppKeyView => ({
  id: r.id,
  details: details(r.sequence, r.created_at, orgId, r.created_at),
  type: r.type,
  expirationDate: r.expiration_date,
});

const keyNotFound = () => notFound('APP-KeyNotFound', 'application key not found');

/** ListAppKeys: by creation, newest first unless asc. An application without keys (BASIC) lists none. */
export async function listAppKeys(sql: Sql, orgId: string, projectId: string, appId: string, req: ListAppKeysRequest): Promise<ListAppKeysResponse> {
  await requireApp(sql, orgId, projectId, appId);
  const { n } = (await sql.one<{ n: number }>('SELECT count(*) AS n FROM app_keys WHERE app_id = ?', [appId]))!;
  const rows = await sql.all<AppKeyRow>(
    `SELECT ${KEY_COLUMNS} FROM app_keys WHERE app_id = ? ORDER BY sequence ${req.query?.asc ? 'ASC' : 'DESC'} LIMIT ? OFFSET ?`,
    [appId, req.query?.limit || 100, req.query?.offset ?? 0],
  );
  return { details: { totalResult: String(n), viewTimestamp: new Date().toISOString() }, result: rows.map((r) => toView(r, orgId)) };
}

/** GetAppKey: a key of this application; any other id is "not found". */
export async function getAppKey(sql: Sql, orgId: string, projectId: string, appId: string, keyId: string): Promise<AppKeyView> {
  await requireApp(sql, orgId, projectId, appId);
  const row = await sql.one<AppKeyRow>(`SELECT ${KEY_COLUMNS} FROM app_keys WHERE id = ? AND app_id = ?`, [keyId, appId]);
  if (!row) throw keyNotFound();
  return toView(row, orgId);
}

/** RemoveAppKey: introspection assertions signed with it are refused from the next request. */
export function removeAppKey(
  storage: Storage,
  orgId: string,
  projectId: string,
  appId: string,
  keyId: string,
  editorUserId: string | null,
): Promise<ObjectDetails> {
  return storage.command(async (tx) => {
    await requireApp(tx, orgId, projectId, appId);
    const removed = await tx.run('DELETE FROM app_keys WHERE id = ? AND app_id = ?', [keyId, appId]);
    if (!removed) throw keyNotFound();
    return touchProject(tx, orgId, projectId, editorUserId, 'project.application.key.removed', { appId, keyId });
  });
}
