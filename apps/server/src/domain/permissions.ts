import {
  INSTANCE_OWNER_ROLE,
  instanceRoleDefinition,
  permissionsOf,
  roleDefinition,
  type Permission,
} from '@tessera/contracts';
import { dataVersionOf, VersionedCache } from '../storage/data-version.js';
import type { Db } from '../storage/db.js';
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
  readonly #memberRoles;
  readonly #instanceRoles;
  readonly #grants;
  readonly #grantsCache: VersionedCache<string, GrantsRow>;
  /** A user's instance roles as stored ('' for none), until the database changes. */
  readonly #instanceRolesCache: VersionedCache<string, string>;
  readonly #orgSets = new PermissionSets(roleDefinition);
  readonly #instanceSets = new PermissionSets(instanceRoleDefinition);

  constructor(db: Db) {
    this.#memberRoles = db.prepare('SELECT roles FROM org_members WHERE org_id = ? AND user_id = ?').pluck();
    this.#instanceRoles = db.prepare('SELECT roles FROM instance_members WHERE user_id = ?').pluck();
    // Everything authorizeInOrg needs, in one read: three primary-key lookups inside SQLite.
    this.#grants = db.prepare(
      `SELECT (SELECT roles FROM instance_members WHERE user_id = ?) AS instance_roles,
              (SELECT roles FROM org_members WHERE org_id = ? AND user_id = ?) AS org_roles,
              EXISTS (SELECT 1 FROM orgs WHERE id = ?) AS org_exists`,
    );
    this.#grantsCache = new VersionedCache(dataVersionOf(db), 4096);
    this.#instanceRolesCache = new VersionedCache(dataVersionOf(db), 4096);
  }

  /** The instance roles the user holds (empty when none). */
  instanceRoles(userId: string): string[] {
    const roles = this.#instanceRolesJson(userId);
    return roles ? (JSON.parse(roles) as string[]) : [];
  }

  isInstanceOwner(userId: string): boolean {
    return this.instanceRoles(userId).includes(INSTANCE_OWNER_ROLE);
  }

  /** The roles the user holds in an organization (empty when none). */
  orgRoles(userId: string, orgId: string): string[] {
    const roles = this.#memberRoles.get(orgId, userId) as string | undefined;
    return roles ? (JSON.parse(roles) as string[]) : [];
  }

  /** Everything the caller may do in one organization: its membership there plus its instance roles. */
  permissions(principal: Principal, orgId: string): Set<Permission> {
    const granted = new Set(this.#orgSets.of(this.#memberRoles.get(orgId, principal.userId) as string | undefined));
    for (const p of this.#instancePermissions(principal)) granted.add(p);
    return granted;
  }

  /**
   * Resolves the organization a call acts on (the caller's own, or the one named by
   * x-zitadel-orgid) and checks the permission there; returns that organization's id.
   * Naming an organization the caller holds no fitting role in is refused, never ignored.
   */
  authorizeInOrg(principal: Principal, requestedOrgId: string | undefined, permission: Permission): string {
    const orgId = requestedOrgId || principal.orgId;
    const userId = principal.userId;
    const g = this.#grantsCache.get(`${userId}\n${orgId}`, () => this.#grants.get(userId, orgId, userId, orgId) as GrantsRow)!;
    if (this.#instanceSets.of(g.instance_roles).has(permission)) {
      if (!g.org_exists) throw notFound('ORG-4m9fs', 'organization not found');
      return orgId;
    }
    if (!this.#orgSets.of(g.org_roles).has(permission)) throw permissionDenied();
    return orgId;
  }

  /** Instance-wide calls (create or list organizations) need an instance role granting the permission. */
  authorizeInstance(principal: Principal, permission: Permission): void {
    if (!this.#instancePermissions(principal).has(permission)) throw permissionDenied();
  }

  #instancePermissions(principal: Principal): ReadonlySet<Permission> {
    return this.#instanceSets.of(this.#instanceRolesJson(principal.userId));
  }

  #instanceRolesJson(userId: string): string {
    return this.#instanceRolesCache.get(userId, () => (this.#instanceRoles.get(userId) as string | undefined) ?? '')!;
  }
}
