/**
 * The CPI (KXCPI, m/m) model: a point forecast of the month's CPI-U m/m % change
 * (a nowcast when one is known for the target month, else the mean of the last
 * `window` prints) plus a Student-t error fitted by maximum likelihood on past
 * forecast errors, discretized onto the event's bins after rounding to one
 * decimal (a print of 0.2 settles "greater than 0.2" NO).
 *
 * History: the prints, each `{ ts, value }` with ts the release time (BLS, about
 * mid-month M+1 at 08:30 ET for month M) and value the m/m % change to as many
 * decimals as known (settlement rounds it to 0.1). Data dated by reference
 * month (FRED: the 1st of M) gets ts = {@link cpiReleaseTs}: the 15th of M+1 at
 * 08:30 ET, an approximation that is on or after the actual release date in
 * nearly every month (releases fall on the 10th-15th), so it never looks ahead.
 *
 * Months: a print released in Eastern month R is the print of month R - 1; the
 * event closing in Eastern month C targets month C - 1 (KXCPI closes minutes
 * before the release).
 *
 * @example
 * ```ts
 * import { cpiModel, DEFAULT_CPI_PARAMS } from "./model.ts";
 * declare const prints: { ts: number; value: number }[];
 * declare const ladder: import("../../lib/market/ladder.ts").Ladder;
 * const params = cpiModel.calibrate(prints, { cutoffTs: Date.UTC(2025, 6, 1) });
 * const pmf = cpiModel.pmf({ now: Date.UTC(2025, 6, 1), closeTs: Date.UTC(2025, 7, 12, 12, 29), prints }, params, ladder);
 * ```
 *
 * @module
 */

import type { Ladder } from "../../lib/market/ladder.ts";
import { type PointForecast, pointPmf } from "../../lib/pricing/point_pmf.ts";
import { easternMonthIndex, easternWallToUtc } from "../../lib/time/eastern.ts";
import {
  type CalibrateOptions,
  type FamilyModel,
  type FitStats,
  latestBefore,
  type Observation,
  observationsBefore,
} from "../family.ts";
import { fitErrorModel, type ForecastPoint } from "../point_error/error_model.ts";

/** Reporting precision of the m/m change (percentage points). */
export const CPI_STEP = 0.1;

/** Series this model prices. */
export const CPI_SERIES: readonly string[] = ["KXCPI"];

/** A fitted (or hand-set) error model. */
export interface ErrorParams {
  readonly scale: number;
  /** Student-t degrees of freedom (Infinity: the normal). */
  readonly df: number;
  /** Fit statistics when calibrated. */
  readonly fit?: FitStats;
}

/** Parameters of the CPI model. */
export interface CpiParams {
  /** Number of latest prints averaged into the trend forecast. */
  readonly window: number;
  /** Error of the trend forecast. */
  readonly trend: ErrorParams;
  /** Error of the nowcast, when nowcasts are used. */
  readonly nowcast?: ErrorParams;
}

/** Hand-set defaults (m/m errors of roughly 0.2 pp, t with 5 df). */
export const DEFAULT_CPI_PARAMS: CpiParams = Object.freeze({
  window: 6,
  trend: Object.freeze({ scale: 0.2, df: 5 }),
  nowcast: Object.freeze({ scale: 0.1, df: 5 }),
});

/** What is known at decision time. */
export interface CpiState {
  readonly now: number;
  /** Close of the event (its markets' close time); it fixes the target month. */
  readonly closeTs: number;
  /** Prints (ts = release time), in time order; those after `now` are ignored. */
  readonly prints: readonly Observation[];
  /** Nowcasts (ts = publication time); a nowcast targets the first print released after it. */
  readonly nowcasts?: readonly Observation[];
}

/** Options of {@link cpiModel}.calibrate. */
export interface CpiCalibrateOptions extends CalibrateOptions {
  /** Trend window (default DEFAULT_CPI_PARAMS.window). */
  readonly window?: number;
  /** Nowcasts; with at least 5 matched to prints the nowcast error is fitted too. */
  readonly nowcasts?: readonly Observation[];
  /** Fix the Student-t df (Infinity: the normal). */
  readonly df?: number;
  /** Bin width of the in-sample log loss (default 0.1). */
  readonly binWidth?: number;
}

/** Release time assumed for the print of month `refMonth` (months since Jan 1970): the 15th of the next month, 08:30 ET. */
export function cpiReleaseTs(refMonth: number): number {
  const next = refMonth + 1;
  const year = 1970 + Math.floor(next / 12);
  const month = next - Math.floor(next / 12) * 12 + 1;
  return easternWallToUtc(year, month, 15, 8, 30);
}

/** The reference month (months since Jan 1970) of a print released at ts. */
export function cpiRefMonth(releaseTs: number): number {
  return easternMonthIndex(releaseTs) - 1;
}

/** The month an event closing at closeTs settles on. */
export function cpiTargetMonth(closeTs: number): number {
  return easternMonthIndex(closeTs) - 1;
}

function checkWindow(window: number): void {
  if (!Number.isInteger(window) || window < 1) {
    throw new RangeError(
      `Cannot use the CPI model: window must be an integer >= 1, current value is ${window}`,
    );
  }
}

function mean(xs: readonly Observation[], from: number, to: number): number {
  let s = 0;
  for (let i = from; i < to; i++) s += xs[i].value;
  return s / (to - from);
}

/** The latest nowcast with prevTs < ts < untilTs (exclusive), or undefined. */
function nowcastBetween(
  nowcasts: readonly Observation[],
  prevTs: number,
  untilTs: number,
): Observation | undefined {
  for (let j = nowcasts.length - 1; j >= 0; j--) {
    const n = nowcasts[j];
    if (n.ts >= untilTs) continue;
    return n.ts > prevTs ? n : undefined;
  }
  return undefined;
}

/**
 * The point forecast of the target month at `state.now`, in percentage points:
 * a point mass at the reported (rounded) print when the target month is already
 * published; the
 * nowcast (with the nowcast error) when one was published after the last print
 * and the target is the next print; else the mean of the last `window` prints
 * (fewer when fewer are known) with the trend error. Two or more months ahead,
 * the trend forecast and error are used unchanged (a stated simplification).
 *
 * @throws {RangeError} when no print is known at `now`, or the window is invalid.
 */
export function cpiForecast(state: CpiState, params: CpiParams): PointForecast {
  checkWindow(params.window);
  // Only the recent past matters: the trend window and a published target month.
  const prints = latestBefore(state.prints, state.now + 1, params.window + 4, "forecast CPI");
  if (prints.length === 0) {
    throw new RangeError(
      `Cannot forecast CPI: no print is known at ${state.now}, current value is 0 prints`,
    );
  }
  const target = cpiTargetMonth(state.closeTs);
  for (let i = prints.length - 1; i >= 0; i--) {
    if (cpiRefMonth(prints[i].ts) === target) {
      // A point mass at the reported value (rounded half up, as the settlement).
      return {
        center: Math.round(prints[i].value / CPI_STEP) * CPI_STEP,
        scale: 0,
        df: Infinity,
        log: false,
      };
    }
  }
  const last = prints[prints.length - 1];
  if (
    params.nowcast !== undefined && state.nowcasts !== undefined &&
    cpiRefMonth(last.ts) + 1 === target
  ) {
    const known = latestBefore(state.nowcasts, state.now + 1, 4, "forecast CPI");
    const n = nowcastBetween(known, last.ts, Infinity);
    if (n !== undefined) {
      return { center: n.value, scale: params.nowcast.scale, df: params.nowcast.df, log: false };
    }
  }
  const from = Math.max(0, prints.length - params.window);
  return {
    center: mean(prints, from, prints.length),
    scale: params.trend.scale,
    df: params.trend.df,
    log: false,
  };
}

/**
 * Fit the trend error (and the nowcast error, with nowcasts) on prints with
 * ts < cutoff. Trend residual of print i (i >= window): the print minus the mean
 * of the `window` prints before it. Nowcast residual: the print minus the latest
 * nowcast published between the previous print and it (and before the cutoff).
 *
 * @throws {RangeError} with fewer than 5 trend residuals, a bad window, or bad
 * history.
 */
function calibrateCpi(history: readonly Observation[], options: CpiCalibrateOptions): CpiParams {
  const window = options.window ?? DEFAULT_CPI_PARAMS.window;
  checkWindow(window);
  const prints = observationsBefore(history, options.cutoffTs, "calibrate CPI");
  const opts = {
    step: CPI_STEP,
    binWidth: options.binWidth ?? CPI_STEP,
    log: false,
    df: options.df,
  };
  const trendPoints: ForecastPoint[] = [];
  for (let i = window; i < prints.length; i++) {
    trendPoints.push({
      center: mean(prints, i - window, i),
      multiplier: 1,
      value: prints[i].value,
    });
  }
  const trend = fitErrorModel(trendPoints, opts);
  let nowcast: ErrorParams | undefined;
  if (options.nowcasts !== undefined) {
    const nowcasts = observationsBefore(options.nowcasts, options.cutoffTs, "calibrate CPI");
    const points: ForecastPoint[] = [];
    for (let i = 1; i < prints.length; i++) {
      const n = nowcastBetween(nowcasts, prints[i - 1].ts, prints[i].ts);
      if (n !== undefined) points.push({ center: n.value, multiplier: 1, value: prints[i].value });
    }
    if (points.length >= 5) {
      const f = fitErrorModel(points, opts);
      nowcast = { scale: f.scale, df: f.df, fit: f.fit };
    }
  }
  return {
    window,
    trend: { scale: trend.scale, df: trend.df, fit: trend.fit },
    ...(nowcast !== undefined ? { nowcast } : {}),
  };
}

/** The CPI family model (see the module docs). */
export const cpiModel: FamilyModel<CpiParams, CpiState> & {
  calibrate(history: readonly Observation[], options: CpiCalibrateOptions): CpiParams;
} = {
  name: "cpi",
  calibrate: calibrateCpi,
  pmf(state: CpiState, params: CpiParams, ladder: Ladder, out?: Float64Array): Float64Array {
    return pointPmf(ladder, cpiForecast(state, params), CPI_STEP, out);
  },
};

/**
 * CPI-U m/m % changes from a monthly index (FRED CPIAUCSL: `{ month, index }`
 * with month as months since Jan 1970), as prints with ts = {@link cpiReleaseTs}.
 * A month whose index or previous index is missing gives no print.
 */
export function cpiPrintsFromIndex(
  rows: readonly { month: number; index: number }[],
): Observation[] {
  const byMonth = new Map<number, number>();
  for (const r of rows) if (Number.isFinite(r.index) && r.index > 0) byMonth.set(r.month, r.index);
  const months = [...byMonth.keys()].sort((a, b) => a - b);
  const out: Observation[] = [];
  for (const m of months) {
    const prev = byMonth.get(m - 1);
    if (prev === undefined) continue;
    out.push({ ts: cpiReleaseTs(m), value: 100 * (byMonth.get(m)! / prev - 1) });
  }
  return out;
}
