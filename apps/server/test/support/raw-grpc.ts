import http2 from 'node:http2';

/** What a raw HTTP/2 call got back: the HTTP status, and the gRPC status from the headers (trailers-only) or the trailers. */
export interface RawGrpcAnswer {
  status: number;
  contentType: string | undefined;
  grpcStatus: number | undefined;
  grpcMessage: string;
  body: Buffer;
}

/** A gRPC message as it travels: one flag byte (compressed or not), the length (4 bytes, big-endian), the bytes. */
export function frame(message: Uint8Array, { compressed = false, declaredLength = message.length } = {}): Buffer {
  const head = Buffer.alloc(5);
  head[0] = compressed ? 1 : 0;
  head.writeUInt32BE(declaredLength, 1);
  return Buffer.concat([head, message]);
}

/** One request over HTTP/2 with prior knowledge, headers and body exactly as given. */
export function rawGrpc(base: string, path: string, headers: Record<string, string>, body: Buffer): Promise<RawGrpcAnswer> {
  return new Promise((resolve, reject) => {
    const session = http2.connect(base);
    session.on('error', reject);
    const req = session.request({ ':method': 'POST', ':path': path, te: 'trailers', ...headers });
    let head: http2.IncomingHttpHeaders = {};
    let trailers: http2.IncomingHttpHeaders = {};
    const chunks: Buffer[] = [];
    req.on('response', (h) => (head = h));
    req.on('trailers', (t) => (trailers = t));
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('error', reject);
    req.on('end', () => {
      session.close();
      const status = trailers['grpc-status'] ?? head['grpc-status'];
      const message = trailers['grpc-message'] ?? head['grpc-message'];
      resolve({
        status: Number(head[':status']),
        contentType: head['content-type'],
        grpcStatus: status === undefined ? undefined : Number(status),
        grpcMessage: typeof message === 'string' ? decodeURIComponent(message) : '',
        body: Buffer.concat(chunks),
      });
    });
    req.end(body);
  });
}
