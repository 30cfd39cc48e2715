/** What a worker and the primary tell each other over node:cluster's IPC channel. */
export type WorkerMessage =
  /** The worker could not listen; the primary says why, once, and stops. */
  | { tessera: 'listen-failed'; code: string | undefined; message: string }
  /** The worker was asked for /metrics: the primary gathers every worker's figures. */
  | { tessera: 'metrics'; id: number }
  /** The worker committed to the SQLite file: the primary tells the others, whose caches forget at once. */
  | { tessera: 'committed' };

export type PrimaryMessage = { tessera: 'metrics'; id: number; text?: string; error?: string } | { tessera: 'committed' };

export function isMessage<T extends { tessera: string }>(value: unknown): value is T {
  return typeof value === 'object' && value !== null && typeof (value as { tessera?: unknown }).tessera === 'string';
}
