import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ADMIN_PASSWORD = 'Example-admin-password-1';

/** Starts a script as a process and resolves once `ready` matches what it printed (at once without it); the match and the process. */
function startProcess(script, env, ready) {
  // Only the settings given here: a TESSERA_* of the shell running the tests (a database URL, say) must not reach the server.
  const inherited = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('TESSERA_')));
  const child = spawn(process.execPath, [script], { env: { ...inherited, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (d) => (out += d.toString()));
  child.stderr.on('data', (d) => (out += d.toString()));
  if (!ready) return Promise.resolve({ child, stop: () => stopProcess(child), output: () => out });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not start in 30 s:\n${out}`));
    }, 30_000);
    const read = () => {
      const match = ready.exec(out);
      if (match) {
        clearTimeout(timer);
        resolve({ match, child, stop: () => stopProcess(child) });
      }
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}:\n${out}`));
    });
  });
}

function stopProcess(child) {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

function freePort() {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = s.address();
      s.close(() => resolve(port));
    });
  });
}

/** The built Tessera server (@tessera/server's dist/main.js) on a fresh SQLite file, at its own issuer. */
export async function startTessera() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-example-'));
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const main = fileURLToPath(import.meta.resolve('@tessera/server'));
  const { child, stop } = await startProcess(main, {
    PORT: String(port),
    HOST: '127.0.0.1',
    TESSERA_ISSUER: issuer,
    TESSERA_DB: path.join(dir, 'tessera.db'),
    TESSERA_ADMIN_PASSWORD: ADMIN_PASSWORD,
    TESSERA_LOG_LEVEL: 'warn',
  });
  await until(async () => (await fetch(`${issuer}/healthz`)).ok, child);
  return {
    issuer,
    dir,
    child,
    stop: async () => {
      await stop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function until(check, child) {
  const end = Date.now() + 30_000;
  while (Date.now() < end) {
    if (child.exitCode !== null) throw new Error(`the process exited with ${child.exitCode}`);
    try {
      if (await check()) return;
    } catch {
      // not answering yet
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('timed out');
}

/** The example API as a process, configured through its environment; resolves with its base URL. */
export async function startExample(env) {
  const script = fileURLToPath(new URL('../src/server.js', import.meta.url));
  const { match, stop } = await startProcess(script, { PORT: '0', HOST: '127.0.0.1', ...env }, /listening on (http:\/\/\S+)/);
  return { base: match[1], stop };
}

/** The administrator's console session: management calls with its cookie and CSRF token. */
export async function adminSession(issuer) {
  const res = await fetch(`${issuer}/api/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }),
  });
  if (!res.ok) throw new Error(`sign-in failed: ${res.status} ${await res.text()}`);
  const cookie = res.headers.get('set-cookie').split(';')[0];
  const { csrfToken } = await res.json();
  return async (method, apiPath, body) => {
    const answer = await fetch(`${issuer}/management/v1${apiPath}`, {
      method,
      headers: { Cookie: cookie, 'x-csrf-token': csrfToken, ...(body ? { 'Content-Type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    const json = await answer.json();
    if (!answer.ok) throw new Error(`${method} ${apiPath}: ${answer.status} ${JSON.stringify(json)}`);
    return json;
  };
}

/** A client_credentials token of a service user, with the scope asked for. */
export async function clientToken(issuer, { clientId, clientSecret }, scope) {
  const res = await fetch(`${issuer}/oauth/v2/token`, {
    method: 'POST',
    headers: { Authorization: `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString('base64')}`, 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', scope }),
  });
  const json = await res.json();
  if (!res.ok) throw new Error(`token: ${res.status} ${JSON.stringify(json)}`);
  return json.access_token;
}
