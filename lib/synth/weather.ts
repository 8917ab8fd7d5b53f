/**
 * **SYNTHETIC** NYC daily-high (KXHIGHNY) tape and history. Nothing here is
 * NWS, ensemble or market data: every value comes from a seeded {@link Prng}.
 *
 * Process, per day D (day of year on a 365-day calendar, `pos`):
 * - climate mean c(D) = climMean + climAmp cos(2 pi (pos - 200) / 365) (warmest
 *   around 19 July);
 * - anomaly a_D = phi a_(D-1) + innovation, stationary sd `anomalySd`;
 * - forecast members m_i = c(D) + a_D + bias + spread N(0, 1), i = 1..members,
 *   published together at 16:00 ET on D - 1 (symbol `NYC_TMAX_ENS_D1`: a batch
 *   for the day after its Eastern publication day);
 * - the observed maximum: a member J drawn uniformly, then
 *   round(m_J - bias + bandwidth N(0, 1)) in whole degrees, published at 06:00
 *   ET on D + 1 (symbol `NYC_TMAX`). So the true predictive distribution given
 *   the members is exactly the weather model's (strategies/weather): the
 *   members minus `bias`, each smoothed by N(0, bandwidth^2).
 *
 * Events: one per day of the last `eventDays`, ticker `KXHIGHNY-<yyMMMdd>`, the
 * KXHIGHNY shape: four 2-degree bins B<x.5> = {x, x + 1} around c = the rounded
 * bias-corrected member mean (x = c - 4, c - 2, c, c + 2), a lower tail
 * T<c - 4> (< c - 4) and an upper tail T<c + 3> (> c + 3); outcome step 1. Open
 * 10:00 ET on D - 1, close 00:00 ET on D + 1, settled 5 minutes after the
 * observation's publication. The maker prices with a noisy normal: before the
 * members are out N(c(D), sqrt(anomalySd^2 + spread^2 + bandwidth^2)), after
 * it the normal with the true mixture's mean and variance.
 *
 * @example
 * ```ts
 * import { generateWeatherTape, weatherTapeName } from "./weather.ts";
 * const events = generateWeatherTape({ seed: 1 });
 * console.log(weatherTapeName(1), events.length);
 * ```
 *
 * @module
 */

import { Prng } from "../random/prng.ts";
import type { TapeEvent } from "../tape/events.ts";
import { dayDate, dayNumber, easternDayTime } from "../time/eastern.ts";
import { assemblePointTape, type PointEventSpec, type PointMarketSpec } from "./point_tape.ts";
import { dayCode } from "../market/date_code.ts";

/** Options of the synthetic weather process and tape. */
export interface WeatherSynthOptions {
  readonly seed: number;
  /** First day (a day number); default 2019-01-01. */
  readonly startDay?: number;
  /** Days of history before the first event; default 1826 (5 years). */
  readonly historyDays?: number;
  /** Days with an event, after the history; default 30. */
  readonly eventDays?: number;
  /** Annual mean of the climate (degrees F); default 62. */
  readonly climMean?: number;
  /** Seasonal amplitude (degrees F); default 23. */
  readonly climAmp?: number;
  /** AR(1) persistence of the daily anomaly; default 0.7. */
  readonly phi?: number;
  /** Stationary sd of the anomaly (degrees F); default 6. */
  readonly anomalySd?: number;
  /** Members per forecast batch (1: a point forecast); default 10. */
  readonly members?: number;
  /** Sd of the members around the day's centre (degrees F); default 1.5. */
  readonly spread?: number;
  /** Members' excess over the outcome (degrees F); default 1. */
  readonly bias?: number;
  /** Kernel sd of the outcome around the chosen member (degrees F); default 2. */
  readonly bandwidth?: number;
  /** Mean time between maker requotes per market; default 1 hour. */
  readonly requoteMeanMs?: number;
  /** Mean time between taker trades per market; default 2 hours. */
  readonly tradeMeanMs?: number;
}

/** One synthetic day. */
export interface WeatherSynthDay {
  readonly day: number;
  /** Publication time of the observed value. */
  readonly ts: number;
  /** Observed maximum (whole degrees F). */
  readonly value: number;
  /** The forecast batch and its publication time. */
  readonly members: number[];
  readonly membersTs: number;
  /** Climate mean of the day. */
  readonly climate: number;
}

/** Symbol of the observed maxima. */
export const WEATHER_OBS_SYMBOL = "NYC_TMAX";
/** Symbol of the forecast batches for the day after publication. */
export const WEATHER_ENS_SYMBOL = "NYC_TMAX_ENS_D1";

function fail(detail: string, value: unknown): never {
  throw new RangeError(
    `Cannot generate synthetic weather data: ${detail}, current value is ${value}`,
  );
}

function resolve(o: WeatherSynthOptions) {
  const r = {
    seed: o.seed,
    startDay: o.startDay ?? dayNumber(2019, 1, 1),
    historyDays: o.historyDays ?? 1826,
    eventDays: o.eventDays ?? 30,
    climMean: o.climMean ?? 62,
    climAmp: o.climAmp ?? 23,
    phi: o.phi ?? 0.7,
    anomalySd: o.anomalySd ?? 6,
    members: o.members ?? 10,
    spread: o.spread ?? 1.5,
    bias: o.bias ?? 1,
    bandwidth: o.bandwidth ?? 2,
    requoteMeanMs: o.requoteMeanMs ?? 3_600_000,
    tradeMeanMs: o.tradeMeanMs ?? 7_200_000,
  };
  if (!Number.isInteger(r.seed)) fail("seed must be an integer", r.seed);
  if (!Number.isInteger(r.startDay)) fail("startDay must be an integer day number", r.startDay);
  if (!Number.isInteger(r.historyDays) || r.historyDays < 1) {
    fail("historyDays must be an integer >= 1", r.historyDays);
  }
  if (!Number.isInteger(r.eventDays) || r.eventDays < 0) {
    fail("eventDays must be an integer >= 0", r.eventDays);
  }
  for (const k of ["climMean", "climAmp", "bias"] as const) {
    if (!Number.isFinite(r[k])) fail(`${k} must be finite`, r[k]);
  }
  if (!(r.phi > -1 && r.phi < 1)) fail("phi must be in (-1, 1)", r.phi);
  for (const k of ["anomalySd", "spread"] as const) {
    if (!(r[k] >= 0) || !Number.isFinite(r[k])) fail(`${k} must be finite and >= 0`, r[k]);
  }
  if (!(r.bandwidth > 0) || !Number.isFinite(r.bandwidth)) {
    fail("bandwidth must be finite and > 0", r.bandwidth);
  }
  if (!Number.isInteger(r.members) || r.members < 1) {
    fail("members must be an integer >= 1", r.members);
  }
  return r;
}

/** Day of year on a 365-day calendar (29 February shares 28 February's). */
function position(day: number): number {
  const { year, month } = dayDate(day);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  return day - dayNumber(year, 1, 1) - (leap && month > 2 ? 1 : 0);
}

/** Climate mean of a day (see the module docs). */
export function syntheticClimate(day: number, climMean = 62, climAmp = 23): number {
  return climMean + climAmp * Math.cos((2 * Math.PI * (position(day) - 200)) / 365);
}

/**
 * The synthetic days (see the module docs), without any market.
 *
 * @throws {RangeError} on invalid options.
 */
export function weatherSynthHistory(options: WeatherSynthOptions): WeatherSynthDay[] {
  const o = resolve(options);
  const rng = new Prng(o.seed).fork(1);
  const n = o.historyDays + o.eventDays;
  const innov = o.anomalySd * Math.sqrt(1 - o.phi * o.phi);
  let a = o.anomalySd * rng.normal();
  const out: WeatherSynthDay[] = [];
  for (let t = 0; t < n; t++) {
    const day = o.startDay + t;
    if (t > 0) a = o.phi * a + innov * rng.normal();
    const climate = syntheticClimate(day, o.climMean, o.climAmp);
    const members: number[] = [];
    for (let i = 0; i < o.members; i++) {
      members.push(Math.round((climate + a + o.bias + o.spread * rng.normal()) * 10) / 10);
    }
    const j = rng.int(o.members);
    const value = Math.round(members[j] - o.bias + o.bandwidth * rng.normal());
    out.push({
      day,
      ts: easternDayTime(day + 1, 6, 0),
      value,
      members,
      membersTs: easternDayTime(day - 1, 16, 0),
      climate,
    });
  }
  return out;
}

/** Default file name of a synthetic weather tape. */
export function weatherTapeName(seed: number): string {
  return `synthetic_weather_seed${seed}.ndjson`;
}

function eventTicker(day: number): string {
  return `KXHIGHNY-${dayCode(day)}`;
}

/**
 * A SYNTHETIC tape of daily KXHIGHNY events with the forecast batches and the
 * observed maxima as `underlying` events (see the module docs).
 *
 * @throws {RangeError} on invalid options.
 */
export function generateWeatherTape(options: WeatherSynthOptions): TapeEvent[] {
  const o = resolve(options);
  const days = weatherSynthHistory(options);
  const underlying: { ts: number; symbol: string; value: number }[] = [];
  for (const d of days) {
    for (const m of d.members) {
      underlying.push({ ts: d.membersTs, symbol: WEATHER_ENS_SYMBOL, value: m });
    }
    underlying.push({ ts: d.ts, symbol: WEATHER_OBS_SYMBOL, value: d.value });
  }
  underlying.sort((x, y) => x.ts - y.ts); // stable: a batch keeps its order
  const climSd = Math.sqrt(o.anomalySd ** 2 + o.spread ** 2 + o.bandwidth ** 2);
  const events: PointEventSpec[] = [];
  for (let k = o.historyDays; k < days.length; k++) {
    const d = days[k];
    const mean = d.members.reduce((s, x) => s + x, 0) / d.members.length;
    let varM = 0;
    for (const x of d.members) varM += (x - mean) ** 2;
    varM /= d.members.length;
    const c = Math.max(5, Math.round(mean - o.bias));
    const event = eventTicker(d.day);
    const markets: PointMarketSpec[] = [
      { market: `${event}-T${c - 4}`, strikeType: "less", capStrike: c - 4 },
      { market: `${event}-T${c + 3}`, strikeType: "greater", floorStrike: c + 3 },
    ];
    for (let x = c - 4; x <= c + 2; x += 2) {
      markets.push({
        market: `${event}-B${x}.5`,
        strikeType: "between",
        floorStrike: x,
        capStrike: x + 1,
      });
    }
    const fcCenter = mean - o.bias;
    const fcScale = Math.sqrt(varM + o.bandwidth ** 2);
    events.push({
      series: "KXHIGHNY",
      event,
      mutuallyExclusive: true,
      outcomeStep: 1,
      openTs: easternDayTime(d.day - 1, 10, 0),
      closeTs: easternDayTime(d.day + 1, 0, 0),
      settleTs: d.ts + 5 * 60_000,
      markets,
      outcome: d.value,
      truth: (ts) =>
        ts < d.membersTs
          ? { center: d.climate, scale: climSd, df: Infinity, log: false }
          : { center: fcCenter, scale: fcScale, df: Infinity, log: false },
    });
  }
  return assemblePointTape({
    seed: o.seed,
    series: ["KXHIGHNY"],
    underlying,
    events,
    requoteMeanMs: o.requoteMeanMs,
    tradeMeanMs: o.tradeMeanMs,
  });
}
