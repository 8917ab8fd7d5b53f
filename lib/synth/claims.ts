/**
 * **SYNTHETIC** Kalshi jobless-claims (KXJOBLESSCLAIMS) tape and history. Nothing
 * here is Department of Labor or market data: every value comes from a seeded
 * {@link Prng}.
 *
 * Outcome process, per week ending Saturday W (ln space):
 * - y_W = level + s(W) + e_W, e_W = scale * T(df), s(W) = amplitude of annual
 *   seasonality: a1 cos(2 pi W / 365.2425) + b1 sin(...);
 * - level <- level + alpha e_W (a random-walk level in innovations form);
 * - the print is exp(y_W) rounded to the thousand (symbol `ICSA`), released on
 *   Thursday W + 5 at 08:30 ET.
 *
 * Events: one per week of the last `eventWeeks`, ticker
 * `KXJOBLESSCLAIMS-<yyMMMdd of the release>`, 7 "at least N" thresholds
 * (greater_or_equal: a print equal to N settles YES) 5,000 apart centred on the
 * true forecast, open at the previous release + 30 minutes, close 1 minute before
 * the release, settled 5 minutes after it. The maker prices with a noisy version
 * of the truth (log-t around level + s(W)).
 *
 * @example
 * ```ts
 * import { claimsTapeName, generateClaimsTape } from "./claims.ts";
 * const events = generateClaimsTape({ seed: 1 });
 * console.log(claimsTapeName(1), events.length);
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

/** Options of the synthetic claims process and tape. */
export interface ClaimsSynthOptions {
  readonly seed: number;
  /** First week-ending Saturday (a day number); default 2021-01-02. */
  readonly startWeek?: number;
  /** Weeks of prints before the first event; default 260. */
  readonly historyWeeks?: number;
  /** Weeks with an event, after the history; default 26. */
  readonly eventWeeks?: number;
  /** Claims at the start; default 220,000. */
  readonly startLevel?: number;
  /** Smoothing weight of the level; default 0.3. */
  readonly alpha?: number;
  /** Seasonal cosine and sine amplitudes of ln(claims); default 0.12 and -0.05. */
  readonly a1?: number;
  readonly b1?: number;
  /** Error scale of ln(claims); default 0.04. */
  readonly scale?: number;
  /** Degrees of freedom of the error; default 5. */
  readonly df?: number;
  /** Mean time between maker requotes per market; default 1 hour. */
  readonly requoteMeanMs?: number;
  /** Mean time between taker trades per market; default 2 hours. */
  readonly tradeMeanMs?: number;
}

/** The synthetic weekly series. */
export interface ClaimsSynthHistory {
  /** Week-ending day of each print. */
  readonly weeks: number[];
  readonly prints: { ts: number; value: number }[];
  /** Forecast centre (ln space) of each week, from the data before it. */
  readonly centers: number[];
}

/** Symbol of the underlying releases. */
export const CLAIMS_SYMBOL = "ICSA";

const YEAR_DAYS = 365.2425;

function fail(detail: string, value: unknown): never {
  throw new RangeError(
    `Cannot generate synthetic claims data: ${detail}, current value is ${value}`,
  );
}

/** Release time of the week ending `week`: Thursday after, 08:30 ET. */
export function synthClaimsReleaseTs(week: number): number {
  return easternDayTime(week + 5, 8, 30);
}

function resolve(o: ClaimsSynthOptions) {
  const r = {
    seed: o.seed,
    startWeek: o.startWeek ?? dayNumber(2021, 1, 2),
    historyWeeks: o.historyWeeks ?? 260,
    eventWeeks: o.eventWeeks ?? 26,
    startLevel: o.startLevel ?? 220_000,
    alpha: o.alpha ?? 0.3,
    a1: o.a1 ?? 0.12,
    b1: o.b1 ?? -0.05,
    scale: o.scale ?? 0.04,
    df: o.df ?? 5,
    requoteMeanMs: o.requoteMeanMs ?? 3_600_000,
    tradeMeanMs: o.tradeMeanMs ?? 7_200_000,
  };
  if (!Number.isInteger(r.seed)) fail("seed must be an integer", r.seed);
  if (!Number.isInteger(r.startWeek) || weekdayOf(r.startWeek) !== 6) {
    fail("startWeek must be the day number of a Saturday", r.startWeek);
  }
  if (!Number.isInteger(r.historyWeeks) || r.historyWeeks < 1) {
    fail("historyWeeks must be an integer >= 1", r.historyWeeks);
  }
  if (!Number.isInteger(r.eventWeeks) || r.eventWeeks < 0) {
    fail("eventWeeks must be an integer >= 0", r.eventWeeks);
  }
  if (!(r.startLevel >= 1000) || !Number.isFinite(r.startLevel)) {
    fail("startLevel must be finite and >= 1000", r.startLevel);
  }
  if (!(r.alpha >= 0 && r.alpha <= 1)) fail("alpha must be in [0, 1]", r.alpha);
  if (!Number.isFinite(r.a1) || !Number.isFinite(r.b1)) {
    fail("a1 and b1 must be finite", `${r.a1}, ${r.b1}`);
  }
  if (!(r.scale > 0) || !Number.isFinite(r.scale)) fail("scale must be finite and > 0", r.scale);
  if (!(r.df > 0)) fail("df must be > 0", r.df);
  return r;
}

/**
 * The synthetic weekly prints (see the module docs), without any market.
 *
 * @throws {RangeError} on invalid options.
 */
export function claimsSynthHistory(options: ClaimsSynthOptions): ClaimsSynthHistory {
  const o = resolve(options);
  const rng = new Prng(o.seed).fork(1);
  const n = o.historyWeeks + o.eventWeeks;
  const weeks: number[] = [];
  const prints: { ts: number; value: number }[] = [];
  const centers: number[] = [];
  let level = Math.log(o.startLevel);
  for (let k = 0; k < n; k++) {
    const week = o.startWeek + 7 * k;
    const w = (2 * Math.PI * week) / YEAR_DAYS;
    const center = level + o.a1 * Math.cos(w) + o.b1 * Math.sin(w);
    const e = o.scale * studentTDraw(rng, o.df);
    level += o.alpha * e;
    weeks.push(week);
    centers.push(center);
    prints.push({
      ts: synthClaimsReleaseTs(week),
      value: Math.round(Math.exp(center + e) / 1000) * 1000,
    });
  }
  return { weeks, prints, centers };
}

/** Default file name of a synthetic claims tape. */
export function claimsTapeName(seed: number): string {
  return `synthetic_claims_seed${seed}.ndjson`;
}

/**
 * A SYNTHETIC tape of weekly KXJOBLESSCLAIMS events (see the module docs).
 *
 * @throws {RangeError} on invalid options.
 */
export function generateClaimsTape(options: ClaimsSynthOptions): TapeEvent[] {
  const o = resolve(options);
  const h = claimsSynthHistory(options);
  const underlying = h.prints.map((p) => ({ ts: p.ts, symbol: CLAIMS_SYMBOL, value: p.value }));
  const events: PointEventSpec[] = [];
  for (let k = Math.max(1, o.historyWeeks); k < h.prints.length; k++) {
    const release = h.prints[k].ts;
    const event = `KXJOBLESSCLAIMS-${dayCode(h.weeks[k] + 5)}`;
    const center = h.centers[k];
    const mid = Math.round(Math.exp(center) / 5000) * 5000;
    const markets: PointMarketSpec[] = [];
    for (let j = -3; j <= 3; j++) {
      const strike = mid + j * 5000;
      markets.push({
        market: `${event}-T${strike}`,
        strikeType: "greater_or_equal",
        floorStrike: strike,
      });
    }
    events.push({
      series: "KXJOBLESSCLAIMS",
      event,
      mutuallyExclusive: false,
      outcomeStep: 1000,
      openTs: h.prints[k - 1].ts + 30 * 60_000,
      closeTs: release - 60_000,
      settleTs: release + 5 * 60_000,
      markets,
      outcome: h.prints[k].value,
      truth: () => ({ center, scale: o.scale, df: o.df, log: true }),
    });
  }
  return assemblePointTape({
    seed: o.seed,
    series: ["KXJOBLESSCLAIMS"],
    underlying,
    events,
    requoteMeanMs: o.requoteMeanMs,
    tradeMeanMs: o.tradeMeanMs,
  });
}
