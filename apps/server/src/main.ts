import { createApp } from './app.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { closeContext, createContext } from './context.js';
import { prepareFirstInstance, type SetupResult } from './domain/setup.js';
import { frontDoor } from './http/front-door.js';
import { createLogger } from './logger.js';
import { openStorage } from './storage/open.js';

function banner(config: Config, setup: SetupResult): string {
  const lines = ['', `  Tessera is running: open ${config.issuer}/ in your browser.`];
  if (setup.created) {
    lines.push(`  First start: created organization "${setup.orgName}" and its administrator.`);
    lines.push(`    Username: ${setup.adminUsername}`);
    lines.push(
      setup.generatedPassword
        ? `    Password: ${setup.generatedPassword}   (generated; shown only now, so keep it)`
        : '    Password: the value of TESSERA_ADMIN_PASSWORD',
    );
  } else {
    lines.push(`  Data: ${dataLocation(config)} (existing; sign in as before).`);
  }
  return `${lines.join('\n')}\n\n`;
}

/** Where the data lives: the SQLite file, or the PostgreSQL URL without its password. */
function dataLocation(config: Config): string {
  if (!config.databaseUrl) return config.dbFile;
  try {
    const url = new URL(config.databaseUrl);
    url.password = '';
    url.search = ''; // may carry a password too (?password=...)
    return url.toString();
  } catch {
    return 'PostgreSQL (TESSERA_DATABASE_URL)';
  }
}

function listenProblem(config: Config, err: NodeJS.ErrnoException, firstStart: boolean): string {
  const where = `${config.host}:${config.port}`;
  const why =
    err.code === 'EADDRINUSE'
      ? `${where} is already in use; stop what listens there or set PORT`
      : err.code === 'EACCES'
        ? `not allowed to listen on ${where}; choose a PORT above 1023`
        : `cannot listen on ${where}: ${err.message}`;
  return firstStart ? `${why}. No administrator was created: the next start creates one and shows how to sign in.` : `${why}.`;
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  const logger = createLogger(config.logLevel);
  const storage = await openStorage(config, { logger });
  const firstInstance = await prepareFirstInstance(storage, config);
  const ctx = await createContext(config, storage, logger);
  const app = createApp(ctx);

  // HTTP/1.1 and HTTP/2 (gRPC's cleartext prior knowledge) on the one port, as ZITADEL serves.
  const door = frontDoor(app, app.http2);
  door.http1.keepAliveTimeout = 65_000;
  const server = door.server;
  const fail = (problem: string) => {
    process.stderr.write(`Tessera failed to start: ${problem}\n`);
    server.close();
    void closeContext(ctx)
      .then(() => storage.close())
      .finally(() => process.exit(1));
  };
  const cannotListen = (err: NodeJS.ErrnoException) => fail(listenProblem(config, err, firstInstance.pending));
  server.once('error', cannotListen);
  server.listen(config.port, config.host, () => {
    server.off('error', cannotListen);
    // Only now that it serves: 'listening' comes before any connection is accepted, so no request
    // sees the instance without its administrator, and a start that cannot listen creates none.
    firstInstance.commit().then(
      (setup) => {
        // The banner (with a generated password) goes to stderr, the terminal's; stdout is the JSON log stream.
        process.stderr.write(banner(config, setup));
        logger.info({ port: config.port, host: config.host, db: dataLocation(config) }, 'listening');
      },
      (err: unknown) => fail(`could not create the first administrator: ${(err as Error).message}`),
    );
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    // Keep-alive connections close as they turn idle once their in-flight response is sent.
    door.close(() => {
      void closeContext(ctx)
        .then(() => storage.close())
        .finally(() => {
          logger.info('stopped');
          process.exit(0);
        });
    });
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

main().catch((err: unknown) => {
  process.stderr.write(`Tessera failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
