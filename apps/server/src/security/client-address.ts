import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';
import proxyaddr from 'proxy-addr';

/**
 * TESSERA_TRUST_PROXY as configured: trust no proxy, the last `n` hops, or the proxies at these
 * addresses and ranges (proxy-addr notation, as Express's "trust proxy" takes them).
 */
export type TrustProxy = false | number | string[];

/** Whether the hop at `addr` (0 = the socket's peer) is a proxy whose X-Forwarded-For entry counts. */
export type ProxyTrust = (addr: string, hop: number) => boolean;

/**
 * One trust function for Express ("trust proxy", so req.ip) and for the paths answered before
 * Express (clientAddress below): both then walk X-Forwarded-For with the same proxy-addr, and
 * can never name different clients. False when no proxy is trusted.
 */
export function proxyTrust(setting: TrustProxy): ProxyTrust | false {
  if (setting === false || setting === 0) return false;
  if (typeof setting === 'number') return (_addr, hop) => hop < setting;
  return proxyaddr.compile(setting);
}

/**
 * The entry of a TESSERA_TRUST_PROXY list that proxy-addr would not accept, or that is looser
 * than an address or CIDR range (ipaddr.js also reads "1" as 0.0.0.1); undefined when it is fine.
 */
export function invalidProxyEntry(entry: string): string | undefined {
  if (!['loopback', 'linklocal', 'uniquelocal'].includes(entry)) {
    const slash = entry.lastIndexOf('/');
    const address = slash < 0 ? entry : entry.slice(0, slash);
    if (!isIP(address) || (slash >= 0 && !/^\d{1,3}$/.test(entry.slice(slash + 1)))) return entry;
  }
  try {
    proxyaddr.compile([entry]);
    return undefined;
  } catch {
    return entry;
  }
}

/**
 * The caller's address: the socket's peer, or behind trusted proxies the right-most
 * X-Forwarded-For entry that no trusted proxy wrote. Entries to its left are whatever the
 * client chose to send. Without proxy trust this is one property read, as cheap as it gets.
 */
export function clientAddress(req: IncomingMessage, trust: ProxyTrust | false): string {
  const peer = req.socket.remoteAddress;
  if (!trust || peer === undefined) return peer ?? 'unknown';
  return proxyaddr(req, trust);
}

/**
 * The key an address is throttled under. One IPv6 host usually holds a whole /64 (RFC 4291 2.5.1,
 * SLAAC, privacy addresses per RFC 8981), so counting per IPv6 address would give it 2^64 fresh
 * counts: IPv6 counts per /64. An IPv4-mapped IPv6 address (a dual-stack socket) is the IPv4
 * client it maps. IPv4 and anything unparseable stay as they are, without allocating.
 */
export function throttleBucket(address: string): string {
  if (!address.includes(':')) return address;
  // The common case on a dual-stack socket ("::ffff:192.0.2.1"), without a full parse.
  if (address.startsWith('::ffff:') && isIP(address.slice(7)) === 4) return address.slice(7);
  let ip: ipaddr.IPv4 | ipaddr.IPv6;
  try {
    ip = ipaddr.parse(address);
  } catch {
    return address;
  }
  if (ip.kind() === 'ipv4') return ip.toString();
  const v6 = ip as ipaddr.IPv6;
  if (v6.isIPv4MappedAddress()) return v6.toIPv4Address().toString();
  const [a, b, c, d] = v6.parts as [number, number, number, number];
  return `${a.toString(16)}:${b.toString(16)}:${c.toString(16)}:${d.toString(16)}::/64`;
}
