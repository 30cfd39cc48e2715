import type { ObjectDetails } from '@tessera/contracts';
import type { Sql } from '../storage/port.js';

export interface EventInput {
  type: string;
  aggregateType: 'org' | 'user' | 'instance' | 'project';
  aggregateId: string;
  resourceOwner: string;
  editorUserId: string | null;
  /** Never a secret: events are the audit trail the console shows. */
  payload?: Record<string, unknown>;
}

export interface Appended {
  sequence: number;
  createdAt: string;
}

/** Appends one event; call inside the command's transaction. */
export async function appendEvent(tx: Sql, e: EventInput): Promise<Appended> {
  const createdAt = new Date().toISOString();
  const row = await tx.one<{ sequence: number }>(
    `INSERT INTO events (created_at, type, aggregate_type, aggregate_id, resource_owner, editor_user_id, payload)
     VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING sequence`,
    [createdAt, e.type, e.aggregateType, e.aggregateId, e.resourceOwner, e.editorUserId, JSON.stringify(e.payload ?? {})],
  );
  return { sequence: row!.sequence, createdAt };
}

export function details(sequence: number, changeDate: string, resourceOwner: string, creationDate?: string): ObjectDetails {
  return {
    sequence: String(sequence),
    ...(creationDate ? { creationDate } : {}),
    changeDate,
    resourceOwner,
  };
}

export interface EventView {
  sequence: string;
  creationDate: string;
  type: string;
  editorUserId: string | null;
  editorDisplayName: string | null;
  payload: Record<string, unknown>;
}

/** The audit trail of one aggregate, newest first. */
export async function listEvents(sql: Sql, aggregateType: string, aggregateId: string, limit = 50): Promise<EventView[]> {
  const rows = await sql.all<{
    sequence: number;
    created_at: string;
    type: string;
    editor_user_id: string | null;
    display_name: string | null;
    payload: string;
  }>(
    `SELECT e.sequence, e.created_at, e.type, e.editor_user_id, u.display_name, e.payload
     FROM events e LEFT JOIN users u ON u.id = e.editor_user_id
     WHERE e.aggregate_type = ? AND e.aggregate_id = ?
     ORDER BY e.sequence DESC LIMIT ?`,
    [aggregateType, aggregateId, limit],
  );
  return rows.map((r) => ({
    sequence: String(r.sequence),
    creationDate: r.created_at,
    type: r.type,
    editorUserId: r.editor_user_id,
    editorDisplayName: r.display_name,
    payload: JSON.parse(r.payload) as Record<string, unknown>,
  }));
}
