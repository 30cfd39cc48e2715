import { addMachineUserSchema } from '@tessera/contracts';
import { loadConfig } from '../config.js';
import { DomainError } from '../domain/errors.js';
import { addOrgMember } from '../domain/members/commands.js';
import { generateMachineSecret } from '../domain/secrets/commands.js';
import { addMachineUser } from '../domain/users/commands.js';
import { openInstanceKeys } from '../storage/open-instance-keys.js';
import { openStorage } from '../storage/open.js';
import type { Storage } from '../storage/port.js';
import type { InstanceKeys } from '../storage/instance-keys.js';
import type { Command } from './command.js';

/**
 * Commands a deployment script runs on the server instead of driving the console: each prints one
 * JSON object on stdout and nothing else, and refuses bad input with a message and exit code 1.
 * They act in the instance's first organization (the one made at first start) unless given another's id.
 */

/** Opens the database the server uses (which must exist), and its instance keys when asked. */
async function withStorage<T>(env: NodeJS.ProcessEnv, fn: (storage: Storage, keys?: InstanceKeys) => Promise<T>, needKeys = false): Promise<T> {
  const config = loadConfig(env);
  const storage = await openStorage(config, { existing: true });
  try {
    if (!needKeys) return await fn(storage);
    const keys = await openInstanceKeys(storage, { masterKey: config.masterKey, wrapInPlace: false });
    try {
      return await fn(storage, keys);
    } finally {
      keys.close();
    }
  } finally {
    await storage.close();
  }
}

async function organization(storage: Storage, given: string | undefined): Promise<string> {
  const row = given
    ? await storage.one<{ id: string }>('SELECT id FROM orgs WHERE id = ?', [given])
    : await storage.one<{ id: string }>('SELECT id FROM orgs ORDER BY created_at, id LIMIT 1');
  if (!row) throw new Error(given ? `No organization with id "${given}".` : 'No organization yet: start Tessera once first.');
  return row.id;
}

async function serviceUser(storage: Storage, orgId: string, userName: string): Promise<{ id: string; username: string }> {
  const row = await storage.one<{ id: string; username: string; type: string }>(
    'SELECT id, username, type FROM users WHERE lower(username) = lower(?) AND org_id = ?',
    [userName, orgId],
  );
  if (!row || row.type !== 'machine') throw new Error(`No service user named "${userName}" in organization ${orgId}.`);
  return row;
}

/** A domain refusal reads as its message, as the API would say it. */
async function refusing<T>(p: Promise<T>): Promise<T> {
  try {
    return await p;
  } catch (err) {
    if (err instanceof DomainError) throw new Error(`${err.message} (${err.id})`);
    throw err;
  }
}

const json = (value: unknown) => `${JSON.stringify(value)}\n`;

export const createServiceUserCommand: Command = {
  name: 'create-service-user',
  args: ['<username>', '<display-name>', '[org-id]'],
  summary: 'create a service user; prints {"userId","userName","orgId"}',
  run: ([userName, name, orgId], env) =>
    withStorage(env, async (storage) => {
      const input = addMachineUserSchema.safeParse({ userName, name });
      if (!input.success) throw new Error(`create-service-user: ${input.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
      const org = await organization(storage, orgId);
      const { userId } = await refusing(addMachineUser(storage, org, null, input.data));
      return json({ userId, userName: input.data.userName, orgId: org });
    }),
};

export const generateSecretCommand: Command = {
  name: 'generate-secret',
  args: ['<username>', '[org-id]'],
  summary: 'a new client secret, replacing the current one; prints {"clientId","clientSecret"}',
  run: ([userName, orgId], env) =>
    withStorage(
      env,
      async (storage, keys) => {
        const org = await organization(storage, orgId);
        const user = await serviceUser(storage, org, userName!);
        const { clientId, clientSecret } = await refusing(generateMachineSecret(storage, keys!.ring('client-secret-hmac'), org, user.id, null));
        return json({ clientId, clientSecret });
      },
      true,
    ),
};

export const grantCommand: Command = {
  name: 'grant',
  args: ['<username>', '<role>', '[org-id]'],
  summary: 'make a user a manager of the organization with one role (e.g. ORG_OWNER); prints {"userId","roles","orgId"}',
  run: ([userName, role, orgId], env) =>
    withStorage(env, async (storage) => {
      const org = await organization(storage, orgId);
      const user = await storage.one<{ id: string }>('SELECT id FROM users WHERE lower(username) = lower(?) AND org_id = ?', [userName, org]);
      if (!user) throw new Error(`No user named "${userName}" in organization ${org}.`);
      await refusing(addOrgMember(storage, org, null, { userId: user.id, roles: [role!] }));
      return json({ userId: user.id, roles: [role], orgId: org });
    }),
};
