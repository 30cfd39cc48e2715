import { createServer as createHttp1Server, type RequestListener, type Server as Http1Server } from 'node:http';
import { createServer as createHttp2Server, type Http2Server, type Http2ServerRequest, type Http2ServerResponse, type ServerHttp2Session } from 'node:http2';
import { createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';

/** What every HTTP/2 client sends first (RFC 9113 section 3.4): no HTTP/1.1 request line can begin with it. */
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n');
const SNIFF_TIMEOUT_MS = 10_000;

export interface FrontDoor {
  /** The listening socket: listen() and close() here. */
  server: NetServer;
  http1: Http1Server;
  http2: Http2Server;
  /** Stops accepting, lets HTTP/1.1 keep-alive connections end as they turn idle and HTTP/2 sessions finish their streams. */
  close: (done: () => void) => void;
}

/**
 * One port for HTTP/1.1 and HTTP/2 over cleartext with prior knowledge (gRPC's h2c), as ZITADEL
 * serves: each connection is read until its first bytes tell the two apart, then handed whole to
 * the server for its protocol. HTTP/1.1 goes to the app as before; HTTP/2 to its own listener.
 */
export function frontDoor(
  http1Listener: RequestListener,
  http2Listener: (req: Http2ServerRequest, res: Http2ServerResponse) => void,
  { sniffTimeoutMs = SNIFF_TIMEOUT_MS } = {},
): FrontDoor {
  const http1 = createHttp1Server(http1Listener);
  // node:http starts tracking its connections (for closing idle ones, and for its header and request
  // timeouts against slow clients) when it starts listening. This one never listens itself: start it.
  http1.emit('listening');
  const http2 = createHttp2Server(http2Listener);
  const sessions = new Set<ServerHttp2Session>();
  http2.on('session', (session) => {
    keepPeerAddress(session.socket);
    sessions.add(session);
    session.once('close', () => sessions.delete(session));
  });
  // No Nagle: node:http and gRPC servers turn it off on the sockets they accept, and this server
  // accepts theirs. With it on, a response written in pieces (a stream's chunks, HTTP/2's HEADERS,
  // DATA and trailers) waited for the client's delayed ACK, 40 ms, on every call.
  const server = createNetServer({ noDelay: true }, (socket) => {
    socket.on('error', () => socket.destroy());
    // A connection that never says which protocol it speaks is not kept open.
    socket.setTimeout(sniffTimeoutMs);
    socket.once('timeout', silent);
    sniff(socket, Buffer.alloc(0));
  });

  function silent(this: Socket): void {
    this.destroy();
  }

  function sniff(socket: Socket, seen: Buffer): void {
    const chunk = socket.read() as Buffer | null;
    const data = chunk ? Buffer.concat([seen, chunk]) : seen;
    const n = Math.min(data.length, PREFACE.length);
    if (n < PREFACE.length && data.subarray(0, n).equals(PREFACE.subarray(0, n))) {
      // Could still be either: wait for more (an idle or closed socket just ends here).
      socket.once('readable', () => sniff(socket, data));
      return;
    }
    socket.setTimeout(0);
    socket.off('timeout', silent);
    socket.unshift(data);
    if (n === PREFACE.length && data.subarray(0, n).equals(PREFACE)) {
      // node:http2 reads a socket's native handle directly unless told not to; it would then miss the
      // bytes just put back (the same workaround @httptoolkit/httpolyglot uses).
      const handle = (socket as Socket & { _handle?: { isStreamBase?: boolean } })._handle;
      if (handle) handle.isStreamBase = false;
      http2.emit('connection', socket);
    } else {
      http1.emit('connection', socket);
    }
  }

  return {
    server,
    http1,
    http2,
    close(done) {
      server.close(() => done());
      // Stops node:http's connection checks too; it was never listening, so it has nothing else to close.
      http1.close(() => undefined);
      const idle = setInterval(() => http1.closeIdleConnections(), 50);
      idle.unref();
      server.once('close', () => clearInterval(idle));
      for (const session of sessions) session.close();
      setTimeout(() => {
        http1.closeAllConnections();
        for (const session of sessions) session.destroy();
      }, 10_000).unref();
    },
  };
}

/**
 * node:http2 wraps a socket it cannot read natively (see sniff) in a stream socket that does not
 * know its peer: tell the wrapper the peer's address (the field net.Socket reads it from), so the
 * access line and the throttles key HTTP/2 callers by address as they do HTTP/1.1 callers.
 */
function keepPeerAddress(wrapper: Socket & { stream?: Socket; _peername?: object }): void {
  const peer = wrapper.stream;
  if (wrapper.remoteAddress !== undefined || !peer) return;
  wrapper._peername = { address: peer.remoteAddress, port: peer.remotePort, family: peer.remoteFamily };
}
