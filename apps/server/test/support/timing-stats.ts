/** Robust statistics for the timing tests: medians, and how much of a difference a measurement can resolve. */

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
