import { INSTANCE_OWNER_ROLE, roleDefinition, type Permission } from '@tessera/contracts';
import type { Db } from '../storage/db.js';
import { permissionDenied, notFound } from './errors.js';
import type { Principal } from './principal.js';

/**
 * The one place authorization is decided. Grants are read from the database on every call,
 * so removing or downgrading a manager takes effect on that user's very next request.
 */
export class Authorizer {
  readonly #memberRoles;
  readonly #instanceRoles;
  readonly #orgExists;

  constructor(db: Db) {
    this.#memberRoles = db.prepare('SELECT roles FROM org_members WHERE org_id = ? AND user_id = ?').pluck();
    this.#instanceRoles = db.prepare('SELECT roles FROM instance_members WHERE user_id = ?').pluck();
    this.#orgExists = db.prepare('SELECT 1 FROM orgs WHERE id = ?').pluck();
  }

  isInstanceOwner(userId: string): boolean {
    const roles = this.#instanceRoles.get(userId) as string | undefined;
    return roles ? (JSON.parse(roles) as string[]).includes(INSTANCE_OWNER_ROLE) : false;
  }

  /** The roles the user holds in an organization (empty when none). */
  orgRoles(userId: string, orgId: string): string[] {
    const roles = this.#memberRoles.get(orgId, userId) as string | undefined;
    return roles ? (JSON.parse(roles) as string[]) : [];
  }

  permissions(principal: Principal, orgId: string): Set<Permission> {
    const granted = new Set<Permission>();
    for (const role of this.orgRoles(principal.userId, orgId)) {
      for (const p of roleDefinition(role)?.permissions ?? []) granted.add(p);
    }
    return granted;
  }

  /**
   * Resolves the organization a call acts on (the caller's own, or the one named by
   * x-zitadel-orgid) and checks the permission there. An organization the caller holds no
   * role in is refused the same way whether it exists or not, so nothing leaks.
   */
  authorizeInOrg(principal: Principal, requestedOrgId: string | undefined, permission: Permission): string {
    const orgId = requestedOrgId || principal.orgId;
    if (principal.instanceOwner) {
      if (!this.#orgExists.get(orgId)) throw notFound('ORG-4m9fs', 'organization not found');
      return orgId;
    }
    if (!this.permissions(principal, orgId).has(permission)) throw permissionDenied();
    return orgId;
  }

  /** Instance-level operations (create or list organizations) belong to the instance owner alone. */
  authorizeInstance(principal: Principal): void {
    if (!principal.instanceOwner) throw permissionDenied();
  }
}
