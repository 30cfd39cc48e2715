import type { OrgView } from '@tessera/contracts';
import type { Db } from '../../storage/db.js';
import { details } from '../events.js';
import { notFound } from '../errors.js';

interface OrgRow {
  id: string;
  name: string;
  primary_domain: string;
  state: OrgView['state'];
  sequence: number;
  created_at: string;
  changed_at: string;
}

export function toOrgView(r: OrgRow): OrgView {
  return {
    id: r.id,
    details: details(r.sequence, r.changed_at, r.id, r.created_at),
    state: r.state,
    name: r.name,
    primaryDomain: r.primary_domain,
  };
}

export function getOrg(db: Db, orgId: string): OrgView {
  const row = db.prepare('SELECT * FROM orgs WHERE id = ?').get(orgId) as OrgRow | undefined;
  if (!row) throw notFound('ORG-4m9fs', 'organization not found');
  return toOrgView(row);
}
