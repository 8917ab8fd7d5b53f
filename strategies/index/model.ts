/**
 * The index ladder model (S&P 500: KXINX ranges, KXINXU above/below; Nasdaq-100:
 * KXNASDAQ100, KXNASDAQ100U): the index at the event's target time (its close:
 * a top of the hour 10:00-15:00 ET, or the 16:00 close) is the last known level
 * times a lognormal factor,
 *
 *   ln S_T ~ N(ln S - v / 2, v),
 *
 * whose variance v sums the time-of-day variance curve sigma_tod^2 (per session
 * minute, strategies/index/sigma_tod.ts) over the session minutes between the
 * level's timestamp and the target (a partial minute pro rata), plus
 * `gapVariance` for each session open (09:30 ET, America/New_York via Intl)
 * in between. Minutes outside 09:30-16:00 add nothing. With v = 0 (the target
 * passed, or no session minute left) the outcome is a point mass at the last
 * level.
 *
 * Residual clamp on the tails: the CDF at every finite point is clamped to
 * [tailFloor, 1 - tailFloor]. So each open-ended tail bin of a ladder keeps
 * at least `tailFloor` of mass (a residual for moves the lognormal underrates),
 * which it takes from bins beyond the clamp point (those the lognormal gives
 * less than tailFloor in total); bins inside it are unchanged. The clamped CDF
 * still falls as the level rises, so every "above K" probability stays monotone
 * in the level.
 *
 * Reporting: the index is reported to 2 decimals ($0.01 grid, `INDEX_STEP`); a
 * ladder without an outcome step gets it. Ranges are inclusive of both ends at
 * 4 decimals (a bin [6850, 6874.9999] holds 6850.00..6874.99).
 *
 * Calibration (`calibrate`, levels with ts < cutoff): sigma_tod and the gap
 * variance by `fitSigmaTod` (grouped by session minute, residual-clamped,
 * kernel-smoothed); the gap variance keeps its initial value with fewer than 5
 * gaps. Fit stats: n = returns used; logLikelihood = sum of the normal log
 * densities of the one-minute returns (unclamped) under the curve; logLoss = mean in-sample
 * log loss of the hourly windows (09:30-10:00, 10:00-11:00, ..., 15:00-16:00)
 * on bins of 0.001 in log return (binWidth is in log-return units).
 *
 * @example
 * ```ts
 * import { indexModel } from "./model.ts";
 * declare const spx: { ts: number; value: number }[];
 * const params = indexModel.calibrate(spx, { cutoffTs: Date.UTC(2025, 10, 3) });
 * ```
 *
 * @module
 */

import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import type { Ladder } from "../../lib/market/ladder.ts";
import type { Distribution } from "../../lib/pricing/distribution.ts";
import { pointErrorPmf } from "../../lib/pricing/point_pmf.ts";
import { LOG_LOSS_FLOOR } from "../../lib/scoring/binary.ts";
import { easternDayNumber } from "../../lib/time/eastern.ts";
import {
  type CalibrateOptions,
  type FamilyModel,
  type FitStats,
  type Observation,
  observationsBefore,
} from "../family.ts";
import { isSessionDay, SESSION_MINUTES, sessionClock, sessionOpenTs } from "./session.ts";
import { cumulativeVariance, fitSigmaTod, varianceToMinute } from "./sigma_tod.ts";

/** Reporting precision of the index level. */
export const INDEX_STEP = 0.01;

/** Series priced off the S&P 500 and off the Nasdaq-100. */
export const SPX_SERIES: readonly string[] = ["KXINX", "KXINXU"];
export const NDX_SERIES: readonly string[] = ["KXNASDAQ100", "KXNASDAQ100U"];

/** Longest span (days) a variance is summed over. */
export const MAX_SPAN_DAYS = 10;

const MINUTE = 60_000;

/** Parameters of the index model. */
export interface IndexParams {
  /** sigma_tod^2: variance of the log return per session minute (390 entries). */
  readonly varPerMinute: readonly number[];
  /** Variance of the overnight log gap (previous close to open). */
  readonly gapVariance: number;
  /** Residual clamp: least CDF value at a finite point (and 1 - most), in [0, 0.05]. */
  readonly tailFloor: number;
  readonly fit?: FitStats;
}

/** A flat curve with a daily volatility of 1% (variance 1e-4 over 390 minutes). */
export const DEFAULT_INDEX_PARAMS: IndexParams = Object.freeze({
  varPerMinute: Object.freeze(new Array(SESSION_MINUTES).fill(1e-4 / SESSION_MINUTES)),
  gapVariance: 0.005 ** 2,
  tailFloor: 0.001,
});

/** What is known at decision time. */
export interface IndexState {
  readonly now: number;
  /** Target time (the event's close), ms. */
  readonly closeTs: number;
  /** Index levels (ts = when known), in time order; those after `now` are ignored. */
  readonly levels: readonly Observation[];
}

/** Options of {@link indexModel}.calibrate. */
export interface IndexCalibrateOptions extends CalibrateOptions {
  /** Gap variance and tail floor when not fitted (default the defaults). */
  readonly initial?: IndexParams;
  /** Kernel sd of the curve's smoothing, minutes (default 5). */
  readonly smoothMinutes?: number;
  /** Residual clamp of the returns, robust sds (default 6). */
  readonly clampSd?: number;
  /** Fewest session days (default 3). */
  readonly minDays?: number;
  /** Fix the gap variance. */
  readonly gapVariance?: number;
}

function fail(action: string, detail: string, value: unknown): never {
  throw new RangeError(`Cannot ${action}: ${detail}, current value is ${value}`);
}

/** Throws unless the parameters are usable. */
export function checkIndexParams(action: string, p: IndexParams): void {
  if (!Array.isArray(p.varPerMinute) || p.varPerMinute.length !== SESSION_MINUTES) {
    fail(action, `varPerMinute must have ${SESSION_MINUTES} entries`, p.varPerMinute?.length);
  }
  cumulativeVariance(p.varPerMinute); // checks the entries
  if (!(p.gapVariance >= 0) || !Number.isFinite(p.gapVariance)) {
    fail(action, "gapVariance must be finite and >= 0", p.gapVariance);
  }
  if (!(p.tailFloor >= 0 && p.tailFloor <= 0.05)) {
    fail(action, "tailFloor must be in [0, 0.05]", p.tailFloor);
  }
}

/**
 * Variance of ln S between instants `from` and `to` (module docs): the curve
 * over the session minutes in between plus the gap variance per session open
 * in (from, to].
 *
 * @throws {RangeError} when the span is longer than {@link MAX_SPAN_DAYS} days
 * or an instant is not finite.
 */
export function varianceBetween(from: number, to: number, params: IndexParams): number {
  if (!Number.isFinite(from) || !Number.isFinite(to)) {
    fail("sum the index variance", "from and to must be finite", `${from}, ${to}`);
  }
  if (!(to > from)) return 0;
  const cum = cumulativeVariance(params.varPerMinute);
  const d0 = easternDayNumber(from);
  const d1 = easternDayNumber(to);
  if (d1 - d0 > MAX_SPAN_DAYS) {
    fail("sum the index variance", `the span must be at most ${MAX_SPAN_DAYS} days`, d1 - d0);
  }
  let v = 0;
  for (let d = d0; d <= d1; d++) {
    if (!isSessionDay(d)) continue;
    const open = sessionOpenTs(d);
    const a = (Math.max(from, open) - open) / MINUTE;
    const b = (Math.min(to, open + SESSION_MINUTES * MINUTE) - open) / MINUTE;
    if (b > a) v += varianceToMinute(cum, b) - varianceToMinute(cum, a);
    if (from < open && open <= to) v += params.gapVariance;
  }
  return v;
}

/** A lognormal whose CDF at finite points is clamped to [floor, 1 - floor]. */
export class ClampedLognormal implements Distribution {
  mu = 0;
  sd = 1;
  floor = 0;
  /** Set the log-mean, log-sd (> 0) and floor; returns this. */
  set(mu: number, sd: number, floor: number): this {
    if (!Number.isFinite(mu)) fail("build the index distribution", "mu must be finite", mu);
    if (!(sd > 0) || !Number.isFinite(sd)) {
      fail("build the index distribution", "sd must be finite and > 0", sd);
    }
    if (!(floor >= 0 && floor < 0.5)) {
      fail("build the index distribution", "floor must be in [0, 0.5)", floor);
    }
    this.mu = mu;
    this.sd = sd;
    this.floor = floor;
    return this;
  }
  cdf(x: number): number {
    if (Number.isNaN(x)) return NaN;
    if (x === Infinity) return 1;
    if (x === -Infinity) return 0;
    const p = x <= 0 ? 0 : normalCdf(Math.log(x), this.mu, this.sd);
    const f = this.floor;
    return p < f ? f : p > 1 - f ? 1 - f : p;
  }
}

function pointMass(v: number): Distribution {
  return { cdf: (x: number) => (Number.isNaN(x) ? NaN : x >= v ? 1 : 0) };
}

const shared = new ClampedLognormal();

/**
 * The distribution of the index at `state.closeTs` from what is known at
 * `state.now` (module docs), with the variance used. May return a shared
 * instance: use it before the next call.
 *
 * @throws {RangeError} for invalid params, no level known at `now`, a level not
 * finite and > 0, or a span over {@link MAX_SPAN_DAYS} days.
 */
export function indexDistribution(
  state: IndexState,
  params: IndexParams,
): { dist: Distribution; variance: number; level: number } {
  const action = "forecast the index";
  checkIndexParams(action, params);
  const known = state.levels;
  let i = known.length - 1;
  while (i >= 0 && known[i].ts > state.now) i--;
  if (i < 0) fail(action, `no level is known at ${state.now}`, 0);
  const { ts, value } = known[i];
  if (!(value > 0) || !Number.isFinite(value)) {
    fail(action, "the level must be finite and > 0", value);
  }
  const v = varianceBetween(ts, state.closeTs, params);
  if (!(v > 0)) return { dist: pointMass(value), variance: 0, level: value };
  return {
    dist: shared.set(Math.log(value) - v / 2, Math.sqrt(v), params.tailFloor),
    variance: v,
    level: value,
  };
}

/** Mean in-sample log loss of the hourly windows (module docs). */
function hourlyLogLoss(levels: readonly Observation[], params: IndexParams, w: number): number {
  const byDay = new Map<number, Map<number, number>>(); // day -> minute -> level
  for (const o of levels) {
    const c = sessionClock(o.ts);
    if (!Number.isInteger(c.minute) || c.minute < 0 || c.minute > SESSION_MINUTES) continue;
    let m = byDay.get(c.day);
    if (m === undefined) byDay.set(c.day, m = new Map());
    m.set(c.minute, o.value);
  }
  const cum = cumulativeVariance(params.varPerMinute);
  const marks = [0, 30, 90, 150, 210, 270, 330, 390];
  let loss = 0;
  let n = 0;
  for (const m of byDay.values()) {
    for (let k = 1; k < marks.length; k++) {
      const a = m.get(marks[k - 1]);
      const b = m.get(marks[k]);
      if (a === undefined || b === undefined) continue;
      const v = cum[marks[k]] - cum[marks[k - 1]];
      if (!(v > 0)) continue;
      const r = Math.log(b / a);
      const j = Math.floor(r / w);
      const sd = Math.sqrt(v);
      const p = normalCdf((j + 1) * w, -v / 2, sd) - normalCdf(j * w, -v / 2, sd);
      loss -= Math.log(p > LOG_LOSS_FLOOR ? p : LOG_LOSS_FLOOR);
      n++;
    }
  }
  return n > 0 ? loss / n : NaN;
}

function calibrateIndex(
  history: readonly Observation[],
  options: IndexCalibrateOptions,
): IndexParams {
  const action = "calibrate the index model";
  const init = options.initial ?? DEFAULT_INDEX_PARAMS;
  checkIndexParams(action, init);
  if (
    options.gapVariance !== undefined &&
    (!(options.gapVariance >= 0) || !Number.isFinite(options.gapVariance))
  ) {
    fail(action, "gapVariance must be finite and >= 0", options.gapVariance);
  }
  const levels = observationsBefore(history, options.cutoffTs, action);
  const f = fitSigmaTod(levels, {
    ...(options.smoothMinutes !== undefined ? { smoothMinutes: options.smoothMinutes } : {}),
    ...(options.clampSd !== undefined ? { clampSd: options.clampSd } : {}),
    ...(options.minDays !== undefined ? { minDays: options.minDays } : {}),
  });
  const gapVariance = options.gapVariance ?? f.gapVariance ?? init.gapVariance;
  const base: IndexParams = {
    varPerMinute: f.varPerMinute,
    gapVariance,
    tailFloor: init.tailFloor,
  };
  // Log-likelihood of the one-minute returns (unclamped) under the fitted curve.
  let ll = 0;
  let n = 0;
  let prev: { day: number; minute: number; value: number } | undefined;
  for (const o of levels) {
    const c = sessionClock(o.ts);
    if (!isSessionDay(c.day) || c.minute < 0 || c.minute > SESSION_MINUTES) continue;
    if (
      prev !== undefined && prev.day === c.day && c.minute - prev.minute === 1 &&
      Number.isInteger(prev.minute)
    ) {
      const v = f.varPerMinute[prev.minute];
      if (v > 0) {
        const r = Math.log(o.value / prev.value);
        ll += -0.5 * Math.log(2 * Math.PI * v) - (r * r) / (2 * v);
        n++;
      }
    }
    prev = { day: c.day, minute: c.minute, value: o.value };
  }
  const w = 0.001;
  return {
    ...base,
    fit: { n, logLikelihood: ll, logLoss: hourlyLogLoss(levels, base, w), binWidth: w },
  };
}

/** The index family model (see the module docs). */
export const indexModel: FamilyModel<IndexParams, IndexState> & {
  calibrate(history: readonly Observation[], options: IndexCalibrateOptions): IndexParams;
} = {
  name: "index",
  calibrate: calibrateIndex,
  pmf(state: IndexState, params: IndexParams, ladder: Ladder, out?: Float64Array): Float64Array {
    return pointErrorPmf(ladder, indexDistribution(state, params).dist, INDEX_STEP, out);
  },
};
