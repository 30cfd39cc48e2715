import type { ServerResponse } from 'node:http';
import http2, { type Http2ServerResponse } from 'node:http2';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { frontDoor, type FrontDoor } from '../src/http/front-door.js';
import { median } from './support/timing-stats.js';

/** The front door alone, with listeners that say which protocol they were reached over. */
let door: FrontDoor;
let port: number;
beforeAll(async () => {
  door = frontDoor(
    (req, res) => (req.url === '/in-pieces' ? inPieces(res) : res.end(`http/1.1 ${req.socket.remoteAddress}`)),
    (req, res) => (req.url === '/in-pieces' ? inPieces(res) : res.end(`h2 ${req.socket.remoteAddress}`)),
    { sniffTimeoutMs: 300 },
  );
  await new Promise<void>((resolve) => door.server.listen(0, '127.0.0.1', resolve));
  port = (door.server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => door.close(resolve)));

/** A response in two writes, the second a turn later: how streamed bodies and RPC answers with trailers go out. */
function inPieces(res: ServerResponse | Http2ServerResponse): void {
  const out = res as ServerResponse;
  out.writeHead(200, { 'content-type': 'text/plain' });
  out.write('first ');
  setImmediate(() => out.end('second'));
}

/** The body of a GET over an HTTP/2 session. */
function h2Get(session: http2.ClientHttp2Session, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = session.request({ ':path': path });
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => resolve(text));
    req.on('error', reject);
  });
}

/** Writes the pieces one by one with a pause between them; resolves with all the socket received once it closes. */
function dribble(pieces: (string | Buffer)[]): Promise<{ text: string; ms: number }> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('close', () => resolve({ text: Buffer.concat(chunks).toString('latin1'), ms: performance.now() - start }));
    let i = 0;
    const next = () => {
      if (i < pieces.length) socket.write(pieces[i++]!, () => setTimeout(next, 20));
    };
    socket.on('connect', next);
  });
}

describe('one port for HTTP/1.1 and HTTP/2', () => {
  it('tells an HTTP/1.1 request from the HTTP/2 preface even when it arrives a byte at a time', async () => {
    const request = 'PUT / HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close\r\n\r\n';
    const { text } = await dribble([...request]);
    expect(text).toMatch(/^HTTP\/1\.1 200/);
    expect(text).toContain('http/1.1 127.0.0.1');
  });

  it('hands HTTP/2 with prior knowledge to the HTTP/2 listener, with the peer address kept', async () => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    const body = await h2Get(session, '/');
    session.close();
    expect(body).toBe('h2 127.0.0.1');
  });

  it('closes a connection that never says which protocol it speaks', async () => {
    const silent = await dribble([]);
    expect(silent.text).toBe('');
    expect(silent.ms).toBeGreaterThanOrEqual(250);
    expect(silent.ms).toBeLessThan(5_000);
    const stalled = await dribble(['PRI * HTTP/2.0']);
    expect(stalled.text).toBe('');
    expect(stalled.ms).toBeLessThan(5_000);
  });

  // With Nagle's algorithm on, the second piece waits for the client's delayed ACK: 40 ms per call.
  it('sends a response written in pieces at once over a kept-alive HTTP/1.1 connection', async () => {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve) => socket.once('connect', resolve));
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      const start = performance.now();
      socket.write('GET /in-pieces HTTP/1.1\r\nHost: x\r\n\r\n');
      let text = '';
      await new Promise<void>((resolve) => {
        const onData = (c: Buffer) => {
          text += c.toString('latin1');
          if (!text.endsWith('0\r\n\r\n')) return;
          socket.off('data', onData);
          resolve();
        };
        socket.on('data', onData);
      });
      expect(text).toContain('second');
      times.push(performance.now() - start);
    }
    socket.destroy();
    expect(median(times)).toBeLessThan(20);
  });

  it('sends an HTTP/2 response written in pieces at once', async () => {
    const session = http2.connect(`http://127.0.0.1:${port}`);
    const times: number[] = [];
    for (let i = 0; i < 15; i++) {
      const start = performance.now();
      const body = await h2Get(session, '/in-pieces');
      expect(body).toBe('first second');
      times.push(performance.now() - start);
    }
    session.close();
    expect(median(times)).toBeLessThan(20);
  });
});
