import type { ListOrgsQuery, ListOrgsResponse, OrgSearchQuery, OrgView } from '@tessera/contracts';
import { VersionedCache } from '../../storage/data-version.js';
import type { Engine, Sql, Storage } from '../../storage/port.js';
import { details } from '../events.js';
import { notFound } from '../errors.js';
import { asciiColumn, freeTextColumn, textCondition } from '../text-query.js';

interface OrgRow {
  id: string;
  name: string;
  primary_domain: string;
  state: OrgView['state'];
  sequence: number;
  created_at: string;
  changed_at: string;
}

const ORG_COLUMNS = 'id, name, primary_domain, state, sequence, created_at, changed_at';

export function toOrgView(r: OrgRow): OrgView {
  return {
    id: r.id,
    details: details(r.sequence, r.changed_at, r.id, r.created_at),
    state: r.state,
    name: r.name,
    primaryDomain: r.primary_domain,
  };
}

async function findOrg(sql: Sql, orgId: string): Promise<OrgView | undefined> {
  const row = await sql.one<OrgRow>(`SELECT ${ORG_COLUMNS} FROM orgs WHERE id = ?`, [orgId]);
  return row && toOrgView(row);
}

export async function getOrg(sql: Sql, orgId: string): Promise<OrgView> {
  const org = await findOrg(sql, orgId);
  if (!org) throw notFound('ORG-4m9fs', 'organization not found');
  return org;
}

/** GetMyOrg, the call every machine makes: each organization's view kept until the database changes. */
export class OrgViews {
  readonly #cache: VersionedCache<string, OrgView>;

  constructor(private readonly storage: Storage) {
    this.#cache = new VersionedCache(storage.version, 1024);
  }

  async get(orgId: string): Promise<OrgView> {
    const org = await this.#cache.get(orgId, (id) => findOrg(this.storage, id));
    if (!org) throw notFound('ORG-4m9fs', 'organization not found');
    return org;
  }
}

// Names are free text with stored search forms; primary domains are lowercase ASCII (a slug and the issuer's host).
const NAME = freeTextColumn('name');
const PRIMARY_DOMAIN = asciiColumn('primary_domain');

function condition(engine: Engine, q: OrgSearchQuery, args: unknown[]): string {
  if ('nameQuery' in q) return textCondition(engine, NAME, q.nameQuery.name, q.nameQuery.method, args);
  if ('domainQuery' in q) return textCondition(engine, PRIMARY_DOMAIN, q.domainQuery.domain, q.domainQuery.method, args);
  args.push(q.stateQuery.state);
  return 'state = ?';
}

const SORT_COLUMNS = {
  ORG_FIELD_NAME_UNSPECIFIED: 'created_at',
  // lower() is NOCASE's ASCII folding on SQLite, and a caseless order on PostgreSQL.
  ORG_FIELD_NAME_NAME: 'lower(name)',
} as const;

export const DEFAULT_LIMIT = 100;

/** ListOrgs: every organization of the instance, with ZITADEL's paging (asc defaults to false). */
export async function searchOrgs(sql: Sql, req: ListOrgsQuery): Promise<ListOrgsResponse> {
  const args: unknown[] = [];
  const conditions = (req.queries ?? []).map((q) => condition(sql.engine, q, args));
  const where = conditions.length ? `WHERE ${conditions.join(' AND ')}` : '';
  const sortingColumn = req.sortingColumn ?? 'ORG_FIELD_NAME_UNSPECIFIED';
  const order = `${SORT_COLUMNS[sortingColumn]} ${req.query?.asc ? 'ASC' : 'DESC'}, id`;
  const limit = req.query?.limit || DEFAULT_LIMIT;
  const offset = req.query?.offset ?? 0;
  const total = (await sql.one<{ n: number }>(`SELECT count(*) AS n FROM orgs ${where}`, args))!.n;
  const rows = await sql.all<OrgRow>(`SELECT ${ORG_COLUMNS} FROM orgs ${where} ORDER BY ${order} LIMIT ? OFFSET ?`, [...args, limit, offset]);
  return {
    details: { totalResult: String(total), viewTimestamp: new Date().toISOString() },
    sortingColumn,
    result: rows.map(toOrgView),
  };
}
