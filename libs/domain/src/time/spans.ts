/**
 * Index of the first of `spans` (ordered by time, not overlapping) that ends after `t`: the span that
 * holds `t` if any does, else where a span holding it belongs. Report weeks and a zone's stretches of
 * constant UTC offset are both looked up this way once worked out.
 */
export function firstEndingAfter<T>(spans: readonly T[], t: number, endOf: (span: T) => number): number {
  let lo = 0;
  let hi = spans.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (endOf(spans[mid]) <= t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
