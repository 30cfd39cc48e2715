import type { AddProjectResponse, ListProjectsRequest, ListProjectsResponse, ObjectDetails, ProjectView } from '@tessera/contracts';
import { newId } from '../../storage/ids.js';
import { isUniqueViolation, type Sql, type Storage } from '../../storage/port.js';
import { caselessForm, exactForm } from '../../storage/search-forms.js';
import { alreadyExists, failedPrecondition, invalidArgument, notFound } from '../errors.js';
import { appendEvent, details } from '../events.js';
import { ignoresCase } from '../text-query.js';

/** Projects one organization may hold: each is listed whole when searched by name. */
export const MAX_PROJECTS_PER_ORG = 1000;

interface ProjectRow {
  id: string;
  org_id: string;
  name: string;
  state: 'PROJECT_STATE_ACTIVE' | 'PROJECT_STATE_INACTIVE';
  sequence: number;
  created_at: string;
  changed_at: string;
}

const toView = (r: ProjectRow): ProjectView => ({
  id: r.id,
  details: details(r.sequence, r.changed_at, r.org_id, r.created_at),
  name: r.name,
  state: r.state,
});

export const projectNotFound = () => notFound('PROJECT-NotFound', 'project not found');
const duplicateName = () => alreadyExists('PROJECT-AlreadyExists', 'a project with this name already exists in the organization', 'name');

/** Records a change to a project: its event, and the row's sequence and change date. Inside a transaction. */
export async function touchProject(
  tx: Sql,
  orgId: string,
  projectId: string,
  editorUserId: string | null,
  type: string,
  payload: Record<string, unknown> = {},
): Promise<ObjectDetails> {
  const ev = await appendEvent(tx, { type, aggregateType: 'project', aggregateId: projectId, resourceOwner: orgId, editorUserId, payload });
  await tx.run('UPDATE projects SET sequence = ?, changed_at = ? WHERE id = ?', [ev.sequence, ev.createdAt, projectId]);
  return details(ev.sequence, ev.createdAt, orgId);
}

/**
 * A project of this organization, locked until the command ends on PostgreSQL (so a count made now
 * holds at its insert); another organization's project is "not found", exactly like a missing one.
 */
export async function requireProject(sql: Sql, orgId: string, projectId: string, lock = false): Promise<ProjectRow> {
  const row = await sql.one<ProjectRow>(`SELECT * FROM projects WHERE id = ? AND org_id = ?${lock && sql.engine === 'pg' ? ' FOR UPDATE' : ''}`, [
    projectId,
    orgId,
  ]);
  if (!row) throw projectNotFound();
  return row;
}

async function lockOrg(tx: Sql, orgId: string): Promise<void> {
  if (tx.engine === 'pg') await tx.one('SELECT 1 FROM orgs WHERE id = ? FOR UPDATE', [orgId]);
}

/** AddProject: a project in the organization, its name unique there. */
export async function addProject(storage: Storage, orgId: string, editorUserId: string | null, input: { name: string }): Promise<AddProjectResponse> {
  try {
    return await storage.command(async (tx) => {
      await lockOrg(tx, orgId);
      const { n } = (await tx.one<{ n: number }>('SELECT count(*) AS n FROM projects WHERE org_id = ?', [orgId]))!;
      if (n >= MAX_PROJECTS_PER_ORG) throw invalidArgument('PROJECT-TooMany', `an organization holds at most ${MAX_PROJECTS_PER_ORG} projects`);
      if (await tx.one('SELECT 1 FROM projects WHERE org_id = ? AND name = ?', [orgId, input.name])) throw duplicateName();
      const id = newId();
      const ev = await appendEvent(tx, {
        type: 'project.added',
        aggregateType: 'project',
        aggregateId: id,
        resourceOwner: orgId,
        editorUserId,
        payload: { name: input.name },
      });
      await tx.run("INSERT INTO projects (id, org_id, name, state, sequence, created_at, changed_at) VALUES (?, ?, ?, 'PROJECT_STATE_ACTIVE', ?, ?, ?)", [
        id,
        orgId,
        input.name,
        ev.sequence,
        ev.createdAt,
        ev.createdAt,
      ]);
      return { id, details: details(ev.sequence, ev.createdAt, orgId, ev.createdAt) };
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateName();
    throw err;
  }
}

/** UpdateProject: renames it; the name stays unique in the organization. */
export async function updateProject(
  storage: Storage,
  orgId: string,
  projectId: string,
  editorUserId: string | null,
  input: { name: string },
): Promise<ObjectDetails> {
  try {
    return await storage.command(async (tx) => {
      const before = await requireProject(tx, orgId, projectId, true);
      if (before.name === input.name) throw failedPrecondition('PROJECT-NotChanged', 'the project already has this name');
      if (await tx.one('SELECT 1 FROM projects WHERE org_id = ? AND name = ? AND id <> ?', [orgId, input.name, projectId])) throw duplicateName();
      await tx.run('UPDATE projects SET name = ? WHERE id = ?', [input.name, projectId]);
      return touchProject(tx, orgId, projectId, editorUserId, 'project.changed', { name: input.name });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw duplicateName();
    throw err;
  }
}

/**
 * RemoveProject: the project, its roles, applications (and their keys) and user grants go at once.
 * Tokens already issued into its audience stay valid until they expire, but no application of the
 * project is left to introspect them, and their role claims are read from grants that are gone.
 */
export function removeProject(storage: Storage, orgId: string, projectId: string, editorUserId: string | null): Promise<ObjectDetails> {
  return storage.command(async (tx) => {
    const project = await requireProject(tx, orgId, projectId, true);
    const ev = await appendEvent(tx, {
      type: 'project.removed',
      aggregateType: 'project',
      aggregateId: projectId,
      resourceOwner: orgId,
      editorUserId,
      payload: { name: project.name },
    });
    await tx.run('DELETE FROM projects WHERE id = ?', [projectId]);
    return details(ev.sequence, ev.createdAt, orgId);
  });
}

export async function getProject(sql: Sql, orgId: string, projectId: string): Promise<ProjectView> {
  return toView(await requireProject(sql, orgId, projectId));
}

function matches(name: string, term: string, method: NonNullable<ListProjectsRequest['queries']>[number]['nameQuery']['method']): boolean {
  const value = ignoresCase(method) ? caselessForm(name) : exactForm(name);
  const t = ignoresCase(method) ? caselessForm(term) : exactForm(term);
  if (method.startsWith('TEXT_QUERY_METHOD_EQUALS')) return value === t;
  if (method.startsWith('TEXT_QUERY_METHOD_STARTS_WITH')) return value.startsWith(t);
  if (method.startsWith('TEXT_QUERY_METHOD_ENDS_WITH')) return value.endsWith(t);
  return value.includes(t);
}

/** ListProjects: by creation, newest first unless asc; name queries all must match. */
export async function listProjects(sql: Sql, orgId: string, req: ListProjectsRequest): Promise<ListProjectsResponse> {
  const order = req.query?.asc ? 'ASC' : 'DESC';
  const rows = await sql.all<ProjectRow>(`SELECT * FROM projects WHERE org_id = ? ORDER BY id ${order}`, [orgId]);
  const found = rows.filter((r) => (req.queries ?? []).every((q) => matches(r.name, q.nameQuery.name, q.nameQuery.method)));
  const offset = req.query?.offset ?? 0;
  const page = found.slice(offset, offset + (req.query?.limit || 100));
  return { details: { totalResult: String(found.length), viewTimestamp: new Date().toISOString() }, result: page.map(toView) };
}
