/**
 * Summary of a group of signals' closing line value: count, rate of positive
 * CLV with its Wilson interval, mean and median CLV.
 *
 * @module
 */

import { NeumaierAccumulator } from "../scoring/neumaier.ts";
import { wilsonInterval } from "../scoring/reliability.ts";
import { assertSignal, isPositiveClv, type Signal } from "./signal.ts";

/** Counts of a group: signals and signals with positive CLV. */
export interface Counts {
  /** Number of signals. */
  n: number;
  /** Number of signals with positive CLV (`clv > 0`). */
  positives: number;
}

/** CLV summary of a group of signals (see {@link clvStats}). */
export interface ClvStats extends Counts {
  /** positives / n; NaN when n = 0. */
  rate: number;
  /** Lower Wilson bound of `rate` (0 when n = 0). */
  wilsonLo: number;
  /** Upper Wilson bound of `rate` (1 when n = 0). */
  wilsonHi: number;
  /** Mean CLV in ticks (Neumaier sum / n); NaN when n = 0. */
  meanClv: number;
  /** Median CLV in ticks (mean of the two middle values for even n); NaN when n = 0. */
  medianClv: number;
}

/**
 * Check a Wilson significance level; throws a RangeError unless in (0, 1).
 *
 * @example
 * ```ts
 * assertAlpha("analyze buckets", 0.05); // passes
 * ```
 */
export function assertAlpha(action: string, alpha: number): void {
  if (typeof alpha !== "number" || !(alpha > 0 && alpha < 1)) {
    throw new RangeError(`Cannot ${action}: alpha must be in (0, 1), current value is ${alpha}`);
  }
}

/**
 * The CLV summary of a group of signals: n, positives (`clv > 0`), their rate
 * with the Wilson score interval at confidence 1 - alpha (the interval of
 * `lib/scoring/reliability.ts`, z = Phi^-1(1 - alpha / 2) = 1.959963984540054 at
 * the default 95%), and the mean (Neumaier summation) and median of `clv`. An
 * empty group has n = 0, NaN rate, mean and median, and the vacuous interval
 * [0, 1].
 *
 * @param signals The group's signals (each checked: finite CLV and so on).
 * @param alpha Significance level of the Wilson interval; default 0.05.
 * @throws RangeError for a bad signal or alpha.
 *
 * @example
 * ```ts
 * const s = (clv: number) => ({ ts: 0, market: "M", side: "yes" as const, clv, factors: {} });
 * clvStats([s(200), s(-100), s(0), s(50)]);
 * // { n: 4, positives: 2, rate: 0.5, wilsonLo: 0.1500..., wilsonHi: 0.8499...,
 * //   meanClv: 37.5, medianClv: 25 }
 * ```
 */
export function clvStats(signals: readonly Signal[], alpha = 0.05): ClvStats {
  const action = "compute CLV statistics";
  assertAlpha(action, alpha);
  const n = signals.length;
  const sum = new NeumaierAccumulator();
  const values = new Float64Array(n);
  let positives = 0;
  for (let i = 0; i < n; i++) {
    const s = signals[i];
    assertSignal(action, s, i);
    sum.add(s.clv);
    values[i] = s.clv;
    if (isPositiveClv(s)) positives++;
  }
  const { lo, hi } = wilsonInterval(positives, n, alpha);
  if (n === 0) {
    return {
      n,
      positives,
      rate: NaN,
      wilsonLo: lo,
      wilsonHi: hi,
      meanClv: NaN,
      medianClv: NaN,
    };
  }
  values.sort();
  const mid = n >> 1;
  const medianClv = n % 2 === 1 ? values[mid] : (values[mid - 1] + values[mid]) / 2;
  return {
    n,
    positives,
    rate: positives / n,
    wilsonLo: lo,
    wilsonHi: hi,
    meanClv: sum.value / n,
    medianClv,
  };
}
