import cluster, { type Worker } from 'node:cluster';
import { AggregatorRegistry } from 'prom-client';
import type { Config } from '../config.js';
import { closeContext, createContext } from '../context.js';
import { prepareFirstInstance } from '../domain/setup.js';
import type { Logger } from '../logger.js';
import { banner, dataLocation, listenProblem } from '../start-messages.js';
import { openStorage } from '../storage/open.js';
import { isMessage, type PrimaryMessage, type WorkerMessage } from './messages.js';
import { UsageRounds } from './usage-rounds.js';

/** A worker that dies sooner than this after it started is restarted after a pause, not at once. */
const SHORT_LIFE_MS = 5_000;
const RESTART_PAUSE_MS = 1_000;

/**
 * TESSERA_WORKERS above 1: this process serves nothing itself. It migrates the database, makes the
 * keys and prepares the first start's administrator once, then forks the workers, which share the
 * port (node:cluster hands each new connection to the next worker). The administrator is created
 * when the first worker listens, as a single process does it. A worker that dies is started
 * again; SIGTERM (or SIGINT) is passed to every worker, and the primary exits when all have.
 */
export async function runPrimary(config: Config, logger: Logger): Promise<void> {
  const storage = await openStorage(config, { logger });
  const firstInstance = await prepareFirstInstance(storage, config);
  // Makes what every worker reads at start (instance and signing keys, key thumbprints), once.
  await closeContext(await createContext(config, storage, logger));

  const aggregator = new AggregatorRegistry();
  const startedAt = new Map<Worker, number>();
  let listened = false;
  let stopping = false;

  const fork = () => startedAt.set(cluster.fork(), Date.now());
  let closed: Promise<void> | undefined;
  // Only the first start's administrator needs it once the workers serve.
  const closeStorage = () => (closed ??= storage.close());
  const finish = (code: number) => void closeStorage().finally(() => process.exit(code));
  const fail = (problem: string) => {
    if (stopping) return;
    stopping = true;
    process.stderr.write(`Tessera failed to start: ${problem}\n`);
    for (const w of Object.values(cluster.workers ?? {})) w?.process.kill('SIGTERM');
    finish(1);
  };

  cluster.on('listening', () => {
    if (listened) return;
    listened = true;
    firstInstance.commit().then(
      (setup) => {
        process.stderr.write(banner(config, setup));
        logger.info({ port: config.port, host: config.host, db: dataLocation(config), workers: config.workers }, 'listening');
        void closeStorage();
      },
      (err: unknown) => fail(`could not create the first administrator: ${(err as Error).message}`),
    );
  });

  /**
   * A worker can be gone while it still looks connected (killed outright, its channel not yet
   * closed): the send then fails, which must not end the primary. Its exit restarts it.
   */
  const tell = (worker: Worker, message: PrimaryMessage) => {
    if (worker.isConnected()) worker.send(message, undefined, undefined, () => undefined);
  };
  const usageRounds = new UsageRounds(tell);
  cluster.on('fork', (worker) => worker.on('error', (err: Error) => logger.warn({ err, pid: worker.process.pid }, 'a worker could not be told')));

  cluster.on('message', (worker, message: unknown) => {
    if (!isMessage<WorkerMessage>(message)) return;
    if (message.tessera === 'committed') {
      for (const other of startedAt.keys()) if (other !== worker) tell(other, message);
    } else if (message.tessera === 'flush-usage') {
      usageRounds.start(worker, message.id, startedAt.keys());
    } else if (message.tessera === 'usage-flushed') {
      usageRounds.flushed(worker, message.id);
    } else if (message.tessera === 'listen-failed') {
      fail(listenProblem(config, { name: 'Error', code: message.code, message: message.message }, firstInstance.pending));
    } else if (message.tessera === 'metrics') {
      const reply = (answer: { text?: string; error?: string }) => tell(worker, { tessera: 'metrics', id: message.id, ...answer });
      aggregator.clusterMetrics().then(
        (text) => reply({ text }),
        (err: unknown) => reply({ error: (err as Error).message }),
      );
    }
  });

  cluster.on('exit', (worker, code, signal) => {
    const born = startedAt.get(worker) ?? 0;
    startedAt.delete(worker);
    usageRounds.gone(worker);
    if (stopping) {
      if (startedAt.size === 0) {
        logger.info('stopped');
        finish(0);
      }
      return;
    }
    if (!listened) return fail(`a worker stopped before it could serve (exit code ${code ?? signal})`);
    const pause = Date.now() - born < SHORT_LIFE_MS ? RESTART_PAUSE_MS : 0;
    logger.error({ pid: worker.process.pid, code, signal, restartInMs: pause }, 'a worker stopped; starting another');
    setTimeout(fork, pause);
  });

  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal, workers: startedAt.size }, 'shutting down: the workers finish their in-flight requests');
    for (const w of startedAt.keys()) w.process.kill('SIGTERM');
    if (startedAt.size === 0) finish(0);
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));

  for (let i = 0; i < config.workers; i++) fork();
}
