/**
 * The jobless-claims (KXJOBLESSCLAIMS) model: a seasonal + local-level forecast of
 * the weekly initial-claims print in log space, plus a Student-t error fitted by
 * maximum likelihood, discretized onto the event's "at least N" thresholds after
 * rounding to the thousand (a print equal to N settles YES).
 *
 * Model, with y = ln(claims) of the week ending Saturday W (a day number):
 * - seasonal s(W) = sum_k a_k cos(2 pi k W / 365.2425) + b_k sin(...), k = 1..H;
 * - local level: z = y - s(W); level_0 = z_0, e_i = z_i - level_(i-1),
 *   level_i = level_(i-1) + alpha e_i (simple exponential smoothing, the
 *   innovations form of a random-walk level);
 * - forecast of week T from the last week W_n: centre level_n + s(T), error
 *   scale * sqrt(1 + (k - 1) alpha^2) * T(df) with k = (T - W_n) / 7 weeks.
 *
 * Calibration (walk-forward, ts < cutoff only): the seasonal coefficients by a
 * robust (t, 4 df) regression of week-to-week log changes on the changes of the
 * Fourier terms (differencing removes the level); alpha by golden-section search
 * of the one-step t likelihood (4 df, scale profiled); then scale and df by
 * maximum likelihood (lib: strategies/point_error/).
 *
 * History: `{ ts, value }` with value the initial claims (persons) and ts the
 * release time: DOL releases the week ending Saturday W on Thursday W + 5 at
 * 08:30 ET ({@link claimsReleaseTs}); FRED's ICSA is dated by W. Holiday weeks
 * when the release comes a day early are treated as Thursday (a day late:
 * conservative). The event closing at closeTs settles on the first release at
 * or after its close.
 *
 * @example
 * ```ts
 * import { claimsModel } from "./model.ts";
 * declare const history: { ts: number; value: number }[];
 * const params = claimsModel.calibrate(history, { cutoffTs: Date.UTC(2025, 0, 1) });
 * ```
 *
 * @module
 */

import type { Ladder } from "../../lib/market/ladder.ts";
import { type PointForecast, pointPmf } from "../../lib/pricing/point_pmf.ts";
import { easternDayNumber, easternDayTime, weekdayOf } from "../../lib/time/eastern.ts";
import { fitStudentT } from "../point_error/fit_t.ts";
import { goldenMax } from "../point_error/golden.ts";
import { robustLinearFit } from "../point_error/regression.ts";
import {
  type CalibrateOptions,
  type FamilyModel,
  type FitStats,
  type Observation,
  observationsBefore,
} from "../family.ts";
import { fitErrorModel, type ForecastPoint } from "../point_error/error_model.ts";

/** Reporting precision of the print (persons). */
export const CLAIMS_STEP = 1000;

/** Series this model prices. */
export const CLAIMS_SERIES: readonly string[] = ["KXJOBLESSCLAIMS"];

const YEAR_DAYS = 365.2425;
const BURN_IN = 4;

/** Parameters of the claims model. */
export interface ClaimsParams {
  /** Smoothing weight of the level (0 < alpha <= 1). */
  readonly alpha: number;
  /** Seasonal coefficients [a_1, b_1, a_2, b_2, ...] of ln(claims). */
  readonly seasonal: readonly number[];
  /** Error scale of ln(claims), one week ahead. */
  readonly scale: number;
  /** Student-t degrees of freedom (Infinity: the normal). */
  readonly df: number;
  readonly fit?: FitStats;
}

/** Hand-set defaults: no seasonality (FRED's ICSA is seasonally adjusted). */
export const DEFAULT_CLAIMS_PARAMS: ClaimsParams = Object.freeze({
  alpha: 0.5,
  seasonal: Object.freeze([]) as readonly number[],
  scale: 0.04,
  df: 5,
});

/** What is known at decision time. */
export interface ClaimsState {
  readonly now: number;
  readonly closeTs: number;
  /** Prints (ts = release time), in time order; those after `now` are ignored. */
  readonly prints: readonly Observation[];
}

/** Options of {@link claimsModel}.calibrate. */
export interface ClaimsCalibrateOptions extends CalibrateOptions {
  /** Seasonal harmonics H (default 2; 0 for none). */
  readonly harmonics?: number;
  /** Fix alpha instead of fitting it. */
  readonly alpha?: number;
  /** Fix the Student-t df. */
  readonly df?: number;
  /** Bin width of the in-sample log loss (default 5000). */
  readonly binWidth?: number;
}

/** Release time of the week ending Saturday `weekEnding` (a day number): Thursday after, 08:30 ET. */
export function claimsReleaseTs(weekEnding: number): number {
  return easternDayTime(weekEnding + 5, 8, 30);
}

/** The week-ending day of a print released at ts. */
export function claimsWeekOf(releaseTs: number): number {
  return easternDayNumber(releaseTs) - 5;
}

/** The week whose release is the first at or after closeTs. */
export function claimsTargetWeek(closeTs: number): number {
  let d = easternDayNumber(closeTs);
  while (weekdayOf(d) !== 4 || claimsReleaseTs(d - 5) < closeTs) d++;
  return d - 5;
}

/** The seasonal term s(W) for coefficients [a1, b1, a2, b2, ...]. */
export function claimsSeasonal(coef: readonly number[], weekEnding: number): number {
  let s = 0;
  for (let k = 1; 2 * k <= coef.length; k++) {
    const w = (2 * Math.PI * k * weekEnding) / YEAR_DAYS;
    s += coef[2 * k - 2] * Math.cos(w) + coef[2 * k - 1] * Math.sin(w);
  }
  return s;
}

function fourierRow(h: number, day: number): number[] {
  const row: number[] = [];
  for (let k = 1; k <= h; k++) {
    const w = (2 * Math.PI * k * day) / YEAR_DAYS;
    row.push(Math.cos(w), Math.sin(w));
  }
  return row;
}

function checkAlpha(alpha: number): void {
  if (!(alpha > 0 && alpha <= 1)) {
    throw new RangeError(
      `Cannot use the claims model: alpha must be in (0, 1], current value is ${alpha}`,
    );
  }
}

interface Filtered {
  /** Level after each print. */
  readonly level: Float64Array;
  /** Week-ending day of each print. */
  readonly week: Float64Array;
  /** ln of each print. */
  readonly y: Float64Array;
}

/** Week-ending days of the prints (Intl calls are slow: computed once per print object). */
const weekCache = new WeakMap<Observation, number>();
function weeksOf(prints: readonly Observation[]): Float64Array {
  const out = new Float64Array(prints.length);
  for (let i = 0; i < prints.length; i++) {
    let w = weekCache.get(prints[i]);
    if (w === undefined) {
      w = claimsWeekOf(prints[i].ts);
      weekCache.set(prints[i], w);
    }
    out[i] = w;
  }
  return out;
}

function filter(
  prints: readonly Observation[],
  seasonal: readonly number[],
  alpha: number,
  week = weeksOf(prints),
): Filtered {
  const n = prints.length;
  const level = new Float64Array(n);
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = prints[i].value;
    if (!(v > 0)) {
      throw new RangeError(
        `Cannot use the claims model: print ${i} must be > 0, current value is ${v}`,
      );
    }
    y[i] = Math.log(v);
    const z = y[i] - claimsSeasonal(seasonal, week[i]);
    level[i] = i === 0 ? z : level[i - 1] + alpha * (z - level[i - 1]);
  }
  return { level, week, y };
}

function horizonMultiplier(weeks: number, alpha: number): number {
  return Math.sqrt(1 + Math.max(0, weeks - 1) * alpha * alpha);
}

/** One-step forecast points of prints i >= BURN_IN. */
function forecastPoints(
  prints: readonly Observation[],
  f: Filtered,
  seasonal: readonly number[],
  alpha: number,
) {
  const pts: ForecastPoint[] = [];
  for (let i = BURN_IN; i < prints.length; i++) {
    const weeks = Math.max(1, Math.round((f.week[i] - f.week[i - 1]) / 7));
    pts.push({
      center: f.level[i - 1] + claimsSeasonal(seasonal, f.week[i]),
      multiplier: horizonMultiplier(weeks, alpha),
      value: prints[i].value,
    });
  }
  return pts;
}

/**
 * The point forecast (log space) of the target week at `state.now`: a point mass
 * at the reported print when the target week is already published, else the
 * seasonal local level (see the module docs).
 *
 * @throws {RangeError} when no print is known at `now` or the params are invalid.
 */
export function claimsForecast(state: ClaimsState, params: ClaimsParams): PointForecast {
  checkAlpha(params.alpha);
  const prints = observationsBefore(state.prints, state.now + 1, "forecast claims");
  if (prints.length === 0) {
    throw new RangeError(
      `Cannot forecast claims: no print is known at ${state.now}, current value is 0 prints`,
    );
  }
  const target = claimsTargetWeek(state.closeTs);
  const f = filter(prints, params.seasonal, params.alpha);
  const n = prints.length;
  for (let i = n - 1; i >= 0 && f.week[i] >= target; i--) {
    if (f.week[i] === target) {
      const reported = Math.round(prints[i].value / CLAIMS_STEP) * CLAIMS_STEP;
      return { center: Math.log(reported), scale: 0, df: Infinity, log: true };
    }
  }
  const weeks = Math.max(1, Math.round((target - f.week[n - 1]) / 7));
  return {
    center: f.level[n - 1] + claimsSeasonal(params.seasonal, target),
    scale: params.scale * horizonMultiplier(weeks, params.alpha),
    df: params.df,
    log: true,
  };
}

function calibrateClaims(
  history: readonly Observation[],
  options: ClaimsCalibrateOptions,
): ClaimsParams {
  const prints = observationsBefore(history, options.cutoffTs, "calibrate claims");
  const h = options.harmonics ?? 2;
  if (!Number.isInteger(h) || h < 0) {
    throw new RangeError(
      `Cannot calibrate claims: harmonics must be an integer >= 0, current value is ${h}`,
    );
  }
  if (options.alpha !== undefined) checkAlpha(options.alpha);
  const minN = BURN_IN + 6 + 2 * h;
  if (prints.length < minN) {
    throw new RangeError(
      `Cannot calibrate claims: at least ${minN} prints are needed, current value is ${prints.length}`,
    );
  }
  const weeks = weeksOf(prints);
  // 1. Seasonal coefficients from week-to-week changes (the level drops out).
  let seasonal: number[] = [];
  if (h > 0) {
    const rows: number[][] = [];
    const dy: number[] = [];
    const prec: number[] = [];
    let prevWeek = weeks[0];
    let prevRow = fourierRow(h, prevWeek);
    for (let i = 1; i < prints.length; i++) {
      const week = weeks[i];
      const row = fourierRow(h, week);
      rows.push(row.map((v, k) => v - prevRow[k]));
      dy.push(Math.log(prints[i].value) - Math.log(prints[i - 1].value));
      prec.push(1 / Math.max(1, Math.round((week - prevWeek) / 7)));
      prevWeek = week;
      prevRow = row;
    }
    seasonal = Array.from(robustLinearFit(rows, dy, { df: 4, precision: prec }).coef);
  }
  // 2. alpha by the one-step t(4) likelihood, scale profiled.
  const loglik = (alpha: number) => {
    const pts = forecastPoints(prints, filter(prints, seasonal, alpha, weeks), seasonal, alpha);
    const r = pts.map((p) => Math.log(p.value) - p.center);
    return fitStudentT(r, pts.map((p) => p.multiplier), { df: 4 }).logLikelihood;
  };
  const alpha = options.alpha ?? goldenMax(loglik, 0.02, 1, 1e-3).x;
  // 3. Scale and df.
  const pts = forecastPoints(prints, filter(prints, seasonal, alpha, weeks), seasonal, alpha);
  const fit = fitErrorModel(pts, {
    step: CLAIMS_STEP,
    binWidth: options.binWidth ?? 5000,
    log: true,
    df: options.df,
  });
  return { alpha, seasonal, scale: fit.scale, df: fit.df, fit: fit.fit };
}

/** The claims family model (see the module docs). */
export const claimsModel: FamilyModel<ClaimsParams, ClaimsState> & {
  calibrate(history: readonly Observation[], options: ClaimsCalibrateOptions): ClaimsParams;
} = {
  name: "claims",
  calibrate: calibrateClaims,
  pmf(state: ClaimsState, params: ClaimsParams, ladder: Ladder, out?: Float64Array): Float64Array {
    return pointPmf(ladder, claimsForecast(state, params), CLAIMS_STEP, out);
  },
};
