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

export interface FirstInstance {
  /** True when the database has no organization yet: commit() will create the first one. */
  pending: boolean;
  /** Writes it in one transaction, or finds that another start did; quick, the hashing is done. */
  commit(): SetupResult;
}

/**
 * First start on an empty database: the first organization and its human administrator, who is
 * the instance owner and Org Owner of that organization. Never runs again once an org exists.
 *
 * Two steps, so main.ts can write the administrator only once the server listens: a start that
 * fails before serving (a port in use) must not keep an administrator whose generated password
 * was never shown, or the next start would say "sign in as before" to someone who cannot.
 * This step does the slow part (scrypt); commit() writes everything in one transaction.
 */
export async function prepareFirstInstance(db: Db, config: Config): Promise<FirstInstance> {
  if (hasOrg(db)) return { pending: false, commit: () => ({ created: false }) };
  const generatedPassword = config.adminPassword ? undefined : generatePassword();
  const passwordHash = await hashPassword(config.adminPassword ?? generatedPassword!);
  const instanceHost = new URL(config.issuer).hostname;

  const commit = () => inTransaction(db, (): SetupResult => {
    // A concurrent first start may have won the race while we hashed.
    if (hasOrg(db)) return { created: false };
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
  return { pending: true, commit };
}

/** Both steps at once, for tests and tools that do not serve. */
export async function ensureFirstInstance(db: Db, config: Config): Promise<SetupResult> {
  return (await prepareFirstInstance(db, config)).commit();
}

function hasOrg(db: Db): boolean {
  return db.prepare('SELECT 1 FROM orgs LIMIT 1').get() !== undefined;
}
