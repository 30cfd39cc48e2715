import { randomInt } from 'node:crypto';

/**
 * Numeric-string ids, time-ordered like ZITADEL's: milliseconds since 2020 in the high bits and a
 * per-process counter in the low 22 bits, so ids sort by creation and never collide within a process.
 * Each millisecond's counter starts at a random value: several nodes on one database make ids in the
 * same millisecond, and counters all starting at 0 would give them the same id, failing the second
 * create on the primary key. Two nodes now clash only when their counters' ranges meet: about once
 * in four million pairs of ids made in the same millisecond.
 */
const EPOCH = 1_577_836_800_000n; // 2020-01-01T00:00:00Z
let lastMs = 0n;
let counter = 0n;

export function newId(): string {
  let ms = BigInt(Date.now()) - EPOCH;
  if (ms <= lastMs) {
    ms = lastMs;
    counter = (counter + 1n) & 0x3fffffn;
    if (counter === 0n) ms = lastMs + 1n;
  } else {
    counter = BigInt(randomInt(0x400000));
  }
  lastMs = ms;
  return ((ms << 22n) | counter).toString();
}
