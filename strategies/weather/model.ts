/**
 * The NYC high-temperature (KXHIGHNY) model: the Central Park daily maximum,
 * reported by the NWS daily climate report in whole degrees F, as a PMF over an
 * event's ladder (2-degree bins plus two tails).
 *
 * The distribution at decision time, by what is known (first that applies):
 * 1. `observed`: the target day's value is published: a point mass on it.
 * 2. `forecast`: a forecast batch for the target day (ensemble members, or one
 *    member for a point forecast): the members minus `bias`, each smoothed by
 *    a normal kernel of sd `bandwidth` (strategies/weather/ensemble.ts).
 * 3. `climatology`: the values of the days within `climWindowDays` of the
 *    target's calendar day in earlier seasons (at most `climYears` back, 0 =
 *    all), each smoothed by a normal kernel of sd `climBandwidth`
 *    (strategies/weather/climatology.ts). Only days published by the decision
 *    time count, so it is walk-forward by construction.
 * 4. `recent` (documented fallback when there is no climatology sample): the
 *    last 30 published values, kernel sd max(climBandwidth, 5).
 * The continuous value is then reported in whole degrees (X in [k - 1/2,
 * k + 1/2) is reported as k) and summed into the ladder's bins
 * (lib/pricing/point_pmf.ts with step 1): bins holding no whole degree get 0.
 *
 * Calibration (`calibrate`, history strictly before the cutoff): the
 * climatology bandwidth by leave-one-season-out maximum likelihood, and the
 * forecast bias and bandwidth by maximum likelihood on the days that carry a
 * forecast batch. A part with too little data (fewer than `minClimDays` scored
 * days, fewer than `minForecastDays` forecast days) keeps its value from
 * `options.initial` (default {@link DEFAULT_WEATHER_PARAMS}) and reports no
 * fit; when neither part can be fitted calibrate throws.
 *
 * Publication convention: the value of day D is taken as known at 06:00 ET on
 * D + 1 ({@link weatherPublishTs}; the NWS issues the final daily climate
 * report for Central Park after midnight). An `underlying` observation
 * published at ts refers to the Eastern day before ts's Eastern day.
 *
 * @example
 * ```ts
 * import { weatherModel } from "./model.ts";
 * declare const history: import("./model.ts").WeatherDay[];
 * const params = weatherModel.calibrate(history, { cutoffTs: Date.UTC(2024, 0, 1) });
 * ```
 *
 * @module
 */

import type { Ladder } from "../../lib/market/ladder.ts";
import type { Distribution } from "../../lib/pricing/distribution.ts";
import { pointErrorPmf } from "../../lib/pricing/point_pmf.ts";
import { dayDate, dayNumber, easternDayNumber, easternDayTime } from "../../lib/time/eastern.ts";
import type { CalibrateOptions, FamilyModel, FitStats } from "../family.ts";
import { climatologySamples, fitClimatologyBandwidth } from "./climatology.ts";
import { ensembleMixture, fitEnsembleError, MIN_FORECAST_DAYS } from "./ensemble.ts";
import { KernelMixture } from "./kernel.ts";
import { MONTH_CODES } from "../../lib/market/date_code.ts";

/** Series this model prices. */
export const WEATHER_SERIES: readonly string[] = ["KXHIGHNY"];

/** Reporting precision: whole degrees F. */
export const WEATHER_STEP = 1;

/** Values used by the `recent` fallback, and its smallest bandwidth. */
export const RECENT_DAYS = 30;
const RECENT_MIN_BANDWIDTH = 5;

/** Parameters of the weather model. */
export interface WeatherParams {
  /** Mean excess of the forecast members over the observed value (degrees F). */
  readonly bias: number;
  /** Kernel sd around each bias-corrected member (degrees F). */
  readonly bandwidth: number;
  /** Half-width of the climatology's calendar window (days, 0..90). */
  readonly climWindowDays: number;
  /** Kernel sd of the climatology (degrees F). */
  readonly climBandwidth: number;
  /** Climatology seasons used, latest first (0: all). */
  readonly climYears: number;
  /** Fit of the forecast part (absent when it kept its initial values). */
  readonly forecastFit?: FitStats;
  /** Fit of the climatology bandwidth (absent when it kept its initial value). */
  readonly climFit?: FitStats;
}

/** Hand-set defaults: unbiased members, 2.5 F kernels, +/- 15-day climatology of all years. */
export const DEFAULT_WEATHER_PARAMS: WeatherParams = Object.freeze({
  bias: 0,
  bandwidth: 2.5,
  climWindowDays: 15,
  climBandwidth: 2.5,
  climYears: 0,
});

/** One observed day (the family's history entry). */
export interface WeatherDay {
  /** Publication time of the value (ms). */
  readonly ts: number;
  /** Day number of the observed day. */
  readonly day: number;
  /** Observed maximum, whole degrees F. */
  readonly value: number;
  /** The last forecast batch for the day published before `ts`, if any. */
  readonly members?: readonly number[];
}

/** What is known at decision time. */
export interface WeatherState {
  readonly now: number;
  /** Day number of the day whose maximum the event settles on. */
  readonly targetDay: number;
  /** Observed days in publication order; those with ts > now are ignored. */
  readonly history: readonly WeatherDay[];
  /** The latest forecast batch for the target day published by `now` (absent: none). */
  readonly members?: readonly number[];
}

/** Where the distribution came from (module docs). */
export type WeatherSource = "observed" | "forecast" | "climatology" | "recent";

/** Options of {@link weatherModel}.calibrate. */
export interface WeatherCalibrateOptions extends CalibrateOptions {
  /** Values of the parts that cannot be fitted, and the window and years (default the defaults). */
  readonly initial?: WeatherParams;
  /** Fix the forecast bias. */
  readonly bias?: number;
  /** Fix the forecast bandwidth. */
  readonly bandwidth?: number;
  /** Fix the climatology bandwidth. */
  readonly climBandwidth?: number;
  /** Fewest scored days to fit the climatology (default 30). */
  readonly minClimDays?: number;
  /** Fewest forecast days to fit bias and bandwidth (default 20). */
  readonly minForecastDays?: number;
}

/** Publication time of the value of day `day`: 06:00 ET the next day. */
export function weatherPublishTs(day: number): number {
  return easternDayTime(day + 1, 6, 0);
}

/** The day an observation published at `ts` refers to: the Eastern day before ts's. */
export function observedDayOf(ts: number): number {
  return easternDayNumber(ts) - 1;
}

const DATE_CODE = /-(\d{2})([A-Z]{3})(\d{2})(?:$|-)/;

/**
 * The day an event settles on: the date code of its ticker (`KXHIGHNY-25AUG12`
 * is 2025-08-12), else the Eastern day of the instant before its close.
 *
 * @throws {RangeError} when the ticker has no valid date code and closeTs is not finite.
 */
export function weatherTargetDay(event: string, closeTs: number): number {
  const m = DATE_CODE.exec(event);
  if (m !== null) {
    const month = MONTH_CODES.indexOf(m[2]) + 1;
    const day = Number(m[3]);
    if (month > 0 && day >= 1 && day <= 31) {
      const n = dayNumber(2000 + Number(m[1]), month, day);
      if (dayDate(n).day === day) return n;
    }
  }
  if (!Number.isFinite(closeTs)) {
    throw new RangeError(
      `Cannot find the target day of ${event}: no date code in the ticker and no close time, current value is ${closeTs}`,
    );
  }
  return easternDayNumber(closeTs - 1);
}

function fail(action: string, detail: string, value: unknown): never {
  throw new RangeError(`Cannot ${action}: ${detail}, current value is ${value}`);
}

/** Throws unless the parameters are usable. */
export function checkWeatherParams(action: string, p: WeatherParams): void {
  if (!Number.isFinite(p.bias)) fail(action, "bias must be finite", p.bias);
  if (!(p.bandwidth > 0) || !Number.isFinite(p.bandwidth)) {
    fail(action, "bandwidth must be finite and > 0", p.bandwidth);
  }
  if (!Number.isInteger(p.climWindowDays) || p.climWindowDays < 0 || p.climWindowDays > 90) {
    fail(action, "climWindowDays must be an integer in 0..90", p.climWindowDays);
  }
  if (!(p.climBandwidth > 0) || !Number.isFinite(p.climBandwidth)) {
    fail(action, "climBandwidth must be finite and > 0", p.climBandwidth);
  }
  if (!Number.isInteger(p.climYears) || p.climYears < 0) {
    fail(action, "climYears must be an integer >= 0", p.climYears);
  }
}

/** The history entries with ts < cutoff, after checking the whole history. */
function daysBefore(history: readonly WeatherDay[], cutoff: number, action: string): WeatherDay[] {
  if (typeof cutoff !== "number" || Number.isNaN(cutoff)) {
    fail(action, "the cutoff must be a number", cutoff);
  }
  const out: WeatherDay[] = [];
  let prev = -Infinity;
  for (let i = 0; i < history.length; i++) {
    const d = history[i];
    if (!Number.isSafeInteger(d.ts)) fail(action, `history[${i}].ts must be an integer ms`, d.ts);
    if (d.ts < prev) {
      fail(action, `history must be in time order, history[${i}].ts goes back`, d.ts);
    }
    prev = d.ts;
    if (!Number.isInteger(d.day)) fail(action, `history[${i}].day must be a day number`, d.day);
    if (!Number.isInteger(d.value)) {
      fail(action, `history[${i}].value must be a whole degree`, d.value);
    }
    if (d.ts < cutoff) out.push(d);
  }
  return out;
}

function pointMass(v: number): Distribution {
  return { cdf: (x: number) => (Number.isNaN(x) ? NaN : x >= v ? 1 : 0) };
}

const shared = new KernelMixture();

/**
 * The distribution of the target day's maximum at `state.now` and where it came
 * from (module docs). The returned distribution may be a shared instance:
 * use it before the next call.
 *
 * @throws {RangeError} for invalid params, an unordered or invalid history, a
 * non-finite member, or when nothing at all is known at `now`.
 */
export function weatherDistribution(
  state: WeatherState,
  params: WeatherParams,
): { dist: Distribution; source: WeatherSource } {
  const action = "forecast the NYC high";
  checkWeatherParams(action, params);
  if (!Number.isInteger(state.targetDay)) {
    fail(action, "targetDay must be an integer day number", state.targetDay);
  }
  const known = daysBefore(state.history, state.now + 1, action);
  for (let i = known.length - 1; i >= 0; i--) {
    if (known[i].day === state.targetDay) {
      return { dist: pointMass(known[i].value), source: "observed" };
    }
  }
  if (state.members !== undefined && state.members.length > 0) {
    return {
      dist: ensembleMixture(state.members, params.bias, params.bandwidth, shared),
      source: "forecast",
    };
  }
  const samples = climatologySamples(
    known,
    state.targetDay,
    params.climWindowDays,
    params.climYears,
  );
  if (samples.length > 0) {
    return { dist: shared.set(samples, undefined, params.climBandwidth), source: "climatology" };
  }
  if (known.length === 0) {
    fail(action, `nothing is known at ${state.now} (no forecast, no observed day)`, 0);
  }
  const recent = known.slice(-RECENT_DAYS).map((d) => d.value);
  return {
    dist: shared.set(recent, undefined, Math.max(params.climBandwidth, RECENT_MIN_BANDWIDTH)),
    source: "recent",
  };
}

function calibrateWeather(
  history: readonly WeatherDay[],
  options: WeatherCalibrateOptions,
): WeatherParams {
  const action = "calibrate the NYC high";
  const init = options.initial ?? DEFAULT_WEATHER_PARAMS;
  checkWeatherParams(action, init);
  const minClim = options.minClimDays ?? 30;
  const minFc = options.minForecastDays ?? 20;
  if (!Number.isInteger(minClim) || minClim < 2) {
    fail(action, "minClimDays must be an integer >= 2", minClim);
  }
  if (!Number.isInteger(minFc) || minFc < MIN_FORECAST_DAYS) {
    fail(action, `minForecastDays must be an integer >= ${MIN_FORECAST_DAYS}`, minFc);
  }
  const days = daysBefore(history, options.cutoffTs, action);

  let climBandwidth = init.climBandwidth;
  let climFit: FitStats | undefined;
  try {
    const c = fitClimatologyBandwidth(days, {
      windowDays: init.climWindowDays,
      ...(options.climBandwidth !== undefined ? { bandwidth: options.climBandwidth } : {}),
    });
    if (c.fit.n >= minClim) {
      climBandwidth = c.bandwidth;
      climFit = c.fit;
    }
  } catch (e) {
    if (!(e instanceof RangeError) || !/at least 2 days/.test(e.message)) throw e;
  }
  if (options.climBandwidth !== undefined && climFit === undefined) {
    climBandwidth = options.climBandwidth; // fixed, even without data to score it
  }

  let bias = options.bias ?? init.bias;
  let bandwidth = options.bandwidth ?? init.bandwidth;
  let forecastFit: FitStats | undefined;
  const fc = days.filter((d) => d.members !== undefined && d.members.length > 0) as {
    members: readonly number[];
    value: number;
  }[];
  if (fc.length >= minFc) {
    const f = fitEnsembleError(fc, {
      ...(options.bias !== undefined ? { bias: options.bias } : {}),
      ...(options.bandwidth !== undefined ? { bandwidth: options.bandwidth } : {}),
    });
    bias = f.bias;
    bandwidth = f.bandwidth;
    forecastFit = f.fit;
  }
  if (climFit === undefined && forecastFit === undefined) {
    fail(
      action,
      `too little history before the cutoff (need ${minClim} days with climatology samples or ${minFc} forecast days)`,
      `${days.length} days, ${fc.length} with a forecast`,
    );
  }
  const out: WeatherParams = {
    bias,
    bandwidth,
    climWindowDays: init.climWindowDays,
    climBandwidth,
    climYears: init.climYears,
    ...(forecastFit !== undefined ? { forecastFit } : {}),
    ...(climFit !== undefined ? { climFit } : {}),
  };
  checkWeatherParams(action, out);
  return out;
}

/** The NYC high family model (see the module docs). */
export const weatherModel: FamilyModel<WeatherParams, WeatherState, WeatherDay> & {
  calibrate(history: readonly WeatherDay[], options: WeatherCalibrateOptions): WeatherParams;
} = {
  name: "weather",
  calibrate: calibrateWeather,
  pmf(
    state: WeatherState,
    params: WeatherParams,
    ladder: Ladder,
    out?: Float64Array,
  ): Float64Array {
    return pointErrorPmf(ladder, weatherDistribution(state, params).dist, WEATHER_STEP, out);
  },
};
