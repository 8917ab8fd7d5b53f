/**
 * Trading statistics: Sharpe ratio, maximum drawdown of an equity curve, hit
 * rate. Money is in integer ticks ($0.0001); returns are plain numbers.
 *
 * @module
 */

import { NeumaierAccumulator } from "./neumaier.ts";

function assertFinite(what: string, name: string, xs: ArrayLike<number>): void {
  for (let i = 0; i < xs.length; i++) {
    const x = xs[i];
    if (typeof x !== "number" || !Number.isFinite(x)) {
      throw new RangeError(
        `Cannot compute ${what}: ${name}[${i}] must be a finite number, current value is ${
          String(x)
        }`,
      );
    }
  }
}

/**
 * Sharpe ratio of per-period returns: mean / sample standard deviation (n - 1
 * denominator), with no risk-free rate subtracted (pass excess returns for
 * that). Annualized by sqrt(periodsPerYear) when periodsPerYear is given (for
 * example 252 for daily returns). Sums use Neumaier summation (two-pass
 * variance).
 *
 * @param returns Per-period returns, each finite.
 * @param periodsPerYear Periods per year (> 0) to annualize; omit for per-period.
 * @returns The Sharpe ratio, or NaN when fewer than 2 returns or the standard
 * deviation is 0 (all returns identical).
 * @throws RangeError on a non-finite return or a bad periodsPerYear.
 *
 * @example
 * ```ts
 * sharpeRatio([1, 2, 3]); // mean 2 / stdev 1 = 2
 * sharpeRatio([1, 2, 3], 4); // 2 * sqrt(4) = 4
 * sharpeRatio([5]); // NaN
 * ```
 */
export function sharpeRatio(returns: ArrayLike<number>, periodsPerYear?: number): number {
  if (
    periodsPerYear !== undefined &&
    (typeof periodsPerYear !== "number" || !(periodsPerYear > 0 && periodsPerYear < Infinity))
  ) {
    throw new RangeError(
      `Cannot compute Sharpe ratio: periodsPerYear must be finite and > 0, current value is ${
        String(periodsPerYear)
      }`,
    );
  }
  assertFinite("Sharpe ratio", "returns", returns);
  const n = returns.length;
  if (n < 2) return NaN;
  const sum = new NeumaierAccumulator();
  let constant = true;
  for (let i = 0; i < n; i++) {
    sum.add(returns[i]);
    if (returns[i] !== returns[0]) constant = false;
  }
  // Identical returns have standard deviation 0 exactly; the rounded mean could
  // otherwise leave a tiny spurious deviation and a huge ratio.
  if (constant) return NaN;
  const mean = sum.value / n;
  const ss = new NeumaierAccumulator();
  for (let i = 0; i < n; i++) {
    const d = returns[i] - mean;
    ss.add(d * d);
  }
  const sd = Math.sqrt(ss.value / (n - 1));
  if (sd === 0) return NaN;
  const sr = mean / sd;
  return periodsPerYear === undefined ? sr : sr * Math.sqrt(periodsPerYear);
}

/**
 * Maximum drawdown of an equity curve in integer ticks: the largest fall from a
 * running peak to a later point, as a positive number of ticks.
 *
 * peakIndex is the index of the peak the largest drawdown fell from (the latest
 * index at that running-high value) and troughIndex the first index where the
 * largest drawdown is reached. When the curve never falls below a previous
 * peak (including an empty or one-point curve) the result is
 * { maxDrawdown: 0, peakIndex: -1, troughIndex: -1 }.
 *
 * @param equity Equity values in integer ticks (safe integers).
 * @throws RangeError on a value that is not a safe integer.
 *
 * @example
 * ```ts
 * maxDrawdown([100, 120, 90, 130, 95, 140]);
 * // { maxDrawdown: 35, peakIndex: 3, troughIndex: 4 }
 * maxDrawdown([1, 2, 3]); // { maxDrawdown: 0, peakIndex: -1, troughIndex: -1 }
 * ```
 */
export function maxDrawdown(
  equity: ArrayLike<number>,
): { maxDrawdown: number; peakIndex: number; troughIndex: number } {
  for (let i = 0; i < equity.length; i++) {
    const x = equity[i];
    if (!Number.isSafeInteger(x)) {
      throw new RangeError(
        `Cannot compute max drawdown: equity[${i}] must be an integer number of ticks, current value is ${
          String(x)
        }`,
      );
    }
  }
  let best = 0;
  let peakIndex = -1;
  let troughIndex = -1;
  let runPeak = -Infinity;
  let runPeakIndex = -1;
  for (let i = 0; i < equity.length; i++) {
    const x = equity[i];
    if (x >= runPeak) {
      runPeak = x;
      runPeakIndex = i;
      continue;
    }
    const dd = runPeak - x;
    if (dd > best) {
      best = dd;
      peakIndex = runPeakIndex;
      troughIndex = i;
    }
  }
  return { maxDrawdown: best, peakIndex, troughIndex };
}

/**
 * Hit rate: the fraction of trades with a strictly positive PnL (a PnL of
 * exactly 0 counts as a miss).
 *
 * @param pnls Per-trade PnLs (any unit), each finite.
 * @returns The fraction in [0, 1], or NaN when there are no trades.
 * @throws RangeError on a non-finite PnL.
 *
 * @example
 * ```ts
 * hitRate([120, -40, 0, 15]); // 0.5
 * hitRate([]); // NaN
 * ```
 */
export function hitRate(pnls: ArrayLike<number>): number {
  assertFinite("hit rate", "pnls", pnls);
  if (pnls.length === 0) return NaN;
  let hits = 0;
  for (let i = 0; i < pnls.length; i++) if (pnls[i] > 0) hits++;
  return hits / pnls.length;
}
