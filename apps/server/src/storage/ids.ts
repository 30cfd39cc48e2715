/**
 * Numeric-string ids, time-ordered like ZITADEL's: milliseconds since 2020 in the high bits and a
 * per-process counter in the low 22 bits, so ids sort by creation and never collide within a process.
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
    counter = 0n;
  }
  lastMs = ms;
  return ((ms << 22n) | counter).toString();
}
