import type { AddMachineUserRequest, ObjectDetails } from '@tessera/contracts';
import type { addMachineUserSchema, updateMachineSchema } from '@tessera/contracts';
import type { z } from 'zod';
import { isUniqueViolation, type Sql, type Storage } from '../../storage/port.js';
import { newId } from '../../storage/ids.js';
import { storedForms } from '../../storage/search-forms.js';
import { alreadyExists, failedPrecondition } from '../errors.js';
import { appendEvent, details } from '../events.js';
import { findUserRow } from './queries.js';
import type { UserRow } from './views.js';

export type AddMachineUser = z.output<typeof addMachineUserSchema>;
export type UpdateMachine = z.output<typeof updateMachineSchema>;
export type { AddMachineUserRequest };

/** AddMachineUser: a service user in the organization; its username is also its OAuth client_id. */
export async function addMachineUser(
  storage: Storage,
  orgId: string,
  editorUserId: string | null,
  input: AddMachineUser,
): Promise<{ userId: string; details: ObjectDetails }> {
  try {
    return await storage.command(async (tx) => {
      if (await usernameTaken(tx, input.userName)) throw duplicateUsername();
      const userId = newId();
      const ev = await appendEvent(tx, {
        type: 'user.machine.added',
        aggregateType: 'user',
        aggregateId: userId,
        resourceOwner: orgId,
        editorUserId,
        payload: { userName: input.userName, name: input.name, description: input.description, accessTokenType: input.accessTokenType },
      });
      const name = storedForms(input.name);
      await tx.run(
        `INSERT INTO users (id, org_id, type, username, display_name, display_name_nfc, display_name_fold, description, state,
                            access_token_type, sequence, created_at, changed_at)
         VALUES (?, ?, 'machine', ?, ?, ?, ?, ?, 'USER_STATE_ACTIVE', ?, ?, ?, ?)`,
        [userId, orgId, input.userName, input.name, name.nfc, name.fold, input.description, input.accessTokenType, ev.sequence, ev.createdAt, ev.createdAt],
      );
      return { userId, details: details(ev.sequence, ev.createdAt, orgId, ev.createdAt) };
    });
  } catch (err) {
    // Two creates racing past the check: the unique index has the last word.
    if (isUniqueViolation(err)) throw duplicateUsername();
    throw err;
  }
}

/**
 * Usernames are unique across the instance, compared ignoring case (the lower(username) index), and are
 * never an API application's client_id (always digits): both authenticate at the introspection endpoint.
 */
export async function usernameTaken(sql: Sql, userName: string): Promise<boolean> {
  if ((await sql.one('SELECT 1 FROM users WHERE lower(username) = lower(?)', [userName])) !== undefined) return true;
  return /^\d+$/.test(userName) && (await sql.one('SELECT 1 FROM api_apps WHERE client_id = ?', [userName])) !== undefined;
}

export function duplicateUsername() {
  return alreadyExists('USER-AlreadyExists', 'a user with this username already exists', 'userName');
}

/** Records a change to a user: its event, and the row's sequence and change date. Inside a transaction. */
export async function touchUser(
  tx: Sql,
  orgId: string,
  userId: string,
  editorUserId: string | null,
  type: string,
  payload: Record<string, unknown> = {},
): Promise<ObjectDetails> {
  const ev = await appendEvent(tx, { type, aggregateType: 'user', aggregateId: userId, resourceOwner: orgId, editorUserId, payload });
  await tx.run('UPDATE users SET sequence = ?, changed_at = ? WHERE id = ?', [ev.sequence, ev.createdAt, userId]);
  return details(ev.sequence, ev.createdAt, orgId);
}

/**
 * Holds the user's row until the command ends, so a limit counted now still holds at its insert: a
 * parallel command on the same user waits here. (SQLite runs commands one at a time anyway.)
 */
export async function lockUser(tx: Sql, userId: string): Promise<void> {
  if (tx.engine === 'pg') await tx.one('SELECT 1 FROM users WHERE id = ? FOR UPDATE', [userId]);
}

/** The /machine paths and client secrets belong to service users; a human gets a clear refusal. */
export function requireMachine(user: UserRow): void {
  if (user.type !== 'machine') {
    throw failedPrecondition('USER-NotMachine', 'this is a human user, not a service user');
  }
}

/**
 * UpdateMachine: display name, description and token type. A PUT that changes nothing records no
 * event and answers the current details, so scripts can apply the same state again without an error.
 */
export function updateMachine(storage: Storage, orgId: string, userId: string, editorUserId: string | null, input: UpdateMachine): Promise<ObjectDetails> {
  return storage.command(async (tx) => {
    const user = await findUserRow(tx, orgId, userId);
    requireMachine(user);
    const changed: Record<string, string> = {};
    if (input.name !== user.display_name) changed.name = input.name;
    if (input.description !== user.description) changed.description = input.description;
    if (input.accessTokenType !== user.access_token_type) changed.accessTokenType = input.accessTokenType;
    if (Object.keys(changed).length === 0) return details(user.sequence, user.changed_at, orgId);
    const name = storedForms(input.name);
    await tx.run('UPDATE users SET display_name = ?, display_name_nfc = ?, display_name_fold = ?, description = ?, access_token_type = ? WHERE id = ?', [
      input.name,
      name.nfc,
      name.fold,
      input.description,
      input.accessTokenType,
      userId,
    ]);
    return touchUser(tx, orgId, userId, editorUserId, 'user.machine.changed', changed);
  });
}
