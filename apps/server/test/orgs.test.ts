import request from 'supertest';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createOrg, signedInHuman } from './support/humans.js';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';

let t: TestApp;
let admin: SignedIn;
beforeEach(async () => {
  t = await createTestApp();
  admin = await signIn(t.app);
});
afterEach(() => t.cleanup());

const iso = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;
const seq = /^\d+$/;
const denied = {
  code: 7,
  message: 'No matching permissions found',
  details: [{ id: 'AUTH-5mWD2', message: 'No matching permissions found' }],
};
const lastEvent = async () =>
  (await t.storage.one<{ sequence: number; type: string; aggregate_id: string; editor_user_id: string; payload: string }>(
    'SELECT sequence, type, aggregate_id, editor_user_id, payload FROM events ORDER BY sequence DESC LIMIT 1',
  ))!;

describe('GET /management/v1/orgs/me', () => {
  it("answers the caller's organization in ZITADEL's shape", async () => {
    const res = await admin.agent.get('/management/v1/orgs/me').expect(200);
    expect(res.body).toEqual({
      org: {
        id: admin.whoami.orgId,
        details: {
          sequence: expect.stringMatching(seq),
          creationDate: expect.stringMatching(iso),
          changeDate: expect.stringMatching(iso),
          resourceOwner: admin.whoami.orgId,
        },
        state: 'ORG_STATE_ACTIVE',
        name: 'Tessera',
        primaryDomain: 'tessera.localhost',
      },
    });
  });

  it('is 401 without credentials', async () => {
    const res = await request(t.app).get('/management/v1/orgs/me').expect(401);
    expect(res.body).toMatchObject({ code: 16 });
  });
});

describe('PUT /management/v1/orgs/me', () => {
  it('renames the organization, records the event and keeps the primary domain', async () => {
    // Read first, so that the read after the rename cannot come from before it.
    expect((await admin.agent.get('/management/v1/orgs/me').expect(200)).body.org.name).toBe('Tessera');
    const res = await admin.agent.put('/management/v1/orgs/me').set('x-csrf-token', admin.csrf).send({ name: '  Acme Corp ' }).expect(200);
    expect(res.body).toEqual({
      details: { sequence: expect.stringMatching(seq), changeDate: expect.stringMatching(iso), resourceOwner: admin.whoami.orgId },
    });
    const ev = await lastEvent();
    expect(ev).toMatchObject({ type: 'org.changed', aggregate_id: admin.whoami.orgId, editor_user_id: admin.whoami.userId });
    expect(JSON.parse(ev.payload)).toEqual({ name: 'Acme Corp' });
    expect(String(ev.sequence)).toBe(res.body.details.sequence);
    const org = (await admin.agent.get('/management/v1/orgs/me').expect(200)).body.org;
    expect(org).toMatchObject({ name: 'Acme Corp', primaryDomain: 'tessera.localhost' });
    expect(org.details.sequence).toBe(res.body.details.sequence);
  });

  it('names the field of an invalid name', async () => {
    const res = await admin.agent.put('/management/v1/orgs/me').set('x-csrf-token', admin.csrf).send({ name: '   ' }).expect(400);
    expect(res.body).toEqual({
      code: 3,
      message: 'name: Name is required',
      details: [{ id: 'INVALID_ARGUMENT', message: 'name: Name is required', field: 'name' }],
    });
    await admin.agent.put('/management/v1/orgs/me').set('x-csrf-token', admin.csrf).send({ name: 'x', extra: 1 }).expect(400);
  });

  it('refuses an unchanged name with FailedPrecondition', async () => {
    const res = await admin.agent.put('/management/v1/orgs/me').set('x-csrf-token', admin.csrf).send({ name: 'Tessera' }).expect(400);
    expect(res.body).toEqual({
      code: 9,
      message: 'the organization already has this name',
      details: [{ id: 'ORG-NotChanged', message: 'the organization already has this name' }],
    });
  });

  it("refuses another organization's name, whatever its case, with 409", async () => {
    await createOrg(admin, 'Globex');
    const before = (await lastEvent()).sequence;
    const res = await admin.agent.put('/management/v1/orgs/me').set('x-csrf-token', admin.csrf).send({ name: 'GLOBEX' }).expect(409);
    expect(res.body).toEqual({
      code: 6,
      message: 'an organization with this name already exists',
      details: [{ id: 'ORG-AlreadyExists', message: 'an organization with this name already exists', field: 'name' }],
    });
    expect((await lastEvent()).sequence).toBe(before);
    // A case-only change of its own name is a rename, not a conflict.
    await admin.agent.put('/management/v1/orgs/me').set('x-csrf-token', admin.csrf).send({ name: 'TESSERA' }).expect(200);
  });

  it('needs org.write: an Org Owner Viewer gets 403, a Settings Manager may rename', async () => {
    const viewer = await signedInHuman(t.app, t.storage, admin, admin.whoami.orgId, 'viewer', ['ORG_OWNER_VIEWER']);
    const res = await viewer.agent.put('/management/v1/orgs/me').set('x-csrf-token', viewer.csrf).send({ name: 'Nope' }).expect(403);
    expect(res.body).toEqual(denied);
    const settings = await signedInHuman(t.app, t.storage, admin, admin.whoami.orgId, 'settings', ['ORG_SETTINGS_MANAGER']);
    await settings.agent.put('/management/v1/orgs/me').set('x-csrf-token', settings.csrf).send({ name: 'Renamed' }).expect(200);
  });
});

describe('POST /management/v1/orgs (AddOrg, instance owner only)', () => {
  it('creates an empty organization with a unique primary domain', async () => {
    const res = await admin.agent.post('/management/v1/orgs').set('x-csrf-token', admin.csrf).send({ name: 'Acme Corp' }).expect(200);
    expect(res.body).toEqual({
      id: expect.stringMatching(seq),
      details: {
        sequence: expect.stringMatching(seq),
        creationDate: expect.stringMatching(iso),
        changeDate: expect.stringMatching(iso),
        resourceOwner: res.body.id,
      },
    });
    expect(await lastEvent()).toMatchObject({ type: 'org.added', aggregate_id: res.body.id, editor_user_id: admin.whoami.userId });
    const second = await createOrg(admin, 'Acme-Corp');
    const org = (id: string) => admin.agent.get('/management/v1/orgs/me').set('x-zitadel-orgid', id).expect(200);
    expect((await org(res.body.id)).body.org).toMatchObject({ name: 'Acme Corp', primaryDomain: 'acme-corp.localhost', state: 'ORG_STATE_ACTIVE' });
    expect((await org(second)).body.org.primaryDomain).toBe('acme-corp-2.localhost');
    // Nobody is a manager of a new organization; the instance owner acts there by its instance role.
    const members = await admin.agent
      .post('/management/v1/orgs/me/members/_search')
      .set('x-csrf-token', admin.csrf)
      .set('x-zitadel-orgid', second)
      .send({})
      .expect(200);
    expect(members.body.result).toEqual([]);
  });

  it('refuses a duplicate name with 409 and a bad one with 400', async () => {
    const dup = await admin.agent.post('/management/v1/orgs').set('x-csrf-token', admin.csrf).send({ name: 'tessera' }).expect(409);
    expect(dup.body.details[0]).toMatchObject({ id: 'ORG-AlreadyExists', field: 'name' });
    const bad = await admin.agent.post('/management/v1/orgs').set('x-csrf-token', admin.csrf).send({ name: 'a\u0007b' }).expect(400);
    expect(bad.body.details[0]).toMatchObject({ field: 'name', message: 'name: Name must not contain control characters' });
  });

  it('is refused to an Org Owner, who is not the instance owner', async () => {
    const owner = await signedInHuman(t.app, t.storage, admin, admin.whoami.orgId, 'owner', ['ORG_OWNER']);
    const res = await owner.agent.post('/management/v1/orgs').set('x-csrf-token', owner.csrf).send({ name: 'Mine' }).expect(403);
    expect(res.body).toEqual(denied);
  });
});

describe('x-zitadel-orgid', () => {
  it('lets the instance owner act in any organization, and says 404 for one that does not exist', async () => {
    const other = await createOrg(admin, 'Initech');
    const res = await admin.agent.get('/management/v1/orgs/me').set('x-zitadel-orgid', other).expect(200);
    expect(res.body.org).toMatchObject({ id: other, name: 'Initech' });
    const missing = await admin.agent.get('/management/v1/orgs/me').set('x-zitadel-orgid', '999999').expect(404);
    expect(missing.body).toEqual({
      code: 5,
      message: 'organization not found',
      details: [{ id: 'ORG-4m9fs', message: 'organization not found' }],
    });
  });

  it('refuses a manager naming another organization, identically whether it exists or not', async () => {
    const other = await createOrg(admin, 'Initech');
    const owner = await signedInHuman(t.app, t.storage, admin, admin.whoami.orgId, 'owner', ['ORG_OWNER']);
    await owner.agent.get('/management/v1/orgs/me').set('x-zitadel-orgid', admin.whoami.orgId).expect(200);
    const existing = await owner.agent.get('/management/v1/orgs/me').set('x-zitadel-orgid', other).expect(403);
    const missing = await owner.agent.get('/management/v1/orgs/me').set('x-zitadel-orgid', '999999').expect(403);
    expect(existing.body).toEqual(denied);
    expect(missing.body).toEqual(existing.body);
  });

  it('rejects a malformed organization id with 400 naming the header', async () => {
    const res = await admin.agent.get('/management/v1/orgs/me').set('x-zitadel-orgid', 'acme').expect(400);
    expect(res.body.details[0]).toMatchObject({ id: 'ORG-HEADER', field: 'x-zitadel-orgid' });
  });
});

describe('POST /admin/v1/orgs/_search (ListOrgs, instance owner only)', () => {
  it('lists, filters, sorts and pages every organization', async () => {
    for (const n of ['Beta', 'alpha', 'Gamma']) await createOrg(admin, n);
    const all = await admin.agent
      .post('/admin/v1/orgs/_search')
      .set('x-csrf-token', admin.csrf)
      .send({ query: { limit: 2, asc: true }, sortingColumn: 'ORG_FIELD_NAME_NAME' })
      .expect(200);
    expect(all.body.details).toEqual({ totalResult: '4', viewTimestamp: expect.stringMatching(iso) });
    expect(all.body.sortingColumn).toBe('ORG_FIELD_NAME_NAME');
    expect(all.body.result.map((o: { name: string }) => o.name)).toEqual(['alpha', 'Beta']);
    expect(all.body.result[0]).toEqual({
      id: expect.stringMatching(seq),
      details: expect.objectContaining({ resourceOwner: all.body.result[0].id }),
      state: 'ORG_STATE_ACTIVE',
      name: 'alpha',
      primaryDomain: 'alpha.localhost',
    });
    const filtered = await admin.agent
      .post('/admin/v1/orgs/_search')
      .set('x-csrf-token', admin.csrf)
      .send({ queries: [{ nameQuery: { name: 'A', method: 'TEXT_QUERY_METHOD_STARTS_WITH_IGNORE_CASE' } }] })
      .expect(200);
    expect(filtered.body.result.map((o: { name: string }) => o.name)).toEqual(['alpha']);
  });

  it('refuses control characters in a search term, as the user search does', async () => {
    for (const q of [{ nameQuery: { name: 'a\u0000b' } }, { domainQuery: { domain: 'x\ny' } }]) {
      const res = await admin.agent
        .post('/admin/v1/orgs/_search')
        .set('x-csrf-token', admin.csrf)
        .send({ queries: [q] })
        .expect(400);
      expect(res.body.details[0].message).toMatch(/control characters/);
    }
  });

  it('rejects unknown query kinds', async () => {
    const res = await admin.agent
      .post('/admin/v1/orgs/_search')
      .set('x-csrf-token', admin.csrf)
      .send({ queries: [{ idQuery: { id: '1' } }] })
      .expect(400);
    expect(res.body.code).toBe(3);
  });

  it('is refused to an Org Owner and to an anonymous caller', async () => {
    const owner = await signedInHuman(t.app, t.storage, admin, admin.whoami.orgId, 'owner', ['ORG_OWNER']);
    const res = await owner.agent.post('/admin/v1/orgs/_search').set('x-csrf-token', owner.csrf).send({}).expect(403);
    expect(res.body).toEqual(denied);
    await request(t.app).post('/admin/v1/orgs/_search').send({}).expect(401);
    const unknown = await admin.agent.get('/admin/v1/nothing').expect(404);
    expect(unknown.body.details[0].id).toBe('ROUTE-NOT-FOUND');
  });
});
