import type { ListUserChangesResponse, listUserChangesSchema } from '@tessera/contracts';
import type { z } from 'zod';
import type { Sql } from '../storage/port.js';

/** ZITADEL's ChangeQuery, the same for every ListXChanges call. */
export type ListChanges = z.output<typeof listUserChangesSchema>;

/** What an event says in the activity list, from its type and payload. */
export type EventMessage = (type: string, payload: Record<string, unknown>) => string;

export const DEFAULT_CHANGES_LIMIT = 50;

/** A time in a message: minutes, in UTC, the same for every reader ("2026-12-02 14:05 UTC"). */
export const utcMinute = (iso: string) => `${new Date(iso).toISOString().slice(0, 16).replace('T', ' ')} UTC`;

/** An event type nobody gave a message yet still reads as words: "user.foo.bar" -> "User foo bar". */
export function typeAsWords(type: string): string {
  const words = type.replace(/[._]+/g, ' ').trim();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

interface ChangeRow {
  sequence: number;
  created_at: string;
  type: string;
  editor_user_id: string | null;
  resource_owner: string;
  editor_name: string | null;
  payload: string;
}

/**
 * One aggregate's events as ZITADEL's Change list, newest first unless asc. `sequence` pages: the
 * changes after it in the chosen direction. The caller has checked the aggregate is the caller's.
 */
export async function listChanges(
  sql: Sql,
  aggregateType: 'user' | 'project',
  aggregateId: string,
  req: ListChanges,
  message: EventMessage,
): Promise<ListUserChangesResponse> {
  const asc = req.query?.asc ?? false;
  const cursor = req.query?.sequence || undefined;
  const limit = req.query?.limit || DEFAULT_CHANGES_LIMIT;
  const rows = await sql.all<ChangeRow>(
    `SELECT e.sequence, e.created_at, e.type, e.editor_user_id, e.resource_owner, u.display_name AS editor_name, e.payload
       FROM events e LEFT JOIN users u ON u.id = e.editor_user_id
       WHERE e.aggregate_type = ? AND e.aggregate_id = ? ${cursor === undefined ? '' : `AND e.sequence ${asc ? '>' : '<'} ?`}
       ORDER BY e.sequence ${asc ? 'ASC' : 'DESC'} LIMIT ?`,
    [aggregateType, aggregateId, ...(cursor === undefined ? [] : [cursor]), limit],
  );
  return {
    result: rows.map((r) => ({
      changeDate: r.created_at,
      eventType: { key: r.type, localizedMessage: message(r.type, JSON.parse(r.payload) as Record<string, unknown>) },
      sequence: String(r.sequence),
      editorId: r.editor_user_id ?? '',
      // No editor: Tessera itself (first start). An editor since deleted keeps only their id.
      editorDisplayName: r.editor_user_id === null ? 'System' : (r.editor_name ?? 'Deleted user'),
      resourceOwnerId: r.resource_owner,
    })),
  };
}
