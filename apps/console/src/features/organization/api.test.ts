import { QueryClient } from '@tanstack/react-query';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { instanceMembersQuery } from './api';

afterEach(() => vi.unstubAllGlobals());

function answer(status: number, body: unknown) {
  const fetch = vi.fn(async () => new Response(JSON.stringify(body), { status }));
  vi.stubGlobal('fetch', fetch);
  return fetch;
}

describe('instanceMembersQuery', () => {
  it("asks ZITADEL's ListIAMMembers for the instance's administrators", async () => {
    const owner = { userId: '2', roles: ['IAM_OWNER'], displayName: 'Administrator', preferredLoginName: 'admin', userType: 'TYPE_HUMAN' };
    const fetch = answer(200, { details: { totalResult: '1' }, result: [owner] });
    expect(await new QueryClient().fetchQuery(instanceMembersQuery)).toEqual([owner]);
    expect(fetch).toHaveBeenCalledWith('/admin/v1/members/_search', expect.objectContaining({ method: 'POST' }));
  });

  it('is null, not an error, for someone who may not read them', async () => {
    answer(403, { code: 7, message: 'permission denied', details: [] });
    expect(await new QueryClient().fetchQuery(instanceMembersQuery)).toBeNull();
  });

  it('still fails on any other error', async () => {
    answer(500, { code: 13, message: 'internal', details: [] });
    await expect(new QueryClient({ defaultOptions: { queries: { retry: false } } }).fetchQuery(instanceMembersQuery)).rejects.toThrow('internal');
  });
});
