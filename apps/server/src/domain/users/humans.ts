import type { AddHumanUser, AddHumanUserResponse, ObjectDetails } from '@tessera/contracts';
import { isUniqueViolation, type Sql, type Storage } from '../../storage/port.js';
import { newId } from '../../storage/ids.js';
import { storedForms } from '../../storage/search-forms.js';
import { failedPrecondition } from '../errors.js';
import { appendEvent, details } from '../events.js';
import { generatePassword, hashPassword } from '../passwords.js';
import { duplicateUsername, touchUser, usernameTaken } from './commands.js';

export interface NewHuman {
  userName: string;
  displayName: string;
  passwordHash: string;
  /** The password was chosen by someone else: they must choose their own at the first sign-in. */
  passwordChangeRequired: boolean;
}

/** Writes a human user's row and its event, inside a command. The username must be free (checked by the caller). */
export async function insertHuman(tx: Sql, orgId: string, editorUserId: string | null, h: NewHuman): Promise<{ userId: string; details: ObjectDetails }> {
  const userId = newId();
  const ev = await appendEvent(tx, {
    type: 'user.human.added',
    aggregateType: 'user',
    aggregateId: userId,
    resourceOwner: orgId,
    editorUserId,
    payload: { userName: h.userName, displayName: h.displayName },
  });
  const name = storedForms(h.displayName);
  // The "must change" column is named only when set, so a first start's setup also writes to a schema from
  // before migration 013 (the upgrade tests seed older databases with it); unnamed, it keeps its default 0.
  const [mustChange, mark] = h.passwordChangeRequired ? [', password_change_required', ', 1'] : ['', ''];
  await tx.run(
    `INSERT INTO users (id, org_id, type, username, display_name, display_name_nfc, display_name_fold, state, password_hash,
                        sequence, created_at, changed_at${mustChange})
     VALUES (?, ?, 'human', ?, ?, ?, ?, 'USER_STATE_ACTIVE', ?, ?, ?, ?${mark})`,
    [userId, orgId, h.userName, h.displayName, name.nfc, name.fold, h.passwordHash, ev.sequence, ev.createdAt, ev.createdAt],
  );
  return { userId, details: details(ev.sequence, ev.createdAt, orgId, ev.createdAt) };
}

/**
 * AddHumanUser: an operator who signs in to the console. Their first password is someone else's
 * choice (the one given, or one generated here and answered once), so they must replace it at the
 * first sign-in.
 */
export async function addHumanUser(storage: Storage, orgId: string, editorUserId: string | null, input: AddHumanUser): Promise<AddHumanUserResponse> {
  // Checked before the second of hashing, and again in the command for a create racing this one.
  if (await usernameTaken(storage, input.userName)) throw duplicateUsername();
  const generated = input.initialPassword === undefined ? generatePassword() : undefined;
  const passwordHash = await hashPassword(input.initialPassword ?? generated!);
  try {
    const added = await storage.command(async (tx) => {
      if (await usernameTaken(tx, input.userName)) throw duplicateUsername();
      return insertHuman(tx, orgId, editorUserId, { userName: input.userName, displayName: input.displayName, passwordHash, passwordChangeRequired: true });
    });
    return { ...added, ...(generated ? { initialPassword: generated } : {}) };
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateUsername();
    throw err;
  }
}

/**
 * A human's new password, already checked against their current one: stored, the "must change" mark
 * cleared, and every other console session of theirs ended (all of them when `keepSession` is not given).
 */
export function setOwnPassword(storage: Storage, orgId: string, userId: string, passwordHash: string, keepSession?: string): Promise<ObjectDetails> {
  return storage.command(async (tx) => {
    const user = await tx.one<{ type: string }>('SELECT type FROM users WHERE id = ?', [userId]);
    if (user?.type !== 'human') throw failedPrecondition('USER-NotHuman', 'only a human user has a password');
    await tx.run('UPDATE users SET password_hash = ?, password_change_required = 0 WHERE id = ?', [passwordHash, userId]);
    await endSessionsOf(tx, userId, keepSession);
    return touchUser(tx, orgId, userId, userId, 'user.human.password.changed');
  });
}

/**
 * Ends the console sessions of a user but the one kept (by its stored key). The session's JSON holds
 * "userId":"<id>"; ids are digits, so the pattern matches that user alone.
 */
export function endSessionsOf(tx: Sql, userId: string, keep = ''): Promise<number> {
  return tx.run('DELETE FROM sessions WHERE data LIKE ? AND sid_hash <> ?', [`%"userId":"${userId}"%`, keep]);
}
