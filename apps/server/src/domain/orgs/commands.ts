import type { ObjectDetails } from '@tessera/contracts';
import { inTransaction, type Db } from '../../storage/db.js';
import { newId } from '../../storage/ids.js';
import { appendEvent, details } from '../events.js';

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

export function createOrg(
  db: Db,
  input: { name: string; instanceHost: string; editorUserId: string | null },
): { id: string; details: ObjectDetails } {
  return inTransaction(db, () => {
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
    db.prepare(
      `INSERT INTO orgs (id, name, primary_domain, state, sequence, created_at, changed_at)
       VALUES (?, ?, ?, 'ORG_STATE_ACTIVE', ?, ?, ?)`,
    ).run(id, input.name, primaryDomain, ev.sequence, ev.createdAt, ev.createdAt);
    return { id, details: details(ev.sequence, ev.createdAt, id, ev.createdAt) };
  });
}
