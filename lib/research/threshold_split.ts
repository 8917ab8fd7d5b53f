/**
 * Threshold splits of one factor: for each candidate threshold, the signals
 * meeting it against those that do not, with a z-test per threshold and
 * p-values adjusted over all thresholds tried.
 *
 * @module
 */

import { type ClvStats, clvStats } from "./clv_stats.ts";
import {
  compareFamily,
  type CompareOptions,
  type ComparisonTest,
  resolveCompareOptions,
} from "./comparisons.ts";
import { assertComparison, compare, type Comparison } from "./condition.ts";
import type { Adjustment } from "./multiple_testing.ts";
import type { Alternative } from "./proportion_ztest.ts";
import { assertFactorName, assertSignals, factorValue, type Signal } from "./signal.ts";

/** Options of {@link thresholdSweep}. */
export interface ThresholdSweepOptions extends CompareOptions {
  /** How a signal meets a threshold: `value <op> threshold`; default ">=". */
  op?: Comparison;
}

/** One threshold of a {@link ThresholdSweep}. */
export interface ThresholdRow {
  /** The threshold. */
  threshold: number;
  /** Signals meeting it (`value <op> threshold`). */
  meets: ClvStats;
  /** The other signals. */
  misses: ClvStats;
  /** z-test of meets against misses; null when a side is empty. */
  test: ComparisonTest | null;
}

/** The result of {@link thresholdSweep}. */
export interface ThresholdSweep {
  /** The factor. */
  factor: string;
  /** The comparison used. */
  op: Comparison;
  /** One row per threshold, in the order given. */
  rows: ThresholdRow[];
  /** Alternative of the z-tests (meets vs misses). */
  alternative: Alternative;
  /** Adjustment over the tests run. */
  adjustment: Adjustment;
  /** Number of thresholds tried (the length of the list). */
  thresholdsTried: number;
  /** Number of z-tests run (thresholds with both sides non-empty): the family size. */
  testsTried: number;
}

/**
 * Split the signals at each threshold (`factors[factor] <op> threshold` meets,
 * else misses) and test the rate of positive CLV of the meeting signals
 * against the others with the pooled two-proportion z-test. The p-values of
 * all thresholds are adjusted together (Holm by default), because choosing the
 * best of several thresholds is itself a search: report `thresholdsTried` and
 * the adjusted p-values with any threshold picked from a sweep. Thresholds
 * here are fixed over the whole sample (in-sample); see `trailingThresholds`
 * for thresholds computed without look-ahead.
 *
 * @throws RangeError for a missing or NaN factor, a non-finite threshold or bad options.
 *
 * @example
 * ```ts
 * const s = (skew: number, clv: number) =>
 *   ({ ts: 0, market: "M", side: "yes" as const, clv, factors: { skew } });
 * const sweep = thresholdSweep([s(0.1, -1), s(0.5, 2), s(0.9, 3)], "skew", [0.4, 0.8]);
 * sweep.rows[0].meets.n; // 2
 * sweep.testsTried; // 2
 * ```
 */
export function thresholdSweep(
  signals: readonly Signal[],
  factor: string,
  thresholds: readonly number[],
  options: ThresholdSweepOptions = {},
): ThresholdSweep {
  const action = "sweep thresholds";
  const opts = resolveCompareOptions(action, options);
  const op = options.op ?? ">=";
  assertComparison(action, op);
  assertFactorName(action, factor);
  if (!Array.isArray(thresholds)) {
    throw new TypeError(
      `Cannot ${action}: thresholds must be an array, current value is ${thresholds}`,
    );
  }
  thresholds.forEach((t, i) => {
    if (typeof t !== "number" || !Number.isFinite(t)) {
      throw new RangeError(
        `Cannot ${action}: thresholds[${i}] must be a finite number, current value is ${String(t)}`,
      );
    }
  });
  assertSignals(action, signals, false);
  const values = signals.map((s, i) => factorValue(action, s, factor, i));
  const rows: ThresholdRow[] = [];
  for (const t of thresholds) {
    const meets: Signal[] = [];
    const misses: Signal[] = [];
    for (let i = 0; i < signals.length; i++) {
      (compare(values[i], op, t) ? meets : misses).push(signals[i]);
    }
    rows.push({
      threshold: t,
      meets: clvStats(meets, opts.alpha),
      misses: clvStats(misses, opts.alpha),
      test: null,
    });
  }
  const family = compareFamily(
    rows.map((r) => ({
      group: `${factor} ${op} ${r.threshold}`,
      against: "misses",
      groupCounts: r.meets,
      againstCounts: r.misses,
    })),
    opts,
  );
  rows.forEach((r, k) => r.test = family.tests[k]);
  return {
    factor,
    op,
    rows,
    alternative: opts.alternative,
    adjustment: opts.adjustment,
    thresholdsTried: thresholds.length,
    testsTried: family.testsTried,
  };
}
