import { expect } from 'vitest';
import type { SignedIn } from './test-app.js';

interface Change {
  eventType: { key: string; localizedMessage: string };
  sequence: string;
}

/**
 * Checks a ListXChanges answer made by the signed-in administrator: only `result`, newest first,
 * each entry ZITADEL's Change field by field. Answers the event types, for the caller to compare.
 */
export function expectChanges(body: { result: Change[] }, s: SignedIn): Change['eventType'][] {
  expect(Object.keys(body)).toEqual(['result']);
  expect(body.result[0]).toEqual({
    changeDate: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
    eventType: body.result[0]!.eventType,
    sequence: expect.stringMatching(/^\d+$/),
    editorId: s.whoami.userId,
    editorDisplayName: 'Administrator',
    resourceOwnerId: s.whoami.orgId,
  });
  const sequences = body.result.map((c) => Number(c.sequence));
  expect(sequences).toEqual([...sequences].sort((a, b) => b - a));
  return body.result.map((c) => c.eventType);
}
