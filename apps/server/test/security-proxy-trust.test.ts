import express from 'express';
import fc from 'fast-check';
import ipaddr from 'ipaddr.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../src/config.js';
import { clientAddress, proxyTrust, throttleBucket } from '../src/security/client-address.js';
import { ADMIN_PASSWORD, createTestApp, signIn, type TestApp } from './support/test-app.js';
import { listen, signInOver, tally, tokenOver, type Listening } from './support/listening.js';
import { createClient, type Client } from './support/tokens.js';

function configProblems(value: string): string[] {
  try {
    loadConfig({ TESSERA_TRUST_PROXY: value });
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('TESSERA_TRUST_PROXY', () => {
  it('is off by default and with false', () => {
    expect(loadConfig({}).trustProxy).toBe(false);
    expect(loadConfig({ TESSERA_TRUST_PROXY: 'false' }).trustProxy).toBe(false);
    expect(loadConfig({ TESSERA_TRUST_PROXY: '0' }).trustProxy).toBe(false);
  });

  it('takes a number of proxies or a list of their addresses and ranges, IPv4 and IPv6', () => {
    expect(loadConfig({ TESSERA_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TESSERA_TRUST_PROXY: '2' }).trustProxy).toBe(2);
    expect(loadConfig({ TESSERA_TRUST_PROXY: '10.0.0.0/8, 192.0.2.7,fd00::/8 , ::1' }).trustProxy).toEqual(['10.0.0.0/8', '192.0.2.7', 'fd00::/8', '::1']);
  });

  it('refuses true, saying why and what to give instead', () => {
    const problems = configProblems('true');
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^TESSERA_TRUST_PROXY: /);
    expect(problems[0]).toContain('clients write');
    expect(problems[0]).toContain('number of proxies');
  });

  it('refuses what is neither a count nor addresses, naming each bad entry', () => {
    expect(configProblems('yes')[0]).toMatch(/^TESSERA_TRUST_PROXY: .*"yes"/);
    const problems = configProblems('10.0.0.0/8,10.0.0.300,fd00::/200');
    expect(problems).toHaveLength(2);
    expect(problems.join('\n')).toContain('"10.0.0.300"');
    expect(problems.join('\n')).toContain('"fd00::/200"');
    expect(configProblems('-1')).toHaveLength(1);
    expect(configProblems('1.5')).toHaveLength(1);
  });
});

describe('the session cookie behind a TLS terminator', () => {
  let t: TestApp;
  afterAll(() => t.cleanup());

  it('is Secure with an https issuer, on a plain HTTP request, without trusting any proxy', async () => {
    t = await createTestApp({ TESSERA_ISSUER: 'https://id.example.com' });
    const server = await listen(t.app);
    try {
      const res = await signInOver(server.url, 'admin', ADMIN_PASSWORD, { 'x-forwarded-proto': 'http' });
      expect(res.status).toBe(200);
      expect(res.setCookie).toMatch(/^tessera\.sid=.*; Secure/);
    } finally {
      await server.close();
    }
  });
});

/**
 * What a client can do to the throttles under each setting. Requests reach Tessera from
 * 127.0.0.1 (the test plays the proxy): the X-Forwarded-For sent is what the client wrote, with
 * whatever the proxies appended after it.
 */
const settings: { setting: string; chain: (forged: string, client: string) => string }[] = [
  // No proxy: the client wrote the whole header, and the socket's peer is the address.
  { setting: 'false', chain: (forged) => forged },
  // One proxy, which appended the address it saw.
  { setting: '1', chain: (forged, client) => `${forged}, ${client}` },
  // Two proxies at known addresses: the outer one appended the client, the inner one the outer.
  { setting: '127.0.0.1, 10.0.0.0/8, fd00::/8', chain: (forged, client) => `${forged}, 10.0.0.9, ${client}, 10.1.2.3` },
];

describe.each(settings)('forged X-Forwarded-For with TESSERA_TRUST_PROXY=$setting', ({ setting, chain }) => {
  let t: TestApp;
  let server: Listening;
  let client: Client;
  beforeAll(async () => {
    t = await createTestApp({ TESSERA_TRUST_PROXY: setting });
    client = await createClient(await signIn(t.app), 'svc');
    server = await listen(t.app);
  });
  afterAll(async () => {
    await server.close();
    await t.cleanup();
  });

  // A new left-most entry on every request, as a client stepping around the throttle would write.
  const forged = (i: number) => `203.0.113.${i}, 10.0.0.${i}`;

  it('sign-in: 5 failures then 429, whatever the client writes in front', { timeout: 120_000 }, async () => {
    const from = { 'x-forwarded-for': '' };
    const answers = await Promise.all(
      Array.from({ length: 8 }, (_, i) => signInOver(server.url, 'admin', `wrong-${i}`, { ...from, 'x-forwarded-for': chain(forged(i), '198.51.100.1') })),
    );
    expect(tally(answers)).toEqual({ 401: 5, 429: 3 });
    const right = await signInOver(server.url, 'admin', ADMIN_PASSWORD, { 'x-forwarded-for': chain(forged(99), '198.51.100.1') });
    expect(right.status).toBe(429);
    if (setting !== 'false') {
      // Another client behind the same proxy is a different address.
      const other = await signInOver(server.url, 'admin', ADMIN_PASSWORD, { 'x-forwarded-for': chain(forged(1), '198.51.100.2') });
      expect(other.status).toBe(200);
    }
  });

  it('token endpoint: 10 failures then 429, whatever the client writes in front', async () => {
    const answers = await Promise.all(
      Array.from({ length: 14 }, (_, i) => tokenOver(server.url, 'svc', `wrong-${i}`, { 'x-forwarded-for': chain(forged(i), '198.51.100.3') })),
    );
    expect(tally(answers)).toEqual({ 401: 10, 429: 4 });
    const right = await tokenOver(server.url, 'svc', client.clientSecret, { 'x-forwarded-for': chain(forged(99), '198.51.100.3') });
    expect(right.status).toBe(429);
    if (setting !== 'false') {
      const other = await tokenOver(server.url, 'svc', client.clientSecret, { 'x-forwarded-for': chain(forged(1), '198.51.100.4') });
      expect(other.status).toBe(200);
    }
  });

  it('token endpoint: a client cannot pose as a trusted proxy by writing trusted addresses', async () => {
    if (setting === 'false') return;
    for (let i = 0; i < 10; i++) {
      // The client writes what looks like a proxy hop; the real proxies append after it.
      const res = await tokenOver(server.url, 'svc', 'wrong', { 'x-forwarded-for': chain(`10.0.0.${i}, 127.0.0.1`, '198.51.100.5') });
      expect(res.status).toBe(401);
    }
    expect((await tokenOver(server.url, 'svc', client.clientSecret, { 'x-forwarded-for': chain('10.0.0.77', '198.51.100.5') })).status).toBe(429);
  });
});

describe('IPv6 clients', () => {
  let t: TestApp;
  let server: Listening;
  beforeAll(async () => {
    t = await createTestApp({ TESSERA_TRUST_PROXY: '127.0.0.1' });
    server = await listen(t.app);
  });
  afterAll(async () => {
    await server.close();
    await t.cleanup();
  });

  it('share one count per /64, however they spell their address', async () => {
    const spellings = ['2001:db8:1:2::1', '2001:DB8:1:2:ffff:ffff:ffff:ffff', '2001:0db8:0001:0002::abcd', '2001:db8:1:2:0:0:0:7'];
    for (let i = 0; i < 100; i++) {
      const res = await tokenOver(server.url, `c-${i}`, 'wrong', { 'x-forwarded-for': spellings[i % spellings.length]! });
      expect(res.status).toBe(401);
    }
    expect((await tokenOver(server.url, 'c-x', 'wrong', { 'x-forwarded-for': '2001:db8:1:2::99' })).status).toBe(429);
    // The next /64 is someone else.
    expect((await tokenOver(server.url, 'c-x', 'wrong', { 'x-forwarded-for': '2001:db8:1:3::1' })).status).toBe(401);
  });

  it('count an IPv4-mapped address as the IPv4 address', async () => {
    for (let i = 0; i < 10; i++) {
      const from = i % 2 ? '::ffff:198.51.100.30' : '198.51.100.30';
      expect((await tokenOver(server.url, 'mapped', 'wrong', { 'x-forwarded-for': from })).status).toBe(401);
    }
    expect((await tokenOver(server.url, 'mapped', 'wrong', { 'x-forwarded-for': '::ffff:c633:641e' })).status).toBe(429);
  });
});

describe('throttleBucket', () => {
  it('keeps IPv4 as it is, maps IPv4-mapped IPv6 to IPv4 and cuts IPv6 to its /64', () => {
    expect(throttleBucket('192.0.2.1')).toBe('192.0.2.1');
    expect(throttleBucket('::ffff:192.0.2.1')).toBe('192.0.2.1');
    expect(throttleBucket('::FFFF:192.0.2.1')).toBe('192.0.2.1');
    expect(throttleBucket('::ffff:c000:201')).toBe('192.0.2.1');
    expect(throttleBucket('2001:db8::1')).toBe(throttleBucket('2001:0DB8:0:0:ffff::2'));
    expect(throttleBucket('2001:db8::1')).not.toBe(throttleBucket('2001:db8:0:1::1'));
    expect(throttleBucket('fe80::1%eth0')).toBe(throttleBucket('fe80::2'));
    expect(throttleBucket('::1')).toBe(throttleBucket('::2'));
    expect(throttleBucket('unknown')).toBe('unknown');
    expect(throttleBucket('not an address:')).toBe('not an address:');
    for (const [address, bucket] of [
      ['1:2:3:4:5:6:7:8', '1:2:3:4::/64'],
      ['1:2::3:4:5:6:7', '1:2:0:3::/64'],
      ['1::', '1:0:0:0::/64'],
      ['::', '0:0:0:0::/64'],
      ['1:2:3:4:5:6:1.2.3.4', '1:2:3:4::/64'],
      ['64:ff9b::192.0.2.1', '64:ff9b:0:0::/64'],
      ['::ffff:0:0', '0.0.0.0'],
    ]) {
      expect(throttleBucket(address!), address).toBe(bucket);
    }
  });

  it('agrees with ipaddr.js on the /64 of any IPv6 address, and on IPv4-mapped ones', () => {
    fc.assert(
      fc.property(fc.ipV6(), (address) => {
        // ipaddr.js 1.9 cannot read "::" together with a dotted tail ("::0.0.0.0"); the cases above do.
        fc.pre(ipaddr.IPv6.isValid(address));
        const ip = ipaddr.IPv6.parse(address);
        const expected = ip.isIPv4MappedAddress()
          ? ip.toIPv4Address().toString()
          : `${ip.parts
              .slice(0, 4)
              .map((p) => p.toString(16))
              .join(':')}::/64`;
        expect(throttleBucket(address)).toBe(expected);
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(fc.ipV4(), (v4) => {
        expect(throttleBucket(`::ffff:${v4}`)).toBe(v4);
      }),
    );
  });
});

describe('Express and the OAuth hot path', () => {
  const chains = [
    undefined,
    '',
    '198.51.100.1',
    '203.0.113.9, 198.51.100.1',
    '203.0.113.9,198.51.100.1, 10.0.0.2',
    '1.1.1.1, 10.0.0.5, 127.0.0.1',
    '2001:db8::5, 10.0.0.2',
    '::ffff:198.51.100.1, fd00::1',
    'garbage, , 198.51.100.1',
    '10.0.0.1, 10.0.0.2, 10.0.0.3',
  ];

  it.each(['false', '1', '2', '127.0.0.1, 10.0.0.0/8, fd00::/8', 'loopback'])('agree on the client address with TESSERA_TRUST_PROXY=%s', async (setting) => {
    const trust = proxyTrust(loadConfig({ TESSERA_TRUST_PROXY: setting }).trustProxy);
    const app = express();
    app.set('trust proxy', trust);
    app.get('/', (req, res) => {
      res.json({ express: req.ip, hotPath: clientAddress(req, trust) });
    });
    const server = await listen(app);
    try {
      for (const chain of chains) {
        const res = await fetch(server.url, { headers: chain === undefined ? {} : { 'x-forwarded-for': chain } });
        const { express: viaExpress, hotPath } = (await res.json()) as { express: string; hotPath: string };
        expect(hotPath, `${setting}: ${chain}`).toBe(viaExpress);
      }
    } finally {
      await server.close();
    }
  });
});
