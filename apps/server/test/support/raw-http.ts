import net from 'node:net';

export interface RawResponse {
  status: number;
  /** Header names in lower case; a repeated header keeps its last value. */
  headers: Record<string, string>;
  body: Buffer;
  text: string;
  /** The body parsed as JSON, or undefined when it is not JSON. */
  json: unknown;
}

export interface RawRequest {
  method: string;
  /** Sent exactly as given: no normalization, no escaping. */
  target: string;
  /** Pairs, so a header may repeat or carry bytes an HTTP client would refuse to send. */
  headers?: [string, string][];
  body?: string | Buffer;
  /** Adds Content-Length for the body unless a header already frames it. */
  frame?: boolean;
}

/**
 * HTTP/1.1 over a plain socket: a client library would normalize the path, refuse NUL bytes or
 * repeated headers and fix Content-Length, which is exactly what bad-input tests must not have
 * done for them. One request per connection (Connection: close).
 */
export function rawRequest(base: string, r: RawRequest): Promise<RawResponse> {
  const headers = [...(r.headers ?? [])];
  const names = new Set(headers.map(([n]) => n.toLowerCase()));
  const body = r.body === undefined ? undefined : Buffer.isBuffer(r.body) ? r.body : Buffer.from(r.body, 'utf8');
  if (!names.has('host')) headers.unshift(['Host', new URL(base).host]);
  if (!names.has('connection')) headers.push(['Connection', 'close']);
  if (body && r.frame !== false && !names.has('content-length') && !names.has('transfer-encoding')) {
    headers.push(['Content-Length', String(body.length)]);
  }
  const head = `${r.method} ${r.target} HTTP/1.1\r\n${headers.map(([n, v]) => `${n}: ${v}\r\n`).join('')}\r\n`;
  return rawBytes(base, Buffer.concat([Buffer.from(head, 'latin1'), body ?? Buffer.alloc(0)])).then(parseResponse);
}

/**
 * Writes the bytes and returns what came back, once a whole response has arrived or the server has
 * closed. A server that answers early (413 before the declared body was sent) may keep the socket
 * open for the rest, so waiting for the close alone would wait for its request timeout.
 */
export function rawBytes(base: string, bytes: Buffer | string, timeoutMs = 10_000): Promise<Buffer> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = net.connect(Number(port), hostname);
    const finish = () => {
      socket.destroy();
      resolve(Buffer.concat(chunks));
    };
    socket.setTimeout(timeoutMs, () => socket.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      if (isComplete(Buffer.concat(chunks))) finish();
    });
    // The server may answer and close before it has read everything sent (an early 413 or 431).
    socket.on('error', (err: NodeJS.ErrnoException) => (err.code === 'ECONNRESET' || err.code === 'EPIPE' ? undefined : reject(err)));
    socket.on('close', finish);
    socket.write(bytes);
  });
}

/** True once the bytes hold a status line, headers and the whole body they announce. */
function isComplete(raw: Buffer): boolean {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) return false;
  const head = raw.subarray(0, end).toString('latin1');
  if (/^HTTP\/1\.[01] (204|304)/.test(head)) return true;
  const length = /\r\ncontent-length: *(\d+)/i.exec(head);
  if (length) return raw.length - (end + 4) >= Number(length[1]);
  if (/\r\ntransfer-encoding: *chunked/i.test(head)) return raw.includes('\r\n0\r\n\r\n', end);
  return false;
}

export function parseResponse(raw: Buffer): RawResponse {
  const end = raw.indexOf('\r\n\r\n');
  if (end < 0) throw new Error(`no complete HTTP response: ${JSON.stringify(raw.toString('latin1').slice(0, 200))}`);
  const [statusLine, ...lines] = raw.subarray(0, end).toString('latin1').split('\r\n');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine ?? '')?.[1]);
  if (!status) throw new Error(`not an HTTP status line: ${JSON.stringify(statusLine)}`);
  const headers: Record<string, string> = {};
  for (const line of lines) {
    const colon = line.indexOf(':');
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  let body = raw.subarray(end + 4);
  if (headers['transfer-encoding']?.toLowerCase() === 'chunked') body = unchunk(body);
  else if (headers['content-length'] !== undefined) body = body.subarray(0, Number(headers['content-length']));
  const text = body.toString('utf8');
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status, headers, body, text, json };
}

function unchunk(data: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = data.indexOf('\r\n', at);
    if (eol < 0) break;
    const size = parseInt(data.subarray(at, eol).toString('latin1'), 16);
    if (!size) break;
    out.push(data.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}
