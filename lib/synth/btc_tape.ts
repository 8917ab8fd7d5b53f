/**
 * **SYNTHETIC** tape of Kalshi BTC markets, for tests, demos and benchmarks. Nothing
 * in it is market data: every value comes from a seeded {@link Prng}, so the same
 * options give the same events, byte for byte.
 *
 * What it holds (see DOMAIN.md for the real markets it imitates):
 * - `series` lines for KXBTCD, KXBTC and KXBTC15M (quadratic fees, multiplier 1).
 * - `underlying` ticks of "BTC" every `tickMs`: a regime-switching GBM
 *   (see `btc_path.ts`), rounded to 0.01.
 * - Hourly KXBTCD (9 thresholds, $250 apart) and KXBTC (range ladder) events and a
 *   KXBTC15M up/down event every 15 minutes. Event tickers carry the close time in
 *   Eastern time, as Kalshi's do (`KXBTCD-26JAN0510` closes 10:00 ET = 15:00 UTC).
 * - Per market: metadata at open, a book snapshot and book deltas from a synthetic
 *   market maker, Poisson taker trades at the touch (each followed by the delta
 *   removing its size), lifecycle `open` / `closed` / `determined` and a settlement at
 *   close + 30 s on the mean of the ticks in (close - 60 s, close].
 *
 * Events are sorted by ts; ties go metadata, underlying, books, trades (each with its
 * delta), lifecycle and settlement, then generation order.
 *
 * @example
 * ```ts
 * import { defaultTapeName, generateBtcTape, SYNTHETIC_LABEL, type SynthOptions } from "./btc_tape.ts";
 * const options: SynthOptions = { seed: 1, hours: 1 };
 * const events = generateBtcTape(options);
 * console.log(SYNTHETIC_LABEL, defaultTapeName(options.seed), events.length, events[0]);
 * ```
 *
 * @module
 */

import { Prng } from "../random/prng.ts";
import type { TapeEvent } from "../tape/events.ts";
import { simulateMarket } from "./book_sim.ts";
import { type EventSink, pushMarketLife, TapeCollector, TIE } from "./ladder_book.ts";
import { generateBtcPath, settlementAverage, tickIndexAt } from "./btc_path.ts";
import {
  type EventSpec,
  kxbtc15mEvent,
  kxbtcdEvent,
  kxbtcEvent,
  type MarketSpec,
  yesIntervalCents,
} from "./ladder.ts";

/** Label of everything this module produces: the data are synthetic. */
export const SYNTHETIC_LABEL = "SYNTHETIC";

/** Options of {@link generateBtcTape}. */
export interface SynthOptions {
  /** PRNG seed (any 32-bit integer); the tape is a pure function of the options. */
  seed: number;
  /** First event's open, on a whole hour; default Date.UTC(2026, 0, 5, 14, 0). */
  startTs?: number;
  /** Whole hours of markets; default 6. */
  hours?: number;
  /** Underlying tick spacing in ms, dividing 15 minutes; default 5000. */
  tickMs?: number;
  /** Mean time between market-maker requotes per market; default 20000. */
  requoteMeanMs?: number;
  /** BTC price at startTs; default 95000. */
  startPrice?: number;
  /** Base annualized volatility (regimes are 0.6x and 1.6x of it); default 0.5. */
  annualVol?: number;
}

/** Default file name of a synthetic tape. */
export function defaultTapeName(seed: number): string {
  return `synthetic_btc_seed${seed}.ndjson`;
}

const HOUR_MS = 3_600_000;
const QUARTER_MS = 900_000;
/** Settlement (and `determined`) comes this long after close. */
const SETTLE_DELAY_MS = 30_000;
/** Mean time between taker trades per market (3 per 5 minutes). */
const TRADE_MEAN_MS = 100_000;
const SERIES = ["KXBTCD", "KXBTC", "KXBTC15M"] as const;

function fail(detail: string, value: unknown): never {
  throw new RangeError(`Cannot generate synthetic BTC tape: ${detail}, current value is ${value}`);
}

/**
 * Generate a SYNTHETIC day (by default 6 hours) of Kalshi BTC markets, fully
 * determined by `options.seed`. See the module docs for the content and tie order.
 */
export function generateBtcTape(options: SynthOptions): TapeEvent[] {
  const seed = options.seed;
  const startTs = options.startTs ?? Date.UTC(2026, 0, 5, 14, 0);
  const hours = options.hours ?? 6;
  const tickMs = options.tickMs ?? 5000;
  const requoteMeanMs = options.requoteMeanMs ?? 20_000;
  const startPrice = options.startPrice ?? 95_000;
  const annualVol = options.annualVol ?? 0.5;
  if (!Number.isInteger(startTs) || startTs % HOUR_MS !== 0) {
    fail("startTs must be an integer ms timestamp on a whole UTC hour", startTs);
  }
  if (!Number.isInteger(hours) || hours < 1) fail("hours must be a positive integer", hours);
  if (!Number.isInteger(tickMs) || tickMs < 1 || QUARTER_MS % tickMs !== 0) {
    fail("tickMs must be a positive integer dividing 900000", tickMs);
  }
  if (!(requoteMeanMs >= 1) || !Number.isFinite(requoteMeanMs)) {
    fail("requoteMeanMs must be finite and >= 1", requoteMeanMs);
  }
  if (!(startPrice > 1000) || !Number.isFinite(startPrice)) {
    fail("startPrice must be finite and > 1000", startPrice);
  }
  if (!(annualVol > 0) || !(annualVol <= 5)) fail("annualVol must be in (0, 5]", annualVol);

  const root = new Prng(seed);
  const endTs = startTs + hours * HOUR_MS;
  const path = generateBtcPath(root.fork(1), {
    startTs,
    tickMs,
    ticks: (endTs - startTs) / tickMs + 1,
    startPrice,
    annualVol,
  });

  const sink = new TapeCollector();

  for (const series of SERIES) {
    sink.push({
      kind: "series",
      ts: startTs,
      series,
      feeType: "quadratic",
      feeMultiplier: 10_000,
    }, TIE.metadata);
  }
  for (let k = 0; k < path.values.length; k++) {
    sink.push({
      kind: "underlying",
      ts: startTs + k * tickMs,
      symbol: "BTC",
      value: path.values[k],
    }, TIE.underlying);
  }

  const eventSpecs: EventSpec[] = [];
  const spotAt = (ts: number) => path.values[tickIndexAt(path, ts)];
  for (let h = 0; h < hours; h++) {
    const open = startTs + h * HOUR_MS;
    eventSpecs.push(kxbtcdEvent(open, open + HOUR_MS, spotAt(open)));
    eventSpecs.push(kxbtcEvent(open, open + HOUR_MS, spotAt(open)));
    for (let q = 0; q < 4; q++) {
      const qOpen = open + q * QUARTER_MS;
      eventSpecs.push(kxbtc15mEvent(qOpen, qOpen + QUARTER_MS, spotAt(qOpen)));
    }
  }

  let marketIndex = 0;
  for (const ev of eventSpecs) {
    sink.push({
      kind: "event",
      ts: ev.openTs,
      event: ev.event,
      series: ev.series,
      mutuallyExclusive: ev.mutuallyExclusive,
      outcomeStep: 0.01,
    }, TIE.metadata);
    for (const m of ev.markets) {
      const rng = root.fork(1000 + marketIndex++);
      emitMarket(m, sink);
      simulateMarket(m, path, rng.fork(1), rng.fork(2), sink, {
        requoteMeanMs,
        tradeMeanMs: TRADE_MEAN_MS,
      });
      const value = settlementAverage(path, m.closeTs);
      const [lo, hi] = yesIntervalCents(m);
      const cents = Math.round(value * 100);
      const settleTs = m.closeTs + SETTLE_DELAY_MS;
      const result = cents >= lo && cents <= hi ? "yes" : "no";
      pushMarketLife(sink, m.market, { ...m, settleTs }, result, value);
    }
  }
  return sink.ordered();
}

function emitMarket(m: MarketSpec, sink: EventSink): void {
  sink.push({
    kind: "market",
    ts: m.openTs,
    market: m.market,
    event: m.event,
    strikeType: m.strikeType,
    ...(m.floorCents !== undefined ? { floorStrike: m.floorCents / 100 } : {}),
    ...(m.capCents !== undefined ? { capStrike: m.capCents / 100 } : {}),
    openTs: m.openTs,
    closeTs: m.closeTs,
    priceStep: 100,
  }, TIE.metadata);
}
