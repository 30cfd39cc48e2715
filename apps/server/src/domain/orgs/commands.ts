import type { ObjectDetails } from '@tessera/contracts';
import { isUniqueViolation, type Sql, type Storage } from '../../storage/port.js';
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
async function uniqueDomain(tx: Sql, name: string, instanceHost: string): Promise<string> {
  const base = slug(name);
  for (let i = 1; ; i++) {
    const candidate = `${i === 1 ? base : `${base}-${i}`}.${instanceHost}`;
    if (!(await tx.one('SELECT 1 FROM orgs WHERE primary_domain = ?', [candidate]))) return candidate;
  }
}

/**
 * Organization names are unique in the instance (as in ZITADEL), compared case-insensitively, so
 * the console's organization switcher never shows two entries an operator cannot tell apart.
 * Checked inside the command; should two commands race past the check, the unique index on
 * lower(name) (PostgreSQL) or the one-writer transaction (SQLite) has the last word.
 */
async function assertNameFree(tx: Sql, name: string, exceptOrgId = ''): Promise<void> {
  const taken = await tx.one('SELECT 1 FROM orgs WHERE lower(name) = lower(?) AND id <> ?', [name, exceptOrgId]);
  if (taken) throw alreadyExists('ORG-AlreadyExists', 'an organization with this name already exists', 'name');
}

/** AddOrg: a new, empty organization. Also used by first start. */
export async function createOrg(storage: Storage, input: NewOrg): Promise<{ id: string; details: ObjectDetails }> {
  try {
    return await addOrg(storage, input);
  } catch (err) {
    // A concurrent create took the name or the domain between check and insert: look again, once.
    if (isUniqueViolation(err)) return addOrg(storage, input);
    throw err;
  }
}

function addOrg(storage: Storage, input: NewOrg): Promise<{ id: string; details: ObjectDetails }> {
  return storage.command((tx) => insertOrg(tx, input));
}

export interface NewOrg {
  name: string;
  instanceHost: string;
  editorUserId: string | null;
}

/** The rows and event of a new organization, inside the caller's command (first start uses it too). */
export async function insertOrg(tx: Sql, input: NewOrg): Promise<{ id: string; details: ObjectDetails }> {
  await assertNameFree(tx, input.name);
  const id = newId();
  const primaryDomain = await uniqueDomain(tx, input.name, input.instanceHost);
  const ev = await appendEvent(tx, {
    type: 'org.added',
    aggregateType: 'org',
    aggregateId: id,
    resourceOwner: id,
    editorUserId: input.editorUserId,
    payload: { name: input.name, primaryDomain },
  });
  const forms = storedForms(input.name);
  await tx.run(
    `INSERT INTO orgs (id, name, name_nfc, name_fold, primary_domain, state, sequence, created_at, changed_at)
     VALUES (?, ?, ?, ?, ?, 'ORG_STATE_ACTIVE', ?, ?, ?)`,
    [id, input.name, forms.nfc, forms.fold, primaryDomain, ev.sequence, ev.createdAt, ev.createdAt],
  );
  return { id, details: details(ev.sequence, ev.createdAt, id, ev.createdAt) };
}

/**
 * UpdateOrg: renames the organization. The primary domain stays as it was, so the login names of
 * its users (username@domain) do not change under scripts that already use them.
 */
export async function renameOrg(storage: Storage, orgId: string, editorUserId: string | null, name: string): Promise<{ details: ObjectDetails }> {
  try {
    return await rename(storage, orgId, editorUserId, name);
  } catch (err) {
    if (isUniqueViolation(err)) return rename(storage, orgId, editorUserId, name);
    throw err;
  }
}

function rename(storage: Storage, orgId: string, editorUserId: string | null, name: string): Promise<{ details: ObjectDetails }> {
  return storage.command(async (tx) => {
    const org = await getOrg(tx, orgId);
    // ZITADEL answers an unchanged name with FailedPrecondition (Errors.Org.NotChanged).
    if (org.name === name) throw failedPrecondition('ORG-NotChanged', 'the organization already has this name');
    await assertNameFree(tx, name, orgId);
    const ev = await appendEvent(tx, {
      type: 'org.changed',
      aggregateType: 'org',
      aggregateId: orgId,
      resourceOwner: orgId,
      editorUserId,
      payload: { name },
    });
    const forms = storedForms(name);
    await tx.run('UPDATE orgs SET name = ?, name_nfc = ?, name_fold = ?, sequence = ?, changed_at = ? WHERE id = ?', [
      name,
      forms.nfc,
      forms.fold,
      ev.sequence,
      ev.createdAt,
      orgId,
    ]);
    return { details: details(ev.sequence, ev.createdAt, orgId) };
  });
}
