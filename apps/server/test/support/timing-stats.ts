/** For the timing tests: interleaved samples, robust statistics, and how much of a difference a measurement can resolve. */

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** How far apart the medians of the even and the odd samples of one kind are: the measurement's own noise. */
export function splitHalf(xs: number[]): number {
  return Math.abs(median(xs.filter((_, i) => i % 2 === 0)) - median(xs.filter((_, i) => i % 2 === 1)));
}

/** Mean of the middle 60%: less sensitive than the median to ties, as robust to GC pauses. */
export function trimmedMean(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const cut = Math.floor(s.length * 0.2);
  const mid = s.slice(cut, s.length - cut);
  return mid.reduce((a, b) => a + b, 0) / mid.length;
}

/**
 * Times of each kind of request, sampled in turns: `warmup` turns first, unmeasured, then `turns`
 * measured, the order reversed every other turn, so drift and the one before each request fall on all
 * kinds alike.
 */
export async function interleavedTimes<K extends string>(
  kinds: Record<K, Buffer>,
  send: (body: Buffer) => Promise<number>,
  { warmup, turns }: { warmup: number; turns: number },
): Promise<Record<K, number[]>> {
  const order = Object.keys(kinds) as K[];
  const reversed = [...order].reverse();
  const times = Object.fromEntries(order.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let i = 0; i < warmup; i++) for (const k of order) await send(kinds[k]);
  for (let i = 0; i < turns; i++) for (const k of i % 2 ? order : reversed) times[k].push(await send(kinds[k]));
  return times;
}
