import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
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
  if (!trust) return req.socket.remoteAddress ?? 'unknown';
  return proxyaddr(req, trust) ?? 'unknown'; // undefined once the socket has closed
}

/**
 * The key an address is throttled under. One IPv6 host usually holds a whole /64 (RFC 4291 2.5.1,
 * SLAAC, privacy addresses per RFC 8981), so counting per IPv6 address would give it 2^64 fresh
 * counts: IPv6 counts per /64. An IPv4-mapped IPv6 address (a dual-stack socket) is the IPv4
 * client it maps. IPv4 and anything that is not an address stay as they are, without allocating.
 */
export function throttleBucket(address: string): string {
  if (!address.includes(':')) return address;
  const zone = address.indexOf('%'); // a link-local zone (fe80::1%eth0) names no other host
  const ip = zone < 0 ? address : address.slice(0, zone);
  if (isIP(ip) !== 6) return address;
  const g = ipv6Groups(ip);
  if (g[0] === 0 && g[1] === 0 && g[2] === 0 && g[3] === 0 && g[4] === 0 && g[5] === 0xffff) {
    return `${g[6]! >> 8}.${g[6]! & 255}.${g[7]! >> 8}.${g[7]! & 255}`;
  }
  return `${g[0]!.toString(16)}:${g[1]!.toString(16)}:${g[2]!.toString(16)}:${g[3]!.toString(16)}::/64`;
}

const groups = new Uint16Array(8);

/**
 * The eight 16-bit groups of an address that Node's isIP() accepted as IPv6: "::" stands for as
 * many zero groups as are missing, and a trailing dotted IPv4 part (RFC 4291 2.2, form 3) for two.
 * One pass over the characters into a reused array: ipaddr.js parses the same but takes ten times
 * as long, and this runs on every token request from an IPv6 client.
 */
function ipv6Groups(ip: string): Uint16Array {
  groups.fill(0);
  const gap = ip.indexOf('::');
  if (gap < 0) {
    readGroups(ip, 0, ip.length, 0);
  } else {
    readGroups(ip, 0, gap, 0);
    const tail = readGroups(ip, gap + 2, ip.length, 8); // counted first, then written in place
    readGroups(ip, gap + 2, ip.length, 8 - tail);
  }
  return groups;
}

/** Reads the groups of ip[from, to) into `groups` from index `at` (8: only count); returns how many. */
function readGroups(ip: string, from: number, to: number, at: number): number {
  if (from >= to) return 0;
  let n = 0;
  let value = 0;
  for (let i = from; i <= to; i++) {
    const c = i < to ? ip.charCodeAt(i) : 58; // ':' closes the last group
    if (c === 58) {
      if (at < 8) groups[at + n] = value;
      n += 1;
      value = 0;
    } else if (c === 46) {
      // A dotted IPv4 tail: the group read so far was its first decimal byte, not hex.
      const [a, b, d, e] = ip
        .slice(ip.lastIndexOf(':', i) + 1, to)
        .split('.')
        .map(Number) as [number, number, number, number];
      if (at < 8) {
        groups[at + n] = (a << 8) | b;
        groups[at + n + 1] = (d << 8) | e;
      }
      return n + 2;
    } else {
      value = value * 16 + (c <= 57 ? c - 48 : (c | 32) - 87);
    }
  }
  return n;
}

/** The throttle's keys for an attempt to authenticate as `name` (a client_id, an assertion's subject) from this request's address. */
export function throttleKeys(trust: ProxyTrust | false, req: IncomingMessage, name: string): { pairKey: string; ip: string } {
  const ip = throttleBucket(clientAddress(req, trust));
  // No username is longer than 200 characters, so longer names share a key: keys stay small.
  return { pairKey: `${name.slice(0, 200).toLowerCase()}\n${ip}`, ip };
}
