import cluster from 'node:cluster';
import { createApp } from './app.js';
import type { Config } from './config.js';
import { closeContext, createContext } from './context.js';
import { prepareFirstInstance } from './domain/setup.js';
import { frontDoor } from './http/front-door.js';
import type { Logger } from './logger.js';
import { banner, dataLocation, listenProblem } from './start-messages.js';
import { openStorage } from './storage/open.js';
import { SqliteStorage } from './storage/sqlite/sqlite-storage.js';
import { shareCommits, shareUsageFlushes } from './workers/link.js';
import type { WorkerMessage } from './workers/messages.js';

/**
 * One process serving the port: alone (TESSERA_WORKERS=1), or as one of the primary's workers
 * (workers/primary.ts), which has migrated the database, made the keys and holds the first start's
 * administrator until a worker listens; a worker only serves, and stops when told or orphaned.
 */
export async function serve(config: Config, logger: Logger): Promise<void> {
  const worker = cluster.isWorker;
  const storage = await openStorage(config, { logger, migrate: !worker });
  if (worker && storage instanceof SqliteStorage) shareCommits(storage.version);
  const firstInstance = worker ? undefined : await prepareFirstInstance(storage, config);
  const ctx = await createContext(config, storage, logger);
  if (worker) shareUsageFlushes(ctx.secretUsage);
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
  const cannotListen = (err: NodeJS.ErrnoException) => {
    if (!worker) return fail(listenProblem(config, err, firstInstance!.pending));
    // The primary knows whether this is a first start, and says it once for all workers.
    const told: WorkerMessage = { tessera: 'listen-failed', code: err.code, message: err.message };
    process.send!(told, () => process.exit(1));
  };
  server.once('error', cannotListen);
  server.listen(config.port, config.host, () => {
    server.off('error', cannotListen);
    if (!firstInstance) return;
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
  // A worker whose primary is gone (killed, crashed) finishes what it serves and stops.
  if (worker) process.on('disconnect', () => stop('primary gone'));
}
