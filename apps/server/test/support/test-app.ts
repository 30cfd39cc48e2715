import fs from 'node:fs';
import type { RequestListener } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import type { Whoami } from '@tessera/contracts';
import type { DestinationStream } from 'pino';
import request from 'supertest';
import { createApp, type App } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { closeContext, createContext, type AppContext } from '../../src/context.js';
import { ensureFirstInstance } from '../../src/domain/setup.js';
import { createLogger } from '../../src/logger.js';
import type { Db } from '../../src/storage/db.js';
import { createDatabase, dropDatabase } from '../../../../scripts/throwaway-postgres.mjs';
import { openStorage } from '../../src/storage/open.js';
import type { Storage } from '../../src/storage/port.js';
import { SqliteStorage } from '../../src/storage/sqlite/sqlite-storage.js';

export const ADMIN_PASSWORD = 'correct horse battery staple';

export interface TestApp {
  app: App;
  ctx: AppContext;
  /** The storage the app runs on; tests read and write rows through it, on either engine. */
  storage: Storage;
  /** SQLite's connection, for tests of what only SQLite has (files, pages, pragmas). */
  db: Db;
  config: Config;
  dir: string;
  /** Closes the app and database; the files stay until cleanup(). */
  close(): Promise<void>;
  /** A new app on the same database file, as after a restart. */
  restart(): Promise<TestApp>;
  cleanup(): Promise<void>;
}

/**
 * The engine this run of the suite tests: vitest's "pg" project sets TESSERA_TEST_ENGINE=pg, and
 * each app then gets a database of its own on the server at TESSERA_TEST_DATABASE_URL.
 */
export const TEST_ENGINE: 'sqlite' | 'pg' = process.env.TESSERA_TEST_ENGINE === 'pg' ? 'pg' : 'sqlite';

/** Per folder, the PostgreSQL database its app uses, so a restart finds the same one. */
const pgDatabases = new Map<string, string>();

async function engineEnv(folder: string): Promise<Record<string, string>> {
  if (TEST_ENGINE !== 'pg') return {};
  let url = pgDatabases.get(folder);
  if (!url) {
    const server = process.env.TESSERA_TEST_DATABASE_URL;
    if (!server) throw new Error('TESSERA_TEST_ENGINE=pg needs TESSERA_TEST_DATABASE_URL');
    url = await createDatabase(
      server,
      `t_${path
        .basename(folder)
        .replace(/[^a-z0-9]/gi, '')
        .toLowerCase()}`,
    );
    pgDatabases.set(folder, url);
  }
  return { TESSERA_DATABASE_URL: url };
}

/**
 * log: where log lines go (pino's destination), for tests that read what was logged; pair it with
 * TESSERA_LOG_LEVEL in env, since the default level is silent.
 */
export async function createTestApp(env: Record<string, string> = {}, dir?: string, log?: DestinationStream): Promise<TestApp> {
  const folder = dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tessera-test-'));
  const config = loadConfig({
    TESSERA_DB: path.join(folder, 'tessera.db'),
    TESSERA_ADMIN_PASSWORD: ADMIN_PASSWORD,
    TESSERA_LOG_LEVEL: 'silent',
    TESSERA_CONSOLE_DIR: path.join(folder, 'console'),
    ...(await engineEnv(folder)),
    ...env,
  });
  const storage = await openStorage(config);
  await ensureFirstInstance(storage, config);
  const ctx = await createContext(config, storage, createLogger(config.logLevel, log));
  const app = createApp(ctx);
  let closed: Promise<void> | undefined;
  const close = () =>
    (closed ??= (async () => {
      await closeContext(ctx);
      await storage.close();
    })());
  return {
    app,
    ctx,
    storage,
    db: storage instanceof SqliteStorage ? storage.db : (undefined as unknown as Db),
    config,
    dir: folder,
    close,
    restart: async () => {
      await close();
      return createTestApp(env, folder, log);
    },
    cleanup: async () => {
      await close();
      fs.rmSync(folder, { recursive: true, force: true });
      const url = pgDatabases.get(folder);
      pgDatabases.delete(folder);
      if (url) await dropDatabase(url);
    },
  };
}

export interface SignedIn {
  agent: ReturnType<typeof request.agent>;
  csrf: string;
  whoami: Whoami;
}

/** Signs in through the console session API; the agent keeps the cookie, csrf goes in x-csrf-token. */
export async function signIn(app: RequestListener, username = 'admin', password = ADMIN_PASSWORD): Promise<SignedIn> {
  const agent = request.agent(app);
  const res = await agent.post('/api/session').send({ username, password });
  if (res.status !== 200) throw new Error(`sign-in failed: ${res.status} ${JSON.stringify(res.body)}`);
  const whoami = res.body as Whoami;
  return { agent, csrf: whoami.csrfToken, whoami };
}
