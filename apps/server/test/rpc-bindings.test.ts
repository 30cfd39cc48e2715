import type { DescMethod } from '@bufbuild/protobuf';
import { Code, ConnectError, createClient as createRpcClient } from '@connectrpc/connect';
import { createGrpcTransport } from '@connectrpc/connect-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { adminEndpoints } from '../src/management/admin.js';
import type { Endpoint } from '../src/management/endpoint.js';
import { endpoints } from '../src/management/endpoints.js';
import { authEndpoints } from '../src/management/my-user.js';
import { bind } from '../src/rpc/bridge.js';
import { loadServices, type RpcService } from '../src/rpc/services.js';
import { listen, type Listening } from './support/listening.js';
import { createTestApp, signIn, type TestApp } from './support/test-app.js';
import { accessToken, createClient } from './support/tokens.js';

const MOUNTS: Record<string, readonly Endpoint[]> = { '/management/v1': endpoints, '/admin/v1': adminEndpoints, '/auth/v1': authEndpoints };

let services: RpcService[];
beforeAll(async () => {
  services = await loadServices();
});

/** Every RPC a declared endpoint serves, with that endpoint. */
function bindings(): { service: RpcService; method: DescMethod; endpoint: Endpoint }[] {
  return services.flatMap((service) =>
    service.service.methods.flatMap((method) => {
      const b = bind(method, MOUNTS[service.prefix]!);
      return b ? [{ service, method, endpoint: b.endpoint }] : [];
    }),
  );
}

describe('RPCs bound to endpoints', () => {
  it('each RPC is bound to the endpoint that carries its ZITADEL name, and each such endpoint to its RPC', () => {
    const bound = bindings();
    for (const { method, endpoint } of bound)
      expect(`${method.name} -> ${endpoint.method} ${endpoint.path}`).toBe(`${endpoint.summary} -> ${endpoint.method} ${endpoint.path}`);
    for (const service of services) {
      const names = new Set(service.service.methods.map((m) => m.name));
      const named = MOUNTS[service.prefix]!.filter((e) => e.summary && names.has(e.summary));
      expect(named.map((e) => e.summary).sort()).toEqual(
        bound
          .filter((b) => b.service === service)
          .map((b) => b.method.name)
          .sort(),
      );
    }
    // The guide's calls and the credentials' are among them.
    expect(bound.map((b) => b.method.name)).toEqual(
      expect.arrayContaining([
        'GetMyOrg',
        'AddMachineUser',
        'GenerateMachineSecret',
        'AddOrgMember',
        'AddMachineKey',
        'AddPersonalAccessToken',
        'GetMyUser',
        'ListIAMMembers',
      ]),
    );
  });
});

describe('one permission table', () => {
  let t: TestApp;
  let server: Listening;
  let token: string;
  beforeAll(async () => {
    t = await createTestApp();
    server = await listen(t.app);
    const nobody = await createClient(await signIn(t.app), 'rpc-nobody');
    token = await accessToken(t.app, nobody);
  });
  afterAll(async () => {
    await server.close();
    await t.cleanup();
  });

  it('every bound RPC refuses a service user without roles, as its REST endpoint does; and the auth API serves the caller', async () => {
    const transport = createGrpcTransport({
      baseUrl: server.url,
      interceptors: [
        (next) => (req) => {
          req.header.set('authorization', `Bearer ${token}`);
          return next(req);
        },
      ],
    });
    const outcomes: string[] = [];
    for (const { service, method, endpoint } of bindings()) {
      // Path parameters that are well-formed ids, so the permission is what decides.
      const request = Object.fromEntries(method.input.fields.filter((f) => f.fieldKind === 'scalar' && /id$/i.test(f.name)).map((f) => [f.localName, '1']));
      const client = createRpcClient(service.service, transport) as unknown as Record<string, (r: object) => Promise<unknown>>;
      const code = await client[method.localName]!(request).then(
        () => 'OK',
        (e: unknown) => Code[ConnectError.from(e).code],
      );
      // The auth API acts on the caller alone: it needs no role (what it then says is its own business).
      const asExpected = endpoint.scope === 'self' ? code !== 'PermissionDenied' && code !== 'Unauthenticated' : code === 'PermissionDenied';
      outcomes.push(`${method.name}: ${asExpected ? 'as expected' : code}`);
    }
    expect(outcomes.length).toBeGreaterThan(20);
    expect(outcomes.filter((o) => !o.endsWith('as expected'))).toEqual([]);
  });
});
