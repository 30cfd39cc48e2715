import { INSTANCE_OWNER_ROLE, instanceRoleDefinition, permissionsOf, roleDefinition, type Permission } from '@tessera/contracts';
import { VersionedCache } from '../storage/data-version.js';
import type { Storage } from '../storage/port.js';
import { notFound, permissionDenied } from './errors.js';
import type { Principal } from './principal.js';

/**
 * The one place authorization is decided. Grants are read from the database (one read of three
 * primary-key lookups) and kept only until the database next changes (storage/data-version.ts),
 * so removing or downgrading a manager takes effect on that user's very next request: no cache
 * can outlive the change. The mapping from a roles value to its permissions never changes.
 *
 * Where a caller's permissions come from:
 * - instance roles (IAM_OWNER): hold in every organization and for instance-wide calls;
 * - org roles (ORG_OWNER, ...): hold only in the organization the membership belongs to.
 *
 * 404 versus 403, so that nothing about other organizations leaks:
 * 1. Permission is decided first, before anything is looked up. A caller without the permission
 *    in the target organization gets 403 PermissionDenied whether that organization (named by
 *    x-zitadel-orgid) exists or not, and whether the addressed user or member exists or not.
 * 2. Only then does the handler look things up, and only inside the authorized organization. An
 *    id that belongs to another organization answers 404 exactly like an id that exists nowhere
 *    (same status, id and message).
 * 3. Only a caller whose instance role grants the permission (and who could list every
 *    organization anyway) learns that a named organization does not exist: 404 ORG-4m9fs.
 */
interface GrantsRow {
  instance_roles: string | null;
  org_roles: string | null;
  org_exists: 0 | 1;
}

type RoleLookup = typeof roleDefinition;

/**
 * The permission set of a stored roles value (its JSON text), worked out once per distinct text:
 * there are only a handful (each role combination), and a request should not rebuild a Set from
 * the role definitions. Bounded anyway; the sets are never handed out for changing.
 */
class PermissionSets {
  readonly #sets = new Map<string, ReadonlySet<Permission>>();

  constructor(private readonly lookup: RoleLookup) {}

  of(rolesJson: string | null | undefined): ReadonlySet<Permission> {
    if (!rolesJson) return EMPTY;
    let set = this.#sets.get(rolesJson);
    if (!set) {
      set = permissionsOf(JSON.parse(rolesJson) as string[], this.lookup);
      if (this.#sets.size >= 256) this.#sets.clear();
      this.#sets.set(rolesJson, set);
    }
    return set;
  }
}

const EMPTY: ReadonlySet<Permission> = new Set();

export class Authorizer {
  readonly #grantsCache: VersionedCache<string, GrantsRow>;
  /** A user's instance roles as stored ('' for none), until the database changes. */
  readonly #instanceRolesCache: VersionedCache<string, string>;
  readonly #orgSets = new PermissionSets(roleDefinition);
  readonly #instanceSets = new PermissionSets(instanceRoleDefinition);

  constructor(private readonly storage: Storage) {
    this.#grantsCache = new VersionedCache(storage.version, 4096);
    this.#instanceRolesCache = new VersionedCache(storage.version, 4096);
  }

  /** The instance roles the user holds (empty when none). */
  async instanceRoles(userId: string): Promise<string[]> {
    const roles = await this.#instanceRolesJson(userId);
    return roles ? (JSON.parse(roles) as string[]) : [];
  }

  async isInstanceOwner(userId: string): Promise<boolean> {
    return (await this.instanceRoles(userId)).includes(INSTANCE_OWNER_ROLE);
  }

  /** The roles the user holds in an organization (empty when none). */
  async orgRoles(userId: string, orgId: string): Promise<string[]> {
    const roles = await this.#memberRoles(orgId, userId);
    return roles ? (JSON.parse(roles) as string[]) : [];
  }

  /** Everything the caller may do in one organization: its membership there plus its instance roles. */
  async permissions(principal: Principal, orgId: string): Promise<Set<Permission>> {
    const granted = new Set(this.#orgSets.of(await this.#memberRoles(orgId, principal.userId)));
    for (const p of await this.#instancePermissions(principal)) granted.add(p);
    return granted;
  }

  async #memberRoles(orgId: string, userId: string): Promise<string | undefined> {
    const row = await this.storage.one<{ roles: string }>('SELECT roles FROM org_members WHERE org_id = ? AND user_id = ?', [orgId, userId]);
    return row?.roles;
  }

  /**
   * Resolves the organization a call acts on (the caller's own, or the one named by
   * x-zitadel-orgid) and checks the permission there; returns that organization's id.
   * Naming an organization the caller holds no fitting role in is refused, never ignored.
   */
  async authorizeInOrg(principal: Principal, requestedOrgId: string | undefined, permission: Permission): Promise<string> {
    const orgId = requestedOrgId || principal.orgId;
    const userId = principal.userId;
    // Everything this needs, in one read: three primary-key lookups.
    const g = (await this.#grantsCache.get(`${userId}\n${orgId}`, () =>
      this.storage.one<GrantsRow>(
        `SELECT (SELECT roles FROM instance_members WHERE user_id = ?) AS instance_roles,
                (SELECT roles FROM org_members WHERE org_id = ? AND user_id = ?) AS org_roles,
                (SELECT count(*) FROM orgs WHERE id = ?) AS org_exists`,
        [userId, orgId, userId, orgId],
      ),
    ))!;
    if (this.#instanceSets.of(g.instance_roles).has(permission)) {
      if (!g.org_exists) throw notFound('ORG-4m9fs', 'organization not found');
      return orgId;
    }
    if (!this.#orgSets.of(g.org_roles).has(permission)) throw permissionDenied();
    return orgId;
  }

  /** Instance-wide calls (create or list organizations) need an instance role granting the permission. */
  async authorizeInstance(principal: Principal, permission: Permission): Promise<void> {
    if (!(await this.#instancePermissions(principal)).has(permission)) throw permissionDenied();
  }

  async #instancePermissions(principal: Principal): Promise<ReadonlySet<Permission>> {
    return this.#instanceSets.of(await this.#instanceRolesJson(principal.userId));
  }

  async #instanceRolesJson(userId: string): Promise<string> {
    return (await this.#instanceRolesCache.get(userId, async () => {
      const row = await this.storage.one<{ roles: string }>('SELECT roles FROM instance_members WHERE user_id = ?', [userId]);
      return row?.roles ?? '';
    }))!;
  }
}
