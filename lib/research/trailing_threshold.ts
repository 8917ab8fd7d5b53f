/**
 * Trailing-percentile thresholds computed without look-ahead: for each signal,
 * the q-quantile of a factor over the signals of the trailing window strictly
 * before it, and the split of the signals by that moving threshold.
 *
 * @module
 */

import { type ClvStats, clvStats } from "./clv_stats.ts";
import { type CompareOptions, resolveCompareOptions } from "./comparisons.ts";
import { assertComparison, compare, type Comparison } from "./condition.ts";
import { type GroupTable, groupTable } from "./group_table.ts";
import { assertQuantileLevel, quantileSorted } from "./quantile.ts";
import { assertFactorName, assertSignals, factorValue, type Signal } from "./signal.ts";

/** Options of {@link TrailingQuantile}. */
export interface TrailingQuantileOptions {
  /**
   * Window length in milliseconds (a positive integer), or Infinity for an
   * expanding window over all earlier observations. 30 days = 2,592,000,000.
   */
  windowMs: number;
  /** The quantile level in [0, 1]; 0.75 gives the threshold of the top 25%. */
  quantile: number;
  /** Observations the window must hold for a threshold (an integer >= 1). */
  minObs: number;
}

/** The threshold of {@link TrailingQuantile.at}. */
export interface TrailingValue {
  /** The quantile of the window, or undefined while warming up. */
  threshold: number | undefined;
  /** Number of observations in the window. */
  priorCount: number;
}

/**
 * Check {@link TrailingQuantileOptions}.
 *
 * @example
 * ```ts
 * assertTrailingOptions("gate signals", { windowMs: 86_400_000, quantile: 0.75, minObs: 20 });
 * ```
 */
export function assertTrailingOptions(action: string, o: TrailingQuantileOptions): void {
  if (o === null || typeof o !== "object") {
    throw new TypeError(`Cannot ${action}: options must be an object, current value is ${o}`);
  }
  if (!(o.windowMs === Infinity || (Number.isSafeInteger(o.windowMs) && o.windowMs > 0))) {
    throw new RangeError(
      `Cannot ${action}: windowMs must be a positive integer or Infinity, current value is ${
        String(o.windowMs)
      }`,
    );
  }
  assertQuantileLevel(action, o.quantile);
  if (!Number.isSafeInteger(o.minObs) || o.minObs < 1) {
    throw new RangeError(
      `Cannot ${action}: minObs must be an integer >= 1, current value is ${String(o.minObs)}`,
    );
  }
}

/**
 * A moving quantile over a trailing time window, fed in time order. The
 * threshold at time t uses exactly the observations with
 * t - windowMs <= ts < t: the window is closed at its start and open at t, so
 * observations made at the same millisecond as t (including t's own) are never
 * used — no look-ahead, and no dependence on the order of simultaneous
 * signals. With fewer than `minObs` observations in the window the threshold
 * is undefined (warm-up). The quantile is NumPy's default linear
 * interpolation; on distinct timestamps it equals pandas
 * `series.rolling(f"{windowMs}ms", closed="left", min_periods=minObs).quantile(q)`.
 *
 * Times passed to {@link at} and {@link add} must never decrease.
 *
 * @example
 * ```ts
 * const q = new TrailingQuantile({ windowMs: 1000, quantile: 0.5, minObs: 2 });
 * q.add(0, 1);
 * q.at(0); // { threshold: undefined, priorCount: 0 } (same millisecond: not prior)
 * q.add(100, 3);
 * q.at(200); // { threshold: 2, priorCount: 2 }
 * q.at(1050); // { threshold: undefined, priorCount: 1 } (ts 0 left the window)
 * ```
 */
export class TrailingQuantile {
  readonly #opts: TrailingQuantileOptions;
  #ts: number[] = [];
  #values: number[] = [];
  /** Entries before #head have left the window. */
  #head = 0;
  /** Entries in [#head, #merged) are in #sorted. */
  #merged = 0;
  #sorted: number[] = [];
  #now = -Infinity;

  /** @param options Window, quantile and warm-up size (checked). */
  constructor(options: TrailingQuantileOptions) {
    assertTrailingOptions("create trailing quantile", options);
    this.#opts = { ...options };
  }

  #advance(action: string, ts: number): void {
    if (!Number.isSafeInteger(ts)) {
      throw new RangeError(
        `Cannot ${action}: ts must be an integer of milliseconds, current value is ${String(ts)}`,
      );
    }
    if (ts < this.#now) {
      throw new RangeError(
        `Cannot ${action}: times must not decrease, ts is before the last time ${this.#now}, ` +
          `current value is ${ts}`,
      );
    }
    this.#now = ts;
  }

  /**
   * Record an observation at time ts (ts must not be before any earlier call).
   *
   * @example
   * ```ts
   * const q = new TrailingQuantile({ windowMs: Infinity, quantile: 1, minObs: 1 });
   * q.add(5, 0.3);
   * q.at(6).threshold; // 0.3
   * ```
   */
  add(ts: number, value: number): void {
    const action = "add to trailing quantile";
    if (typeof value !== "number" || !Number.isFinite(value)) {
      throw new RangeError(`Cannot ${action}: value must be finite, current value is ${value}`);
    }
    this.#advance(action, ts);
    this.#ts.push(ts);
    this.#values.push(value);
  }

  /**
   * The threshold at time t from the observations with t - windowMs <= ts < t.
   *
   * @example
   * ```ts
   * const q = new TrailingQuantile({ windowMs: 10, quantile: 0, minObs: 1 });
   * q.add(0, 4);
   * q.at(10); // { threshold: 4, priorCount: 1 } (the window [0, 10) holds ts 0)
   * q.at(11); // { threshold: undefined, priorCount: 0 }
   * ```
   */
  at(ts: number): TrailingValue {
    this.#advance("read trailing quantile", ts);
    while (this.#merged < this.#ts.length && this.#ts[this.#merged] < ts) {
      insertSorted(this.#sorted, this.#values[this.#merged]);
      this.#merged++;
    }
    const start = ts - this.#opts.windowMs;
    while (this.#head < this.#merged && this.#ts[this.#head] < start) {
      removeSorted(this.#sorted, this.#values[this.#head]);
      this.#head++;
    }
    if (this.#head > 4096 && this.#head * 2 > this.#ts.length) {
      this.#ts = this.#ts.slice(this.#head);
      this.#values = this.#values.slice(this.#head);
      this.#merged -= this.#head;
      this.#head = 0;
    }
    const priorCount = this.#sorted.length;
    const threshold = priorCount < this.#opts.minObs
      ? undefined
      : quantileSorted(this.#sorted, this.#opts.quantile);
    return { threshold, priorCount };
  }
}

/** Index of the first element > x (upper bound) in an ascending array. */
function upperBound(a: readonly number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (a[mid] <= x) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function insertSorted(a: number[], x: number): void {
  a.splice(upperBound(a, x), 0, x);
}

function removeSorted(a: number[], x: number): void {
  // The last element <= x is x itself (x is present).
  a.splice(upperBound(a, x) - 1, 1);
}

/** Where a signal falls against its trailing threshold. */
export type TrailingStatus = "meets" | "misses" | "warm-up";

/** One signal's trailing threshold (see {@link trailingThresholds}). */
export interface TrailingThreshold {
  /** The signal's factor value. */
  value: number;
  /** The threshold from earlier signals, undefined during warm-up. */
  threshold: number | undefined;
  /** Number of earlier signals in the window. */
  priorCount: number;
  /** "meets" when `value <op> threshold`, "misses" otherwise, "warm-up" without a threshold. */
  status: TrailingStatus;
}

/** Options of {@link trailingThresholds}. */
export interface TrailingThresholdOptions extends TrailingQuantileOptions {
  /** How a value meets its threshold; default ">=" (top: ties with the threshold meet it). */
  op?: Comparison;
}

/**
 * For each signal, in time order, the q-quantile of the factor over the
 * earlier signals of the trailing window ({@link TrailingQuantile}: window
 * [ts - windowMs, ts), signals at the same millisecond excluded), and whether
 * the signal's own value meets it (`value >= threshold` by default, so a value
 * equal to the threshold counts as in the top). With fewer than `minObs`
 * earlier signals in the window the signal is "warm-up": no threshold, neither
 * meeting nor missing. Nothing later than a signal affects its result.
 *
 * "Top 25% over the trailing 30 days, after 50 observations":
 * `{ windowMs: 30 * 86_400_000, quantile: 0.75, minObs: 50 }`; bottom 25%:
 * `{ quantile: 0.25, op: "<=" }`.
 *
 * @param signals Signals in time order (ts never decreasing), each with a finite factor.
 * @throws RangeError for unsorted signals, a missing or NaN factor, bad options.
 *
 * @example
 * ```ts
 * const s = (ts: number, skew: number) =>
 *   ({ ts, market: "M", side: "yes" as const, clv: 1, factors: { skew } });
 * trailingThresholds([s(0, 0.2), s(1, 0.4), s(2, 0.9)], "skew",
 *   { windowMs: Infinity, quantile: 0.5, minObs: 2 }).map((t) => t.status);
 * // ["warm-up", "warm-up", "meets"] (threshold 0.30000000000000004 at ts 2)
 * ```
 */
export function trailingThresholds(
  signals: readonly Signal[],
  factor: string,
  options: TrailingThresholdOptions,
): TrailingThreshold[] {
  const action = "compute trailing thresholds";
  assertFactorName(action, factor);
  assertTrailingOptions(action, options);
  const op = options.op ?? ">=";
  assertComparison(action, op);
  assertSignals(action, signals, true);
  const q = new TrailingQuantile(options);
  const out: TrailingThreshold[] = [];
  for (let i = 0; i < signals.length; i++) {
    const s = signals[i];
    const value = factorValue(action, s, factor, i);
    const { threshold, priorCount } = q.at(s.ts);
    const status: TrailingStatus = threshold === undefined
      ? "warm-up"
      : compare(value, op, threshold)
      ? "meets"
      : "misses";
    out.push({ value, threshold, priorCount, status });
    q.add(s.ts, value);
  }
  return out;
}

/** The result of {@link trailingSplit}. */
export interface TrailingSplit {
  /** The factor. */
  factor: string;
  /** Per signal, its trailing threshold and status (same order as the signals). */
  thresholds: TrailingThreshold[];
  /** The table of "meets" tested against "misses" (baseline); warm-up is not in it. */
  table: GroupTable;
  /** CLV statistics of the warm-up signals, reported apart and never tested. */
  warmUp: ClvStats;
}

/**
 * Split signals by their trailing threshold ({@link trailingThresholds}) and
 * test the rate of positive CLV of the signals meeting it against those
 * missing it (the baseline), with a pooled two-proportion z-test. Warm-up
 * signals are excluded from the test and reported apart. One split is one
 * test (`table.testsTried` is 1, or 0 when a side is empty); when several
 * quantiles or windows are tried, collect their raw p-values and adjust them
 * together with `adjustPValues`.
 *
 * @example
 * ```ts
 * const s = (ts: number, skew: number, clv: number) =>
 *   ({ ts, market: "M", side: "yes" as const, clv, factors: { skew } });
 * const split = trailingSplit(
 *   [s(0, 0.2, -1), s(1, 0.4, 1), s(2, 0.9, 2), s(3, 0.1, -2)],
 *   "skew",
 *   { windowMs: Infinity, quantile: 0.5, minObs: 2 },
 * );
 * split.table.rows.map((r) => [r.label, r.n]); // [["meets", 1], ["misses", 1]]
 * split.warmUp.n; // 2
 * ```
 */
export function trailingSplit(
  signals: readonly Signal[],
  factor: string,
  options: TrailingThresholdOptions & CompareOptions,
): TrailingSplit {
  const opts = resolveCompareOptions("split by trailing threshold", options);
  const thresholds = trailingThresholds(signals, factor, options);
  const meets: Signal[] = [];
  const misses: Signal[] = [];
  const warm: Signal[] = [];
  thresholds.forEach((t, i) => {
    (t.status === "meets" ? meets : t.status === "misses" ? misses : warm).push(signals[i]);
  });
  const table = groupTable(
    [{ label: "meets", signals: meets }, { label: "misses", signals: misses }],
    { ...opts, baseline: "misses" },
  );
  return { factor, thresholds, table, warmUp: clvStats(warm, opts.alpha) };
}

/**
 * The per-signal condition "meets its trailing threshold" as a mask for
 * `stackFactors`: true (meets), false (misses) or undefined (warm-up, left out).
 *
 * @example
 * ```ts
 * trailingMask([
 *   { value: 1, threshold: undefined, priorCount: 0, status: "warm-up" },
 *   { value: 2, threshold: 1, priorCount: 1, status: "meets" },
 * ]); // [undefined, true]
 * ```
 */
export function trailingMask(thresholds: readonly TrailingThreshold[]): (boolean | undefined)[] {
  return thresholds.map((t) => t.status === "warm-up" ? undefined : t.status === "meets");
}
