/**
 * **SYNTHETIC** Kalshi CPI (KXCPI, m/m) tape and history. Nothing here is market
 * or BLS data: every value comes from a seeded {@link Prng}.
 *
 * Outcome process, per month M:
 * - a latent inflation rate pi_M = mean + rho (pi_(M-1) - mean) + N(0, latentSd);
 * - a nowcast of month M equal to pi_M, published (symbol `CPI_NOWCAST`) 30
 *   minutes after the print of month M-1;
 * - the print x_M = pi_M + scale * T(df), to 3 decimals (symbol `CPI_MOM`),
 *   released on the 15th of M+1 at 08:30 ET; the market settles on x_M rounded
 *   to 0.1 (half up), "greater than" strictly.
 *
 * Events: one per month of the last `eventMonths`, ticker `KXCPI-<yyMMM of M>`,
 * 7 "greater" thresholds 0.1 apart centred on the nowcast rounded to 0.1
 * (ticker suffix `T<strike>`, like KXCPI-25JUL-T0.2), open 1 hour after the
 * previous print, close 1 minute before the print, settled 5 minutes after it.
 * The market maker prices with a noisy version of the truth t(pi_M, scale, df).
 *
 * @example
 * ```ts
 * import { cpiTapeName, generateCpiTape } from "./cpi.ts";
 * const events = generateCpiTape({ seed: 1 });
 * console.log(cpiTapeName(1), events.length);
 * ```
 *
 * @module
 */

import { Prng } from "../random/prng.ts";
import type { TapeEvent } from "../tape/events.ts";
import { easternWallToUtc, monthIndex } from "../time/eastern.ts";
import { studentTDraw } from "./draws.ts";
import {
  assemblePointTape,
  type PointEventSpec,
  type PointMarketSpec,
  strikeText,
} from "./point_tape.ts";
import { monthCode } from "../market/date_code.ts";

/** Options of the synthetic CPI process and tape. */
export interface CpiSynthOptions {
  readonly seed: number;
  /** First month with a print (months since Jan 1970); default Jan 2016. */
  readonly startMonth?: number;
  /** Months of prints before the first event; default 120. */
  readonly historyMonths?: number;
  /** Months with an event, after the history; default 12. */
  readonly eventMonths?: number;
  /** Long-run mean of the latent rate (pp); default 0.25. */
  readonly mean?: number;
  /** AR(1) persistence of the latent rate; default 0.8. */
  readonly rho?: number;
  /** Innovation sd of the latent rate (pp); default 0.08. */
  readonly latentSd?: number;
  /** Scale of the print's surprise over the nowcast (pp); default 0.12. */
  readonly scale?: number;
  /** Degrees of freedom of the surprise; default 5. */
  readonly df?: number;
  /** Mean time between maker requotes per market; default 2 hours. */
  readonly requoteMeanMs?: number;
  /** Mean time between taker trades per market; default 4 hours. */
  readonly tradeMeanMs?: number;
}

/** The synthetic monthly series. */
export interface CpiSynthHistory {
  /** Month index of prints[i] is firstMonth + i. */
  readonly firstMonth: number;
  readonly prints: { ts: number; value: number }[];
  readonly nowcasts: { ts: number; value: number }[];
}

/** Symbols of the underlying releases. */
export const CPI_PRINT_SYMBOL = "CPI_MOM";
export const CPI_NOWCAST_SYMBOL = "CPI_NOWCAST";

function fail(detail: string, value: unknown): never {
  throw new RangeError(`Cannot generate synthetic CPI data: ${detail}, current value is ${value}`);
}

function ym(m: number): { year: number; month: number } {
  const year = 1970 + Math.floor(m / 12);
  return { year, month: m - (year - 1970) * 12 + 1 };
}

/** Release time of the print of month m: the 15th of m + 1 at 08:30 ET. */
export function synthCpiReleaseTs(m: number): number {
  const { year, month } = ym(m + 1);
  return easternWallToUtc(year, month, 15, 8, 30);
}

function resolve(o: CpiSynthOptions) {
  const r = {
    seed: o.seed,
    startMonth: o.startMonth ?? monthIndex(2016, 1),
    historyMonths: o.historyMonths ?? 120,
    eventMonths: o.eventMonths ?? 12,
    mean: o.mean ?? 0.25,
    rho: o.rho ?? 0.8,
    latentSd: o.latentSd ?? 0.08,
    scale: o.scale ?? 0.12,
    df: o.df ?? 5,
    requoteMeanMs: o.requoteMeanMs ?? 7_200_000,
    tradeMeanMs: o.tradeMeanMs ?? 14_400_000,
  };
  if (!Number.isInteger(r.seed)) fail("seed must be an integer", r.seed);
  if (!Number.isInteger(r.startMonth)) {
    fail("startMonth must be an integer month index", r.startMonth);
  }
  if (!Number.isInteger(r.historyMonths) || r.historyMonths < 1) {
    fail("historyMonths must be an integer >= 1", r.historyMonths);
  }
  if (!Number.isInteger(r.eventMonths) || r.eventMonths < 0) {
    fail("eventMonths must be an integer >= 0", r.eventMonths);
  }
  if (!Number.isFinite(r.mean)) fail("mean must be finite", r.mean);
  if (!(r.rho >= 0 && r.rho < 1)) fail("rho must be in [0, 1)", r.rho);
  if (!(r.latentSd >= 0) || !Number.isFinite(r.latentSd)) {
    fail("latentSd must be finite and >= 0", r.latentSd);
  }
  if (!(r.scale > 0) || !Number.isFinite(r.scale)) fail("scale must be finite and > 0", r.scale);
  if (!(r.df > 0)) fail("df must be > 0", r.df);
  return r;
}

/**
 * The synthetic prints and nowcasts of `historyMonths + eventMonths` months from
 * startMonth (see the module docs), without any market.
 *
 * @throws {RangeError} on invalid options.
 */
export function cpiSynthHistory(options: CpiSynthOptions): CpiSynthHistory {
  const o = resolve(options);
  const rng = new Prng(o.seed).fork(1);
  const n = o.historyMonths + o.eventMonths;
  const prints: { ts: number; value: number }[] = [];
  const nowcasts: { ts: number; value: number }[] = [];
  let pi = o.mean;
  for (let k = 0; k < n; k++) {
    const m = o.startMonth + k;
    pi = o.mean + o.rho * (pi - o.mean) + o.latentSd * rng.normal();
    const nowcast = Math.round(pi * 1000) / 1000;
    nowcasts.push({ ts: synthCpiReleaseTs(m - 1) + 30 * 60_000, value: nowcast });
    const x = nowcast + o.scale * studentTDraw(rng, o.df);
    prints.push({ ts: synthCpiReleaseTs(m), value: Math.round(x * 1000) / 1000 });
  }
  return { firstMonth: o.startMonth, prints, nowcasts };
}

/** Default file name of a synthetic CPI tape. */
export function cpiTapeName(seed: number): string {
  return `synthetic_cpi_seed${seed}.ndjson`;
}

/**
 * A SYNTHETIC tape of monthly KXCPI events (see the module docs).
 *
 * @throws {RangeError} on invalid options.
 */
export function generateCpiTape(options: CpiSynthOptions): TapeEvent[] {
  const o = resolve(options);
  const h = cpiSynthHistory(options);
  const underlying: { ts: number; symbol: string; value: number }[] = [];
  for (let k = 0; k < h.prints.length; k++) {
    underlying.push({
      ts: h.nowcasts[k].ts,
      symbol: CPI_NOWCAST_SYMBOL,
      value: h.nowcasts[k].value,
    });
    underlying.push({ ts: h.prints[k].ts, symbol: CPI_PRINT_SYMBOL, value: h.prints[k].value });
  }
  const events: PointEventSpec[] = [];
  for (let k = o.historyMonths; k < h.prints.length; k++) {
    const m = h.firstMonth + k;
    const { year, month } = ym(m);
    const event = `KXCPI-${monthCode(year, month)}`;
    const nowcast = h.nowcasts[k].value;
    const release = h.prints[k].ts;
    const centre = Math.round(nowcast * 10);
    const markets: PointMarketSpec[] = [];
    for (let j = -3; j <= 3; j++) {
      const strike = (centre + j) / 10;
      markets.push({
        market: `${event}-T${strikeText(strike, 1)}`,
        strikeType: "greater",
        floorStrike: strike,
      });
    }
    const outcome = Math.round(h.prints[k].value * 10) / 10;
    events.push({
      series: "KXCPI",
      event,
      mutuallyExclusive: false,
      outcomeStep: 0.1,
      openTs: synthCpiReleaseTs(m - 1) + 60 * 60_000,
      closeTs: release - 60_000,
      settleTs: release + 5 * 60_000,
      markets,
      outcome: outcome === 0 ? 0 : outcome,
      truth: () => ({ center: nowcast, scale: o.scale, df: o.df, log: false }),
    });
  }
  return assemblePointTape({
    seed: o.seed,
    series: ["KXCPI"],
    underlying,
    events,
    requoteMeanMs: o.requoteMeanMs,
    tradeMeanMs: o.tradeMeanMs,
  });
}
