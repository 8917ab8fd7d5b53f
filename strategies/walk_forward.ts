/**
 * Walk-forward calibration and scoring of a family model on its history: the
 * one loop the calibration task (`deno task calibrate`) and the real-data tests
 * share, so "in sample" and "out of sample" mean the same thing everywhere.
 *
 * A {@link ForecastTask} says, for one family: the history (time-ordered, `ts` =
 * publication time), how to fit parameters on what was published before a
 * cutoff, when the decision for a target is taken, and how to turn parameters
 * and what is known then into a PMF over a realistic ladder.
 *
 * Method of {@link calibrateWalkForward} (stated in `deno task calibrate --help`):
 * - Window: the observations published before `untilTs` (all of them by
 *   default); with a rolling `fitWindow`, only the latest `fitWindow` of them.
 *   The window is [ts of its first observation, ts of its last + 1 ms).
 * - Parameters: fitted once on the whole window (cutoff = `untilTs`).
 * - In-sample log loss: those parameters, held fixed, forecast every target in
 *   the window (targets with fewer than `minKnown` observations known at the
 *   decision time are skipped); mean log loss of the bin each target fell in.
 * - Out-of-sample log loss: walk-forward over the targets published in the last
 *   `oosFraction` (default 20%) of the window's time span. At each target the
 *   decision time is before its publication; parameters are re-fitted (every
 *   `refitEvery` targets, on the first one always) with the cutoff at the
 *   decision time, so no target is forecast by parameters that saw it.
 * - Uniform: the log loss of a uniform PMF over the same ladders, ln(bins).
 * - Log loss is in nats with probabilities floored at `LOG_LOSS_FLOOR`; sums are
 *   compensated (Neumaier).
 *
 * @example
 * ```ts
 * import { calibrateWalkForward, type ForecastTask } from "./walk_forward.ts";
 * declare const task: ForecastTask<{ scale: number }, { ts: number; value: number }>;
 * const r = calibrateWalkForward(task, { oosFraction: 0.2 });
 * console.log(r.params, r.inSample.logLoss, r.oos.logLoss, r.oos.uniformLogLoss);
 * ```
 *
 * @module
 */

import { binOfValue, type Ladder } from "../lib/market/ladder.ts";
import { LOG_LOSS_FLOOR } from "../lib/scoring/binary.ts";
import { NeumaierAccumulator } from "../lib/scoring/neumaier.ts";

/** Anything with a publication time (ms since epoch, UTC). */
export interface Timed {
  readonly ts: number;
}

/** A PMF over a ladder's bins. */
export interface LadderForecast {
  readonly ladder: Ladder;
  readonly pmf: Float64Array;
}

/** One family's history and how to fit and forecast it (see the module docs). */
export interface ForecastTask<P, H extends Timed> {
  /** Family name, for messages. */
  readonly family: string;
  /** The history, in time order (non-decreasing ts). Every entry is also a target. */
  readonly history: readonly H[];
  /** The outcome of a target, in the ladder's units. */
  value(target: H): number;
  /** The decision time of a target: strictly before `target.ts`. */
  decisionTs(target: H): number;
  /** Fit on `known` (entries with ts < cutoffTs, the latest `fitWindow` of them). */
  fit(known: readonly H[], cutoffTs: number): P;
  /**
   * The PMF for `target` at decision time `now`, from `known` (entries with
   * ts <= now, in time order); undefined skips the target.
   */
  forecast(params: P, known: readonly H[], target: H, now: number): LadderForecast | undefined;
  /** Re-fit every this many out-of-sample targets (>= 1). */
  readonly refitEvery: number;
  /** Fit on at most the latest this many observations (default: all). */
  readonly fitWindow?: number;
  /** Skip targets with fewer observations known at decision time (>= 1). */
  readonly minKnown: number;
}

/** Log loss of a set of forecasts. */
export interface WalkScore {
  /** Targets scored. */
  readonly n: number;
  /** Mean log loss of the model (nats; NaN when n = 0). */
  readonly logLoss: number;
  /** Mean log loss of a uniform PMF over the same ladders (NaN when n = 0). */
  readonly uniformLogLoss: number;
  /** Fits run while scoring (0 with fixed parameters). */
  readonly refits: number;
}

/** Result of {@link calibrateWalkForward}. */
export interface WalkCalibration<P> {
  /** Parameters fitted on the whole window. */
  readonly params: P;
  /** ts of the window's first observation. */
  readonly windowFrom: number;
  /** ts of the window's last observation + 1 (exclusive end). */
  readonly windowTo: number;
  /** Observations in the window (the fit's input). */
  readonly n: number;
  readonly inSample: WalkScore;
  /** Start of the out-of-sample span (targets with ts >= oosFrom). */
  readonly oosFrom: number;
  readonly oos: WalkScore;
}

/** Options of {@link calibrateWalkForward}. */
export interface WalkOptions {
  /** Use observations with ts < untilTs only (default: all). */
  readonly untilTs?: number;
  /** Fraction of the window's time span scored out of sample (default 0.2). */
  readonly oosFraction?: number;
  /** Called with a line of progress ("fitted ...", "scoring ..."). */
  readonly progress?: (message: string) => void;
}

/** Default fraction of the window scored out of sample. */
export const DEFAULT_OOS_FRACTION = 0.2;

function fail(family: string, detail: string, value: unknown): never {
  throw new RangeError(`Cannot calibrate ${family}: ${detail}, current value is ${value}`);
}

/** Number of entries with ts < x (inclusive: ts <= x) in a time-ordered array. */
export function countBefore(xs: readonly Timed[], x: number, inclusive = false): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const t = xs[mid].ts;
    if (t < x || (inclusive && t === x)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function checkTask<P, H extends Timed>(task: ForecastTask<P, H>): void {
  const f = task.family;
  if (!Number.isInteger(task.refitEvery) || task.refitEvery < 1) {
    fail(f, "refitEvery must be an integer >= 1", task.refitEvery);
  }
  if (!Number.isInteger(task.minKnown) || task.minKnown < 1) {
    fail(f, "minKnown must be an integer >= 1", task.minKnown);
  }
  if (task.fitWindow !== undefined && (!Number.isInteger(task.fitWindow) || task.fitWindow < 1)) {
    fail(f, "fitWindow must be an integer >= 1", task.fitWindow);
  }
  const h = task.history;
  for (let i = 0; i < h.length; i++) {
    if (!Number.isSafeInteger(h[i].ts)) fail(f, `history[${i}].ts must be an integer`, h[i].ts);
    if (i > 0 && h[i].ts < h[i - 1].ts) {
      fail(f, `history must be in time order, history[${i}].ts goes back`, h[i].ts);
    }
  }
}

/**
 * Fit `task` with cutoff `cutoffTs`: on the entries with ts < cutoffTs (the latest
 * `fitWindow` of them). Nothing at or after the cutoff is passed to `task.fit`.
 *
 * @throws {RangeError} when no entry is before the cutoff, or as `task.fit`.
 */
export function fitBefore<P, H extends Timed>(
  task: ForecastTask<P, H>,
  cutoffTs: number,
): { params: P; known: readonly H[] } {
  const end = countBefore(task.history, cutoffTs);
  const start = task.fitWindow === undefined ? 0 : Math.max(0, end - task.fitWindow);
  if (end === 0) {
    fail(task.family, `no observation is published before ${new Date(cutoffTs).toISOString()}`, 0);
  }
  const known = task.history.slice(start, end);
  return { params: task.fit(known, cutoffTs), known };
}

/**
 * Score the targets with fromTs <= ts < toTs: with `params` held fixed (in
 * sample) or, without, re-fitted walk-forward (every `refitEvery` targets, cutoff
 * at the decision time).
 *
 * @throws {RangeError} when a decision time is not before its target, a
 * target's value falls in no bin, or a PMF has the wrong length.
 */
export function scoreWalkForward<P, H extends Timed>(
  task: ForecastTask<P, H>,
  fromTs: number,
  toTs: number,
  params?: P,
): WalkScore & { readonly lastParams?: P } {
  checkTask(task);
  const h = task.history;
  const model = new NeumaierAccumulator();
  const uniform = new NeumaierAccumulator();
  let current = params;
  let refits = 0;
  let k = 0;
  for (let i = countBefore(h, fromTs); i < h.length && h[i].ts < toTs; i++) {
    const target = h[i];
    const now = task.decisionTs(target);
    if (!(now < target.ts)) {
      fail(
        task.family,
        `the decision time of history[${i}] must be before its ts ${target.ts}`,
        now,
      );
    }
    const nKnown = countBefore(h, now, true);
    if (nKnown < task.minKnown) continue;
    if (params === undefined && (k % task.refitEvery === 0 || current === undefined)) {
      current = fitBefore(task, now).params;
      refits++;
    }
    k++;
    const f = task.forecast(current!, h.slice(0, nKnown), target, now);
    if (f === undefined) continue;
    if (f.pmf.length !== f.ladder.bins.length) {
      fail(task.family, `the PMF of history[${i}] must have one entry per bin`, f.pmf.length);
    }
    const v = task.value(target);
    const bin = binOfValue(f.ladder, v);
    if (bin < 0) fail(task.family, `history[${i}]'s value falls in no bin of ${f.ladder.event}`, v);
    model.add(-Math.log(Math.max(f.pmf[bin], LOG_LOSS_FLOOR)));
    uniform.add(Math.log(f.ladder.bins.length));
  }
  const n = model.count;
  return {
    n,
    logLoss: n > 0 ? model.value / n : NaN,
    uniformLogLoss: n > 0 ? uniform.value / n : NaN,
    refits,
    ...(current !== undefined ? { lastParams: current } : {}),
  };
}

/**
 * Fit on the window before `untilTs` and score in sample and out of sample (see
 * the module docs for the method).
 *
 * @throws {RangeError} when oosFraction is not in (0, 1), no observation is
 * published before untilTs, or as the task's fit and forecast.
 */
export function calibrateWalkForward<P, H extends Timed>(
  task: ForecastTask<P, H>,
  options: WalkOptions = {},
): WalkCalibration<P> {
  checkTask(task);
  const f = options.oosFraction ?? DEFAULT_OOS_FRACTION;
  if (!(f > 0 && f < 1)) fail(task.family, "oosFraction must be in (0, 1)", f);
  const h = task.history;
  const untilTs = options.untilTs ?? (h.length > 0 ? h[h.length - 1].ts + 1 : 0);
  if (Number.isNaN(untilTs)) fail(task.family, "untilTs must be a number", untilTs);
  const say = options.progress ?? (() => {});
  const { params, known } = fitBefore(task, untilTs);
  const windowFrom = known[0].ts;
  const windowTo = known[known.length - 1].ts + 1;
  say(`fitted on ${known.length} observations`);
  const inSample = scoreWalkForward(task, windowFrom, windowTo, params);
  say(`in sample: ${inSample.n} targets scored`);
  const oosFrom = windowFrom + Math.round((1 - f) * (windowTo - windowFrom));
  const oos = scoreWalkForward(task, oosFrom, windowTo);
  say(`out of sample: ${oos.n} targets scored walk-forward, ${oos.refits} fits`);
  return {
    params,
    windowFrom,
    windowTo,
    n: known.length,
    inSample: strip(inSample),
    oosFrom,
    oos: strip(oos),
  };
}

function strip(s: WalkScore): WalkScore {
  return { n: s.n, logLoss: s.logLoss, uniformLogLoss: s.uniformLogLoss, refits: s.refits };
}
