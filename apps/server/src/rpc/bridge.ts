import { fromJson, getOption, toJson, type DescMethod, type DescService, type JsonObject, type JsonValue } from '@bufbuild/protobuf';
import { Code, ConnectError, createContextKey, type ConnectRouter, type HandlerContext, type ServiceImpl } from '@connectrpc/connect';
import { http } from '@zitadel/proto/google/api/annotations_pb.js';
import { ErrorDetailSchema } from '@zitadel/proto/zitadel/message_pb.js';
import type { AppContext } from '../context.js';
import { toGatewayError } from '../http/gateway-errors.js';
import { bearerPrincipal } from '../management/auth.js';
import type { Endpoint } from '../management/endpoint.js';
import { invoke, ORG_HEADER } from '../management/router.js';
import type { RpcService } from './services.js';

/** The caller's address as the throttles key it, set per request by the adapter. */
export const CLIENT_ADDRESS = createContextKey('unknown', { description: 'client address' });

/** An RPC served by a declared endpoint: which one, and where its path parameters come from. */
interface Binding {
  endpoint: Endpoint;
  /** [the endpoint's path parameter, the request message's JSON field] */
  params: [string, string][];
  /** The JSON field that is the REST body, '*' for the whole message, '' for none (google.api.http's body). */
  body: string;
}

/**
 * Finds the endpoint that serves an RPC: ZITADEL's gateway serves each RPC at the REST path of
 * its google.api.http option, and Tessera declares its endpoints at those same paths. Method and
 * literal segments must match and parameters sit in the same places; anything else is not bound,
 * so the RPC answers UNIMPLEMENTED.
 */
export function bind(method: DescMethod, endpoints: readonly Endpoint[]): Binding | undefined {
  const rule = getOption(method, http);
  const verb = rule.pattern.case;
  if (verb !== 'get' && verb !== 'post' && verb !== 'put' && verb !== 'delete') return undefined;
  const template = rule.pattern.value.split('/').slice(1);
  next: for (const e of endpoints) {
    const path = e.path.split('/').slice(1);
    if (e.method !== verb || path.length !== template.length) continue;
    const params: [string, string][] = [];
    for (let i = 0; i < path.length; i++) {
      // {role_key=**} may match several segments in ZITADEL's gateway; every value Tessera serves there is one segment.
      const variable = /^\{(\w+)(?:=\*\*?)?\}$/.exec(template[i]!)?.[1];
      const param = path[i]!.startsWith(':') ? path[i]!.slice(1) : undefined;
      if (variable === undefined && param === undefined && template[i]!.toLowerCase() === path[i]!.toLowerCase()) continue;
      const field = variable === undefined ? undefined : method.input.fields.find((f) => f.name === variable);
      if (!field || param === undefined) continue next;
      params.push([param, field.jsonName]);
    }
    const bodyField = rule.body === '*' || rule.body === '' ? rule.body : method.input.fields.find((f) => f.name === rule.body)?.jsonName;
    if (bodyField === undefined) continue;
    return { endpoint: e, params, body: bodyField };
  }
  return undefined;
}

/** A domain error as gRPC reports it: its code, its message, and ZITADEL's ErrorDetail with the error's id. */
function toConnectError(ctx: AppContext, err: unknown): ConnectError {
  if (err instanceof ConnectError) return err;
  const known = toGatewayError(err);
  if (!known) {
    ctx.logger.error({ err }, 'unhandled error');
    return new ConnectError('internal error', Code.Internal);
  }
  const detail = known.body.details[0];
  const metadata: Record<string, string> = known.retryAfter ? { 'retry-after': String(known.retryAfter) } : {};
  const details = detail ? [{ desc: ErrorDetailSchema, value: { id: detail.id, message: detail.message } }] : [];
  return new ConnectError(known.body.message, known.body.code, metadata, details);
}

function bridged(ctx: AppContext, method: DescMethod, b: Binding) {
  return async (request: Parameters<typeof toJson>[1], hctx: HandlerContext) => {
    try {
      const json = toJson(method.input, request) as JsonObject;
      const params: Record<string, string> = {};
      for (const [name, field] of b.params) {
        const value = json[field];
        // Path parameters are scalars; anything else leaves the parameter empty, which its check refuses.
        params[name] = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value) : '';
        delete json[field];
      }
      // body '' (ListProjectChanges): ZITADEL's gateway reads the other fields from the query string, which
      // Tessera's endpoints do not; a gRPC caller's query still counts, as the endpoint's JSON body.
      const rest = b.endpoint.body && Object.keys(json).length ? json : undefined;
      const body = b.body === '*' ? json : b.body ? json[b.body] : rest;
      const principal = await bearerPrincipal(ctx, hctx.requestHeader.get('authorization') ?? '');
      const result = await invoke(ctx, b.endpoint, {
        principal,
        params,
        orgHeader: hctx.requestHeader.get(ORG_HEADER) ?? undefined,
        hasBody: body !== undefined,
        isJson: () => true,
        body,
        address: () => hctx.values.get(CLIENT_ADDRESS),
      });
      return fromJson(method.output, (result ?? {}) as JsonValue, { ignoreUnknownFields: true });
    } catch (err) {
      throw toConnectError(ctx, err);
    }
  };
}

/**
 * Registers ZITADEL's services with each RPC that a declared endpoint serves bound to it: the
 * request message becomes the REST call its gateway would have made (path parameters and body, in
 * protobuf's JSON mapping, which is the REST API's JSON), runs through the same invoke() (and so
 * the same permission table) as REST, and the answer becomes the response message. Every other RPC
 * of the service answers UNIMPLEMENTED. Returns the procedure paths that are bound.
 */
export function bridgeRoutes(
  ctx: AppContext,
  services: readonly RpcService[],
  mounts: ReadonlyMap<string, readonly Endpoint[]>,
  router: ConnectRouter,
): Set<string> {
  const bound = new Set<string>();
  for (const { prefix, service } of services) {
    const endpoints = mounts.get(prefix) ?? [];
    const impl: Record<string, unknown> = {};
    for (const method of service.methods) {
      if (method.methodKind !== 'unary') continue;
      if (method.name === 'Healthz') {
        // As ZITADEL: no authentication, an empty answer while the process serves.
        impl[method.localName] = () => ({});
      } else {
        const b = bind(method, endpoints);
        if (!b) continue;
        impl[method.localName] = bridged(ctx, method, b);
      }
      bound.add(`/${service.typeName}/${method.name}`);
    }
    router.service(service, impl as Partial<ServiceImpl<DescService>>);
  }
  return bound;
}
