/**
 * GET /openapi.json: the API reference generated from the endpoint lists. It must describe every
 * declared endpoint with its request and response schemas, be a valid OpenAPI 3.1 document, and tell
 * the truth: real answers, fetched at the paths the document names, must match its response schemas.
 * (The authorization matrix holds every endpoint's 200 to the same schemas, through zod.)
 */
import { Validator } from '@seriousme/openapi-schema-validator';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { adminEndpoints } from '../src/management/admin.js';
import { authEndpoints } from '../src/management/my-user.js';
import type { Endpoint } from '../src/management/endpoint.js';
import { endpoints } from '../src/management/endpoints.js';
import { createServiceUser, generateSecret } from './support/service-users.js';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';
import { tokenRequest } from './support/tokens.js';

interface Operation {
  operationId?: string;
  parameters?: { name?: string; in?: string; $ref?: string }[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { content?: Record<string, { schema: JsonSchema }> }>;
  'x-tessera-permission'?: string;
}
interface JsonSchema {
  properties?: Record<string, unknown>;
  additionalProperties?: boolean;
}
interface Document {
  openapi: string;
  paths: Record<string, Record<string, Operation>>;
}

const ALL = [
  ...endpoints.map((e) => ({ prefix: '/management/v1', e })),
  ...adminEndpoints.map((e) => ({ prefix: '/admin/v1', e })),
  ...authEndpoints.map((e) => ({ prefix: '/auth/v1', e })),
].map((x) => ({ ...x, key: `${x.e.method.toUpperCase()} ${x.prefix}${x.e.path}` }));

/** The fields of an object schema; of its input side when it transforms what it parses (AddHumanUser). */
const fields = (schema: z.ZodType) => Object.keys(((schema instanceof z.ZodPipe ? schema.in : schema) as z.ZodObject).shape);
const jsonBody = (op: Operation | undefined, status?: string) =>
  (status ? op?.responses[status]?.content : op?.requestBody?.content)?.['application/json']?.schema;

let t: TestApp;
let admin: SignedIn;
let doc: Document;
beforeAll(async () => {
  t = await createTestApp();
  admin = await signIn(t.app);
  doc = (await request(t.app).get('/openapi.json').expect(200)).body as Document;
});
afterAll(() => t?.cleanup());

describe('GET /openapi.json', () => {
  it('is public, cacheable JSON, also for a browser that asks for a page', async () => {
    const res = await request(t.app).get('/openapi.json').set('Accept', 'text/html,application/xhtml+xml,*/*;q=0.8').expect(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    expect(res.headers['cache-control']).toBe('public, max-age=300');
    expect(res.body).toEqual(doc);
  });

  it('is a valid OpenAPI 3.1 document, and the validator does refuse a broken one', async () => {
    expect(doc.openapi).toMatch(/^3\.1\./);
    const validate = (d: Document) => new Validator().validate(structuredClone(d) as unknown as Record<string, unknown>);
    expect(await validate(doc)).toEqual({ valid: true });
    // OpenAPI requires path parameters to say required: true.
    const broken = structuredClone(doc);
    Object.assign(broken.paths['/management/v1/users/{userId}']!.get!.parameters![0]!, { required: false });
    expect((await validate(broken)).valid).toBe(false);
  });

  it('names every operation once, and has none that no endpoint declares', () => {
    const ids = Object.values(doc.paths).flatMap((ops) => Object.values(ops).map((op) => op.operationId));
    expect(ids).toHaveLength(ALL.length);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it.each(ALL)('describes $key with its permission, parameters, request and response', ({ prefix, e }) => {
    const op = doc.paths[prefix + e.path.replace(/:(\w+)/g, '{$1}')]?.[e.method];
    expect(op, 'the document has no such operation').toBeDefined();
    expect(e.summary, 'the endpoint declares no summary').toBeTruthy();
    expect(op!.operationId).toBe(e.summary);
    expect(op!['x-tessera-permission']).toBe(e.permission);
    const pathParams = op!.parameters?.filter((p) => p.in === 'path').map((p) => p.name);
    expect(pathParams).toEqual([...e.path.matchAll(/:(\w+)/g)].map((m) => m[1]));
    expect(op!.parameters?.some((p) => p.$ref === '#/components/parameters/orgId')).toBe(e.scope !== 'instance' && e.scope !== 'self');
    if (e.body) expect(Object.keys(jsonBody(op)?.properties ?? {})).toEqual(fields(e.body));
    else expect(op!.requestBody).toBeUndefined();
    expect(e.response, 'the endpoint declares no response schema').toBeDefined();
    const response = jsonBody(op, '200');
    expect(Object.keys(response?.properties ?? {})).toEqual(fields(e.response!));
    expect(response?.additionalProperties).toBe(false);
  });
});

describe('the response schemas are what the handlers answer', () => {
  const ajv = new Ajv2020({ strict: true, allErrors: true });
  addFormats.default(ajv); // ajv-formats is CommonJS: under NodeNext its default export sits on .default

  /** Calls an operation at the path the document gives it, as the signed-in administrator; checks the answer against the document. */
  async function call(operationId: string, params: Record<string, string> = {}, body?: object) {
    const [path, method, op] = Object.entries(doc.paths)
      .flatMap(([p, ops]) => Object.entries(ops).map(([m, o]) => [p, m, o] as const))
      .find(([, , o]) => o.operationId === operationId)!;
    const url = path.replace(/\{(\w+)\}/g, (_, name: string) => params[name]!);
    let req = admin.agent[method as Endpoint['method']](url);
    if (method !== 'get') req = req.set('x-csrf-token', admin.csrf);
    const res = await (body ? req.send(body) : req);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const validate = ajv.compile(jsonBody(op, '200')!);
    expect(validate(res.body) ? [] : validate.errors).toEqual([]);
    return { body: res.body as Record<string, unknown>, validate };
  }

  it('for a service user, its credentials and its organization', async () => {
    const userId = await createServiceUser(admin, 'openapi-svc', { description: 'described' });
    const { clientId, clientSecret } = await generateSecret(admin, userId);
    // A token request makes the secret's "last used" appear in the list.
    await tokenRequest(t.app, { clientId, clientSecret }).expect(200);
    const rotated = await call('GenerateMachineSecret', { userId }, { keepPreviousFor: '3600s' });
    const secrets = (await call('ListMachineSecrets', { userId }, {})).body;
    expect(secrets.result).toHaveLength(2);
    expect(secrets.result).toContainEqual(expect.objectContaining({ lastUsed: expect.any(Object), state: 'SECRET_STATE_EXPIRING' }));
    await call('RevokeMachineSecret', { userId, secretId: rotated.body.secretId as string });

    await call('GetUserByID', { userId });
    expect((await call('ListUsers', {}, {})).body.result).toContainEqual(expect.objectContaining({ human: expect.any(Object) }));
    const key = await call('AddMachineKey', { userId }, { type: 'KEY_TYPE_JSON' });
    expect(key.body.keyDetails).toEqual(expect.any(String));
    await call('GetMachineKeyByIDs', { userId, keyId: key.body.keyId as string });
    await call('ListMachineKeys', { userId }, {});
    const pat = await call('AddPersonalAccessToken', { userId }, {});
    await call('GetPersonalAccessTokenByIDs', { userId, tokenId: pat.body.tokenId as string });
    await call('ListUserChanges', { userId }, {});
    await call('AddOrgMember', {}, { userId, roles: ['ORG_OWNER_VIEWER'] });
    await call('ListOrgMembers', {}, {});
    await call('ListOrgMemberRoles', {}, {});
    await call('GetMyOrg');
    await call('ListOrgs', {}, {});

    // The check can fail: an extra field (say a secret's hash) or a missing one is refused.
    expect(rotated.validate({ ...rotated.body, clientSecretHash: 'x' })).toBe(false);
    const { details: _, ...withoutDetails } = rotated.body;
    expect(rotated.validate(withoutDetails)).toBe(false);
  });
});
