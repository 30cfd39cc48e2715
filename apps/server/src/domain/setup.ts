import { INSTANCE_OWNER_ROLE } from '@tessera/contracts';
import type { Config } from '../config.js';
import { inTransaction, type Db } from '../storage/db.js';
import { newId } from '../storage/ids.js';
import { storedForms } from '../storage/search-forms.js';
import { appendEvent } from './events.js';
import { createOrg } from './orgs/commands.js';
import { generatePassword, hashPassword } from './passwords.js';

export interface SetupResult {
  /** False when the instance already had data: nothing was touched. */
  created: boolean;
  orgName?: string;
  adminUsername?: string;
  /** Only when Tessera generated it: shown once, never stored in plaintext. */
  generatedPassword?: string;
}

/**
 * First start on an empty database: the first organization and its human administrator, who is
 * the instance owner and Org Owner of that organization. Never runs again once an org exists.
 */
export async function ensureFirstInstance(db: Db, config: Config): Promise<SetupResult> {
  if (db.prepare('SELECT 1 FROM orgs LIMIT 1').get()) return { created: false };
  const generatedPassword = config.adminPassword ? undefined : generatePassword();
  const passwordHash = await hashPassword(config.adminPassword ?? generatedPassword!);
  const instanceHost = new URL(config.issuer).hostname;

  return inTransaction(db, () => {
    // A concurrent first start may have won the race while we hashed.
    if (db.prepare('SELECT 1 FROM orgs LIMIT 1').get()) return { created: false };
    const org = createOrg(db, { name: config.orgName, instanceHost, editorUserId: null });
    const userId = newId();
    const ev = appendEvent(db, {
      type: 'user.human.added',
      aggregateType: 'user',
      aggregateId: userId,
      resourceOwner: org.id,
      editorUserId: null,
      payload: { userName: config.adminUsername },
    });
    const displayName = 'Administrator';
    const name = storedForms(displayName);
    db.prepare(
      `INSERT INTO users (id, org_id, type, username, display_name, display_name_nfc, display_name_fold, state, password_hash, sequence, created_at, changed_at)
       VALUES (?, ?, 'human', ?, ?, ?, ?, 'USER_STATE_ACTIVE', ?, ?, ?, ?)`,
    ).run(userId, org.id, config.adminUsername, displayName, name.nfc, name.fold, passwordHash, ev.sequence, ev.createdAt, ev.createdAt);
    db.prepare('INSERT INTO instance_members (user_id, roles, created_at) VALUES (?, ?, ?)').run(
      userId, JSON.stringify([INSTANCE_OWNER_ROLE]), ev.createdAt,
    );
    const member = appendEvent(db, {
      type: 'org.member.added',
      aggregateType: 'org',
      aggregateId: org.id,
      resourceOwner: org.id,
      editorUserId: null,
      payload: { userId, roles: ['ORG_OWNER'] },
    });
    db.prepare(
      `INSERT INTO org_members (org_id, user_id, roles, sequence, created_at, changed_at) VALUES (?, ?, ?, ?, ?, ?)`,
    ).run(org.id, userId, JSON.stringify(['ORG_OWNER']), member.sequence, member.createdAt, member.createdAt);
    return { created: true, orgName: config.orgName, adminUsername: config.adminUsername, generatedPassword };
  });
}
