// The floor: the least a token endpoint and a protected resource can cost in Node on this machine.
// A node:http server doing only the work issue 18 lists as what a token needs, with nothing around it
// (no router, no throttles, no logs, no error shapes), on a SQLite file of its own:
//   token:    Basic and form decoding, one indexed read of the client (the user, its organization and
//             secret), one HMAC-SHA-256 of the secret compared in constant time, then one seal (HMAC-SHA-512
//             for the token's key and nonce, AES-256-GCM) or, with ?jwt in the URL, one ES256 signature;
//             a JSON answer with the no-store headers.
//   resource: GET with a sealed Bearer token: the token opened (HMAC-SHA-512, AES-256-GCM), the organization
//             read by id, a JSON answer.
// Tessera's CPU per request against this one's, in the same run, is what Tessera adds to the work itself.
// The bench's fake client (baseline:baseline) is the one client; FLOOR_TOKEN is a token it may present.
import { createCipheriv, createDecipheriv, createHmac, generateKeyPairSync, randomBytes, randomFillSync, sign, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';

const Database = createRequire(path.resolve(import.meta.dirname, '../../apps/server/package.json'))('better-sqlite3');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-floor-'));
const db = new Database(path.join(dir, 'floor.db'));
db.pragma('journal_mode = WAL');
db.exec(`
  CREATE TABLE orgs (id TEXT PRIMARY KEY, name TEXT NOT NULL, primary_domain TEXT NOT NULL);
  CREATE TABLE users (id TEXT PRIMARY KEY, username TEXT NOT NULL, org_id TEXT NOT NULL REFERENCES orgs(id), state TEXT NOT NULL);
  CREATE UNIQUE INDEX users_username ON users (lower(username));
  CREATE TABLE machine_secrets (id TEXT PRIMARY KEY, user_id TEXT NOT NULL REFERENCES users(id), hash BLOB NOT NULL);
  CREATE INDEX machine_secrets_user ON machine_secrets (user_id);
`);
const secretKey = randomBytes(32);
const sealKey = randomBytes(32);
db.prepare("INSERT INTO orgs VALUES ('1', 'Floor', 'floor.localhost')").run();
db.prepare("INSERT INTO users VALUES ('2', 'baseline', '1', 'active')").run();
db.prepare("INSERT INTO machine_secrets VALUES ('3', '2', ?)").run(createHmac('sha256', secretKey).update('baseline').digest());
// Reads on a connection of their own, as Tessera's are.
const reader = new Database(path.join(dir, 'floor.db'), { readonly: true });
const findClient = reader.prepare(
  'SELECT u.id, u.org_id, u.state, o.primary_domain, s.hash FROM users u JOIN orgs o ON o.id = u.org_id JOIN machine_secrets s ON s.user_id = u.id WHERE lower(u.username) = lower(?)',
);
const findOrg = reader.prepare('SELECT id, name, primary_domain FROM orgs WHERE id = ?');
const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const JWT_HEADER = Buffer.from(JSON.stringify({ alg: 'ES256', kid: '1', typ: 'at+jwt' })).toString('base64url');
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };

function derive(header) {
  const d = createHmac('sha512', sealKey).update(header).digest();
  return { key: d.subarray(0, 32), iv: d.subarray(32, 44) };
}

// Random bytes from a pool refilled once per 256 tokens, as Tessera draws them.
const pool = Buffer.alloc(4096);
let used = pool.length;
function random16() {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  used += 16;
  return pool.subarray(used - 16, used);
}

function seal(claims) {
  const header = random16();
  const { key, iv } = derive(header);
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  const body = cipher.update(JSON.stringify(claims), 'utf8');
  return Buffer.concat([header, body, cipher.final(), cipher.getAuthTag()]).toString('base64url');
}

function open(token) {
  const raw = Buffer.from(token, 'base64url');
  if (raw.length < 34) return null;
  const { key, iv } = derive(raw.subarray(0, 16));
  const decipher = createDecipheriv('aes-256-gcm', key, iv);
  decipher.setAuthTag(raw.subarray(raw.length - 16));
  try {
    return JSON.parse(decipher.update(raw.subarray(16, raw.length - 16), undefined, 'utf8') + decipher.final('utf8'));
  } catch {
    return null;
  }
}

function jwt(claims) {
  const input = `${JWT_HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

function answer(res, status, body, headers = {}) {
  const json = JSON.stringify(body);
  res.writeHead(status, { ...headers, 'Content-Type': 'application/json; charset=utf-8', 'Content-Length': Buffer.byteLength(json) });
  res.end(json);
}

function token(req, res, body) {
  const form = new URLSearchParams(body);
  const basic = /^Basic (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const [clientId, secret] = Buffer.from(basic ?? '', 'base64')
    .toString('utf8')
    .split(':');
  const client = form.get('grant_type') === 'client_credentials' ? findClient.get(decodeURIComponent(clientId ?? '')) : undefined;
  const digest = createHmac('sha256', secretKey)
    .update(decodeURIComponent(secret ?? ''))
    .digest();
  if (!client || client.state !== 'active' || !timingSafeEqual(digest, client.hash)) return answer(res, 401, { error: 'invalid_client' }, NO_STORE);
  const scope = form.get('scope') ?? '';
  const now = Math.floor(Date.now() / 1000);
  const claims = { sub: client.id, org: client.org_id, scope, aud: [client.id, client.primary_domain], exp: now + 43200 };
  const accessToken = req.url.includes('jwt') ? jwt({ ...claims, iat: now, jti: random16().toString('base64url') }) : seal(claims);
  answer(res, 200, { access_token: accessToken, token_type: 'Bearer', expires_in: 43199, scope }, NO_STORE);
}

function resource(req, res) {
  const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
  const claims = bearer ? open(bearer) : null;
  const org = claims && claims.exp > Date.now() / 1000 ? findOrg.get(claims.org) : undefined;
  if (!org) return answer(res, 401, { code: 16, message: 'unauthenticated' });
  answer(res, 200, { org: { id: org.id, name: org.name, state: 'ORG_STATE_ACTIVE', primaryDomain: org.primary_domain } });
}

const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    try {
      if (req.method === 'POST') token(req, res, Buffer.concat(chunks).toString('utf8'));
      else resource(req, res);
    } catch {
      answer(res, 400, { error: 'invalid_request' }); // a malformed escape in the credentials
    }
  });
});
server.keepAliveTimeout = 65_000;
server.listen(Number(process.env.PORT), '127.0.0.1', () => {
  // A token for the resource load, sealed like any other.
  console.log(`FLOOR_TOKEN ${seal({ sub: '2', org: '1', scope: 'openid', aud: ['2'], exp: Math.floor(Date.now() / 1000) + 43200 })}`);
  console.log('READY');
});
process.on('SIGTERM', () =>
  server.close(() => {
    reader.close();
    db.close();
    fs.rmSync(dir, { recursive: true, force: true });
    process.exit(0);
  }),
);
