import type {
  AddApiAppRequest,
  AddApiAppResponse,
  ApiAuthMethod,
  AppView,
  ListAppsRequest,
  ListAppsResponse,
  ObjectDetails,
  RegenerateApiClientSecretResponse,
} from '@tessera/contracts';
import type { KeyRing } from '../../security/key-ring.js';
import { newId } from '../../storage/ids.js';
import { isUniqueViolation, type Sql, type Storage } from '../../storage/port.js';
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from '../errors.js';
import { details } from '../events.js';
import { randomAlphanumeric } from '../passwords.js';
import { requireProject, touchProject } from '../projects/projects.js';
import { CLIENT_SECRET_LENGTH } from '../secrets/commands.js';
import { hashClientSecret } from '../secrets/hash.js';

/** Applications one project may hold. */
export const MAX_APPS_PER_PROJECT = 100;

export interface AppRow {
  id: string;
  project_id: string;
  name: string;
  client_id: string;
  auth_method: ApiAuthMethod;
  state: 'APP_STATE_ACTIVE' | 'APP_STATE_INACTIVE';
  sequence: number;
  created_at: string;
  changed_at: string;
}

const APP_COLUMNS = 'id, project_id, name, client_id, auth_method, state, sequence, created_at, changed_at';

const toView = (r: AppRow, orgId: string): AppView => ({
  id: r.id,
  details: details(r.sequence, r.changed_at, orgId, r.created_at),
  state: r.state,
  name: r.name,
  apiConfig: { clientId: r.client_id, authMethodType: r.auth_method },
});

const appNotFound = () => notFound('APP-NotFound', 'application not found');
const duplicateName = () => alreadyExists('APP-AlreadyExists', 'the project already has an application with this name', 'name');

/** An application of a project of this organization; anything else is "not found". */
export async function requireApp(sql: Sql, orgId: string, projectId: string, appId: string): Promise<AppRow> {
  await requireProject(sql, orgId, projectId);
  const row = await sql.one<AppRow>(`SELECT ${APP_COLUMNS} FROM api_apps WHERE id = ? AND project_id = ?`, [appId, projectId]);
  if (!row) throw appNotFound();
  return row;
}

async function touchApp(tx: Sql, orgId: string, app: AppRow, editorUserId: string | null, type: string, payload: Record<string, unknown> = {}) {
  const d = await touchProject(tx, orgId, app.project_id, editorUserId, type, { appId: app.id, ...payload });
  await tx.run('UPDATE api_apps SET sequence = ?, changed_at = ? WHERE id = ?', [Number(d.sequence), d.changeDate, app.id]);
  return d;
}

/** A new secret and its HMAC under the current client-secret key; the plaintext goes to the caller once. */
function newSecret(secretKeys: KeyRing) {
  const clientSecret = randomAlphanumeric(CLIENT_SECRET_LENGTH);
  const { id: keyId, key } = secretKeys.current;
  return { clientSecret, hash: hashClientSecret(key, clientSecret), keyId };
}

/**
 * AddAPIApp: an application that introspects the project's tokens. Its client_id is a new numeric id,
 * never a service user's username (the introspection endpoint tells the two apart by it).
 */
export async function addApiApp(
  storage: Storage,
  secretKeys: KeyRing,
  orgId: string,
  projectId: string,
  editorUserId: string | null,
  input: AddApiAppRequest,
): Promise<AddApiAppResponse> {
  try {
    return await storage.command(async (tx) => {
      await requireProject(tx, orgId, projectId, true);
      const { n } = (await tx.one<{ n: number }>('SELECT count(*) AS n FROM api_apps WHERE project_id = ?', [projectId]))!;
      if (n >= MAX_APPS_PER_PROJECT) throw invalidArgument('APP-TooMany', `a project holds at most ${MAX_APPS_PER_PROJECT} applications`);
      if (await tx.one('SELECT 1 FROM api_apps WHERE project_id = ? AND name = ?', [projectId, input.name])) throw duplicateName();
      const appId = newId();
      let clientId = newId();
      while (await tx.one('SELECT 1 FROM users WHERE lower(username) = ?', [clientId])) clientId = newId();
      const basic = input.authMethodType === 'API_AUTH_METHOD_TYPE_BASIC';
      const secret = basic ? newSecret(secretKeys) : undefined;
      const d = await touchProject(tx, orgId, projectId, editorUserId, 'project.application.added', {
        appId,
        name: input.name,
        clientId,
        authMethodType: input.authMethodType,
      });
      await tx.run(
        `INSERT INTO api_apps (id, project_id, name, client_id, auth_method, secret_hash, secret_key_id, state, sequence, created_at, changed_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, 'APP_STATE_ACTIVE', ?, ?, ?)`,
        [
          appId,
          projectId,
          input.name,
          clientId,
          input.authMethodType,
          secret?.hash ?? null,
          secret?.keyId ?? null,
          Number(d.sequence),
          d.changeDate,
          d.changeDate,
        ],
      );
      return { appId, details: { ...d, creationDate: d.changeDate }, clientId, ...(secret ? { clientSecret: secret.clientSecret } : {}) };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateName();
    throw err;
  }
}

/** RegenerateAPIClientSecret: the previous secret stops working at once, as in ZITADEL. */
export function regenerateApiClientSecret(
  storage: Storage,
  secretKeys: KeyRing,
  orgId: string,
  projectId: string,
  appId: string,
  editorUserId: string | null,
): Promise<RegenerateApiClientSecretResponse> {
  return storage.command(async (tx) => {
    const app = await requireApp(tx, orgId, projectId, appId);
    if (app.auth_method !== 'API_AUTH_METHOD_TYPE_BASIC') {
      throw failedPrecondition('APP-NotBasic', 'only an application with API_AUTH_METHOD_TYPE_BASIC has a client secret');
    }
    const secret = newSecret(secretKeys);
    const d = await touchApp(tx, orgId, app, editorUserId, 'project.application.secret.changed');
    await tx.run('UPDATE api_apps SET secret_hash = ?, secret_key_id = ? WHERE id = ?', [secret.hash, secret.keyId, appId]);
    return { clientSecret: secret.clientSecret, details: d };
  });
}

/** RemoveApp: its credentials stop working from the next request. */
export function removeApp(storage: Storage, orgId: string, projectId: string, appId: string, editorUserId: string | null): Promise<ObjectDetails> {
  return storage.command(async (tx) => {
    const app = await requireApp(tx, orgId, projectId, appId);
    const d = await touchProject(tx, orgId, projectId, editorUserId, 'project.application.removed', { appId, name: app.name });
    await tx.run('DELETE FROM api_apps WHERE id = ?', [appId]);
    return d;
  });
}

export async function getApp(sql: Sql, orgId: string, projectId: string, appId: string): Promise<AppView> {
  return toView(await requireApp(sql, orgId, projectId, appId), orgId);
}

/** ListApps: by creation, newest first unless asc. */
export async function listApps(sql: Sql, orgId: string, projectId: string, req: ListAppsRequest): Promise<ListAppsResponse> {
  await requireProject(sql, orgId, projectId);
  const { n } = (await sql.one<{ n: number }>('SELECT count(*) AS n FROM api_apps WHERE project_id = ?', [projectId]))!;
  const rows = await sql.all<AppRow>(
    `SELECT ${APP_COLUMNS} FROM api_apps WHERE project_id = ? ORDER BY id ${req.query?.asc ? 'ASC' : 'DESC'} LIMIT ? OFFSET ?`,
    [projectId, req.query?.limit || 100, req.query?.offset ?? 0],
  );
  return { details: { totalResult: String(n), viewTimestamp: new Date().toISOString() }, result: rows.map((r) => toView(r, orgId)) };
}
