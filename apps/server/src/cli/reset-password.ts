import { loadConfig } from '../config.js';
import { generatePassword, hashPassword } from '../domain/passwords.js';
import { touchUser } from '../domain/users/commands.js';
import { inTransaction, openDatabase, type Db } from '../storage/db.js';
import { migrate } from '../storage/migrate.js';
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
export async function resetPassword(db: Db, username: string): Promise<Reset> {
  const find = () =>
    db.prepare('SELECT id, org_id, type, username, state FROM users WHERE username = ? COLLATE NOCASE').get(username) as
      | HumanRow
      | undefined;
  const user = find();
  if (!user) throw new Error(`No console user named "${username}".`);
  if (user.type === 'machine') {
    throw new Error(`"${user.username}" is a service user: it has a client secret, not a password (generate a new secret in the console).`);
  }
  const password = generatePassword();
  const hash = await hashPassword(password);
  return inTransaction(db, () => {
    // Deleted or renamed while we hashed: change nothing rather than someone else.
    if (find()?.id !== user.id) throw new Error(`No console user named "${username}".`);
    db.prepare('UPDATE users SET password_hash = ? WHERE id = ?').run(hash, user.id);
    const ended = db.prepare("DELETE FROM sessions WHERE json_extract(data, '$.userId') = ?").run(user.id).changes;
    touchUser(db, user.org_id, user.id, null, 'user.human.password.changed');
    return { userName: user.username, password, sessionsEnded: ended, active: user.state === 'USER_STATE_ACTIVE' };
  });
}

export const resetPasswordCommand: Command = {
  name: 'reset-password',
  args: ['<username>'],
  summary: 'give a console user a new generated password and end their sessions',
  async run([username], env) {
    const config = loadConfig(env);
    const db = openDatabase(config.dbFile, { existing: true });
    try {
      migrate(db);
      const r = await resetPassword(db, username!);
      const sessions = `${r.sessionsEnded} console session${r.sessionsEnded === 1 ? '' : 's'} of ${r.userName} ended`;
      return [
        `New password for ${r.userName} (generated; shown only now, so keep it):`,
        `Password: ${r.password}`,
        `It works at once, also on a running server; the old one no longer does, and ${sessions}.`,
        'Tessera cannot yet ask for a new password at sign-in: keep this one in a password manager.',
        ...(r.active ? [] : [`${r.userName} is deactivated: the password works once the user is reactivated.`]),
        '',
      ].join('\n');
    } finally {
      db.close();
    }
  },
};
