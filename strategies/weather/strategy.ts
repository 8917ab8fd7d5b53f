/**
 * The NYC high-temperature ladder strategy (KXHIGHNY): collects the observed
 * daily maxima and the forecast batches as they are published, recalibrates the
 * weather model when a new maximum arrives, and at decision times publishes the
 * model's PMF for each open event and takes the touch where the fee-aware EV
 * clears the edge (the shared point-forecast strategy,
 * strategies/point_error/strategy.ts, and taker, strategies/taker.ts).
 *
 * Tape conventions (`underlying` events):
 * - `obsSymbol` (default `NYC_TMAX`): the observed maximum of the Eastern day
 *   before its Eastern publication day (the NWS final report, published the
 *   next morning), rounded to a whole degree.
 * - `<forecastSymbol>_D<L>` for L = 0, 1, 2 (default prefix `NYC_TMAX_ENS`):
 *   one forecast member for the Eastern day L days after its publication day;
 *   the members of one batch share a timestamp (a point forecast is a batch of
 *   one). A batch is used from the first instant after its timestamp, so a
 *   batch still arriving is never used half-complete; the latest batch for the
 *   target day, over all leads, wins.
 *
 * @example
 * ```ts
 * import { WeatherStrategy } from "./strategy.ts";
 * const s = new WeatherStrategy({ climWindowDays: 21 });
 * ```
 *
 * @module
 */

import type { Observation } from "../family.ts";
import {
  DEFAULT_POINT_STRATEGY_PARAMS,
  type PointData,
  PointErrorStrategy,
  type PointFamilyBinding,
  type PointStrategyParams,
  requireParam,
  requireSymbols,
} from "../point_error/strategy.ts";
import { observationDay } from "../observation_day.ts";
import {
  checkWeatherParams,
  observedDayOf,
  WEATHER_SERIES,
  type WeatherDay,
  weatherModel,
  type WeatherParams,
  weatherTargetDay,
} from "./model.ts";

/** Forecast leads (days after publication) whose symbols are collected. */
export const FORECAST_LEADS: readonly number[] = [0, 1, 2];

/** Parameters of {@link WeatherStrategy}: the shared ones plus the model's. */
export interface WeatherStrategyParams extends PointStrategyParams {
  /** Symbol of the observed daily maxima. */
  obsSymbol: string;
  /** Prefix of the forecast symbols (`<prefix>_D0`, `_D1`, `_D2`). */
  forecastSymbol: string;
  /** Forecast bias until calibrated (degrees F). */
  bias: number;
  /** Forecast kernel sd until calibrated (degrees F). */
  bandwidth: number;
  /** Climatology window half-width (days). */
  climWindowDays: number;
  /** Climatology kernel sd until calibrated (degrees F). */
  climBandwidth: number;
  /** Climatology seasons used (0: all). */
  climYears: number;
  /** Fewest forecast days before bias and bandwidth are fitted. */
  minForecastDays: number;
}

/** Defaults of {@link WeatherStrategyParams}. */
export const DEFAULT_WEATHER_STRATEGY_PARAMS: WeatherStrategyParams = Object.freeze({
  ...DEFAULT_POINT_STRATEGY_PARAMS,
  minCalibrationObs: 60,
  calibrationWindow: 0,
  obsSymbol: "NYC_TMAX",
  forecastSymbol: "NYC_TMAX_ENS",
  bias: 0,
  bandwidth: 2.5,
  climWindowDays: 15,
  climBandwidth: 2.5,
  climYears: 0,
  minForecastDays: 20,
});

function validate(p: WeatherStrategyParams): void {
  const req = (ok: boolean, name: string, rule: string, v: unknown) =>
    requireParam("WeatherStrategy", ok, name, rule, v);
  requireSymbols("WeatherStrategy", p, ["obsSymbol", "forecastSymbol"]);
  req(Number.isFinite(p.bias), "bias", "finite", p.bias);
  req(p.bandwidth > 0 && Number.isFinite(p.bandwidth), "bandwidth", "finite and > 0", p.bandwidth);
  req(
    Number.isInteger(p.climWindowDays) && p.climWindowDays >= 0 && p.climWindowDays <= 90,
    "climWindowDays",
    "an integer in 0..90",
    p.climWindowDays,
  );
  req(
    p.climBandwidth > 0 && Number.isFinite(p.climBandwidth),
    "climBandwidth",
    "finite and > 0",
    p.climBandwidth,
  );
  req(
    Number.isInteger(p.climYears) && p.climYears >= 0,
    "climYears",
    "an integer >= 0",
    p.climYears,
  );
  req(
    Number.isInteger(p.minForecastDays) && p.minForecastDays >= 5,
    "minForecastDays",
    "an integer >= 5",
    p.minForecastDays,
  );
}

/** A forecast batch: the members published together at ts. */
export interface ForecastBatch {
  readonly ts: number;
  readonly members: number[];
}

/** Index of the first entry of `list` with ts >= t (list in time order). */
function firstAtOrAfter(list: readonly Observation[], t: number): number {
  let lo = 0;
  let hi = list.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (list[mid].ts < t) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The latest complete forecast batch for `targetDay` with ts < `before`, over
 * every lead symbol in `aux` (see the module docs), or undefined.
 */
export function latestBatch(
  aux: ReadonlyMap<string, readonly Observation[]>,
  prefix: string,
  targetDay: number,
  before: number,
): ForecastBatch | undefined {
  let best: ForecastBatch | undefined;
  for (const lead of FORECAST_LEADS) {
    const list = aux.get(`${prefix}_D${lead}`);
    if (list === undefined) continue;
    for (let i = firstAtOrAfter(list, before) - 1; i >= 0; i--) {
      const o = list[i];
      if (best !== undefined && o.ts <= best.ts) break;
      const target = observationDay(o) + lead;
      if (target < targetDay) break; // earlier entries target earlier days
      if (target !== targetDay) continue;
      const members: number[] = [];
      let j = i;
      while (j >= 0 && list[j].ts === o.ts) j--;
      for (let k = j + 1; k <= i; k++) members.push(list[k].value);
      best = { ts: o.ts, members };
      break;
    }
  }
  return best;
}

/** Every complete batch of every lead, by target day, each list in time order. */
export function batchesByTarget(
  aux: ReadonlyMap<string, readonly Observation[]>,
  prefix: string,
): Map<number, ForecastBatch[]> {
  const out = new Map<number, ForecastBatch[]>();
  for (const lead of FORECAST_LEADS) {
    const list = aux.get(`${prefix}_D${lead}`);
    if (list === undefined) continue;
    for (let i = 0; i < list.length;) {
      const ts = list[i].ts;
      const target = observationDay(list[i]) + lead;
      const members: number[] = [];
      for (; i < list.length && list[i].ts === ts; i++) members.push(list[i].value);
      let l = out.get(target);
      if (l === undefined) out.set(target, l = []);
      l.push({ ts, members });
    }
  }
  for (const l of out.values()) if (l.length > 1) l.sort((a, b) => a.ts - b.ts);
  return out;
}

/**
 * The observed days of the main symbol, each with its final batch (ts before its
 * own). Values are rounded to whole degrees (the report's precision).
 */
export function weatherHistory(data: PointData, prefix: string): WeatherDay[] {
  const batches = batchesByTarget(data.aux, prefix);
  return data.main.map((o) => {
    const day = observedDayOf(o.ts);
    const value = Math.round(o.value);
    const list = batches.get(day);
    let b: ForecastBatch | undefined;
    if (list !== undefined) {
      for (let i = list.length - 1; i >= 0 && b === undefined; i--) {
        if (list[i].ts < o.ts) b = list[i];
      }
    }
    return b === undefined
      ? { ts: o.ts, day, value }
      : { ts: o.ts, day, value, members: b.members };
  });
}

/** How the weather model plugs into the shared point-forecast strategy. */
export function weatherBinding(p: WeatherStrategyParams): PointFamilyBinding<WeatherParams> {
  const initial: WeatherParams = {
    bias: p.bias,
    bandwidth: p.bandwidth,
    climWindowDays: p.climWindowDays,
    climBandwidth: p.climBandwidth,
    climYears: p.climYears,
  };
  checkWeatherParams("create WeatherStrategy", initial);
  // The history only changes when a new maximum is published: cache on it.
  let histKey = "";
  let hist: WeatherDay[] = [];
  const historyOf = (data: PointData): WeatherDay[] => {
    const last = data.main.at(-1);
    const key = `${data.main.length}:${data.main[0]?.ts}:${last?.ts}`;
    if (key !== histKey) {
      hist = weatherHistory(data, p.forecastSymbol);
      histKey = key;
    }
    return hist;
  };
  let fitKey = "";
  let fitted: { params: WeatherParams } | { error: RangeError } | undefined;
  return {
    series: WEATHER_SERIES,
    symbol: p.obsSymbol,
    auxSymbols: FORECAST_LEADS.map((l) => `${p.forecastSymbol}_D${l}`),
    initialParams: initial,
    // The fit only changes with the history (everything seen is before the
    // cutoff), so forecast batches arriving in between do not refit.
    calibrate: (data, cutoffTs) => {
      const days = historyOf(data);
      if (fitKey !== histKey || fitted === undefined) {
        fitKey = histKey;
        try {
          fitted = {
            params: weatherModel.calibrate(days, {
              cutoffTs,
              initial,
              minForecastDays: p.minForecastDays,
            }),
          };
        } catch (e) {
          if (!(e instanceof RangeError)) throw e;
          fitted = { error: e };
        }
      }
      if ("error" in fitted) throw fitted.error;
      return fitted.params;
    },
    pmf: (now, closeTs, data, params, ladder, out) => {
      const targetDay = weatherTargetDay(ladder.event, closeTs);
      const batch = latestBatch(data.aux, p.forecastSymbol, targetDay, now);
      return weatherModel.pmf(
        {
          now,
          targetDay,
          history: historyOf(data),
          ...(batch !== undefined ? { members: batch.members } : {}),
        },
        params,
        ladder,
        out,
      );
    },
  };
}

/** KXHIGHNY ladders: bias-corrected kernel-smoothed forecast members or climatology. */
export class WeatherStrategy extends PointErrorStrategy<WeatherParams> {
  readonly config: Readonly<WeatherStrategyParams>;

  constructor(params: Partial<WeatherStrategyParams> = {}) {
    const p: WeatherStrategyParams = { ...DEFAULT_WEATHER_STRATEGY_PARAMS, ...params };
    validate(p);
    super("weather", weatherBinding(p), p, { ...p });
    this.config = Object.freeze(p);
  }
}
