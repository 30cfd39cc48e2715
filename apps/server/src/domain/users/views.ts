import type { MachineUserView } from '@tessera/contracts';
import { details } from '../events.js';
import { hasExpired } from '../expiration.js';

/** A users row joined with its org's domain and its secret's date: what every user query selects. */
export interface UserRow {
  id: string;
  org_id: string;
  type: 'human' | 'machine';
  username: string;
  display_name: string;
  description: string;
  state: MachineUserView['state'];
  access_token_type: NonNullable<MachineUserView['machine']>['accessTokenType'] | null;
  sequence: number;
  created_at: string;
  changed_at: string;
  primary_domain: string;
  /** The newest client secret's creation, and when the last of them stops working; null without any. */
  secret_created_at: string | null;
  secret_valid_until: string | null;
  password_change_required: number;
}

export const USER_COLUMNS = `u.id, u.org_id, u.type, u.username, u.display_name, u.description, u.state,
  u.access_token_type, u.sequence, u.created_at, u.changed_at, u.password_change_required, o.primary_domain,
  (SELECT max(s.created_at) FROM machine_secrets s WHERE s.user_id = u.id) AS secret_created_at,
  (SELECT max(s.expires_at) FROM machine_secrets s WHERE s.user_id = u.id) AS secret_valid_until`;
export const USER_FROM = `users u JOIN orgs o ON o.id = u.org_id`;

/** The response shape is an allow-list: password hashes and secret hashes are never selected. */
export function toUserView(r: UserRow): MachineUserView {
  const loginName = `${r.username}@${r.primary_domain}`;
  const view: MachineUserView = {
    id: r.id,
    details: details(r.sequence, r.changed_at, r.org_id, r.created_at),
    state: r.state,
    userName: r.username,
    loginNames: [loginName],
    preferredLoginName: loginName,
  };
  if (r.type === 'machine') {
    // Any secret that still works; an expired one awaiting its removal does not count.
    const hasSecret = r.secret_valid_until !== null && !hasExpired(r.secret_valid_until);
    view.machine = {
      name: r.display_name,
      description: r.description,
      hasSecret,
      accessTokenType: r.access_token_type!,
      ...(hasSecret ? { secretChangeDate: r.secret_created_at! } : {}),
    };
  } else {
    view.human = { profile: { displayName: r.display_name }, passwordChangeRequired: r.password_change_required === 1 };
  }
  return view;
}
