/**
 * Bucket analysis of one factor: signals grouped by the factor's value with
 * fixed cut-offs or sample-quantile cut-offs, and the bucket table of each
 * group's rate of positive CLV, tested against a baseline bucket or the rest.
 *
 * @module
 */

import type { CompareOptions } from "./comparisons.ts";
import { type GroupRow, groupTable } from "./group_table.ts";
import type { Adjustment } from "./multiple_testing.ts";
import type { Alternative } from "./proportion_ztest.ts";
import { quantileSorted } from "./quantile.ts";
import { assertFactorName, assertSignals, factorValue, type Signal } from "./signal.ts";

/**
 * How buckets are cut: `{ cuts }` are fixed, strictly increasing, finite
 * cut-offs (k cuts make k + 1 buckets); `{ quantiles: k }` cuts at the sample
 * quantiles j / k (j = 1 .. k - 1) of the factor's values, making up to k
 * buckets of about equal counts (in-sample: see {@link quantileCuts}).
 */
export type BucketSpec = { cuts: readonly number[] } | { quantiles: number };

/** Options of {@link bucketAnalysis}. */
export interface BucketAnalysisOptions extends CompareOptions {
  /**
   * Index of the baseline bucket (0 = lowest values) every other bucket is
   * tested against. Omitted: each bucket is tested against all the others.
   */
  baseline?: number;
}

/** One bucket's row: the factor range [lo, hi) and the group statistics. */
export interface BucketRow extends GroupRow {
  /** Lower edge, inclusive (-Infinity for the first bucket). */
  lo: number;
  /** Upper edge, exclusive (Infinity for the last bucket). */
  hi: number;
}

/** The result of {@link bucketAnalysis}. */
export interface BucketAnalysis {
  /** The factor analysed. */
  factor: string;
  /** The inner cut-offs used (after quantile cuts are computed and de-duplicated). */
  cuts: number[];
  /** One row per bucket, from the lowest factor values up. */
  rows: BucketRow[];
  /** The baseline bucket's label, or "rest". */
  against: string;
  /** Alternative of the z-tests. */
  alternative: Alternative;
  /** Adjustment applied over the family of tests. */
  adjustment: Adjustment;
  /** Number of buckets in the table. */
  bucketsTried: number;
  /** Number of z-tests run: the family size of the adjustment. */
  testsTried: number;
}

function formatEdge(x: number): string {
  return x === -Infinity ? "-inf" : x === Infinity ? "inf" : String(x);
}

/**
 * The label of the bucket [lo, hi): `[0.25, 0.5)`, `[-inf, 0.25)`, `[0.5, inf)`.
 *
 * @example
 * ```ts
 * bucketLabel(-Infinity, 0.25); // "[-inf, 0.25)"
 * ```
 */
export function bucketLabel(lo: number, hi: number): string {
  return `[${formatEdge(lo)}, ${formatEdge(hi)})`;
}

/**
 * Check fixed cut-offs: finite and strictly increasing (an empty list is one
 * bucket holding everything).
 *
 * @example
 * ```ts
 * assertCuts("analyze buckets", [0.25, 0.5, 0.75]); // passes
 * ```
 */
export function assertCuts(action: string, cuts: readonly number[]): void {
  if (!Array.isArray(cuts)) {
    throw new TypeError(`Cannot ${action}: cuts must be an array, current value is ${cuts}`);
  }
  for (let i = 0; i < cuts.length; i++) {
    const c = cuts[i];
    if (typeof c !== "number" || !Number.isFinite(c)) {
      throw new RangeError(
        `Cannot ${action}: cuts[${i}] must be a finite number, current value is ${String(c)}`,
      );
    }
    if (i > 0 && !(c > cuts[i - 1])) {
      throw new RangeError(
        `Cannot ${action}: cuts must be strictly increasing, cuts[${i}] is not above cuts[${
          i - 1
        }], current value is ${c} <= ${cuts[i - 1]}`,
      );
    }
  }
}

/**
 * Cut-offs at the sample quantiles j / k (j = 1 .. k - 1, linear
 * interpolation as NumPy's default) of the values. Repeated cuts (ties in the
 * values) are merged and a cut equal to the smallest value is dropped (its
 * bucket [-inf, min) would be empty by construction), so fewer than k buckets
 * may result. These cuts use every value, later ones included: they describe a
 * sample, and are not a rule a trader could have applied at the time (use
 * `trailingThresholds` for that).
 *
 * @param values The factor values, finite, at least one.
 * @param k Number of buckets wanted, an integer >= 1.
 * @throws RangeError for no values, a non-finite value or a bad k.
 *
 * @example
 * ```ts
 * quantileCuts([1, 2, 3, 4, 5], 4); // [2, 3, 4]
 * quantileCuts([1, 1, 1, 2], 2); // [] (the median equals the minimum)
 * ```
 */
export function quantileCuts(values: ArrayLike<number>, k: number): number[] {
  const action = "compute quantile cuts";
  if (!Number.isSafeInteger(k) || k < 1) {
    throw new RangeError(
      `Cannot ${action}: quantiles must be an integer >= 1, current value is ${String(k)}`,
    );
  }
  if (values.length === 0) {
    throw new RangeError(`Cannot ${action}: need at least one value, current value is 0 values`);
  }
  const sorted = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new RangeError(
        `Cannot ${action}: values[${i}] must be a finite number, current value is ${String(v)}`,
      );
    }
    sorted[i] = v;
  }
  sorted.sort();
  const cuts: number[] = [];
  for (let j = 1; j < k; j++) {
    const c = quantileSorted(sorted, j / k);
    if (c > sorted[0] && (cuts.length === 0 || c > cuts[cuts.length - 1])) cuts.push(c);
  }
  return cuts;
}

/**
 * The bucket index of a value among sorted cuts: the number of cuts <= value,
 * so bucket j is [cuts[j - 1], cuts[j]) (closed below, open above), bucket 0
 * is (-inf, cuts[0]) and the last is [cuts[k - 1], inf).
 *
 * @example
 * ```ts
 * bucketIndex(0.5, [0.25, 0.5, 0.75]); // 2 (0.5 opens the bucket [0.5, 0.75))
 * bucketIndex(-3, [0.25, 0.5, 0.75]); // 0
 * ```
 */
export function bucketIndex(value: number, cuts: readonly number[]): number {
  let lo = 0;
  let hi = cuts.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (cuts[mid] <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Resolve a {@link BucketSpec} to inner cut-offs for the given values.
 *
 * @example
 * ```ts
 * resolveCuts([1, 2, 3, 4, 5], { quantiles: 2 }); // [3]
 * resolveCuts([], { cuts: [0.5] }); // [0.5]
 * ```
 */
export function resolveCuts(values: ArrayLike<number>, spec: BucketSpec): number[] {
  const action = "resolve bucket cuts";
  if (spec !== null && typeof spec === "object" && "cuts" in spec) {
    assertCuts(action, spec.cuts);
    return [...spec.cuts];
  }
  if (spec !== null && typeof spec === "object" && "quantiles" in spec) {
    return quantileCuts(values, spec.quantiles);
  }
  throw new TypeError(
    `Cannot ${action}: spec must be { cuts } or { quantiles }, current value is ${
      JSON.stringify(spec)
    }`,
  );
}

/**
 * Group signals into buckets of one factor and run the bucket table: for each
 * bucket [lo, hi) its n, positives, rate of positive CLV with the Wilson
 * interval (95% by default), mean and median CLV, and the pooled
 * two-proportion z-test of its rate against the baseline bucket
 * (`options.baseline`, an index) or against all other buckets, with the
 * number of tests run and Holm (default) or Benjamini-Hochberg adjusted
 * p-values. Every bucket is reported, empty ones included (untested).
 *
 * @param signals The signals, in any order; each must have a finite `factor`.
 * @param factor The factor to bucket by.
 * @param spec Fixed cuts or a number of quantile buckets.
 * @param options Baseline bucket, alternative, adjustment, Wilson alpha.
 * @throws RangeError for a missing or NaN factor value, bad cuts or options.
 *
 * @example
 * ```ts
 * const s = (skew: number, clv: number) =>
 *   ({ ts: 0, market: "M", side: "yes" as const, clv, factors: { skew } });
 * const a = bucketAnalysis(
 *   [s(0.1, -3), s(0.2, 4), s(0.6, 5), s(0.8, 2), s(0.9, -1)],
 *   "skew",
 *   { cuts: [0.5] },
 *   { baseline: 0 },
 * );
 * a.rows.map((r) => [r.label, r.n, r.positives]); // [["[-inf, 0.5)", 2, 1], ["[0.5, inf)", 3, 2]]
 * a.testsTried; // 1
 * ```
 */
export function bucketAnalysis(
  signals: readonly Signal[],
  factor: string,
  spec: BucketSpec,
  options: BucketAnalysisOptions = {},
): BucketAnalysis {
  const action = "analyze buckets";
  assertFactorName(action, factor);
  assertSignals(action, signals, false);
  const values = signals.map((s, i) => factorValue(action, s, factor, i));
  if (spec !== null && typeof spec === "object" && "quantiles" in spec && signals.length === 0) {
    throw new RangeError(
      `Cannot ${action}: quantile buckets need at least one signal, current value is 0 signals`,
    );
  }
  const cuts = resolveCuts(values, spec);
  const nb = cuts.length + 1;
  const baseline = options.baseline;
  if (
    baseline !== undefined && (!Number.isSafeInteger(baseline) || baseline < 0 || baseline >= nb)
  ) {
    throw new RangeError(
      `Cannot ${action}: baseline must be a bucket index in [0, ${nb - 1}], current value is ${
        String(baseline)
      }`,
    );
  }
  const members: Signal[][] = Array.from({ length: nb }, () => []);
  for (let i = 0; i < signals.length; i++) members[bucketIndex(values[i], cuts)].push(signals[i]);
  const edges = [-Infinity, ...cuts, Infinity];
  const labels = members.map((_, j) => bucketLabel(edges[j], edges[j + 1]));
  const table = groupTable(
    members.map((m, j) => ({ label: labels[j], signals: m })),
    { ...options, baseline: baseline === undefined ? undefined : labels[baseline] },
  );
  return {
    factor,
    cuts,
    rows: table.rows.map((r, j) => ({ ...r, lo: edges[j], hi: edges[j + 1] })),
    against: table.against,
    alternative: table.alternative,
    adjustment: table.adjustment,
    bucketsTried: nb,
    testsTried: table.testsTried,
  };
}
