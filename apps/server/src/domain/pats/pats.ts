import { createHmac, randomBytes } from 'node:crypto';
import type {
  AddPersonalAccessTokenRequest,
  AddPersonalAccessTokenResponse,
  ListPersonalAccessTokensRequest,
  ListPersonalAccessTokensResponse,
  ObjectDetails,
  PersonalAccessTokenView,
} from '@tessera/contracts';
import type { KeyRing } from '../../security/key-ring.js';
import { VersionedCache } from '../../storage/data-version.js';
import { newId } from '../../storage/ids.js';
import type { Sql, Storage } from '../../storage/port.js';
import { invalidArgument, notFound } from '../errors.js';
import { details } from '../events.js';
import { expiration, hasExpired } from '../expiration.js';
import { lockUser, requireMachine, touchUser } from '../users/commands.js';
import { findUserRow } from '../users/queries.js';

/**
 * A token is base64url of: a marker byte (0xF0, so every token starts with "8", where access tokens
 * start with "A" or "eyJ") | the id of the client-secret key its hash is made with (uint32) | 32
 * random bytes. 50 characters.
 */
const MARKER = 0xf0;
const TOKEN_BYTES = 1 + 4 + 32;
const TOKEN_LENGTH = Math.ceil((TOKEN_BYTES * 4) / 3);
/** Tokens one service user may hold. */
const MAX_PER_USER = 100;
/** The scopes a personal access token stands for, as ZITADEL lists them. */
const SCOPES = ['openid', 'urn:zitadel:iam:org:project:id:zitadel:aud'];

/** Whether a Bearer value has a personal access token's shape (checked before any lookup). */
export function isPersonalAccessToken(token: string): boolean {
  return token.length === TOKEN_LENGTH && token.startsWith('8');
}

function keyIdOf(token: string): number | undefined {
  const raw = Buffer.from(token, 'base64url');
  return raw.length === TOKEN_BYTES && raw[0] === MARKER ? raw.readUInt32BE(1) : undefined;
}

const hashOf = (key: Buffer, token: string) => createHmac('sha256', key).update(token).digest();

interface PatRow {
  id: string;
  sequence: number;
  created_at: string;
  expiration_date: string;
  org_id: string;
}

const toView = (r: PatRow): PersonalAccessTokenView => ({
  id: r.id,
  details: details(r.sequence, r.created_at, r.org_id, r.created_at),
  expirationDate: r.expiration_date,
  scopes: SCOPES,
});

/** AddPersonalAccessToken: the token is in the answer and nowhere else; the row keeps its HMAC. */
export function addPersonalAccessToken(
  storage: Storage,
  secretKeys: KeyRing,
  orgId: string,
  userId: string,
  editorUserId: string | null,
  req: AddPersonalAccessTokenRequest,
): Promise<AddPersonalAccessTokenResponse> {
  const expirationDate = expiration(req.expirationDate);
  return storage.command(async (tx) => {
    const user = await findUserRow(tx, orgId, userId);
    requireMachine(user);
    await lockUser(tx, userId); // the count holds until the insert
    const { n } = (await tx.one<{ n: number }>('SELECT count(*) AS n FROM personal_access_tokens WHERE user_id = ?', [userId]))!;
    if (n >= MAX_PER_USER) throw invalidArgument('PAT-TooMany', `a service user holds at most ${MAX_PER_USER} personal access tokens; remove one first`);
    const { id: keyId, key } = secretKeys.current;
    const raw = Buffer.alloc(TOKEN_BYTES);
    raw[0] = MARKER;
    raw.writeUInt32BE(keyId, 1);
    randomBytes(32).copy(raw, 5);
    const token = raw.toString('base64url');
    const tokenId = newId();
    const d = await touchUser(tx, orgId, userId, editorUserId, 'user.pat.added', { tokenId, expirationDate });
    const { generation } = (await tx.one<{ generation: number }>('SELECT token_generation AS generation FROM users WHERE id = ?', [userId]))!;
    await tx.run(
      `INSERT INTO personal_access_tokens (id, user_id, hash, key_id, generation, sequence, created_at, expiration_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
      [tokenId, userId, hashOf(key, token), keyId, generation, Number(d.sequence), d.changeDate, expirationDate],
    );
    return { tokenId, token, details: { ...d, creationDate: d.changeDate } };
  });
}

/** RemovePersonalAccessToken: refused from the next request on. */
export function removePersonalAccessToken(
  storage: Storage,
  orgId: string,
  userId: string,
  tokenId: string,
  editorUserId: string | null,
): Promise<ObjectDetails> {
  return storage.command(async (tx) => {
    requireMachine(await findUserRow(tx, orgId, userId));
    if (!(await tx.run('DELETE FROM personal_access_tokens WHERE id = ? AND user_id = ?', [tokenId, userId]))) throw patNotFound();
    return touchUser(tx, orgId, userId, editorUserId, 'user.pat.removed', { tokenId });
  });
}

const PAT_COLUMNS = 'p.id, p.sequence, p.created_at, p.expiration_date, u.org_id';
const PAT_FROM = 'personal_access_tokens p JOIN users u ON u.id = p.user_id';

/** GetPersonalAccessTokenByIDs. */
export async function getPersonalAccessToken(sql: Sql, orgId: string, userId: string, tokenId: string): Promise<PersonalAccessTokenView> {
  const row = await sql.one<PatRow>(`SELECT ${PAT_COLUMNS} FROM ${PAT_FROM} WHERE p.id = ? AND p.user_id = ? AND u.org_id = ?`, [tokenId, userId, orgId]);
  if (!row) throw patNotFound();
  return toView(row);
}

/** ListPersonalAccessTokens: by creation, newest first unless asc. */
export async function listPersonalAccessTokens(
  sql: Sql,
  orgId: string,
  userId: string,
  req: ListPersonalAccessTokensRequest,
): Promise<ListPersonalAccessTokensResponse> {
  requireMachine(await findUserRow(sql, orgId, userId));
  const { n } = (await sql.one<{ n: number }>('SELECT count(*) AS n FROM personal_access_tokens WHERE user_id = ?', [userId]))!;
  const rows = await sql.all<PatRow>(
    `SELECT ${PAT_COLUMNS} FROM ${PAT_FROM} WHERE p.user_id = ? ORDER BY p.sequence ${req.query?.asc ? 'ASC' : 'DESC'} LIMIT ? OFFSET ?`,
    [userId, req.query?.limit || 100, req.query?.offset ?? 0],
  );
  return { details: { totalResult: String(n), viewTimestamp: new Date().toISOString() }, result: rows.map(toView) };
}

function patNotFound() {
  return notFound('PAT-NotFound', 'personal access token not found');
}

interface Holder {
  user_id: string;
  org_id: string;
  expiration_date: string;
  generation: number;
  token_generation: number;
  state: string;
}

/**
 * Personal access tokens as Bearer credentials: the HMAC under the key the token names, looked up
 * and kept until the database changes, so a removed token, a deactivated user or "Revoke Tokens"
 * refuses it from the very next request.
 */
export class PersonalAccessTokens {
  readonly #holders: VersionedCache<string, Holder>;

  constructor(
    private readonly storage: Storage,
    private readonly secretKeys: KeyRing,
  ) {
    this.#holders = new VersionedCache(storage.version, 4096);
  }

  /** The user and organization the token stands for, or undefined when it is not a valid token now. */
  async verify(token: string): Promise<{ userId: string; orgId: string } | undefined> {
    const keyId = keyIdOf(token);
    const key = keyId === undefined ? undefined : this.secretKeys.get(keyId);
    if (!key) return undefined;
    const hash = hashOf(key, token);
    const holder = await this.#holders.get(hash.toString('base64'), () =>
      this.storage.one<Holder>(
        `SELECT p.user_id, u.org_id, p.expiration_date, p.generation, u.token_generation, u.state
         FROM personal_access_tokens p JOIN users u ON u.id = p.user_id WHERE p.hash = ?`,
        [hash],
      ),
    );
    if (!holder || hasExpired(holder.expiration_date) || holder.state !== 'USER_STATE_ACTIVE' || holder.generation !== holder.token_generation)
      return undefined;
    return { userId: holder.user_id, orgId: holder.org_id };
  }
}
