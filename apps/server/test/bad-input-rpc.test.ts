import { gzipSync } from 'node:zlib';
import { create, toBinary } from '@bufbuild/protobuf';
import { Code } from '@connectrpc/connect';
import { AddMachineUserRequestSchema, GetUserByIDRequestSchema } from '@zitadel/proto/zitadel/management_pb.js';
import { describe, expect, it } from 'vitest';
import { useCorpusServer } from './support/bad-input.js';
import { frame, rawGrpc } from './support/raw-grpc.js';
import { rawRequest } from './support/raw-http.js';

const fx = useCorpusServer();

const MGMT = '/zitadel.management.v1.ManagementService';
const addUser = (userName: string) => toBinary(AddMachineUserRequestSchema, create(AddMachineUserRequestSchema, { userName: `corpus-${userName}`, name: 'x' }));

/** A hostile gRPC call over HTTP/2 and the status it must get: a gRPC code, or (for what is not gRPC at all) an HTTP status. */
interface GrpcCase {
  name: string;
  path?: string;
  headers?: Record<string, string>;
  body: () => Buffer;
  grpc?: Code;
  http?: number;
}

const auth = () => ({ authorization: `Bearer ${fx.token}`, 'content-type': 'application/grpc' });

const grpcCases: GrpcCase[] = [
  { name: 'a frame shorter than its declared length', body: () => frame(Buffer.alloc(3), { declaredLength: 100 }), grpc: Code.InvalidArgument },
  { name: 'a prefix cut short', body: () => Buffer.from([0, 0, 0]), grpc: Code.InvalidArgument },
  { name: 'bytes that are not protobuf', body: () => frame(Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff])), grpc: Code.InvalidArgument },
  {
    name: 'a wire type that does not match the field',
    path: `${MGMT}/AddMachineUser`,
    body: () => frame(Buffer.from([0x0d, 1, 2, 3, 4])),
    grpc: Code.InvalidArgument,
  },
  { name: 'a string that is not UTF-8', path: `${MGMT}/AddMachineUser`, body: () => frame(Buffer.from([0x0a, 2, 0xc3, 0x28])), grpc: Code.InvalidArgument },
  { name: 'a message over the size limit', path: `${MGMT}/AddMachineUser`, body: () => frame(addUser('x'.repeat(100_000))), grpc: Code.ResourceExhausted },
  { name: 'a declared length of 2 GB', body: () => frame(Buffer.alloc(0), { declaredLength: 2 ** 31 }), grpc: Code.ResourceExhausted },
  {
    name: 'a gzip bomb',
    headers: { 'grpc-encoding': 'gzip' },
    body: () => frame(gzipSync(Buffer.alloc(20_000_000)), { compressed: true }),
    grpc: Code.ResourceExhausted,
  },
  {
    name: 'compressed with an encoding nobody offered',
    headers: { 'grpc-encoding': 'snappy' },
    body: () => frame(Buffer.from([1]), { compressed: true }),
    grpc: Code.Unimplemented,
  },
  { name: 'the compressed flag with no encoding', body: () => frame(Buffer.from([1]), { compressed: true }), grpc: Code.Internal },
  { name: 'two messages on a unary call', body: () => Buffer.concat([frame(Buffer.alloc(0)), frame(Buffer.alloc(0))]), grpc: Code.Unimplemented },
  { name: 'a timeout that is not one', headers: { 'grpc-timeout': 'soon' }, body: () => frame(Buffer.alloc(0)), grpc: Code.InvalidArgument },
  { name: 'a content type that is not gRPC', headers: { 'content-type': 'text/plain' }, body: () => frame(Buffer.alloc(0)), http: 415 },
  { name: 'no token', headers: { authorization: '' }, body: () => frame(Buffer.alloc(0)), grpc: Code.Unauthenticated },
  { name: 'a token that is not one', headers: { authorization: 'Bearer not-a-token' }, body: () => frame(Buffer.alloc(0)), grpc: Code.Unauthenticated },
  {
    name: 'an organization id that is not a number',
    headers: { 'x-zitadel-orgid': '1 OR 1=1' },
    body: () => frame(Buffer.alloc(0)),
    grpc: Code.InvalidArgument,
  },
  {
    name: 'a user id that is not a number',
    path: `${MGMT}/GetUserByID`,
    body: () => frame(toBinary(GetUserByIDRequestSchema, create(GetUserByIDRequestSchema, { id: "1' --" }))),
    grpc: Code.InvalidArgument,
  },
  { name: 'a NUL byte in a username', path: `${MGMT}/AddMachineUser`, body: () => frame(addUser('a\u0000b')), grpc: Code.InvalidArgument },
  {
    name: 'an empty username',
    path: `${MGMT}/AddMachineUser`,
    body: () => frame(toBinary(AddMachineUserRequestSchema, create(AddMachineUserRequestSchema, {}))),
    grpc: Code.InvalidArgument,
  },
];

describe('bad input over gRPC (HTTP/2)', () => {
  it.each(grpcCases)('$name', async (c) => {
    const headers = { ...auth(), ...c.headers };
    if (headers.authorization === '') delete (headers as Record<string, string>).authorization;
    const res = await rawGrpc(fx.base, c.path ?? `${MGMT}/GetMyOrg`, headers, c.body());
    const where = `${c.name}: HTTP ${res.status}, grpc-status ${res.grpcStatus} ${res.grpcMessage}`;
    if (c.http) {
      expect(res.status, where).toBe(c.http);
      return;
    }
    expect(res.status, where).toBe(200);
    expect(res.grpcStatus, where).toBe(c.grpc);
    expect(res.grpcMessage.length, where).toBeGreaterThan(0);
    expect(res.grpcMessage, where).not.toContain(fx.token);
  });
});

/** Connect (JSON over HTTP/1.1) and gRPC-Web: the same refusals in their framing. */
const connectCases: { name: string; headers: [string, string][]; body: string | Buffer; status: number; code: string }[] = [
  { name: 'JSON that does not parse', headers: [['Content-Type', 'application/json']], body: '{"userName":', status: 400, code: 'invalid_argument' },
  { name: 'a field of the wrong type', headers: [['Content-Type', 'application/json']], body: '{"userName":{"a":1}}', status: 400, code: 'invalid_argument' },
  {
    name: 'a body over the size limit',
    headers: [['Content-Type', 'application/json']],
    body: JSON.stringify({ userName: 'x'.repeat(100_000) }),
    status: 429,
    code: 'resource_exhausted',
  },
  {
    name: 'bytes that are not protobuf',
    headers: [['Content-Type', 'application/proto']],
    body: Buffer.from([0xff, 0xff, 0xff]),
    status: 400,
    code: 'invalid_argument',
  },
  { name: 'a content type Connect does not speak', headers: [['Content-Type', 'text/plain']], body: '{}', status: 415, code: '' },
  {
    name: 'a username with a NUL byte',
    headers: [['Content-Type', 'application/json']],
    body: '{"userName":"corpus-a\\u0000b","name":"x"}',
    status: 400,
    code: 'invalid_argument',
  },
];

describe('bad input over Connect and gRPC-Web (HTTP/1.1)', () => {
  it.each(connectCases)('Connect: $name', async (c) => {
    const res = await rawRequest(fx.base, {
      method: 'POST',
      target: `${MGMT}/AddMachineUser`,
      headers: [['Authorization', `Bearer ${fx.token}`], ...c.headers],
      body: c.body,
    });
    expect(res.status, res.text).toBe(c.status);
    if (c.code) expect((res.json as { code: string }).code).toBe(c.code);
    expect(res.text).not.toContain(fx.token);
  });

  it('gRPC-Web: a frame shorter than its declared length', async () => {
    const res = await rawRequest(fx.base, {
      method: 'POST',
      target: `${MGMT}/GetMyOrg`,
      headers: [
        ['Authorization', `Bearer ${fx.token}`],
        ['Content-Type', 'application/grpc-web+proto'],
      ],
      body: frame(Buffer.alloc(3), { declaredLength: 100 }),
    });
    expect(res.status).toBe(200);
    expect(res.headers['grpc-status'] ?? res.text).toMatch(/^3$|grpc-status:\s*3/);
  });
});

describe('after the RPC corpus', () => {
  it('nothing was written, no error was logged, and the server still answers both protocols', async () => {
    const written = await fx.t.storage.one("SELECT count(*) AS n FROM users WHERE lower(username) LIKE 'corpus-%' AND lower(username) != 'corpus-client'");
    expect(written).toEqual({ n: 0 });
    expect(fx.errors).toEqual([]);
    const ok = await rawGrpc(fx.base, `${MGMT}/GetMyOrg`, auth(), frame(Buffer.alloc(0)));
    expect(ok.grpcStatus).toBe(0);
    expect((await rawRequest(fx.base, { method: 'GET', target: '/healthz' })).status).toBe(200);
  });
});
