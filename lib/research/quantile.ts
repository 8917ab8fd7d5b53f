/**
 * Sample quantile of sorted values by linear interpolation (Hyndman and Fan
 * type 7, the default of NumPy `quantile` and pandas).
 *
 * @module
 */

/**
 * Check a quantile level; throws a RangeError unless it is in [0, 1].
 *
 * @example
 * ```ts
 * assertQuantileLevel("compute quantile", 0.75); // passes
 * ```
 */
export function assertQuantileLevel(action: string, q: number): void {
  if (typeof q !== "number" || !(q >= 0 && q <= 1)) {
    throw new RangeError(`Cannot ${action}: quantile must be in [0, 1], current value is ${q}`);
  }
}

/**
 * The q-quantile of values sorted ascending, by linear interpolation between
 * order statistics: with h = q (n - 1), j = floor(h) and g = h - j, the result
 * is x[j] + g (x[j + 1] - x[j]) (computed as x[j + 1] - (1 - g)(x[j + 1] - x[j])
 * when g >= 0.5, as NumPy 1.24 does, so results agree with
 * `numpy.quantile(x, q)` to the last bit in ordinary cases). q = 0 gives the
 * minimum, q = 1 the maximum.
 *
 * The input is not re-checked for order or finiteness (callers sort it).
 *
 * @param sorted Values sorted ascending, at least one.
 * @param q The level, in [0, 1].
 * @throws RangeError for an empty input or a bad level.
 *
 * @example
 * ```ts
 * quantileSorted([1, 2, 3, 4], 0.75); // 3.25
 * quantileSorted([5], 0.3); // 5
 * ```
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const action = "compute quantile";
  assertQuantileLevel(action, q);
  const n = sorted.length;
  if (n === 0) {
    throw new RangeError(`Cannot ${action}: need at least one value, current value is 0 values`);
  }
  const h = q * (n - 1);
  const j = Math.floor(h);
  const g = h - j;
  if (j >= n - 1) return sorted[n - 1];
  const a = sorted[j];
  const b = sorted[j + 1];
  if (g === 0) return a;
  const d = b - a;
  return g >= 0.5 ? b - d * (1 - g) : a + d * g;
}
