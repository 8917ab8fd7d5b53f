/**
 * **SYNTHETIC** S&P 500 / Nasdaq-100 intraday tape (KXINX hourly range ladders
 * and the 16:00 close ladder, KXINXU above/below at 12:00 and 16:00; the same
 * for KXNASDAQ100 / KXNASDAQ100U with `nasdaq`). Nothing here is index or
 * market data: every value comes from a seeded {@link Prng}.
 *
 * Process, per session day (Monday to Friday; holidays are not modelled),
 * minutes m = 0..389 of 09:30-16:00 ET (America/New_York):
 * - a U-shaped time-of-day volatility: sd_m proportional to
 *   1 + openBoost exp(-m / openDecay) + closeBoost exp(-(389 - m) / closeDecay),
 *   scaled so the session's variance is dailyVol^2 ({@link syntheticSigmaTod});
 * - ln L_(m+1) = ln L_m - var_m / 2 + sd_m T(df) sqrt((df - 2) / df) (unit
 *   variance; df = Infinity: normal), a martingale in L;
 * - the open: ln L_0 = ln(previous close) - gapSd^2 / 2 + gapSd N(0, 1);
 * - published as `underlying` events: the open at 09:30 and the close of minute
 *   m at 09:31 + m, rounded to $0.01 (symbols `SPX`, `NDX`).
 *
 * Events on each of the last `eventDays` session days, all open at 09:30 ET and
 * close at their target time, settled 5 minutes later on the level published at
 * the target:
 * - `KXINX-<yyMMMdd>H<hh>00`, hh = 10..16: a range ladder of 2 x `binsEachSide`
 *   bins [k, k + width - 0.01] (inclusive of both ends; ticker
 *   B<k + width/2, rounded down>) around the open rounded to the width, with a
 *   lower tail (< lowest k, ticker T<k>) and an upper tail (> highest
 *   k + width - 0.01, ticker T<that>), outcome step 0.01;
 * - `KXINXU-<yyMMMdd>H1200` and `H1600`: "above K - 0.01" thresholds
 *   (greater, so K itself settles YES), K on the same grid, not mutually
 *   exclusive.
 * Caps are written with 2 decimals, not Kalshi's 4 (x.9999): on the $0.01 grid
 * both hold the same values, and lib/market/interval.ts's grid tolerance
 * (relative 1e-7) reads a cap of 6874.9999 as the grid value 6875.00.
 * Series carry quadratic taker fees with multiplier 0.5 (5000). The maker prices
 * with a noisy version of the true lognormal (lib/synth/point_tape.ts).
 *
 * @example
 * ```ts
 * import { generateIndexTape, indexTapeName } from "./index_tape.ts";
 * const events = generateIndexTape({ seed: 1 });
 * console.log(indexTapeName(1), events.length);
 * ```
 *
 * @module
 */

import { Prng } from "../random/prng.ts";
import type { TapeEvent } from "../tape/events.ts";
import { dayNumber, easternDayTime, weekdayOf } from "../time/eastern.ts";
import { studentTDraw } from "./draws.ts";
import { assemblePointTape, type PointEventSpec, type PointMarketSpec } from "./point_tape.ts";
import { dayCode } from "../market/date_code.ts";

/** Minutes of a regular session. */
const SESSION = 390;
const MINUTE = 60_000;

/** Options of the synthetic index process and tape. */
export interface IndexSynthOptions {
  readonly seed: number;
  /** First calendar day (a day number; weekends are skipped); default 2025-09-01. */
  readonly startDay?: number;
  /** Session days of history before the first event day; default 20. */
  readonly historyDays?: number;
  /** Session days with events, after the history; default 2. */
  readonly eventDays?: number;
  /** Session variance is dailyVol^2; default 0.01. */
  readonly dailyVol?: number;
  /** Extra volatility at the open (multiple of the midday level); default 2.5. */
  readonly openBoost?: number;
  /** Decay of the open boost, minutes; default 25. */
  readonly openDecay?: number;
  /** Extra volatility at the close; default 1. */
  readonly closeBoost?: number;
  /** Decay of the close boost, minutes; default 15. */
  readonly closeDecay?: number;
  /** Degrees of freedom of the minute innovations (> 2, or Infinity); default Infinity. */
  readonly df?: number;
  /** Sd of the overnight log gap; default 0.004. */
  readonly gapSd?: number;
  /** S&P 500 level at the first open; default 6800. */
  readonly spxStart?: number;
  /** Also generate the Nasdaq-100 and its ladders; default false. */
  readonly nasdaq?: boolean;
  /** Nasdaq-100 level at the first open; default 25000. */
  readonly ndxStart?: number;
  /** Range bins on each side of the open; default 5. */
  readonly binsEachSide?: number;
  /** Mean time between maker requotes per market; default 10 minutes. */
  readonly requoteMeanMs?: number;
  /** Mean time between taker trades per market; default 20 minutes. */
  readonly tradeMeanMs?: number;
}

/** One synthetic session of one index. */
export interface IndexSession {
  readonly day: number;
  /** 391 levels: the open (09:30) and the close of each minute (09:31..16:00), to $0.01. */
  readonly levels: number[];
  /** ts of each level. */
  readonly ts: number[];
}

/** Symbols of the underlying levels. */
export const SPX_SYMBOL = "SPX";
export const NDX_SYMBOL = "NDX";

function fail(detail: string, value: unknown): never {
  throw new RangeError(
    `Cannot generate synthetic index data: ${detail}, current value is ${value}`,
  );
}

function resolve(o: IndexSynthOptions) {
  const r = {
    seed: o.seed,
    startDay: o.startDay ?? dayNumber(2025, 9, 1),
    historyDays: o.historyDays ?? 20,
    eventDays: o.eventDays ?? 2,
    dailyVol: o.dailyVol ?? 0.01,
    openBoost: o.openBoost ?? 2.5,
    openDecay: o.openDecay ?? 25,
    closeBoost: o.closeBoost ?? 1,
    closeDecay: o.closeDecay ?? 15,
    df: o.df ?? Infinity,
    gapSd: o.gapSd ?? 0.004,
    spxStart: o.spxStart ?? 6800,
    nasdaq: o.nasdaq ?? false,
    ndxStart: o.ndxStart ?? 25000,
    binsEachSide: o.binsEachSide ?? 5,
    requoteMeanMs: o.requoteMeanMs ?? 600_000,
    tradeMeanMs: o.tradeMeanMs ?? 1_200_000,
  };
  if (!Number.isInteger(r.seed)) fail("seed must be an integer", r.seed);
  if (!Number.isInteger(r.startDay)) fail("startDay must be an integer day number", r.startDay);
  if (!Number.isInteger(r.historyDays) || r.historyDays < 0) {
    fail("historyDays must be an integer >= 0", r.historyDays);
  }
  if (!Number.isInteger(r.eventDays) || r.eventDays < 0) {
    fail("eventDays must be an integer >= 0", r.eventDays);
  }
  if (r.historyDays + r.eventDays < 1) fail("at least one session day is needed", 0);
  if (!(r.dailyVol > 0) || !Number.isFinite(r.dailyVol)) {
    fail("dailyVol must be finite and > 0", r.dailyVol);
  }
  for (const k of ["openBoost", "closeBoost"] as const) {
    if (!(r[k] >= 0) || !Number.isFinite(r[k])) fail(`${k} must be finite and >= 0`, r[k]);
  }
  for (const k of ["openDecay", "closeDecay"] as const) {
    if (!(r[k] > 0) || !Number.isFinite(r[k])) fail(`${k} must be finite and > 0`, r[k]);
  }
  if (!(r.df > 2)) fail("df must be > 2 (or Infinity)", r.df);
  if (!(r.gapSd >= 0) || !Number.isFinite(r.gapSd)) fail("gapSd must be finite and >= 0", r.gapSd);
  for (const k of ["spxStart", "ndxStart"] as const) {
    if (!(r[k] > 0) || !Number.isFinite(r[k])) fail(`${k} must be finite and > 0`, r[k]);
  }
  if (!Number.isInteger(r.binsEachSide) || r.binsEachSide < 1) {
    fail("binsEachSide must be an integer >= 1", r.binsEachSide);
  }
  return r;
}

/**
 * The true per-minute variances of the synthetic process (390 entries summing
 * to dailyVol^2).
 *
 * @throws {RangeError} on invalid options.
 */
export function syntheticSigmaTod(options: Omit<IndexSynthOptions, "seed">): number[] {
  const o = resolve({ seed: 0, ...options });
  const sd = new Array<number>(SESSION);
  let total = 0;
  for (let m = 0; m < SESSION; m++) {
    sd[m] = 1 + o.openBoost * Math.exp(-m / o.openDecay) +
      o.closeBoost * Math.exp(-(SESSION - 1 - m) / o.closeDecay);
    total += sd[m] * sd[m];
  }
  const k = (o.dailyVol * o.dailyVol) / total;
  return sd.map((s) => s * s * k);
}

/** The session days from startDay: weekdays only. */
function sessionDays(start: number, n: number): number[] {
  const out: number[] = [];
  for (let d = start; out.length < n; d++) {
    const w = weekdayOf(d);
    if (w >= 1 && w <= 5) out.push(d);
  }
  return out;
}

function openTs(day: number): number {
  return easternDayTime(day, 9, 30);
}

/**
 * The synthetic sessions of one index (see the module docs); `stream` picks an
 * independent random stream (0: S&P 500, 1: Nasdaq-100).
 *
 * @throws {RangeError} on invalid options.
 */
export function indexSynthSessions(
  options: IndexSynthOptions,
  stream = 0,
  start?: number,
): IndexSession[] {
  const o = resolve(options);
  const rng = new Prng(o.seed).fork(10 + stream);
  const v = syntheticSigmaTod(options);
  const tScale = o.df === Infinity ? 1 : Math.sqrt((o.df - 2) / o.df);
  let lnL = Math.log(start ?? (stream === 0 ? o.spxStart : o.ndxStart));
  const out: IndexSession[] = [];
  const days = sessionDays(o.startDay, o.historyDays + o.eventDays);
  for (let k = 0; k < days.length; k++) {
    const open = openTs(days[k]);
    if (k > 0) lnL += -(o.gapSd ** 2) / 2 + o.gapSd * rng.normal();
    const levels: number[] = [Math.round(Math.exp(lnL) * 100) / 100];
    const ts: number[] = [open];
    for (let m = 0; m < SESSION; m++) {
      const sd = Math.sqrt(v[m]);
      lnL += -v[m] / 2 + sd * tScale * studentTDraw(rng, o.df);
      levels.push(Math.round(Math.exp(lnL) * 100) / 100);
      ts.push(open + (m + 1) * MINUTE);
    }
    out.push({ day: days[k], levels, ts });
  }
  return out;
}

/** Default file name of a synthetic index tape. */
export function indexTapeName(seed: number): string {
  return `synthetic_index_seed${seed}.ndjson`;
}

/** A strike as ticker text: integers plain, else 2 decimals. */
function strike(x: number): string {
  return Number.isInteger(x) ? String(x) : x.toFixed(2);
}

/** x rounded to the cent, without float noise. */
function cents(x: number): number {
  return Number(x.toFixed(2));
}

interface Family {
  readonly range: string;
  readonly above: string;
  readonly width: number;
}

/**
 * A SYNTHETIC tape of intraday index ladders (see the module docs).
 *
 * @throws {RangeError} on invalid options.
 */
export function generateIndexTape(options: IndexSynthOptions): TapeEvent[] {
  const o = resolve(options);
  const v = syntheticSigmaTod(options);
  const cum = new Float64Array(SESSION + 1);
  for (let m = 0; m < SESSION; m++) cum[m + 1] = cum[m] + v[m];
  const indices: { symbol: string; family: Family; sessions: IndexSession[] }[] = [{
    symbol: SPX_SYMBOL,
    family: { range: "KXINX", above: "KXINXU", width: 25 },
    sessions: indexSynthSessions(options, 0),
  }];
  if (o.nasdaq) {
    indices.push({
      symbol: NDX_SYMBOL,
      family: { range: "KXNASDAQ100", above: "KXNASDAQ100U", width: 100 },
      sessions: indexSynthSessions(options, 1),
    });
  }
  const underlying: { ts: number; symbol: string; value: number }[] = [];
  const events: PointEventSpec[] = [];
  for (const { symbol, family, sessions } of indices) {
    for (const s of sessions) {
      for (let i = 0; i < s.levels.length; i++) {
        underlying.push({ ts: s.ts[i], symbol, value: s.levels[i] });
      }
    }
    for (let k = o.historyDays; k < sessions.length; k++) {
      const s = sessions[k];
      const open = s.ts[0];
      const W = family.width;
      const centre = Math.round(s.levels[0] / W) * W;
      const lo = centre - o.binsEachSide * W;
      const hi = centre + o.binsEachSide * W; // highest bin is [hi - W, hi - 0.01]
      const truth = (target: number) => (ts: number) => {
        const idx = Math.min(target, Math.max(0, Math.floor((ts - open) / MINUTE)));
        const varLeft = cum[target] - cum[idx];
        return {
          center: Math.log(s.levels[idx]) - varLeft / 2,
          scale: Math.sqrt(varLeft),
          df: Infinity,
          log: true,
        };
      };
      const targets: { hh: number; minute: number }[] = [];
      for (let hh = 10; hh <= 16; hh++) targets.push({ hh, minute: (hh - 9) * 60 - 30 });
      for (const { hh, minute } of targets) {
        const event = `${family.range}-${dayCode(s.day)}H${hh}00`;
        const markets: PointMarketSpec[] = [
          { market: `${event}-T${strike(lo)}`, strikeType: "less", capStrike: lo },
          {
            market: `${event}-T${strike(cents(hi - 0.01))}`,
            strikeType: "greater",
            floorStrike: cents(hi - 0.01),
          },
        ];
        for (let b = lo; b < hi; b += W) {
          markets.push({
            market: `${event}-B${Math.floor(b + W / 2)}`,
            strikeType: "between",
            floorStrike: b,
            capStrike: cents(b + W - 0.01),
          });
        }
        events.push(spec(family.range, event, true, open, minute, s, markets, truth(minute)));
        if (hh === 12 || hh === 16) {
          const ev = `${family.above}-${dayCode(s.day)}H${hh}00`;
          const ths: PointMarketSpec[] = [];
          for (let b = lo + W; b < hi; b += W) {
            const f = cents(b - 0.01);
            ths.push({ market: `${ev}-T${strike(f)}`, strikeType: "greater", floorStrike: f });
          }
          events.push(spec(family.above, ev, false, open, minute, s, ths, truth(minute)));
        }
      }
    }
  }
  underlying.sort((a, b) => a.ts - b.ts);
  const series = indices.flatMap((i) => [i.family.range, i.family.above]);
  const tape = assemblePointTape({
    seed: o.seed,
    series,
    underlying,
    events,
    requoteMeanMs: o.requoteMeanMs,
    tradeMeanMs: o.tradeMeanMs,
  });
  // Index series have had a fee multiplier of 0.5 (DOMAIN.md).
  return tape.map((e) => (e.kind === "series" ? { ...e, feeMultiplier: 5_000 } : e));
}

function spec(
  series: string,
  event: string,
  mutuallyExclusive: boolean,
  open: number,
  minute: number,
  s: IndexSession,
  markets: PointMarketSpec[],
  truth: PointEventSpec["truth"],
): PointEventSpec {
  const closeTs = open + minute * MINUTE;
  return {
    series,
    event,
    mutuallyExclusive,
    outcomeStep: 0.01,
    openTs: open,
    closeTs,
    settleTs: closeTs + 5 * MINUTE,
    markets,
    outcome: s.levels[minute],
    truth,
  };
}
