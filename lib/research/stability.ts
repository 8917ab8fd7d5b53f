/**
 * Stability of a factor's effect: the bucket table over trailing 7, 14 and
 * 30-day windows (or any others) ending at the same time, compared with the
 * whole sample, flagging an effect that collapses or flips in the short
 * windows.
 *
 * @module
 */

import { type BucketAnalysis, bucketAnalysis, type BucketSpec, resolveCuts } from "./buckets.ts";
import { type CompareOptions, resolveCompareOptions } from "./comparisons.ts";
import { assertFactorName, assertSignals, factorValue, type Signal } from "./signal.ts";

/** Milliseconds in a day. */
export const MS_PER_DAY = 86_400_000;

/** Options of {@link stability}. */
export interface StabilityOptions extends CompareOptions {
  /** Trailing window lengths in whole days; default [7, 14, 30]. */
  windowsDays?: readonly number[];
  /** End of every window (inclusive), ms UTC; default the latest signal's ts. */
  end?: number;
  /** Index of the bucket whose effect is followed; default the last (highest values). */
  effectBucket?: number;
  /** Index of the baseline bucket; omitted: the effect bucket against all others. */
  baseline?: number;
  /**
   * A window's effect has collapsed when its size falls below this fraction
   * of the whole-sample effect (same sign); default 0.5. In [0, 1].
   */
  collapseFraction?: number;
  /** Signals the effect bucket and its comparison each need in a window; default 1. */
  minCount?: number;
}

/**
 * How a window's effect compares with the whole sample's: "holds" (same sign,
 * at least `collapseFraction` of the size), "collapsed" (same sign or zero,
 * smaller), "flipped" (opposite sign), "insufficient" (too few signals in the
 * window for an effect) or "no-reference" (the whole sample has no effect to
 * compare with: zero, or too few signals).
 */
export type WindowStatus = "holds" | "collapsed" | "flipped" | "insufficient" | "no-reference";

/** One window of a {@link StabilityReport}. */
export interface StabilityWindow {
  /** Window length in days; null for the whole sample. */
  days: number | null;
  /** First ms excluded before the window: signals have start < ts <= end (-Infinity: all). */
  start: number;
  /** Last ms in the window (inclusive). */
  end: number;
  /** The bucket table of the window's signals, with the shared cuts. */
  analysis: BucketAnalysis;
  /** Rate of positive CLV of the effect bucket minus that of its comparison; NaN if empty. */
  effect: number;
  /** The effect's status against the whole sample (the whole sample's own status is "holds"). */
  status: WindowStatus;
}

/** The result of {@link stability}. */
export interface StabilityReport {
  /** The factor. */
  factor: string;
  /** The cuts every window uses (quantile cuts come from the whole sample up to `end`). */
  cuts: number[];
  /** Label of the effect bucket. */
  effectBucket: string;
  /** Label of the baseline bucket, or "rest". */
  against: string;
  /** The whole sample: all signals with ts <= end. */
  reference: StabilityWindow;
  /** The trailing windows, in the order given. */
  windows: StabilityWindow[];
  /** The collapse fraction used. */
  collapseFraction: number;
  /** True when any window's effect "collapsed" or "flipped": the factor is unstable. */
  collapsed: boolean;
}

function checkIndex(action: string, name: string, v: number | undefined, nb: number): void {
  if (v !== undefined && (!Number.isSafeInteger(v) || v < 0 || v >= nb)) {
    throw new RangeError(
      `Cannot ${action}: ${name} must be a bucket index in [0, ${nb - 1}], current value is ${
        String(v)
      }`,
    );
  }
}

/**
 * The bucket table of one factor over the whole sample (signals with
 * ts <= end) and over each trailing window of `windowsDays` days ending at
 * `end` (signals with end - days * 86,400,000 < ts <= end), all with the same
 * cuts: fixed cuts as given, quantile cuts computed once on the whole sample,
 * so a bucket means the same factor range in every window.
 *
 * The effect followed is the rate of positive CLV of `effectBucket` (default
 * the highest bucket) minus that of the baseline bucket (or of all other
 * buckets). A window whose effect has the opposite sign to the whole sample's
 * is "flipped"; one whose effect is smaller than `collapseFraction` (default
 * 0.5) of the whole sample's, or zero, is "collapsed"; `collapsed` flags the
 * factor when any window is either. A window with fewer than `minCount`
 * signals in the effect bucket or in its comparison is "insufficient" and
 * never flags. Each window's table carries its own z-tests and adjusted
 * p-values; short windows have wide Wilson intervals, so read the flag with
 * the counts.
 *
 * @param signals The signals, any order, each with a finite factor (at least one).
 * @throws RangeError for no signals, bad windows, indices, fraction or signals.
 *
 * @example
 * ```ts
 * const day = 86_400_000;
 * const s = (d: number, skew: number, clv: number) =>
 *   ({ ts: d * day, market: "M", side: "yes" as const, clv, factors: { skew } });
 * const r = stability(
 *   [s(1, 0.9, 3), s(2, 0.1, -1), s(25, 0.8, 2), s(26, 0.2, -2), s(29, 0.9, -1), s(30, 0.1, 1)],
 *   "skew",
 *   { cuts: [0.5] },
 *   { windowsDays: [7, 30] },
 * );
 * r.reference.effect; // 2/3 - 1/3: the high bucket beats the rest over 30 days
 * r.windows[0].status; // "collapsed" (last 7 days: high 1/2, low 1/2, effect 0)
 * r.collapsed; // true
 * ```
 */
export function stability(
  signals: readonly Signal[],
  factor: string,
  spec: BucketSpec,
  options: StabilityOptions = {},
): StabilityReport {
  const action = "check stability";
  const opts = resolveCompareOptions(action, options);
  assertFactorName(action, factor);
  assertSignals(action, signals, false);
  if (signals.length === 0) {
    throw new RangeError(`Cannot ${action}: need at least one signal, current value is 0 signals`);
  }
  const windowsDays = options.windowsDays ?? [7, 14, 30];
  if (!Array.isArray(windowsDays)) {
    throw new TypeError(
      `Cannot ${action}: windowsDays must be an array, current value is ${windowsDays}`,
    );
  }
  windowsDays.forEach((d, i) => {
    if (!Number.isSafeInteger(d) || d < 1 || !Number.isSafeInteger(d * MS_PER_DAY)) {
      throw new RangeError(
        `Cannot ${action}: windowsDays[${i}] must be a whole number of days >= 1, ` +
          `current value is ${String(d)}`,
      );
    }
  });
  const collapseFraction = options.collapseFraction ?? 0.5;
  if (typeof collapseFraction !== "number" || !(collapseFraction >= 0 && collapseFraction <= 1)) {
    throw new RangeError(
      `Cannot ${action}: collapseFraction must be in [0, 1], current value is ${collapseFraction}`,
    );
  }
  const minCount = options.minCount ?? 1;
  if (!Number.isSafeInteger(minCount) || minCount < 1) {
    throw new RangeError(
      `Cannot ${action}: minCount must be an integer >= 1, current value is ${String(minCount)}`,
    );
  }
  let end = options.end;
  if (end === undefined) {
    end = -Infinity;
    for (const s of signals) end = Math.max(end, s.ts);
  } else if (!Number.isSafeInteger(end)) {
    throw new RangeError(
      `Cannot ${action}: end must be an integer of milliseconds, current value is ${String(end)}`,
    );
  }
  const endTs = end;
  const values: number[] = [];
  const whole: Signal[] = [];
  signals.forEach((s, i) => {
    const v = factorValue(action, s, factor, i);
    if (s.ts <= endTs) {
      whole.push(s);
      values.push(v);
    }
  });
  if (whole.length === 0) {
    throw new RangeError(
      `Cannot ${action}: no signal at or before end, current value is end = ${endTs}`,
    );
  }
  const cuts = resolveCuts(values, spec);
  const nb = cuts.length + 1;
  const effectIndex = options.effectBucket ?? nb - 1;
  checkIndex(action, "effectBucket", effectIndex, nb);
  checkIndex(action, "baseline", options.baseline, nb);
  if (options.baseline === effectIndex) {
    throw new RangeError(
      `Cannot ${action}: baseline must differ from effectBucket, current value is ${effectIndex}`,
    );
  }
  const analyze = (days: number | null, start: number, subset: readonly Signal[]) => {
    const analysis = bucketAnalysis(subset, factor, { cuts }, {
      ...opts,
      baseline: options.baseline,
    });
    const row = analysis.rows[effectIndex];
    const againstN = options.baseline === undefined
      ? subset.length - row.n
      : analysis.rows[options.baseline].n;
    const enough = row.n >= minCount && againstN >= minCount;
    const effect = row.test === null ? NaN : row.test.diff;
    return { days, start, end: endTs, analysis, effect, enough };
  };
  const ref = analyze(null, -Infinity, whole);
  const refOk = ref.enough && ref.effect !== 0 && !Number.isNaN(ref.effect);
  const windows: StabilityWindow[] = windowsDays.map((days) => {
    const start = endTs - days * MS_PER_DAY;
    const w = analyze(days, start, whole.filter((s) => s.ts > start));
    let status: WindowStatus;
    if (!refOk) status = "no-reference";
    else if (!w.enough || Number.isNaN(w.effect)) status = "insufficient";
    else if (w.effect * ref.effect < 0) status = "flipped";
    else if (Math.abs(w.effect) < collapseFraction * Math.abs(ref.effect) || w.effect === 0) {
      status = "collapsed";
    } else status = "holds";
    return {
      days: w.days,
      start: w.start,
      end: w.end,
      analysis: w.analysis,
      effect: w.effect,
      status,
    };
  });
  return {
    factor,
    cuts,
    effectBucket: ref.analysis.rows[effectIndex].label,
    against: ref.analysis.against,
    reference: {
      days: null,
      start: -Infinity,
      end: endTs,
      analysis: ref.analysis,
      effect: ref.effect,
      status: refOk ? "holds" : "no-reference",
    },
    windows,
    collapseFraction,
    collapsed: windows.some((w) => w.status === "collapsed" || w.status === "flipped"),
  };
}
