import type { SqliteVersion } from '../storage/sqlite/sqlite-storage.js';
import { isMessage, type PrimaryMessage, type WorkerMessage } from './messages.js';

const METRICS_TIMEOUT_MS = 5_000;
const waiting = new Map<number, { resolve: (text: string) => void; reject: (err: Error) => void }>();
let nextId = 0;
let listening = false;

function onReply(message: unknown): void {
  if (!isMessage<PrimaryMessage>(message) || message.tessera !== 'metrics') return;
  const call = waiting.get(message.id);
  if (!call) return;
  waiting.delete(message.id);
  if (message.text !== undefined) call.resolve(message.text);
  else call.reject(new Error(message.error ?? 'no metrics'));
}

/** Every worker's figures, summed by the primary (prom-client's AggregatorRegistry): a scrape reaches one worker, and must see all. */
export function metricsFromPrimary(): Promise<string> {
  if (!listening) {
    listening = true;
    process.on('message', onReply);
  }
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(new Error('the primary did not answer with the metrics'));
    }, METRICS_TIMEOUT_MS);
    const settle =
      <T>(fn: (value: T) => void) =>
      (value: T) => {
        clearTimeout(timer);
        fn(value);
      };
    waiting.set(id, { resolve: settle(resolve), reject: settle(reject) });
    process.send!({ tessera: 'metrics', id } satisfies WorkerMessage);
  });
}

/**
 * Workers on one SQLite file: each commit is told to the primary, which tells the other workers,
 * so their caches forget within a message's trip (well under a millisecond) rather than at their
 * next look at the file's data_version (every 100 ms, which still bounds it if a message is lost).
 */
export function shareCommits(version: SqliteVersion): void {
  const told: WorkerMessage = { tessera: 'committed' };
  version.onCommit = () => {
    if (process.connected) process.send!(told);
  };
  process.on('message', (message: unknown) => {
    if (isMessage<PrimaryMessage>(message) && message.tessera === 'committed') version.heard();
  });
}
