/** What a worker and the primary tell each other over node:cluster's IPC channel. */
export type WorkerMessage =
  /** The worker could not listen; the primary says why, once, and stops. */
  | { tessera: 'listen-failed'; code: string | undefined; message: string }
  /** The worker was asked for /metrics: the primary gathers every worker's figures. */
  | { tessera: 'metrics'; id: number }
  /** The worker committed to the SQLite file: the primary tells the others, whose caches forget at once. */
  | { tessera: 'committed' }
  /** The worker lists client secrets: the primary asks the others to write their counted uses first. */
  | { tessera: 'flush-usage'; id: number }
  /** The worker has written its counted uses, as the primary asked (id is the primary's). */
  | { tessera: 'usage-flushed'; id: number };

export type PrimaryMessage =
  | { tessera: 'metrics'; id: number; text?: string; error?: string }
  | { tessera: 'committed' }
  /** Write your counted uses now, and answer usage-flushed with this id. */
  | { tessera: 'flush-usage'; id: number }
  /** Every other worker has written its counted uses (or the wait ended): the answer to the worker's flush-usage. */
  | { tessera: 'usage-flushed'; id: number };

export function isMessage<T extends { tessera: string }>(value: unknown): value is T {
  return typeof value === 'object' && value !== null && typeof (value as { tessera?: unknown }).tessera === 'string';
}
