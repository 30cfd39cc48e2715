import cluster from 'node:cluster';
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AggregatorRegistry, collectDefaultMetrics, Counter, Histogram, Registry } from 'prom-client';
import { metricsFromPrimary } from '../workers/link.js';
import type { StorageFailure } from '../storage/port.js';

/** Why a client authentication failed: unknown and wrong are one answer to the client, two figures here. */
/** retired_secret: a revoked or expired client secret, sent by a job not yet moved to its successor. */
export type AuthFailure = 'no_credentials' | 'unknown_client' | 'wrong_secret' | 'retired_secret' | 'bad_assertion';

/** Where a request went, for the latency histogram: a handful of families, never a raw path. */
export type RouteFamily = 'token' | 'oauth' | 'management' | 'console_api' | 'console' | 'health';

/**
 * What Tessera counts for an operator's graphs (Prometheus text at /metrics). Calls on the hot
 * path are a counter's increment; with metrics off every call is a no-op.
 */
export interface Metrics {
  tokenIssued(type: 'bearer' | 'jwt', grant: string): void;
  clientAuthFailed(reason: AuthFailure): void;
  throttled(gate: 'client' | 'signin'): void;
  responded(family: RouteFamily, status: number, seconds: number): void;
  /** A management or admin call, by its endpoint as declared ("GET /management/v1/users/:userId"). */
  managementCall(endpoint: string, status: number): void;
  /** The database failed: out of reach, or a statement it refused (storage/port.ts). */
  databaseError(failure: StorageFailure): void;
}

const ignore = () => {};
export const NO_METRICS: Metrics = {
  tokenIssued: ignore,
  clientAuthFailed: ignore,
  throttled: ignore,
  responded: ignore,
  managementCall: ignore,
  databaseError: ignore,
};

const ENDPOINT = Symbol('tessera.endpoint');

/** Notes which declared endpoint a response answers, for the access line's metrics when it closes. */
export function markEndpoint(res: ServerResponse, endpoint: string): void {
  (res as ServerResponse & { [ENDPOINT]?: string })[ENDPOINT] = endpoint;
}

export function endpointOf(res: ServerResponse): string | undefined {
  return (res as ServerResponse & { [ENDPOINT]?: string })[ENDPOINT];
}

/** The families by path prefix; the first match wins. */
const FAMILIES: [prefix: string, family: RouteFamily][] = [
  ['/oauth/v2/token', 'token'],
  ['/oauth/', 'oauth'],
  ['/oidc/', 'oauth'],
  ['/.well-known/', 'oauth'],
  ['/management/', 'management'],
  ['/admin/', 'management'],
  ['/auth/', 'management'],
  ['/zitadel.', 'management'],
  ['/api/', 'console_api'],
  ['/healthz', 'health'],
  ['/readyz', 'health'],
  ['/metrics', 'health'],
];

export function routeFamily(path: string): RouteFamily {
  for (const [prefix, family] of FAMILIES) if (path.startsWith(prefix)) return family;
  return 'console';
}

/** Prometheus metrics in a registry of this app's own (tests build many apps in one process). */
export class PrometheusMetrics implements Metrics {
  readonly registry = new Registry();
  readonly #tokens = new Counter({
    name: 'tessera_tokens_issued_total',
    help: 'Access tokens issued, by token type and grant.',
    labelNames: ['type', 'grant'],
    registers: [this.registry],
  });
  readonly #authFailures = new Counter({
    name: 'tessera_client_auth_failures_total',
    help: 'Failed client authentications at the OAuth endpoints, by reason.',
    labelNames: ['reason'],
    registers: [this.registry],
  });
  readonly #throttled = new Counter({
    name: 'tessera_throttled_total',
    help: 'Attempts refused by a failure throttle (429).',
    labelNames: ['gate'],
    registers: [this.registry],
  });
  readonly #calls = new Counter({
    name: 'tessera_management_calls_total',
    help: 'Management and admin API calls, by endpoint as declared and by status.',
    labelNames: ['endpoint', 'status'],
    registers: [this.registry],
  });
  readonly #latency = new Histogram({
    name: 'tessera_http_request_duration_seconds',
    help: 'Time to answer, by route family and status class.',
    labelNames: ['family', 'status'],
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });

  readonly #databaseErrors = new Counter({
    name: 'tessera_database_errors_total',
    help: 'Failures of the database: unavailable (out of reach) or statement (refused or failed).',
    labelNames: ['kind'],
    registers: [this.registry],
  });

  constructor() {
    // Each kind from the start, at 0: an alert on a rate needs the series before the first failure.
    this.#databaseErrors.inc({ kind: 'unavailable' }, 0);
    this.#databaseErrors.inc({ kind: 'statement' }, 0);
    collectDefaultMetrics({ register: this.registry, prefix: 'tessera_' });
    // A cluster worker's figures are read by the primary, which sums them over the workers.
    // (Constructing an AggregatorRegistry is what makes a worker answer the primary's requests.)
    if (cluster.isWorker) {
      new AggregatorRegistry();
      AggregatorRegistry.setRegistries([this.registry]);
    }
  }

  tokenIssued(type: 'bearer' | 'jwt', grant: string): void {
    this.#tokens.inc({ type, grant });
  }

  clientAuthFailed(reason: AuthFailure): void {
    this.#authFailures.inc({ reason });
  }

  throttled(gate: 'client' | 'signin'): void {
    this.#throttled.inc({ gate });
  }

  responded(family: RouteFamily, status: number, seconds: number): void {
    this.#latency.observe({ family, status: `${Math.floor(status / 100)}xx` }, seconds);
  }

  managementCall(endpoint: string, status: number): void {
    this.#calls.inc({ endpoint, status: String(status) });
  }

  databaseError(failure: StorageFailure): void {
    this.#databaseErrors.inc({ kind: failure });
  }
}

/**
 * GET /metrics for a scraper holding TESSERA_METRICS_TOKEN as a Bearer token: the figures say how
 * busy Tessera is and how often clients fail, which is nobody else's business.
 */
export function metricsEndpoint(metrics: PrometheusMetrics, token: string): (req: IncomingMessage, res: ServerResponse) => Promise<void> {
  const expected = Buffer.from(`Bearer ${token}`);
  return async (req, res) => {
    const given = Buffer.from(req.headers.authorization ?? '');
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) {
      res.writeHead(401, { 'Content-Type': 'text/plain; charset=utf-8', 'WWW-Authenticate': 'Bearer realm="tessera-metrics"', 'Cache-Control': 'no-store' });
      res.end('metrics need the Bearer token set in TESSERA_METRICS_TOKEN\n');
      return;
    }
    let body: string;
    try {
      body = cluster.isWorker ? await metricsFromPrimary() : await metrics.registry.metrics();
    } catch {
      res.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', 'Retry-After': '1' });
      res.end('the metrics could not be gathered; try again\n');
      return;
    }
    res.writeHead(200, { 'Content-Type': metrics.registry.contentType, 'Cache-Control': 'no-store' });
    res.end(body);
  };
}
