import { Code, ConnectError, createClient as createRpcClient, type Interceptor, type Transport } from '@connectrpc/connect';
import { createConnectTransport, createGrpcTransport } from '@connectrpc/connect-node';
import { createGrpcWebTransport } from '@connectrpc/connect-web';
import { createServerTransport } from '@zitadel/client/node';
import { createClientTransport } from '@zitadel/client/web';
import { createAuthServiceClient, createManagementServiceClient } from '@zitadel/client/v1';
import { createManagementClient } from '@zitadel/node/dist/api/clients.js';
import { createAccessTokenInterceptor } from '@zitadel/node/dist/api/interceptors.js';
import { UserService } from '@zitadel/proto/zitadel/user/v2/user_service_pb.js';
import { ManagementService } from '@zitadel/proto/zitadel/management_pb.js';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { listen, type Listening } from './support/listening.js';
import { rawGrpc } from './support/raw-grpc.js';
import { createTestApp, signIn, type SignedIn, type TestApp } from './support/test-app.js';
import { accessToken, createClient, grantOrgRoles, tokenRequest, type Client } from './support/tokens.js';

/**
 * ZITADEL's own SDKs, pointed at Tessera as at ZITADEL: gRPC over HTTP/2 cleartext, Connect and
 * gRPC-Web over HTTP/1.1, all on the one port, all through the endpoints and permissions REST has.
 */
let t: TestApp;
let s: SignedIn;
let server: Listening;
let owner: Client;
let viewer: Client;
let ownerToken: string;
let viewerToken: string;

beforeAll(async () => {
  t = await createTestApp();
  s = await signIn(t.app);
  server = await listen(t.app);
  owner = await createClient(s, 'rpc-owner');
  viewer = await createClient(s, 'rpc-viewer');
  await grantOrgRoles(t.storage, s.whoami.orgId, owner.userId, ['ORG_OWNER']);
  await grantOrgRoles(t.storage, s.whoami.orgId, viewer.userId, ['ORG_OWNER_VIEWER']);
  ownerToken = await accessToken(t.app, owner);
  viewerToken = await accessToken(t.app, viewer);
});
afterAll(async () => {
  await server.close();
  await t.cleanup();
});

const bearer =
  (token: string): Interceptor =>
  (next) =>
  (req) => {
    req.header.set('authorization', `Bearer ${token}`);
    return next(req);
  };

const PROTOCOLS = ['grpc', 'connect', 'connect (HTTP/2)', 'grpc-web'] as const;
type Protocol = (typeof PROTOCOLS)[number];

const transports = (): Record<Protocol, Transport> => ({
  grpc: createGrpcTransport({ baseUrl: server.url, interceptors: [bearer(ownerToken)] }),
  connect: createConnectTransport({ baseUrl: server.url, httpVersion: '1.1', interceptors: [bearer(ownerToken)] }),
  'connect (HTTP/2)': createConnectTransport({ baseUrl: server.url, httpVersion: '2', interceptors: [bearer(ownerToken)] }),
  'grpc-web': createGrpcWebTransport({ baseUrl: server.url, interceptors: [bearer(ownerToken)] }),
});

async function codeOf(p: Promise<unknown>): Promise<Code | 'ok'> {
  try {
    await p;
    return 'ok';
  } catch (err) {
    return ConnectError.from(err).code;
  }
}

describe("ZITADEL's SDKs", () => {
  it("@zitadel/client's server transport (gRPC over HTTP/2) reads the organization", async () => {
    const mgmt = createManagementServiceClient(createServerTransport(ownerToken, { baseUrl: server.url }));
    const { org } = await mgmt.getMyOrg({});
    expect(org?.id).toBe(s.whoami.orgId);
    expect(org?.state).toBe(1); // ORG_STATE_ACTIVE
    const auth = createAuthServiceClient(createServerTransport(ownerToken, { baseUrl: server.url }));
    const { user } = await auth.getMyUser({});
    expect(user?.id).toBe(owner.userId);
    expect(user?.type.case).toBe('machine');
  });

  it("@zitadel/client's web transport (gRPC-Web) reads the organization", async () => {
    const mgmt = createManagementServiceClient(createClientTransport(ownerToken, { baseUrl: server.url }));
    expect((await mgmt.getMyOrg({})).org?.id).toBe(s.whoami.orgId);
  });

  it("@zitadel/node's gRPC client reads the organization", async () => {
    const mgmt = createManagementClient(server.url, createAccessTokenInterceptor(ownerToken));
    const { org } = await mgmt.getMyOrg({});
    expect(org?.id).toBe(s.whoami.orgId);
  });

  it.each(PROTOCOLS)('%s: reads, writes, and the new secret works at the token endpoint', async (name) => {
    const mgmt = createRpcClient(ManagementService, transports()[name]);
    expect((await mgmt.getMyOrg({})).org?.id).toBe(s.whoami.orgId);
    const userName = `rpc-${name.replace(/\W/g, '')}`;
    const { userId } = await mgmt.addMachineUser({ userName, name: 'Made over RPC' });
    expect(userId).toMatch(/^\d+$/);
    const got = await mgmt.getUserByID({ id: userId });
    expect(got.user?.userName).toBe(userName);
    const secret = await mgmt.generateMachineSecret({ userId });
    expect(secret.clientId).toBe(userName);
    await tokenRequest(t.app, { clientId: secret.clientId, clientSecret: secret.clientSecret }).expect(200);
    const list = await mgmt.listUsers({ queries: [{ query: { case: 'userNameQuery', value: { userName, method: 0 } } }] });
    expect(list.result.map((u) => u.id)).toEqual([userId]);
  });

  it('one permission table: a viewer reads but may not write, over every protocol', async () => {
    for (const transport of [
      createGrpcTransport({ baseUrl: server.url, interceptors: [bearer(viewerToken)] }),
      createConnectTransport({ baseUrl: server.url, httpVersion: '1.1', interceptors: [bearer(viewerToken)] }),
      createGrpcWebTransport({ baseUrl: server.url, interceptors: [bearer(viewerToken)] }),
    ]) {
      const mgmt = createRpcClient(ManagementService, transport);
      expect(await codeOf(mgmt.getMyOrg({}))).toBe('ok');
      expect(await codeOf(mgmt.addMachineUser({ userName: 'not-allowed', name: 'x' }))).toBe(Code.PermissionDenied);
    }
    const anonymous = createRpcClient(ManagementService, createGrpcTransport({ baseUrl: server.url }));
    expect(await codeOf(anonymous.getMyOrg({}))).toBe(Code.Unauthenticated);
    expect(await codeOf(anonymous.healthz({}))).toBe('ok');
  });

  it('a domain error keeps its code and ZITADEL ErrorDetail id', async () => {
    const mgmt = createRpcClient(ManagementService, transports().grpc);
    const err = await mgmt.getUserByID({ id: '1' }).then(
      () => undefined,
      (e: unknown) => ConnectError.from(e),
    );
    expect(err?.code).toBe(Code.NotFound);
    expect(err?.rawMessage).toMatch(/not found/i);
    expect(err?.details.length).toBe(1);
    expect(await codeOf(mgmt.getUserByID({ id: 'abc' }))).toBe(Code.InvalidArgument);
  });

  it.each(PROTOCOLS)('%s: an RPC Tessera does not implement answers UNIMPLEMENTED', async (name) => {
    const transport = transports()[name];
    expect(await codeOf(createRpcClient(ManagementService, transport).getIAM({}))).toBe(Code.Unimplemented);
    expect(await codeOf(createRpcClient(UserService, transport).getUserByID({ userId: owner.userId }))).toBe(Code.Unimplemented);
  });

  it("@zitadel/node's gRPC client gets UNIMPLEMENTED too", async () => {
    const mgmt = createManagementClient(server.url, createAccessTokenInterceptor(ownerToken));
    await expect(mgmt.getIAM({})).rejects.toMatchObject({ code: 12 });
  });

  it('over HTTP/2 without TLS, what is not an RPC answers 505 in the gateway shape, and nothing crashes', async () => {
    for (const path of ['/oauth/v2/token', '/management/v1/orgs/me', '/']) {
      const res = await rawGrpc(server.url, path, { 'content-type': 'application/x-www-form-urlencoded' }, Buffer.from('grant_type=client_credentials'));
      expect(res.status, path).toBe(505);
      expect(JSON.parse(res.body.toString()), path).toMatchObject({ code: 12, details: [{ id: 'HTTP2-RPC-ONLY' }] });
    }
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });

  it("REST answers each API's Healthz, with or without a token", async () => {
    for (const api of ['management', 'admin', 'auth']) {
      for (const headers of [{}, { authorization: 'Bearer nonsense' }] as Record<string, string>[]) {
        const res = await fetch(`${server.url}/${api}/v1/healthz`, { headers });
        expect(res.status).toBe(200);
        expect(await res.json()).toEqual({});
      }
    }
  });
});

describe('the access line over HTTP/2', () => {
  it("names the caller's address, as the throttles key it, and the RPC", async () => {
    const lines: string[] = [];
    const logged = await createTestApp({ TESSERA_LOG_LEVEL: 'info' }, undefined, { write: (line: string) => void lines.push(line) });
    const door = await listen(logged.app);
    try {
      const mgmt = createRpcClient(ManagementService, createGrpcTransport({ baseUrl: door.url }));
      expect(await codeOf(mgmt.healthz({}))).toBe('ok');
      // Written when the stream closes, which may come just after the client has its answer.
      const line = await vi.waitFor(() => {
        const found = lines.map((l) => JSON.parse(l) as { req?: { path: string } }).find((l) => l.req?.path.endsWith('/Healthz'));
        expect(found).toBeDefined();
        return found!;
      });
      expect(line.req).toEqual({ method: 'POST', path: '/zitadel.management.v1.ManagementService/Healthz', remoteAddress: '127.0.0.1' });
    } finally {
      await door.close();
      await logged.cleanup();
    }
  });
});
