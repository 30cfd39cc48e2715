import { INSTANCE_OWNER_ROLE } from '@tessera/contracts';
import type { Config } from '../config.js';
import { isUniqueViolation, type Sql, type Storage } from '../storage/port.js';
import { appendEvent } from './events.js';
import { insertOrg } from './orgs/commands.js';
import { generatePassword, hashPassword } from './passwords.js';
import { insertHuman } from './users/humans.js';

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
  commit(): Promise<SetupResult>;
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
export async function prepareFirstInstance(storage: Storage, config: Config): Promise<FirstInstance> {
  if (await hasOrg(storage)) return { pending: false, commit: async () => ({ created: false }) };
  const generatedPassword = config.adminPassword ? undefined : generatePassword();
  const passwordHash = await hashPassword(config.adminPassword ?? generatedPassword!);
  const instanceHost = new URL(config.issuer).hostname;

  const write = () =>
    storage.command(async (tx): Promise<SetupResult> => {
      // A concurrent first start may have won the race while we hashed.
      if (await hasOrg(tx)) return { created: false };
      const org = await insertOrg(tx, { name: config.orgName, instanceHost, editorUserId: null });
      const { userId, details: added } = await insertHuman(tx, org.id, null, {
        userName: config.adminUsername,
        displayName: 'Administrator',
        passwordHash,
        passwordChangeRequired: false,
      });
      // The columns every schema since 001 has: the upgrade tests seed older databases with this setup.
      await tx.run('INSERT INTO instance_members (user_id, roles, created_at) VALUES (?, ?, ?)', [
        userId,
        JSON.stringify([INSTANCE_OWNER_ROLE]),
        added.changeDate,
      ]);
      const member = await appendEvent(tx, {
        type: 'org.member.added',
        aggregateType: 'org',
        aggregateId: org.id,
        resourceOwner: org.id,
        editorUserId: null,
        payload: { userId, roles: ['ORG_OWNER'] },
      });
      await tx.run(`INSERT INTO org_members (org_id, user_id, roles, sequence, created_at, changed_at) VALUES (?, ?, ?, ?, ?, ?)`, [
        org.id,
        userId,
        JSON.stringify(['ORG_OWNER']),
        member.sequence,
        member.createdAt,
        member.createdAt,
      ]);
      return { created: true, orgName: config.orgName, adminUsername: config.adminUsername, generatedPassword };
    });
  const commit = async (): Promise<SetupResult> => {
    try {
      return await write();
    } catch (err) {
      // Another node's first start committed between our check and our insert (PostgreSQL).
      if (isUniqueViolation(err)) return { created: false };
      throw err;
    }
  };
  return { pending: true, commit };
}

/** Both steps at once, for tests and tools that do not serve. */
export async function ensureFirstInstance(storage: Storage, config: Config): Promise<SetupResult> {
  return (await prepareFirstInstance(storage, config)).commit();
}

async function hasOrg(sql: Sql): Promise<boolean> {
  return (await sql.one('SELECT 1 FROM orgs LIMIT 1')) !== undefined;
}
