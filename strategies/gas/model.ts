/**
 * The gas (KXAAAGASD daily, KXAAAGASW weekly, KXAAAGASM monthly) model: the AAA
 * US average regular price as a log random walk with a momentum drift and a
 * fitted Student-t error, discretized onto the event's "strictly greater than"
 * thresholds after rounding to the reported tenth of a cent ($0.001).
 *
 * Model, per calendar day, with p = ln(price):
 * - momentum m = (p_last - p_then) / (days between), p_then the latest value at
 *   least `momentumDays` days before the last (0 when there is none);
 * - forecast h days after the last value: centre p_last + beta m h, error
 *   scale sqrt(h) T(df). For h > 1 the decay of the momentum and the sum of t
 *   errors (closer to normal) are ignored: a stated approximation, exact for
 *   h = 1 under the process the synthetic generator draws from
 *   (lib/synth/gas.ts: daily changes beta m + scale T(df)).
 *
 * Calibration (walk-forward, ts < cutoff only): beta by a robust (t, 4 df)
 * regression through the origin of each step's log change on m h (precision 1/h),
 * then scale and df by maximum likelihood of the step errors / sqrt(h). Steps of
 * any length are used, so weekly data (EIA's GASREGW) fits the same model.
 *
 * History: `{ ts, value }`, value the price in dollars and ts its publication
 * time; the day of a value is the Eastern date of its ts. The model takes AAA's
 * daily average of day D as published at D 06:00 ET ({@link gasPublishTs}). An
 * event closing at closeTs settles on the first publication at or after its close.
 *
 * @example
 * ```ts
 * import { gasModel } from "./model.ts";
 * declare const prices: { ts: number; value: number }[];
 * const params = gasModel.calibrate(prices, { cutoffTs: Date.UTC(2025, 0, 1) });
 * ```
 *
 * @module
 */

import type { Ladder } from "../../lib/market/ladder.ts";
import { type PointForecast, pointPmf } from "../../lib/pricing/point_pmf.ts";
import { easternDayNumber, easternDayTime } from "../../lib/time/eastern.ts";
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

/** Reporting precision of the AAA average (dollars). */
export const GAS_STEP = 0.001;

/** Series this model prices. */
export const GAS_SERIES: readonly string[] = ["KXAAAGASD", "KXAAAGASW", "KXAAAGASM"];

/** Parameters of the gas model. */
export interface GasParams {
  /** Look-back of the momentum, in days. */
  readonly momentumDays: number;
  /** Persistence of the momentum (the drift is beta m per day). */
  readonly beta: number;
  /** Error scale of ln(price) per day. */
  readonly scale: number;
  /** Student-t degrees of freedom (Infinity: the normal). */
  readonly df: number;
  readonly fit?: FitStats;
}

/** Hand-set defaults: 7-day momentum with persistence 0.7, 0.3% daily errors, t with 5 df. */
export const DEFAULT_GAS_PARAMS: GasParams = Object.freeze({
  momentumDays: 7,
  beta: 0.7,
  scale: 0.003,
  df: 5,
});

/** What is known at decision time. */
export interface GasState {
  readonly now: number;
  readonly closeTs: number;
  /** Prices (ts = publication time), in time order; those after `now` are ignored. */
  readonly prices: readonly Observation[];
}

/** Options of {@link gasModel}.calibrate. */
export interface GasCalibrateOptions extends CalibrateOptions {
  /** Momentum look-back in days (default 7). */
  readonly momentumDays?: number;
  /** Fix beta instead of fitting it. */
  readonly beta?: number;
  /** Fix the Student-t df. */
  readonly df?: number;
  /** Bin width of the in-sample log loss (default 0.01). */
  readonly binWidth?: number;
}

/** Publication time of AAA's average of day `day` (a day number): 06:00 ET that day. */
export function gasPublishTs(day: number): number {
  return easternDayTime(day, 6, 0);
}

/** The day whose publication is the first at or after closeTs. */
export function gasTargetDay(closeTs: number): number {
  const d = easternDayNumber(closeTs);
  return gasPublishTs(d) >= closeTs ? d : d + 1;
}

function logsOf(obs: readonly Observation[]): Float64Array {
  const out = new Float64Array(obs.length);
  for (let i = 0; i < obs.length; i++) {
    const v = obs[i].value;
    if (!(v > 0)) {
      throw new RangeError(
        `Cannot use the gas model: price ${i} must be > 0, current value is ${v}`,
      );
    }
    out[i] = Math.log(v);
  }
  return out;
}

function checkMomentumDays(l: number): void {
  if (!Number.isInteger(l) || l < 1) {
    throw new RangeError(
      `Cannot use the gas model: momentumDays must be an integer >= 1, current value is ${l}`,
    );
  }
}

/** Momentum (log change per day) at index i: from the latest value at least l days earlier. */
function momentum(logs: Float64Array, days: Float64Array, i: number, l: number): number {
  const limit = days[i] - l;
  // Latest j < i with days[j] <= limit (binary search: days are non-decreasing).
  let lo = 0;
  let hi = i;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (days[mid] <= limit) lo = mid + 1;
    else hi = mid;
  }
  const j = lo - 1;
  if (j < 0) return 0;
  return (logs[i] - logs[j]) / (days[i] - days[j]);
}

/**
 * The point forecast (log space) of the target day's price at `state.now`: a
 * point mass at the reported price when the target day is already published,
 * else the momentum random walk (see the module docs).
 *
 * @throws {RangeError} when no price is known at `now` or the params are invalid.
 */
export function gasForecast(state: GasState, params: GasParams): PointForecast {
  checkMomentumDays(params.momentumDays);
  if (!Number.isFinite(params.beta)) {
    throw new RangeError(
      `Cannot use the gas model: beta must be finite, current value is ${params.beta}`,
    );
  }
  // Only the recent past matters: enough values to span the momentum look-back.
  const ps = latestBefore(state.prices, state.now + 1, params.momentumDays + 16, "forecast gas");
  if (ps.length === 0) {
    throw new RangeError(
      `Cannot forecast gas: no price is known at ${state.now}, current value is 0 prices`,
    );
  }
  const target = gasTargetDay(state.closeTs);
  const days = observationDays(ps);
  const n = ps.length;
  for (let i = n - 1; i >= 0 && days[i] >= target; i--) {
    if (days[i] === target) {
      const reported = Math.round(ps[i].value / GAS_STEP) * GAS_STEP;
      return { center: Math.log(reported), scale: 0, df: Infinity, log: true };
    }
  }
  const logs = logsOf(ps);
  const h = Math.max(1, target - days[n - 1]);
  const m = momentum(logs, days, n - 1, params.momentumDays);
  return {
    center: logs[n - 1] + params.beta * m * h,
    scale: params.scale * Math.sqrt(h),
    df: params.df,
    log: true,
  };
}

function calibrateGas(history: readonly Observation[], options: GasCalibrateOptions): GasParams {
  const l = options.momentumDays ?? DEFAULT_GAS_PARAMS.momentumDays;
  checkMomentumDays(l);
  const ps = observationsBefore(history, options.cutoffTs, "calibrate gas");
  const days = observationDays(ps);
  const logs = logsOf(ps);
  const x: number[][] = [];
  const y: number[] = [];
  const prec: number[] = [];
  const idx: number[] = [];
  for (let i = 1; i < ps.length; i++) {
    const h = days[i] - days[i - 1];
    if (h < 1) continue; // a second value for the same day: not a step
    x.push([momentum(logs, days, i - 1, l) * h]);
    y.push(logs[i] - logs[i - 1]);
    prec.push(1 / h);
    idx.push(i);
  }
  let beta = options.beta;
  if (beta === undefined) {
    let any = false;
    for (const r of x) if (r[0] !== 0) any = true;
    beta = any && x.length >= 5 ? robustLinearFit(x, y, { df: 4, precision: prec }).coef[0] : 0;
  } else if (!Number.isFinite(beta)) {
    throw new RangeError(`Cannot calibrate gas: beta must be finite, current value is ${beta}`);
  }
  const points: ForecastPoint[] = idx.map((i, k) => ({
    center: logs[i - 1] + beta! * x[k][0],
    multiplier: Math.sqrt(1 / prec[k]),
    value: ps[i].value,
  }));
  const fit = fitErrorModel(points, {
    step: GAS_STEP,
    binWidth: options.binWidth ?? 0.01,
    log: true,
    df: options.df,
  });
  return { momentumDays: l, beta, scale: fit.scale, df: fit.df, fit: fit.fit };
}

/** The gas family model (see the module docs). */
export const gasModel: FamilyModel<GasParams, GasState> & {
  calibrate(history: readonly Observation[], options: GasCalibrateOptions): GasParams;
} = {
  name: "gas",
  calibrate: calibrateGas,
  pmf(state: GasState, params: GasParams, ladder: Ladder, out?: Float64Array): Float64Array {
    return pointPmf(ladder, gasForecast(state, params), GAS_STEP, out);
  },
};
