import type { AddMachineUserRequest, ObjectDetails } from '@tessera/contracts';
import type { addMachineUserSchema } from '@tessera/contracts';
import type { z } from 'zod';
import { inTransaction, type Db } from '../../storage/db.js';
import { newId } from '../../storage/ids.js';
import { alreadyExists } from '../errors.js';
import { appendEvent, details } from '../events.js';

export type AddMachineUser = z.output<typeof addMachineUserSchema>;
export type { AddMachineUserRequest };

const isUniqueViolation = (err: unknown) =>
  (err as { code?: string }).code === 'SQLITE_CONSTRAINT_UNIQUE';

/** AddMachineUser: a service user in the organization; its username is also its OAuth client_id. */
export function addMachineUser(
  db: Db,
  orgId: string,
  editorUserId: string | null,
  input: AddMachineUser,
): { userId: string; details: ObjectDetails } {
  try {
    return inTransaction(db, () => {
      const taken = db.prepare('SELECT 1 FROM users WHERE username = ? COLLATE NOCASE').get(input.userName);
      if (taken) throw duplicate();
      const userId = newId();
      const ev = appendEvent(db, {
        type: 'user.machine.added',
        aggregateType: 'user',
        aggregateId: userId,
        resourceOwner: orgId,
        editorUserId,
        payload: { userName: input.userName, name: input.name, description: input.description, accessTokenType: input.accessTokenType },
      });
      db.prepare(
        `INSERT INTO users (id, org_id, type, username, display_name, description, state, access_token_type, sequence, created_at, changed_at)
         VALUES (?, ?, 'machine', ?, ?, ?, 'USER_STATE_ACTIVE', ?, ?, ?, ?)`,
      ).run(userId, orgId, input.userName, input.name, input.description, input.accessTokenType, ev.sequence, ev.createdAt, ev.createdAt);
      return { userId, details: details(ev.sequence, ev.createdAt, orgId, ev.createdAt) };
    });
  } catch (err) {
    // Two creates racing past the check: the unique index has the last word.
    if (isUniqueViolation(err)) throw duplicate();
    throw err;
  }
}

function duplicate() {
  return alreadyExists('USER-AlreadyExists', 'a user with this username already exists', 'userName');
}

/** Records a change to a user: its event, and the row's sequence and change date. Inside a transaction. */
export function touchUser(
  db: Db,
  orgId: string,
  userId: string,
  editorUserId: string | null,
  type: string,
  payload: Record<string, unknown> = {},
): ObjectDetails {
  const ev = appendEvent(db, { type, aggregateType: 'user', aggregateId: userId, resourceOwner: orgId, editorUserId, payload });
  db.prepare('UPDATE users SET sequence = ?, changed_at = ? WHERE id = ?').run(ev.sequence, ev.createdAt, userId);
  return details(ev.sequence, ev.createdAt, orgId);
}
