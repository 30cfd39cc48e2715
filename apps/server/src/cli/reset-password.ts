import { loadConfig } from '../config.js';
import { generatePassword, hashPassword } from '../domain/passwords.js';
import { touchUser } from '../domain/users/commands.js';
import { endSessionsOf } from '../domain/users/humans.js';
import { openStorage } from '../storage/open.js';
import type { Sql, Storage } from '../storage/port.js';
import type { Command } from './command.js';

interface Reset {
  userName: string;
  password: string;
  sessionsEnded: number;
  active: boolean;
}

interface HumanRow {
  id: string;
  org_id: string;
  type: 'human' | 'machine';
  username: string;
  state: string;
}

/**
 * Gives a console user a new generated password and ends every console session they have, so a
 * lost administrator password is never the end of an instance. Whoever runs it can read the
 * database anyway: it grants nothing they could not already take.
 */
export async function resetPassword(storage: Storage, username: string): Promise<Reset> {
  const find = (sql: Sql) => sql.one<HumanRow>('SELECT id, org_id, type, username, state FROM users WHERE lower(username) = lower(?)', [username]);
  const user = await find(storage);
  if (!user) throw new Error(`No console user named "${username}".`);
  if (user.type === 'machine') {
    throw new Error(`"${user.username}" is a service user: it has a client secret, not a password (generate a new secret in the console).`);
  }
  const password = generatePassword();
  const hash = await hashPassword(password);
  return storage.command(async (tx) => {
    // Deleted or renamed while we hashed: change nothing rather than someone else.
    if ((await find(tx))?.id !== user.id) throw new Error(`No console user named "${username}".`);
    // Whoever ran this chose the password, so the user chooses their own at the next sign-in.
    await tx.run('UPDATE users SET password_hash = ?, password_change_required = 1 WHERE id = ?', [hash, user.id]);
    const ended = await endSessionsOf(tx, user.id);
    await touchUser(tx, user.org_id, user.id, null, 'user.human.password.changed');
    return { userName: user.username, password, sessionsEnded: ended, active: user.state === 'USER_STATE_ACTIVE' };
  });
}

export const resetPasswordCommand: Command = {
  name: 'reset-password',
  args: ['<username>'],
  summary: 'give a console user a new generated password and end their sessions',
  async run([username], env) {
    const config = loadConfig(env);
    const storage = await openStorage(config, { existing: true });
    try {
      const r = await resetPassword(storage, username!);
      const sessions = `${r.sessionsEnded} console session${r.sessionsEnded === 1 ? '' : 's'} of ${r.userName} ended`;
      return [
        `New password for ${r.userName} (generated; shown only now, so keep it):`,
        `Password: ${r.password}`,
        `It works at once, also on a running server; the old one no longer does, and ${sessions}.`,
        `${r.userName} signs in with it once and then chooses a new one.`,
        ...(r.active ? [] : [`${r.userName} is deactivated: the password works once the user is reactivated.`]),
        '',
      ].join('\n');
    } finally {
      await storage.close();
    }
  },
};
