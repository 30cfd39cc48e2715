import { CSRF_HEADER, type ApiError } from '@tessera/contracts';

/** An API answer that was not 2xx, decoded from the gateway error shape. */
export class ApiRequestError extends Error {
  constructor(
    readonly status: number,
    readonly body: ApiError,
    /** The server's X-Request-Id for this call: what its log is searched by. */
    readonly requestId?: string,
  ) {
    super(body.message);
    this.name = 'ApiRequestError';
  }

  /** The field a validation or conflict error names, if any. */
  get field(): string | undefined {
    return this.body.details.find((d) => d.field)?.field;
  }
}

let csrfToken: string | undefined;
/** Set from the session (whoami); sent on every state-changing request. */
export function setCsrfToken(token: string | undefined): void {
  csrfToken = token;
}

let orgId: string | undefined;
/** The organization the console acts on; sent as x-zitadel-orgid. */
export function setActingOrg(id: string | undefined): void {
  orgId = id;
}

let onUnauthenticated: (() => void) | undefined;
export function setUnauthenticatedHandler(fn: () => void): void {
  onUnauthenticated = fn;
}

export async function api<T>(method: string, path: string, body?: unknown): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers[CSRF_HEADER] = csrfToken;
  if (orgId && path.startsWith('/management/')) headers['x-zitadel-orgid'] = orgId;
  const res = await fetch(path, {
    method,
    headers,
    credentials: 'same-origin',
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  const json: unknown = text ? safeJson(text) : undefined;
  if (!res.ok) {
    const body = readApiError(json) ?? { code: 0, message: `request failed (${res.status})`, details: [] };
    const error = new ApiRequestError(res.status, body, res.headers.get('x-request-id') ?? undefined);
    if (res.status === 401 && !path.startsWith('/api/session')) onUnauthenticated?.();
    throw error;
  }
  return json as T;
}

const isString = (v: unknown): v is string => typeof v === 'string';

/**
 * The gateway error shape, read as `apiErrorSchema` (@tessera/contracts) reads it, without zod:
 * every page, the sign-in page too, decodes errors with this, and zod is not in that download.
 * api.test.ts holds the two to the same answers.
 */
export function readApiError(json: unknown): ApiError | undefined {
  if (typeof json !== 'object' || json === null) return undefined;
  const { code, message, details = [] } = json as Record<string, unknown>;
  if (typeof code !== 'number' || !isString(message) || !Array.isArray(details)) return undefined;
  const read: ApiError['details'] = [];
  for (const d of details as unknown[]) {
    if (typeof d !== 'object' || d === null) return undefined;
    const { id, message, field } = d as Record<string, unknown>;
    if (!isString(id) || !isString(message) || (field !== undefined && !isString(field))) return undefined;
    read.push(field === undefined ? { id, message } : { id, message, field });
  }
  return { code, message, details: read };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

/** Whether asking again can help: a 4xx answer will be the same the next time. */
export function isRetryable(err: unknown): boolean {
  return !(err instanceof ApiRequestError && err.status < 500);
}

export const isNotFound = (err: unknown): boolean => err instanceof ApiRequestError && err.status === 404;

/** A message a person can act on, for any error a query or mutation throws. */
export function errorMessage(err: unknown): string {
  if (err instanceof ApiRequestError) return err.message;
  if (err instanceof TypeError) return 'Tessera could not be reached. Check your connection and try again.';
  return err instanceof Error ? err.message : 'Something went wrong.';
}
