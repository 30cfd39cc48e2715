import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Http2ServerRequest, Http2ServerResponse } from 'node:http2';
import type { AppContext } from '../context.js';
import { markEndpoint } from '../http/metrics.js';
import { accessLog } from '../http/request-log.js';
import { NO_STORE, sendJson } from '../http/respond.js';
import type { Endpoint } from '../management/endpoint.js';
import { JSON_BODY_LIMIT } from '../management/router.js';
import { clientAddress, proxyTrust, throttleBucket } from '../security/client-address.js';

type Request = IncomingMessage | Http2ServerRequest;
type Response = ServerResponse | Http2ServerResponse;
type Handler = (req: Request, res: Response) => void;

/** Answers the request when it is an RPC to one of ZITADEL's services; false when it is not. */
export type RpcPath = (req: Request, res: Response) => boolean;

/** ZITADEL's services all live in the zitadel.* protobuf packages; gRPC paths are /package.Service/Method. */
const RPC = /^\/zitadel\.[\w.]+\/\w+$/;

/**
 * gRPC, gRPC-Web and Connect calls to ZITADEL's services, over HTTP/1.1 or HTTP/2, answered
 * before Express like the other machine paths. The RPCs bound to declared endpoints
 * (rpc/bridge.ts) run through the same invoke() as REST; the other RPCs of those services, and
 * every RPC of ZITADEL's other services, answer UNIMPLEMENTED in the caller's protocol. The
 * descriptors and Connect's adapter load on the first RPC (rpc/services.ts says why).
 */
export function rpcPath(ctx: AppContext, mounts: ReadonlyMap<string, readonly Endpoint[]>): RpcPath {
  const log = accessLog(ctx.logger, ctx.metrics);
  let loading: Promise<{ handler: Handler; bound: Set<string> }> | undefined;
  const load = () =>
    (loading ??= adapter(ctx, mounts).catch((err: unknown) => {
      loading = undefined; // the next RPC tries again
      throw err;
    }));

  return (req, res) => {
    const path = (req.url ?? '').split('?', 1)[0]!;
    if (!RPC.test(path)) return false;
    log(req as IncomingMessage, res as ServerResponse, path);
    if (req.method !== 'POST') {
      // None of ZITADEL's RPCs is marked free of side effects, so Connect's GET form applies to none.
      sendJson(res, 405, { code: 'unimplemented', message: 'RPCs are called with POST' }, { ...NO_STORE, Allow: 'POST' });
      return true;
    }
    load().then(
      ({ handler, bound }) => {
        if (bound.has(path)) markEndpoint(res as ServerResponse, `RPC ${path}`);
        handler(req, res);
      },
      (err: unknown) => {
        ctx.logger.error({ err }, 'could not load the RPC services');
        res.statusCode = 503;
        res.end();
      },
    );
    return true;
  };
}

async function adapter(ctx: AppContext, mounts: ReadonlyMap<string, readonly Endpoint[]>) {
  const [{ connectNodeAdapter }, { createContextValues }, { bridgeRoutes, CLIENT_ADDRESS }, { loadServices }] = await Promise.all([
    import('@connectrpc/connect-node'),
    import('@connectrpc/connect'),
    import('./bridge.js'),
    import('./services.js'),
  ]);
  const services = await loadServices();
  const trust = proxyTrust(ctx.config.trustProxy);
  let bound = new Set<string>();
  const handler = connectNodeAdapter({
    routes: (router) => {
      bound = bridgeRoutes(ctx, services, mounts, router);
    },
    readMaxBytes: JSON_BODY_LIMIT,
    contextValues: (req) => createContextValues().set(CLIENT_ADDRESS, throttleBucket(clientAddress(req as IncomingMessage, trust))),
    fallback: (req, res) => unimplemented(req, res as Response),
  }) as Handler;
  return { handler, bound };
}

/** An RPC of a service Tessera does not serve at all: UNIMPLEMENTED, as gRPC (trailers only) or Connect (HTTP 404) says it. */
function unimplemented(req: Request, res: Response): void {
  const type = String(req.headers['content-type'] ?? '');
  const message = `${(req.url ?? '').split('?', 1)[0]} is not implemented`;
  if (type.startsWith('application/grpc')) {
    res.writeHead(200, {
      'content-type': type.startsWith('application/grpc-web') ? 'application/grpc-web+proto' : 'application/grpc',
      'grpc-status': '12',
      'grpc-message': encodeURIComponent(message),
    });
    res.end();
    return;
  }
  sendJson(res, 404, { code: 'unimplemented', message }, NO_STORE);
}
