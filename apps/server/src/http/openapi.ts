import { apiErrorSchema, CSRF_HEADER, GrpcCode, idSchema } from '@tessera/contracts';
import type { RequestHandler } from 'express';
import { z } from 'zod';
import { SESSION_COOKIE } from '../console-session/session.js';
import { adminEndpoints } from '../management/admin.js';
import { authEndpoints } from '../management/my-user.js';
import type { Endpoint } from '../management/endpoint.js';
import { endpointGroups, type EndpointGroup } from '../management/endpoints.js';
import { ORG_HEADER } from '../management/router.js';
import { PUBLIC_CACHE } from '../oauth/discovery.js';

type Json = Record<string, unknown>;

/** The APIs the reference describes, as app.ts mounts them. */
const APIS: readonly { prefix: string; groups: readonly EndpointGroup[] }[] = [
  { prefix: '/management/v1', groups: endpointGroups },
  { prefix: '/admin/v1', groups: [{ name: 'Instance', endpoints: adminEndpoints }] },
  { prefix: '/auth/v1', groups: [{ name: 'Your own user', endpoints: authEndpoints }] },
];

const DESCRIPTION = `ZITADEL's management API (REST paths and JSON under \`/management/v1\`, \`/admin/v1\` for the instance and
\`/auth/v1\` for the caller's own user), as Tessera serves it. Generated from the server's own endpoint declarations and their schemas.

A machine sends \`Authorization: Bearer <token>\`: an access token from \`/oauth/v2/token\` with the scope
\`urn:zitadel:iam:org:project:id:zitadel:aud\`, or a personal access token. The console sends its session cookie,
and its CSRF token in \`${CSRF_HEADER}\` on every call but GET. Each call needs the permission it names, in the
organization it acts on: the caller's own, or the one in \`${ORG_HEADER}\`.

The OAuth 2.0 endpoints (\`/oauth/v2/token\`, \`introspect\`, \`revoke\`, \`keys\`, \`/oidc/v1/userinfo\`) speak RFC 6749 and
OpenID Connect rather than this API's JSON, and are not described here: \`/.well-known/openid-configuration\` lists them.`;

/** A request body as the client writes it, an answer as the server writes it; dates keep their format, not zod's long pattern. */
function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Json {
  const { $schema: _, ...json } = z.toJSONSchema(schema, {
    io,
    override: ({ jsonSchema: s }) => {
      if (s.format === 'date-time') delete s.pattern;
    },
  });
  return json;
}

const GRPC_CODES = Object.entries(GrpcCode)
  .map(([name, code]) => `${code} ${name}`)
  .join(', ');

const json = (schema: Json) => ({ 'application/json': { schema } });

/** An Express path (`/users/:userId`) as OpenAPI writes it (`/users/{userId}`), with its parameters. */
function pathOf(path: string): { path: string; parameters: Json[] } {
  const names = [...path.matchAll(/:(\w+)/g)].map((m) => m[1]!);
  return {
    path: path.replace(/:(\w+)/g, '{$1}'),
    // The router refuses any parameter named *Id that is not a numeric id (management/router.ts).
    parameters: names.map((name) => ({ name, in: 'path', required: true, schema: name.endsWith('Id') ? jsonSchema(idSchema, 'input') : { type: 'string' } })),
  };
}

function operation(e: Endpoint, tag: string, parameters: Json[]): Json {
  const where = e.scope === 'instance' ? 'instance-wide' : 'in the organization it acts on';
  return {
    operationId: e.summary,
    summary: e.summary,
    description: e.permission ? `Needs the permission \`${e.permission}\` ${where}.` : 'Needs no permission: the caller acts on their own user alone.',
    tags: [tag],
    ...(e.permission && { 'x-tessera-permission': e.permission }),
    parameters: e.scope === 'instance' || e.scope === 'self' ? parameters : [...parameters, { $ref: '#/components/parameters/orgId' }],
    // invoke() reads a missing body as {}: the body is required only where {} would be refused.
    ...(e.body && { requestBody: { required: !e.body.safeParse({}).success, content: json(jsonSchema(e.body, 'input')) } }),
    responses: {
      // An endpoint without a response schema fails test/openapi.test.ts; here it is still listed, not a 500.
      '200': { description: 'OK', ...(e.response && { content: json(jsonSchema(e.response, 'output')) }) },
      default: { $ref: '#/components/responses/Error' },
    },
    // Session callers send the CSRF header on every method but GET (management/auth.ts).
    security: [{ bearer: [] }, e.method === 'get' ? { session: [] } : { session: [], csrf: [] }],
  };
}

/** The OpenAPI 3.1 document of the management and admin APIs, built from their endpoint lists. */
export function openApiDocument(): Json {
  const paths: Record<string, Json> = {};
  for (const { prefix, groups } of APIS) {
    for (const group of groups) {
      for (const e of group.endpoints) {
        const { path, parameters } = pathOf(e.path);
        (paths[prefix + path] ??= {})[e.method] = operation(e, group.name, parameters);
      }
    }
  }
  return {
    openapi: '3.1.1',
    info: { title: 'Tessera API', version: 'v1', description: DESCRIPTION },
    tags: APIS.flatMap((api) => api.groups.map((g) => ({ name: g.name }))),
    paths,
    components: {
      schemas: { Error: jsonSchema(apiErrorSchema, 'output') },
      responses: {
        Error: {
          description: `An error in the gRPC-gateway shape: \`code\` is the gRPC status (${GRPC_CODES}), \`details[].id\` a stable id.`,
          content: json({ $ref: '#/components/schemas/Error' }),
        },
      },
      parameters: {
        orgId: {
          name: ORG_HEADER,
          in: 'header',
          required: false,
          description: "The organization to act on; the caller's own when absent.",
          schema: jsonSchema(idSchema, 'input'),
        },
      },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An access token with the management API audience, or a personal access token.' },
        session: { type: 'apiKey', in: 'cookie', name: SESSION_COOKIE, description: "The console's session, from POST /api/session." },
        csrf: { type: 'apiKey', in: 'header', name: CSRF_HEADER, description: "The session's csrfToken, as POST or GET /api/session answers it." },
      },
    },
  };
}

let served: string | undefined;

/** GET /openapi.json: public and static like discovery; built on the first request, once per process. */
export const openApiEndpoint: RequestHandler = (_req, res) => {
  served ??= JSON.stringify(openApiDocument());
  res.set({ 'Cache-Control': PUBLIC_CACHE, 'Content-Type': 'application/json; charset=utf-8' }).send(served);
};
