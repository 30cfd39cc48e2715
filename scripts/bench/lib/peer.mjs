// The oidc-provider peer from ../shared/bench/peer (read-only there): copied to a temp folder, installed
// with npm ci, and started with a client of the same shape as Tessera's.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { ROOT } from './tessera.mjs';
import { freePort, startServer } from './processes.mjs';

const isPeer = (dir) => fs.existsSync(path.join(dir, 'peer-server.mjs'));

/**
 * PEER_DIR, or the nearest `shared/bench/peer` beside the checkout or one of its parents: ../shared
 * from a clone, ../../shared from a git worktree one level further down.
 */
export function peerSource() {
  if (process.env.PEER_DIR) {
    if (!isPeer(process.env.PEER_DIR)) throw new Error(`PEER_DIR=${process.env.PEER_DIR} holds no peer-server.mjs`);
    return process.env.PEER_DIR;
  }
  for (let dir = path.dirname(ROOT); ; dir = path.dirname(dir)) {
    if (isPeer(path.join(dir, 'shared/bench/peer'))) return path.join(dir, 'shared/bench/peer');
    if (dir === path.dirname(dir)) break;
  }
  throw new Error(`--peer needs the peer harness in ../shared/bench/peer beside ${ROOT} or a parent (or set PEER_DIR)`);
}

export async function startPeer(tmp, client, tokenFormat = 'opaque') {
  const dir = path.join(tmp, 'peer');
  if (!fs.existsSync(dir)) {
    fs.cpSync(peerSource(), dir, { recursive: true, filter: (src) => !/node_modules|results/.test(src) });
    execFileSync('chmod', ['-R', 'u+w', dir]); // the shared copy is read-only
    process.stdout.write('  installing the peer (npm ci)…\n');
    execFileSync('npm', ['ci', '--no-audit', '--no-fund', '--loglevel=error'], { cwd: dir, stdio: 'inherit' });
  }
  const port = await freePort();
  const server = await startServer(`oidc-provider-${tokenFormat}`, process.execPath, ['peer-server.mjs'], {
    cwd: dir,
    env: {
      PORT: String(port),
      CLIENT_ID: client.clientId,
      CLIENT_SECRET: client.clientSecret,
      TOKEN_FORMAT: tokenFormat,
      CLIENT_SCOPE: 'openid profile email',
    },
  });
  return { ...server, base: `http://127.0.0.1:${port}` };
}
