/**
 * **SYNTHETIC** Kalshi 10-year Treasury (KXTNOTED) tape and history. Nothing here
 * is Treasury or market data: every value comes from a seeded {@link Prng}.
 *
 * Outcome process, per business day D (Monday to Friday; no holidays):
 * y_D = y_(D-1) + kappa (mu - y_(D-1)) + scale * T(df), rounded to 0.01
 * (symbol `DGS10`), published on D at 18:00 ET.
 *
 * Events: one per business day of the last `eventDays`, ticker
 * `KXTNOTED-<yyMMMdd>`, a mutually exclusive ladder of six 0.05-wide bins
 * [a, a + 0.04], ..., [a + 0.25, a + 0.29] (inclusive at 2 decimals, ticker
 * suffix B<midpoint>) between a "less than a" tail and a "greater than a + 0.29"
 * tail, with a the forecast rounded to 0.05 minus 0.15; open 30 minutes after
 * the previous publication, close at 15:00 ET on D, settled at 18:05 ET. The
 * maker prices with a noisy version of the truth (t around the forecast).
 *
 * @example
 * ```ts
 * import { generateTnoteTape, tnoteTapeName } from "./tnote.ts";
 * const events = generateTnoteTape({ seed: 1 });
 * console.log(tnoteTapeName(1), events.length);
 * ```
 *
 * @module
 */

import { Prng } from "../random/prng.ts";
import type { TapeEvent } from "../tape/events.ts";
import { dayNumber, easternDayTime, weekdayOf } from "../time/eastern.ts";
import { studentTDraw } from "./draws.ts";
import {
  assemblePointTape,
  type PointEventSpec,
  type PointMarketSpec,
  strikeText,
} from "./point_tape.ts";
import { dayCode } from "../market/date_code.ts";

/** Options of the synthetic 10-year process and tape. */
export interface TnoteSynthOptions {
  readonly seed: number;
  /** First business day (a day number); default 2024-01-02. */
  readonly startDay?: number;
  /** Business days of yields before the first event; default 500. */
  readonly historyDays?: number;
  /** Business days with an event, after the history; default 40. */
  readonly eventDays?: number;
  /** Yield on the first day (percent); default 4.2. */
  readonly start?: number;
  /** Mean reversion per business day; default 0 (a random walk). */
  readonly kappa?: number;
  /** Long-run mean (percent); default 4. */
  readonly mu?: number;
  /** Daily error scale (percentage points); default 0.06. */
  readonly scale?: number;
  /** Degrees of freedom of the error; default 5. */
  readonly df?: number;
  /** Mean time between maker requotes per market; default 30 minutes. */
  readonly requoteMeanMs?: number;
  /** Mean time between taker trades per market; default 1 hour. */
  readonly tradeMeanMs?: number;
}

/** The synthetic daily series. */
export interface TnoteSynthHistory {
  readonly days: number[];
  readonly yields: { ts: number; value: number }[];
}

/** Symbol of the underlying releases. */
export const TNOTE_SYMBOL = "DGS10";

function fail(detail: string, value: unknown): never {
  throw new RangeError(
    `Cannot generate synthetic 10-year data: ${detail}, current value is ${value}`,
  );
}

function nextBusinessDay(day: number): number {
  let d = day + 1;
  while (weekdayOf(d) === 0 || weekdayOf(d) === 6) d++;
  return d;
}

function resolve(o: TnoteSynthOptions) {
  const r = {
    seed: o.seed,
    startDay: o.startDay ?? dayNumber(2024, 1, 2),
    historyDays: o.historyDays ?? 500,
    eventDays: o.eventDays ?? 40,
    start: o.start ?? 4.2,
    kappa: o.kappa ?? 0,
    mu: o.mu ?? 4,
    scale: o.scale ?? 0.06,
    df: o.df ?? 5,
    requoteMeanMs: o.requoteMeanMs ?? 1_800_000,
    tradeMeanMs: o.tradeMeanMs ?? 3_600_000,
  };
  if (!Number.isInteger(r.seed)) fail("seed must be an integer", r.seed);
  if (!Number.isInteger(r.startDay) || weekdayOf(r.startDay) === 0 || weekdayOf(r.startDay) === 6) {
    fail("startDay must be the day number of a weekday", r.startDay);
  }
  if (!Number.isInteger(r.historyDays) || r.historyDays < 1) {
    fail("historyDays must be an integer >= 1", r.historyDays);
  }
  if (!Number.isInteger(r.eventDays) || r.eventDays < 0) {
    fail("eventDays must be an integer >= 0", r.eventDays);
  }
  if (!Number.isFinite(r.start)) fail("start must be finite", r.start);
  if (!(r.kappa >= 0 && r.kappa < 1)) fail("kappa must be in [0, 1)", r.kappa);
  if (!Number.isFinite(r.mu)) fail("mu must be finite", r.mu);
  if (!(r.scale > 0) || !Number.isFinite(r.scale)) fail("scale must be finite and > 0", r.scale);
  if (!(r.df > 0)) fail("df must be > 0", r.df);
  return r;
}

/**
 * The synthetic daily yields (see the module docs), without any market.
 *
 * @throws {RangeError} on invalid options.
 */
export function tnoteSynthHistory(options: TnoteSynthOptions): TnoteSynthHistory {
  const o = resolve(options);
  const rng = new Prng(o.seed).fork(1);
  const days: number[] = [];
  const yields: { ts: number; value: number }[] = [];
  let y = Math.round(o.start * 100) / 100;
  let day = o.startDay;
  for (let k = 0; k < o.historyDays + o.eventDays; k++) {
    if (k > 0) {
      day = nextBusinessDay(day);
      y = Math.round((y + o.kappa * (o.mu - y) + o.scale * studentTDraw(rng, o.df)) * 100) / 100;
    }
    days.push(day);
    yields.push({ ts: easternDayTime(day, 18, 0), value: y });
  }
  return { days, yields };
}

/** Default file name of a synthetic 10-year tape. */
export function tnoteTapeName(seed: number): string {
  return `synthetic_tnote_seed${seed}.ndjson`;
}

/**
 * A SYNTHETIC tape of daily KXTNOTED events (see the module docs).
 *
 * @throws {RangeError} on invalid options.
 */
export function generateTnoteTape(options: TnoteSynthOptions): TapeEvent[] {
  const o = resolve(options);
  const h = tnoteSynthHistory(options);
  const underlying = h.yields.map((p) => ({ ts: p.ts, symbol: TNOTE_SYMBOL, value: p.value }));
  const events: PointEventSpec[] = [];
  for (let k = Math.max(1, o.historyDays); k < h.yields.length; k++) {
    const day = h.days[k];
    const event = `KXTNOTED-${dayCode(day)}`;
    const prev = h.yields[k - 1].value;
    const center = prev + o.kappa * (o.mu - prev);
    // Strikes in hundredths (integers) so the bins meet exactly on the 0.01 grid.
    const a = Math.round(center * 20) * 5 - 15;
    const markets: PointMarketSpec[] = [{
      market: `${event}-T${strikeText(a / 100, 2)}`,
      strikeType: "less",
      capStrike: a / 100,
    }];
    for (let j = 0; j < 6; j++) {
      const lo = a + 5 * j;
      markets.push({
        market: `${event}-B${strikeText((lo + 2) / 100, 2)}`,
        strikeType: "between",
        floorStrike: lo / 100,
        capStrike: (lo + 4) / 100,
      });
    }
    markets.push({
      market: `${event}-T${strikeText((a + 29) / 100, 2)}`,
      strikeType: "greater",
      floorStrike: (a + 29) / 100,
    });
    events.push({
      series: "KXTNOTED",
      event,
      mutuallyExclusive: true,
      outcomeStep: 0.01,
      openTs: h.yields[k - 1].ts + 30 * 60_000,
      closeTs: easternDayTime(day, 15, 0),
      settleTs: easternDayTime(day, 18, 5),
      markets,
      outcome: h.yields[k].value,
      truth: () => ({ center, scale: o.scale, df: o.df, log: false }),
    });
  }
  return assemblePointTape({
    seed: o.seed,
    series: ["KXTNOTED"],
    underlying,
    events,
    requoteMeanMs: o.requoteMeanMs,
    tradeMeanMs: o.tradeMeanMs,
  });
}
