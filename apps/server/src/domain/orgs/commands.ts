import type { ObjectDetails } from '@tessera/contracts';
import { inTransaction, type Db } from '../../storage/db.js';
import { newId } from '../../storage/ids.js';
import { storedForms } from '../../storage/search-forms.js';
import { alreadyExists, failedPrecondition } from '../errors.js';
import { appendEvent, details } from '../events.js';
import { getOrg } from './queries.js';

function slug(name: string): string {
  return (
    name
      .normalize('NFKD')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60) || 'org'
  );
}

/** A primary domain like ZITADEL's "{org}.{instance host}", made unique with a suffix. */
function uniqueDomain(db: Db, name: string, instanceHost: string): string {
  const taken = db.prepare('SELECT 1 FROM orgs WHERE primary_domain = ?').pluck();
  const base = slug(name);
  for (let i = 1; ; i++) {
    const candidate = `${i === 1 ? base : `${base}-${i}`}.${instanceHost}`;
    if (!taken.get(candidate)) return candidate;
  }
}

/**
 * Organization names are unique in the instance (as in ZITADEL), compared case-insensitively, so
 * the console's organization switcher never shows two entries an operator cannot tell apart.
 * Called inside an IMMEDIATE transaction, so no concurrent writer can slip in between.
 */
function assertNameFree(db: Db, name: string, exceptOrgId = ''): void {
  const taken = db.prepare('SELECT 1 FROM orgs WHERE name = ? COLLATE NOCASE AND id <> ?').get(name, exceptOrgId);
  if (taken) throw alreadyExists('ORG-AlreadyExists', 'an organization with this name already exists', 'name');
}

/** AddOrg: a new, empty organization. Also used by first start. */
export function createOrg(
  db: Db,
  input: { name: string; instanceHost: string; editorUserId: string | null },
): { id: string; details: ObjectDetails } {
  return inTransaction(db, () => {
    assertNameFree(db, input.name);
    const id = newId();
    const primaryDomain = uniqueDomain(db, input.name, input.instanceHost);
    const ev = appendEvent(db, {
      type: 'org.added',
      aggregateType: 'org',
      aggregateId: id,
      resourceOwner: id,
      editorUserId: input.editorUserId,
      payload: { name: input.name, primaryDomain },
    });
    const forms = storedForms(input.name);
    db.prepare(
      `INSERT INTO orgs (id, name, name_nfc, name_fold, primary_domain, state, sequence, created_at, changed_at)
       VALUES (?, ?, ?, ?, ?, 'ORG_STATE_ACTIVE', ?, ?, ?)`,
    ).run(id, input.name, forms.nfc, forms.fold, primaryDomain, ev.sequence, ev.createdAt, ev.createdAt);
    return { id, details: details(ev.sequence, ev.createdAt, id, ev.createdAt) };
  });
}

/**
 * UpdateOrg: renames the organization. The primary domain stays as it was, so the login names of
 * its users (username@domain) do not change under scripts that already use them.
 */
export function renameOrg(db: Db, orgId: string, editorUserId: string | null, name: string): { details: ObjectDetails } {
  return inTransaction(db, () => {
    const org = getOrg(db, orgId);
    // ZITADEL answers an unchanged name with FailedPrecondition (Errors.Org.NotChanged).
    if (org.name === name) throw failedPrecondition('ORG-NotChanged', 'the organization already has this name');
    assertNameFree(db, name, orgId);
    const ev = appendEvent(db, {
      type: 'org.changed',
      aggregateType: 'org',
      aggregateId: orgId,
      resourceOwner: orgId,
      editorUserId,
      payload: { name },
    });
    const forms = storedForms(name);
    db.prepare('UPDATE orgs SET name = ?, name_nfc = ?, name_fold = ?, sequence = ?, changed_at = ? WHERE id = ?').run(
      name, forms.nfc, forms.fold, ev.sequence, ev.createdAt, orgId,
    );
    return { details: details(ev.sequence, ev.createdAt, orgId) };
  });
}
