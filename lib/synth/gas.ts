/**
 * **SYNTHETIC** Kalshi gas (KXAAAGASD) tape and history. Nothing here is AAA or
 * market data: every value comes from a seeded {@link Prng}.
 *
 * Outcome process, per calendar day t, with p = ln(price):
 * p_t = p_(t-1) + beta m_t + scale * T(df), m_t = (p_(t-1) - p_(t-1-L)) / L (a
 * momentum drift over L = `momentumDays`; 0 for the first L days); the AAA-style
 * average is exp(p_t) rounded to $0.001 (symbol `AAA_GAS`), published on day t
 * at 06:00 ET.
 *
 * Events: one per day of the last `eventDays`, ticker `KXAAAGASD-<yyMMMdd>`, 7
 * "strictly greater than" thresholds 1 cent apart centred on the forecast
 * (ticker suffix T<strike with 2 decimals>), open 30 minutes after the previous
 * day's publication, close at 05:00 ET on the day, settled at 06:05 ET. The maker
 * prices with a noisy version of the truth (log-t around p + beta m).
 *
 * @example
 * ```ts
 * import { gasTapeName, generateGasTape } from "./gas.ts";
 * const events = generateGasTape({ seed: 1 });
 * console.log(gasTapeName(1), events.length);
 * ```
 *
 * @module
 */

import { Prng } from "../random/prng.ts";
import type { TapeEvent } from "../tape/events.ts";
import { dayNumber, easternDayTime } from "../time/eastern.ts";
import { studentTDraw } from "./draws.ts";
import {
  assemblePointTape,
  type PointEventSpec,
  type PointMarketSpec,
  strikeText,
} from "./point_tape.ts";
import { dayCode } from "../market/date_code.ts";

/** Options of the synthetic gas process and tape. */
export interface GasSynthOptions {
  readonly seed: number;
  /** First day (a day number); default 2024-01-01. */
  readonly startDay?: number;
  /** Days of prices before the first event; default 730. */
  readonly historyDays?: number;
  /** Days with an event, after the history; default 45. */
  readonly eventDays?: number;
  /** Price on the first day (dollars); default 3.10. */
  readonly start?: number;
  /** Momentum look-back in days; default 7. */
  readonly momentumDays?: number;
  /** Momentum persistence; default 0.7. */
  readonly beta?: number;
  /** Daily error scale of ln(price); default 0.003. */
  readonly scale?: number;
  /** Degrees of freedom of the error; default 5. */
  readonly df?: number;
  /** Mean time between maker requotes per market; default 30 minutes. */
  readonly requoteMeanMs?: number;
  /** Mean time between taker trades per market; default 1 hour. */
  readonly tradeMeanMs?: number;
}

/** The synthetic daily series. */
export interface GasSynthHistory {
  readonly days: number[];
  readonly prices: { ts: number; value: number }[];
  /** The forecast centre (ln price) of each day from the days before it. */
  readonly centers: number[];
}

/** Symbol of the underlying releases. */
export const GAS_SYMBOL = "AAA_GAS";

function fail(detail: string, value: unknown): never {
  throw new RangeError(`Cannot generate synthetic gas data: ${detail}, current value is ${value}`);
}

function resolve(o: GasSynthOptions) {
  const r = {
    seed: o.seed,
    startDay: o.startDay ?? dayNumber(2024, 1, 1),
    historyDays: o.historyDays ?? 730,
    eventDays: o.eventDays ?? 45,
    start: o.start ?? 3.1,
    momentumDays: o.momentumDays ?? 7,
    beta: o.beta ?? 0.7,
    scale: o.scale ?? 0.003,
    df: o.df ?? 5,
    requoteMeanMs: o.requoteMeanMs ?? 1_800_000,
    tradeMeanMs: o.tradeMeanMs ?? 3_600_000,
  };
  if (!Number.isInteger(r.seed)) fail("seed must be an integer", r.seed);
  if (!Number.isInteger(r.startDay)) fail("startDay must be an integer day number", r.startDay);
  if (!Number.isInteger(r.historyDays) || r.historyDays < 1) {
    fail("historyDays must be an integer >= 1", r.historyDays);
  }
  if (!Number.isInteger(r.eventDays) || r.eventDays < 0) {
    fail("eventDays must be an integer >= 0", r.eventDays);
  }
  if (!(r.start > 0) || !Number.isFinite(r.start)) fail("start must be finite and > 0", r.start);
  if (!Number.isInteger(r.momentumDays) || r.momentumDays < 1) {
    fail("momentumDays must be an integer >= 1", r.momentumDays);
  }
  if (!(r.beta > -1 && r.beta < 1)) fail("beta must be in (-1, 1)", r.beta);
  if (!(r.scale > 0) || !Number.isFinite(r.scale)) fail("scale must be finite and > 0", r.scale);
  if (!(r.df > 0)) fail("df must be > 0", r.df);
  return r;
}

/**
 * The synthetic daily prices (see the module docs), without any market.
 *
 * @throws {RangeError} on invalid options.
 */
export function gasSynthHistory(options: GasSynthOptions): GasSynthHistory {
  const o = resolve(options);
  const rng = new Prng(o.seed).fork(1);
  const n = o.historyDays + o.eventDays;
  const days: number[] = [];
  const prices: { ts: number; value: number }[] = [];
  const centers: number[] = [];
  const p = new Float64Array(n);
  const l = o.momentumDays;
  for (let t = 0; t < n; t++) {
    const day = o.startDay + t;
    let center = Math.log(o.start);
    if (t > 0) {
      const m = t - 1 - l >= 0 ? (p[t - 1] - p[t - 1 - l]) / l : 0;
      center = p[t - 1] + o.beta * m;
      p[t] = center + o.scale * studentTDraw(rng, o.df);
    } else p[t] = center;
    days.push(day);
    centers.push(center);
    prices.push({ ts: easternDayTime(day, 6, 0), value: Math.round(Math.exp(p[t]) * 1000) / 1000 });
  }
  return { days, prices, centers };
}

/** Default file name of a synthetic gas tape. */
export function gasTapeName(seed: number): string {
  return `synthetic_gas_seed${seed}.ndjson`;
}

/**
 * A SYNTHETIC tape of daily KXAAAGASD events (see the module docs).
 *
 * @throws {RangeError} on invalid options.
 */
export function generateGasTape(options: GasSynthOptions): TapeEvent[] {
  const o = resolve(options);
  const h = gasSynthHistory(options);
  const underlying = h.prices.map((p) => ({ ts: p.ts, symbol: GAS_SYMBOL, value: p.value }));
  const events: PointEventSpec[] = [];
  for (let k = Math.max(1, o.historyDays); k < h.prices.length; k++) {
    const day = h.days[k];
    const event = `KXAAAGASD-${dayCode(day)}`;
    const center = h.centers[k];
    // Strikes in whole cents (integers) so the thresholds sit exactly on the $0.001 grid.
    const c = Math.round(Math.exp(center) * 100);
    const markets: PointMarketSpec[] = [];
    for (let j = -3; j <= 3; j++) {
      const cents = c + j;
      markets.push({
        market: `${event}-T${strikeText(cents / 100, 2)}`,
        strikeType: "greater",
        floorStrike: cents / 100,
      });
    }
    events.push({
      series: "KXAAAGASD",
      event,
      mutuallyExclusive: false,
      outcomeStep: 0.001,
      openTs: h.prices[k - 1].ts + 30 * 60_000,
      closeTs: easternDayTime(day, 5, 0),
      settleTs: easternDayTime(day, 6, 5),
      markets,
      outcome: h.prices[k].value,
      truth: () => ({ center, scale: o.scale, df: o.df, log: true }),
    });
  }
  return assemblePointTape({
    seed: o.seed,
    series: ["KXAAAGASD"],
    underlying,
    events,
    requoteMeanMs: o.requoteMeanMs,
    tradeMeanMs: o.tradeMeanMs,
  });
}
