/**
 * Calibration of the NYC high (KXHIGHNY) family on history: the Central Park
 * daily maxima, the KXHIGHNY-shaped ladder each day is scored on, and the
 * walk-forward task (strategies/walk_forward.ts) that `deno task calibrate` and
 * tests/real/ share.
 *
 * - History: GHCN-Daily USW00094728 (Central Park, the station KXHIGHNY settles
 *   on through the NWS daily climate report), columns `DATE` and `TMAX` (whole
 *   degrees F), 2013-07-01 .. 2024-03-31 in ../shared/data/nyc_centralpark_ts.
 *   The value of day D is known at 06:00 ET on D + 1 (`weatherPublishTs`).
 * - Model: climatology only (strategies/weather/climatology.ts): the data holds
 *   no forecasts, so the `forecast` source of the model is never used here.
 * - Target: each day. Decision at 10:00 ET the day before (when Kalshi lists the
 *   next day's ladder).
 * - Ladder (KXHIGHNY shape, 6 bins, whole degrees): the tails < c - 4 and > c + 3
 *   and the two-degree bins {c-4, c-3}, {c-2, c-1}, {c, c+1}, {c+2, c+3}, with
 *   c = the median of the climatology samples known at decision time
 *   (`placement: "climatology"`, the default: the ladder a lister with no
 *   forecast would draw). This placement FAVOURS the climatology: the ladder sits
 *   where the model's mass is. Kalshi centres its ladders on the NWS forecast;
 *   `placement: "kalshi-like"` stands in for that with c = the observed value
 *   plus a seeded offset uniform in -3..3 (a forecast a few degrees off), which
 *   uses the outcome and is for reporting only: there the ladder carries
 *   information climatology does not have, and climatology loses to uniform.
 * - Fit: the climatology bandwidth (leave-one-season-out maximum likelihood) on
 *   every day before the cutoff; re-fitted every 30 targets out of sample.
 *   Targets with fewer than 365 days known are skipped (no climatology yet).
 *
 * @example
 * ```ts
 * import { weatherForecastTask, weatherHistoryFromCsv } from "./calibration.ts";
 * import { calibrateWalkForward } from "../walk_forward.ts";
 * const file = "../shared/data/nyc_centralpark_ts/central_park_weather.csv";
 * const r = calibrateWalkForward(weatherForecastTask(weatherHistoryFromCsv(file, Deno.readTextFileSync(file))));
 * console.log(r.params.climBandwidth, r.oos.logLoss, r.oos.uniformLogLoss);
 * ```
 *
 * @module
 */

import type { Ladder } from "../../lib/market/ladder.ts";
import { Prng } from "../../lib/random/prng.ts";
import { easternDayTime, formatIsoDay } from "../../lib/time/eastern.ts";
import { datedValuesFromCsv } from "../history_csv.ts";
import { ladderFromStrikes, type StrikeSpec } from "../research_ladders.ts";
import { type ForecastTask, scoreWalkForward, type WalkCalibration } from "../walk_forward.ts";
import { climatologySamples } from "./climatology.ts";
import {
  WEATHER_STEP,
  type WeatherDay,
  weatherModel,
  type WeatherParams,
  weatherPublishTs,
} from "./model.ts";

/** The history file, relative to the data folder (../shared/data). */
export const WEATHER_HISTORY_FILE = "nyc_centralpark_ts/central_park_weather.csv";

/** Where a research ladder is centred (see the module docs). */
export type WeatherPlacement = "climatology" | "kalshi-like";

/**
 * The observed daily maxima (ts = publication time, 06:00 ET the next day) from
 * a GHCN-Daily CSV export with columns `DATE` and `TMAX`. Days without a TMAX are
 * skipped.
 *
 * @throws {ImportError} as `datedValuesFromCsv` (missing column, bad date, a
 * non-numeric value, a repeated date), naming file, line and field.
 * @throws {RangeError} when a TMAX is not a whole degree.
 */
export function weatherHistoryFromCsv(file: string, text: string): WeatherDay[] {
  return datedValuesFromCsv(file, text, "TMAX", "DATE").map((r) => {
    if (!Number.isInteger(r.value)) {
      throw new RangeError(
        `Cannot read ${file}: TMAX of ${
          formatIsoDay(r.day)
        } must be a whole degree F, current value is ${r.value}`,
      );
    }
    return { ts: weatherPublishTs(r.day), day: r.day, value: r.value };
  });
}

/**
 * A KXHIGHNY-shaped ladder around the whole degree `c`: tails < c - 4 and
 * > c + 3 and four two-degree bins in between (6 bins, outcome step 1).
 *
 * @throws {RangeError} when c is not an integer.
 */
export function highNyLadder(c: number): Ladder {
  if (!Number.isInteger(c)) {
    throw new RangeError(
      `Cannot build a KXHIGHNY ladder: the centre must be a whole degree, current value is ${c}`,
    );
  }
  const specs: StrikeSpec[] = [{ suffix: `T${c - 4}`, type: "less", cap: c - 4 }];
  for (let x = c - 4; x <= c + 2; x += 2) {
    specs.push({ suffix: `B${x + 0.5}`, type: "between", floor: x, cap: x + 1 });
  }
  specs.push({ suffix: `T${c + 3}`, type: "greater", floor: c + 3 });
  return ladderFromStrikes("KXHIGHNY-X", WEATHER_STEP, true, specs);
}

/** The decision time for day `day`: 10:00 ET the day before. */
export function weatherDecisionTs(day: number): number {
  return easternDayTime(day - 1, 10, 0);
}

/** The seeded offset in -3..3 of the Kalshi-like placement for day `day`. */
export function kalshiLikeOffset(day: number, seed: number): number {
  return new Prng((seed * 1_000_003 + day) | 0).int(7) - 3;
}

/** Options of {@link weatherForecastTask}. */
export interface WeatherTaskOptions {
  /** Where the ladders are centred (default "climatology"; see the module docs). */
  readonly placement?: WeatherPlacement;
  /** Seed of the Kalshi-like offsets (default 1). */
  readonly seed?: number;
  /** Re-fit every this many out-of-sample targets (default 30). */
  readonly refitEvery?: number;
}

/** The median (the upper one for an even count) of unsorted values; NaN when empty. */
function upperMedian(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const s = [...values].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/**
 * The walk-forward task of the weather family (climatology only) on the daily
 * maxima `days` (see the module docs).
 *
 * @throws {RangeError} for an unknown placement or a seed that is not an integer.
 */
export function weatherForecastTask(
  days: readonly WeatherDay[],
  options: WeatherTaskOptions = {},
): ForecastTask<WeatherParams, WeatherDay> {
  const placement = options.placement ?? "climatology";
  if (placement !== "climatology" && placement !== "kalshi-like") {
    throw new RangeError(
      `Cannot build the weather task: placement must be "climatology" or "kalshi-like", current value is "${placement}"`,
    );
  }
  const seed = options.seed ?? 1;
  if (!Number.isInteger(seed)) {
    throw new RangeError(
      `Cannot build the weather task: seed must be an integer, current value is ${seed}`,
    );
  }
  return {
    family: "weather",
    history: days,
    value: (d) => d.value,
    decisionTs: (d) => weatherDecisionTs(d.day),
    fit: (known, cutoffTs) => weatherModel.calibrate(known, { cutoffTs }),
    forecast(params, known, target, now) {
      const samples = climatologySamples(
        known,
        target.day,
        params.climWindowDays,
        params.climYears,
      );
      if (samples.length === 0) return undefined;
      const c = placement === "climatology"
        ? upperMedian(samples)
        : target.value + kalshiLikeOffset(target.day, seed);
      const ladder = highNyLadder(c);
      const pmf = weatherModel.pmf({ now, targetDay: target.day, history: known }, params, ladder);
      return { ladder, pmf };
    },
    refitEvery: options.refitEvery ?? 30,
    minKnown: 365,
  };
}

/** Compact text of fitted weather (climatology) parameters. */
export function weatherParamsSummary(p: WeatherParams): string {
  return `climatology bandwidth ${p.climBandwidth.toFixed(2)} F, window +/-${p.climWindowDays} d${
    p.climFit === undefined ? " (not fitted)" : ""
  }`;
}

/**
 * Lines on what the weather job's score means: the ladders are centred on the
 * climatology median, which favours the model; the same out-of-sample span with
 * Kalshi-like centring (the observed value plus a seeded offset in -3..3, seed
 * 1) shows what climatology does against ladders placed by a forecast.
 */
export function weatherNotes(
  days: readonly WeatherDay[],
  r: WalkCalibration<WeatherParams>,
): string[] {
  const b = scoreWalkForward(
    weatherForecastTask(days, { placement: "kalshi-like" }),
    r.oosFrom,
    r.windowTo,
  );
  const fmt = (x: number) => (Number.isNaN(x) ? "-" : x.toFixed(4));
  const verdict = b.n === 0
    ? "no targets"
    : b.logLoss < b.uniformLogLoss
    ? "beats uniform"
    : "loses";
  return [
    "ladders centred on the climatology median known at decision time: this favours " +
    "climatology (the ladder sits where its mass is)",
    `with Kalshi-like centring (observed value + seeded U{-3..3}) on the same OOS span: log loss ` +
    `${fmt(b.logLoss)} vs uniform ${fmt(b.uniformLogLoss)} (n ${b.n}): ${verdict}. Climatology ` +
    `alone is a baseline, not a signal against forecast-centred ladders`,
  ];
}
