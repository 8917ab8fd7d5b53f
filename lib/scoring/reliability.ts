/**
 * Calibration: Wilson score intervals for a proportion and reliability bins
 * (forecast probability against observed frequency, with Wilson intervals).
 *
 * @module
 */

import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import quantile from "@stdlib/stats-base-dists-normal-quantile";
import { assertBinaryForecasts } from "./binary.ts";
import { NeumaierAccumulator } from "./neumaier.ts";

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * The two-sided critical value z = Phi^-1(1 - alpha / 2) of the standard normal.
 *
 * Starts from `@stdlib/stats-base-dists-normal-quantile`, which evaluates
 * erfinv(2p - 1) and so loses relative accuracy for small alpha (about 3e-12 at
 * alpha = 1e-6, 2e-9 at 1e-9), then polishes with Newton steps on the upper tail
 * 0.5 * erfc(z / sqrt 2) = alpha / 2 (through the normal CDF, which is accurate
 * in the tail). The result matches SciPy's `norm.isf(alpha / 2)` (the value
 * statsmodels uses) to about 1 ulp for alpha >= 1e-9.
 */
function twoSidedZ(alpha: number): number {
  const half = alpha / 2;
  let z = quantile(1 - half, 0, 1);
  for (let i = 0; i < 4; i++) {
    const step = (normalCdf(-z, 0, 1) - half) / (INV_SQRT_2PI * Math.exp(-0.5 * z * z));
    if (!Number.isFinite(step)) break;
    z += step;
    if (Math.abs(step) <= 1e-17 * z) break;
  }
  return z;
}

/**
 * Wilson score interval for a binomial proportion successes / n at confidence
 * 1 - alpha, with z = Phi^-1(1 - alpha / 2):
 *
 *   center = (q + z^2 / (2n)) / (1 + z^2 / n),   q = successes / n
 *   half   = z * sqrt(q (1 - q) / n + z^2 / (4 n^2)) / (1 + z^2 / n)
 *
 * The arithmetic follows statsmodels `proportion_confint(successes, n, alpha,
 * method="wilson")` step by step and agrees with it within 1e-12 (checked by
 * `tests/sklearn_oracle_test.ts`), with one difference: the bounds are clamped
 * to [0, 1], and lo is exactly 0 when successes = 0 and hi exactly 1 when
 * successes = n (statsmodels returns rounding noise such as -1.4e-17 there).
 *
 * n = 0 (no observations) returns the vacuous interval { lo: 0, hi: 1 }:
 * nothing is known about the proportion. (statsmodels returns NaN, NaN.)
 *
 * @param successes Number of successes, an integer in [0, n].
 * @param n Number of trials, an integer >= 0.
 * @param alpha Significance level in (0, 1); default 0.05 (95% interval).
 * @throws RangeError for non-integer or out-of-range counts or a bad alpha.
 *
 * @example
 * ```ts
 * wilsonInterval(7, 10); // { lo: 0.39677..., hi: 0.89220... }
 * wilsonInterval(0, 20, 0.1); // { lo: 0, hi: 0.11915... }
 * wilsonInterval(0, 0); // { lo: 0, hi: 1 }
 * ```
 */
export function wilsonInterval(
  successes: number,
  n: number,
  alpha = 0.05,
): { lo: number; hi: number } {
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new RangeError(
      `Cannot compute Wilson interval: n must be an integer >= 0, current value is ${String(n)}`,
    );
  }
  if (!Number.isSafeInteger(successes) || successes < 0 || successes > n) {
    throw new RangeError(
      `Cannot compute Wilson interval: successes must be an integer in [0, ${n}], current value is ${
        String(successes)
      }`,
    );
  }
  if (typeof alpha !== "number" || !(alpha > 0 && alpha < 1)) {
    throw new RangeError(
      `Cannot compute Wilson interval: alpha must be in (0, 1), current value is ${String(alpha)}`,
    );
  }
  if (n === 0) return { lo: 0, hi: 1 };
  const q = successes * 1 / n;
  const crit = twoSidedZ(alpha);
  const crit2 = crit ** 2;
  const denom = 1 + crit2 / n;
  const center = (q + crit2 / (2 * n)) / denom;
  let dist = crit * Math.sqrt(q * (1 - q) / n + crit2 / (4 * n ** 2));
  dist /= denom;
  const lo = successes === 0 ? 0 : Math.max(0, center - dist);
  const hi = successes === n ? 1 : Math.min(1, center + dist);
  return { lo, hi };
}

/** One bin of a reliability diagram. */
export interface ReliabilityBin {
  /** Lower edge of the bin's forecast range (inclusive). */
  lo: number;
  /** Upper edge (exclusive, except 1 for the last bin, which includes p = 1). */
  hi: number;
  /** Number of forecasts in the bin. */
  count: number;
  /** Mean forecast probability in the bin; NaN when the bin is empty. */
  meanForecast: number;
  /** Fraction of the bin's outcomes that were 1; NaN when the bin is empty. */
  observedRate: number;
  /** Lower Wilson bound of observedRate (0 when the bin is empty). */
  wilsonLo: number;
  /** Upper Wilson bound of observedRate (1 when the bin is empty). */
  wilsonHi: number;
}

/**
 * Reliability (calibration) bins: forecasts grouped into nBins equal-width bins
 * on [0, 1]; bin i covers [i / nBins, (i + 1) / nBins), and the last bin also
 * holds p = 1. Each bin reports its count, mean forecast, observed rate of
 * outcome 1 and the Wilson interval of that rate at confidence 1 - alpha. All
 * nBins bins are returned in order; an empty bin has count 0, NaN means and the
 * vacuous interval [0, 1]. Means use Neumaier summation.
 *
 * @param p Forecast probabilities, each finite in [0, 1].
 * @param y Outcomes, each 0 or 1, same length as `p` (at least one).
 * @param nBins Number of bins, an integer >= 1; default 10.
 * @param alpha Significance level of the Wilson intervals; default 0.05.
 * @throws RangeError for bad forecasts, outcomes, nBins or alpha.
 *
 * @example
 * ```ts
 * const bins = reliabilityBins([0.05, 0.15, 0.12, 1], [0, 1, 0, 1], 2);
 * // bins[0]: { lo: 0, hi: 0.5, count: 3, meanForecast: 0.10666..., observedRate: 0.3333..., ... }
 * // bins[1]: { lo: 0.5, hi: 1, count: 1, meanForecast: 1, observedRate: 1, ... }
 * ```
 */
export function reliabilityBins(
  p: ArrayLike<number>,
  y: ArrayLike<number>,
  nBins = 10,
  alpha = 0.05,
): ReliabilityBin[] {
  if (!Number.isSafeInteger(nBins) || nBins < 1) {
    throw new RangeError(
      `Cannot compute reliability bins: nBins must be an integer >= 1, current value is ${
        String(nBins)
      }`,
    );
  }
  if (typeof alpha !== "number" || !(alpha > 0 && alpha < 1)) {
    throw new RangeError(
      `Cannot compute reliability bins: alpha must be in (0, 1), current value is ${String(alpha)}`,
    );
  }
  assertBinaryForecasts("reliability bins", p, y);
  const edge = (i: number) => i / nBins;
  const sums: NeumaierAccumulator[] = [];
  const successes: number[] = [];
  for (let b = 0; b < nBins; b++) {
    sums.push(new NeumaierAccumulator());
    successes.push(0);
  }
  for (let i = 0; i < p.length; i++) {
    const pi = p[i];
    let b = Math.min(Math.floor(pi * nBins), nBins - 1);
    // Make the bin agree with the edges as computed (p * nBins can round across one).
    if (b > 0 && pi < edge(b)) b--;
    else if (b < nBins - 1 && pi >= edge(b + 1)) b++;
    sums[b].add(pi);
    if (y[i] === 1) successes[b]++;
  }
  const bins: ReliabilityBin[] = [];
  for (let b = 0; b < nBins; b++) {
    const count = sums[b].count;
    const { lo: wilsonLo, hi: wilsonHi } = wilsonInterval(successes[b], count, alpha);
    bins.push({
      lo: edge(b),
      hi: edge(b + 1),
      count,
      meanForecast: count === 0 ? NaN : sums[b].value / count,
      observedRate: count === 0 ? NaN : successes[b] / count,
      wilsonLo,
      wilsonHi,
    });
  }
  return bins;
}
