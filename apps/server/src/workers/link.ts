import type { SecretUsage } from '../domain/secrets/usage.js';
import type { SqliteVersion } from '../storage/sqlite/sqlite-storage.js';
import { isMessage, type PrimaryMessage, type WorkerMessage } from './messages.js';

const METRICS_TIMEOUT_MS = 5_000;
/** A list of secrets waits this long at most for the other workers' counts; past it, theirs follow within USAGE_FLUSH_MS. */
const USAGE_TIMEOUT_MS = 2_000;

type Asked = Extract<WorkerMessage, { id: number }>;
type Answer<K extends PrimaryMessage['tessera']> = Extract<PrimaryMessage, { tessera: K }>;

const waiting = new Map<number, { answer: PrimaryMessage['tessera']; settle: (message: PrimaryMessage | Error) => void }>();
let nextId = 0;
let listening = false;

function onAnswer(message: unknown): void {
  if (!isMessage<PrimaryMessage>(message) || !('id' in message)) return;
  const call = waiting.get(message.id);
  if (call?.answer !== message.tessera) return;
  waiting.delete(message.id);
  call.settle(message);
}

/** Sends the primary a question and resolves with its answer (the message of kind `answer` with the same id). */
function askPrimary<K extends PrimaryMessage['tessera']>(question: Omit<Asked, 'id'>, answer: K, timeoutMs: number): Promise<Answer<K>> {
  if (!listening) {
    listening = true;
    process.on('message', onAnswer);
  }
  const id = nextId++;
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      waiting.delete(id);
      reject(new Error(`the primary did not answer ${question.tessera}`));
    }, timeoutMs);
    waiting.set(id, {
      answer,
      settle: (message) => {
        clearTimeout(timer);
        if (message instanceof Error) reject(message);
        else resolve(message as Answer<K>);
      },
    });
    process.send!({ ...question, id }, undefined, undefined, (err: Error | null) => err && waiting.get(id)?.settle(err));
  });
}

/** Every worker's figures, summed by the primary (prom-client's AggregatorRegistry): a scrape reaches one worker, and must see all. */
export async function metricsFromPrimary(): Promise<string> {
  const answer = await askPrimary({ tessera: 'metrics' }, 'metrics', METRICS_TIMEOUT_MS);
  if (answer.text === undefined) throw new Error(answer.error ?? 'no metrics');
  return answer.text;
}

/**
 * Workers count client secret uses each in memory. A list of secrets read through one worker has
 * the others write theirs first, through the primary, so the counts it shows are exact at once, as
 * with one process; and this worker writes its own when the primary asks on another's behalf.
 */
export function shareUsageFlushes(usage: SecretUsage): void {
  usage.flushOthers = () =>
    askPrimary({ tessera: 'flush-usage' }, 'usage-flushed', USAGE_TIMEOUT_MS).then(
      () => undefined,
      () => undefined, // the others' counts still follow within their flush interval
    );
  process.on('message', (message: unknown) => {
    if (!isMessage<PrimaryMessage>(message) || message.tessera !== 'flush-usage') return;
    void usage.flush().then(() => {
      if (process.connected) process.send!({ tessera: 'usage-flushed', id: message.id } satisfies WorkerMessage);
    });
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
