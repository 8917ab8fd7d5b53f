/**
 * Assembles a **SYNTHETIC** tape for a point-forecast family (CPI, jobless claims,
 * 10-year, gas) from its outcome process: the family's generator supplies the
 * underlying releases, the events with their markets, each event's reported
 * outcome and its true predictive distribution over time; this module adds the
 * series metadata, books and trades from a market maker that prices with a noisy
 * version of the truth (lib/synth/ladder_book.ts), lifecycle events and
 * settlements, and sorts everything into one tape.
 *
 * The maker's noise, per market: its centre is off by `centerSd` error scales
 * and its scale by a factor exp(`scaleBiasSd` N(0,1)) (both fixed for the
 * market's life), and each quote adds N(0, `probSd`) to the YES probability.
 *
 * Events are sorted by ts; ties go metadata, underlying, books, trades (each with
 * its delta), lifecycle and settlement, then generation order.
 *
 * @example
 * ```ts
 * import { assemblePointTape } from "./point_tape.ts";
 * // const events = assemblePointTape({ seed: 1, series: ["KXCPI"], underlying, events: specs,
 * //   requoteMeanMs: 3_600_000, tradeMeanMs: 10_800_000 });
 * ```
 *
 * @module
 */

import { Prng } from "../random/prng.ts";
import type { EventEvent, MarketEvent, StrikeType, TapeEvent } from "../tape/events.ts";
import { buildLadder, type Ladder } from "../market/ladder.ts";
import { intervalContains, marketInterval } from "../market/interval.ts";
import { marketProbabilities } from "../pricing/pmf.ts";
import { type PointForecast, pointPmf } from "../pricing/point_pmf.ts";
import { pushMarketLife, simulateLadderMarket, TapeCollector, TIE } from "./ladder_book.ts";

/** One market of a synthetic event. */
export interface PointMarketSpec {
  readonly market: string;
  readonly strikeType: StrikeType;
  readonly floorStrike?: number;
  readonly capStrike?: number;
  readonly floorInclusive?: boolean;
  readonly capInclusive?: boolean;
}

/** One synthetic event: its markets, times, outcome and the truth over time. */
export interface PointEventSpec {
  readonly series: string;
  readonly event: string;
  readonly mutuallyExclusive: boolean;
  /** Reporting precision of the outcome. */
  readonly outcomeStep: number;
  readonly openTs: number;
  readonly closeTs: number;
  /** Settlement (and `determined`) time, after the outcome's release. */
  readonly settleTs: number;
  readonly markets: readonly PointMarketSpec[];
  /** The reported outcome (on the grid of outcomeStep). */
  readonly outcome: number;
  /** The true predictive distribution of the outcome at ts (openTs <= ts < closeTs). */
  truth(ts: number): PointForecast;
}

/** The synthetic maker's noise (see the module docs). */
export interface MakerNoise {
  readonly centerSd: number;
  readonly scaleBiasSd: number;
  readonly probSd: number;
}

/** Default maker noise. */
export const DEFAULT_MAKER_NOISE: MakerNoise = Object.freeze({
  centerSd: 0.35,
  scaleBiasSd: 0.2,
  probSd: 0.015,
});

/** Input of {@link assemblePointTape}. */
export interface PointTapeInput {
  /** Seed of the books and trades (the outcome process has its own). */
  readonly seed: number;
  /** Series of the tape (quadratic taker fees, multiplier 1). */
  readonly series: readonly string[];
  /** Underlying releases at their publication times. */
  readonly underlying: readonly { ts: number; symbol: string; value: number }[];
  readonly events: readonly PointEventSpec[];
  /** Mean time between maker requotes per market (ms). */
  readonly requoteMeanMs: number;
  /** Mean time between taker trades per market (ms). */
  readonly tradeMeanMs: number;
  readonly noise?: MakerNoise;
}

function marketEvent(e: PointEventSpec, m: PointMarketSpec): MarketEvent {
  return {
    kind: "market",
    ts: e.openTs,
    market: m.market,
    event: e.event,
    strikeType: m.strikeType,
    ...(m.floorStrike !== undefined ? { floorStrike: m.floorStrike } : {}),
    ...(m.capStrike !== undefined ? { capStrike: m.capStrike } : {}),
    ...(m.floorInclusive !== undefined ? { floorInclusive: m.floorInclusive } : {}),
    ...(m.capInclusive !== undefined ? { capInclusive: m.capInclusive } : {}),
    openTs: e.openTs,
    closeTs: e.closeTs,
    priceStep: 100,
  };
}

/**
 * YES probability of market i under a forecast (model space), on the ladder's
 * grid. Exported for the generators' tests.
 */
export function yesProbability(ladder: Ladder, i: number, f: PointForecast): number {
  const step = ladder.outcomeStep ?? 1e-9;
  const p = marketProbabilities(ladder, pointPmf(ladder, f, step))[i];
  return p < 0 ? 0 : p > 1 ? 1 : p;
}

/**
 * Build the tape. See the module docs.
 *
 * @throws {RangeError} when an event closes before it opens, settles before it
 * closes, its markets do not form a ladder, or its outcome is not finite.
 */
export function assemblePointTape(input: PointTapeInput): TapeEvent[] {
  const noise = input.noise ?? DEFAULT_MAKER_NOISE;
  const root = new Prng(input.seed);
  const sink = new TapeCollector();
  let first = Infinity;
  for (const u of input.underlying) first = Math.min(first, u.ts);
  for (const e of input.events) first = Math.min(first, e.openTs);
  if (first === Infinity) first = 0;
  for (const series of input.series) {
    sink.push(
      { kind: "series", ts: first, series, feeType: "quadratic", feeMultiplier: 10_000 },
      TIE.metadata,
    );
  }
  for (const u of input.underlying) {
    sink.push({ kind: "underlying", ts: u.ts, symbol: u.symbol, value: u.value }, TIE.underlying);
  }
  let marketCount = 0;
  for (const e of input.events) {
    if (!(e.closeTs > e.openTs) || !(e.settleTs >= e.closeTs)) {
      throw new RangeError(
        `Cannot assemble the synthetic tape: event ${e.event} must open < close <= settle, current value is ${e.openTs}, ${e.closeTs}, ${e.settleTs}`,
      );
    }
    if (!Number.isFinite(e.outcome)) {
      throw new RangeError(
        `Cannot assemble the synthetic tape: event ${e.event} outcome must be finite, current value is ${e.outcome}`,
      );
    }
    const ev: EventEvent = {
      kind: "event",
      ts: e.openTs,
      event: e.event,
      series: e.series,
      mutuallyExclusive: e.mutuallyExclusive,
      outcomeStep: e.outcomeStep,
    };
    sink.push(ev, TIE.metadata);
    const mevs = e.markets.map((m) => marketEvent(e, m));
    const ladder = buildLadder(ev, mevs);
    for (const m of mevs) sink.push(m, TIE.metadata);
    for (const m of mevs) {
      const i = ladder.marketIndex.get(m.market)!;
      const rng = root.fork(1000 + marketCount++);
      const bias = rng.fork(3);
      const centerShift = noise.centerSd * bias.normal();
      const scaleBias = Math.exp(noise.scaleBiasSd * bias.normal());
      simulateLadderMarket(
        { market: m.market, openTs: e.openTs, closeTs: e.closeTs },
        {
          makerYes(ts, qrng) {
            const t = e.truth(ts);
            const maker: PointForecast = {
              center: t.center + centerShift * t.scale,
              scale: t.scale * scaleBias,
              df: t.df,
              log: t.log,
            };
            return yesProbability(ladder, i, maker) + noise.probSd * qrng.normal();
          },
          trueYes: (ts) => yesProbability(ladder, i, e.truth(ts)),
        },
        rng.fork(1),
        rng.fork(2),
        sink,
        { requoteMeanMs: input.requoteMeanMs, tradeMeanMs: input.tradeMeanMs },
      );
      const yes = intervalContains(marketInterval(m), e.outcome);
      pushMarketLife(sink, m.market, e, yes ? "yes" : "no", e.outcome);
    }
  }
  return sink.ordered();
}

/**
 * Text of a strike in a ticker with `decimals` decimals, without float noise
 * (for example 0.2 -> "0.2", -0.1 -> "-0.1", 3.1 with 2 decimals -> "3.10").
 */
export function strikeText(x: number, decimals: number): string {
  const s = x.toFixed(decimals);
  return s === `-${(0).toFixed(decimals)}` ? (0).toFixed(decimals) : s;
}
