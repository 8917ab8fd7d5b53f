/**
 * The 10-year Treasury (KXTNOTED daily, KXTNOTEW weekly) model: the Treasury
 * daily par yield of the 10-year note as a random walk per business day with a
 * fitted Student-t error (optionally mean-reverting), discretized onto the
 * event's bins after rounding to the reported 0.01 percentage point.
 *
 * Model, per business day: y_d = y_(d-1) + kappa (mu - y_(d-1)) + scale * T(df).
 * Forecast k business days after the last known yield y: centre
 * mu + (y - mu) phi^k with phi = 1 - kappa; error scale
 * scale * sqrt(sum_(j<k) phi^(2j)) (sqrt(k) for the random walk). Over k > 1 days
 * the sum of t errors is taken as a t with the same df (an approximation: the
 * sum is closer to normal).
 *
 * History: `{ ts, value }`, value the yield in percent, ts its publication time:
 * Treasury publishes the par yield curve of business day D at the end of D; the
 * model takes D 18:00 ET ({@link tnotePublishTs}). FRED's DGS10 (the H.15
 * constant-maturity 10-year, read off the same Treasury par curve) is dated by D.
 * Holidays are not known to the model: they count as business days (a little
 * extra variance across them). The event closing at closeTs settles on the first
 * publication at or after its close.
 *
 * @example
 * ```ts
 * import { tnoteModel } from "./model.ts";
 * declare const yields: { ts: number; value: number }[];
 * const params = tnoteModel.calibrate(yields, { cutoffTs: Date.UTC(2025, 0, 1) });
 * ```
 *
 * @module
 */

import type { Ladder } from "../../lib/market/ladder.ts";
import { type PointForecast, pointPmf } from "../../lib/pricing/point_pmf.ts";
import {
  easternDayNumber,
  easternDayTime,
  weekdayOf,
  weekdaysBetween,
} from "../../lib/time/eastern.ts";
import { observationDays } from "../observation_day.ts";
import {
  type CalibrateOptions,
  type FamilyModel,
  type FitStats,
  latestBefore,
  type Observation,
  observationsBefore,
} from "../family.ts";
import { fitErrorModel, type ForecastPoint } from "../point_error/error_model.ts";
import { robustLinearFit } from "../point_error/regression.ts";

/** Reporting precision of the yield (percentage points). */
export const TNOTE_STEP = 0.01;

/** Series this model prices. */
export const TNOTE_SERIES: readonly string[] = ["KXTNOTED", "KXTNOTEW"];

/** Parameters of the 10-year model. */
export interface TnoteParams {
  /** Mean reversion per business day (0: a random walk). */
  readonly kappa: number;
  /** Long-run mean the yield reverts to (percent; unused when kappa = 0). */
  readonly mu: number;
  /** Error scale per business day (percentage points). */
  readonly scale: number;
  /** Student-t degrees of freedom (Infinity: the normal). */
  readonly df: number;
  readonly fit?: FitStats;
}

/** Hand-set defaults: a random walk with 6 bp daily errors, t with 5 df. */
export const DEFAULT_TNOTE_PARAMS: TnoteParams = Object.freeze({
  kappa: 0,
  mu: 4,
  scale: 0.06,
  df: 5,
});

/** What is known at decision time. */
export interface TnoteState {
  readonly now: number;
  readonly closeTs: number;
  /** Daily yields (ts = publication time), in time order; those after `now` are ignored. */
  readonly yields: readonly Observation[];
}

/** Options of {@link tnoteModel}.calibrate. */
export interface TnoteCalibrateOptions extends CalibrateOptions {
  /** Fit kappa and mu (a robust AR(1) regression on consecutive days); default false. */
  readonly meanReversion?: boolean;
  /** Fix the Student-t df. */
  readonly df?: number;
  /** Bin width of the in-sample log loss (default 0.05). */
  readonly binWidth?: number;
}

/** Publication time of the yield of day `day` (a day number): 18:00 ET that day. */
export function tnotePublishTs(day: number): number {
  return easternDayTime(day, 18, 0);
}

/** The business day whose publication is the first at or after closeTs. */
export function tnoteTargetDay(closeTs: number): number {
  let d = easternDayNumber(closeTs);
  while (weekdayOf(d) === 0 || weekdayOf(d) === 6 || tnotePublishTs(d) < closeTs) d++;
  return d;
}

function checkParams(p: TnoteParams): void {
  if (!(p.kappa >= 0 && p.kappa < 1)) {
    throw new RangeError(
      `Cannot use the 10-year model: kappa must be in [0, 1), current value is ${p.kappa}`,
    );
  }
  if (!Number.isFinite(p.mu)) {
    throw new RangeError(
      `Cannot use the 10-year model: mu must be finite, current value is ${p.mu}`,
    );
  }
}

/** Centre and scale multiplier k business days ahead of y. */
function ahead(
  y: number,
  k: number,
  kappa: number,
  mu: number,
): { center: number; multiplier: number } {
  if (kappa === 0) return { center: y, multiplier: Math.sqrt(k) };
  const phi = 1 - kappa;
  const phi2 = phi * phi;
  return {
    center: mu + (y - mu) * Math.pow(phi, k),
    multiplier: Math.sqrt((1 - Math.pow(phi2, k)) / (1 - phi2)),
  };
}

/**
 * The point forecast of the target day's yield at `state.now`: a point mass at
 * the reported yield when the target day is already published, else the
 * (mean-reverting) random walk from the last known yield.
 *
 * @throws {RangeError} when no yield is known at `now` or the params are invalid.
 */
export function tnoteForecast(state: TnoteState, params: TnoteParams): PointForecast {
  checkParams(params);
  // Only the recent past matters: the last yield (and a published target day).
  const ys = latestBefore(state.yields, state.now + 1, 8, "forecast the 10-year yield");
  if (ys.length === 0) {
    throw new RangeError(
      `Cannot forecast the 10-year yield: no yield is known at ${state.now}, current value is 0 yields`,
    );
  }
  const target = tnoteTargetDay(state.closeTs);
  const days = observationDays(ys);
  const n = ys.length;
  for (let i = n - 1; i >= 0 && days[i] >= target; i--) {
    if (days[i] === target) {
      return {
        center: Math.round(ys[i].value / TNOTE_STEP) * TNOTE_STEP,
        scale: 0,
        df: Infinity,
        log: false,
      };
    }
  }
  const k = Math.max(1, weekdaysBetween(days[n - 1], target));
  const a = ahead(ys[n - 1].value, k, params.kappa, params.mu);
  return { center: a.center, scale: params.scale * a.multiplier, df: params.df, log: false };
}

function calibrateTnote(
  history: readonly Observation[],
  options: TnoteCalibrateOptions,
): TnoteParams {
  const ys = observationsBefore(history, options.cutoffTs, "calibrate the 10-year model");
  const days = observationDays(ys);
  let kappa = 0;
  let mu = 0;
  for (const o of ys) mu += o.value;
  mu = ys.length > 0 ? mu / ys.length : DEFAULT_TNOTE_PARAMS.mu;
  if (options.meanReversion === true) {
    const rows: number[][] = [];
    const y: number[] = [];
    for (let i = 1; i < ys.length; i++) {
      if (weekdaysBetween(days[i - 1], days[i]) !== 1) continue;
      rows.push([1, ys[i - 1].value]);
      y.push(ys[i].value);
    }
    if (rows.length >= 10) {
      const { coef } = robustLinearFit(rows, y, { df: 4 });
      const phi = coef[1];
      kappa = Math.min(0.5, Math.max(0, 1 - phi));
      if (kappa > 0) mu = coef[0] / kappa;
    }
  }
  const points: ForecastPoint[] = [];
  for (let i = 1; i < ys.length; i++) {
    const k = weekdaysBetween(days[i - 1], days[i]);
    if (k < 1) continue; // a second value for the same day (or a weekend date): not a step
    const a = ahead(ys[i - 1].value, k, kappa, mu);
    points.push({ center: a.center, multiplier: a.multiplier, value: ys[i].value });
  }
  const fit = fitErrorModel(points, {
    step: TNOTE_STEP,
    binWidth: options.binWidth ?? 0.05,
    log: false,
    df: options.df,
  });
  return { kappa, mu, scale: fit.scale, df: fit.df, fit: fit.fit };
}

/** The 10-year family model (see the module docs). */
export const tnoteModel: FamilyModel<TnoteParams, TnoteState> & {
  calibrate(history: readonly Observation[], options: TnoteCalibrateOptions): TnoteParams;
} = {
  name: "tnote",
  calibrate: calibrateTnote,
  pmf(state: TnoteState, params: TnoteParams, ladder: Ladder, out?: Float64Array): Float64Array {
    return pointPmf(ladder, tnoteForecast(state, params), TNOTE_STEP, out);
  },
};
