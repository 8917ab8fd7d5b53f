/**
 * SYNTHETIC order book and trade simulation of one Kalshi market, for the synthetic
 * tape generator. A market maker quotes 3 levels per side around a fair YES
 * probability computed with a noisy, lagged volatility estimate; takers arrive as a
 * Poisson process and lift the touch. Both sides are bids (Kalshi's representation):
 * YES bids at YES prices, NO bids at 1 - YES ask and below.
 *
 * Deltas of a requote are emitted removals first, then additions (each group: YES
 * side first, best price first), so every intermediate book is a sub-book of the
 * old or the new one: never crossed, never a negative size.
 *
 * @module
 */

import cdf from "@stdlib/stats-base-dists-normal-cdf";
import type { Prng } from "../random/prng.ts";
import type { Side, TapeEvent } from "../tape/events.ts";
import { type BtcPath, tickIndexAt, YEAR_MS } from "./btc_path.ts";
import { type MarketSpec, yesIntervalCents } from "./ladder.ts";

/** Tie classes at equal timestamps (lower first); then generation order. */
export const TIE = {
  metadata: 0,
  underlying: 1,
  book: 2,
  /** A trade and the book_delta that removes its size, in that order. */
  trade: 3,
  lifecycle: 4,
} as const;

/** Where simulated events go, with their tie class. */
export interface EventSink {
  push(event: TapeEvent, tieClass: number): void;
}

/** Simulation parameters of one market. */
export interface BookSimOptions {
  readonly requoteMeanMs: number;
  /** Mean time between taker trades. */
  readonly tradeMeanMs: number;
}

const TICKS_PER_CENT = 100;
const CENTI = 100;
const LEVELS = 3;
/** Probability that a persisting level keeps its size at a requote. */
const KEEP_SIZE = 0.7;
/** Probability that the maker redraws its spread (1-4 cents) at a requote. */
const RESPREAD = 0.15;
/** Standard deviation of the maker's per-market multiplicative volatility bias. */
const VOL_BIAS_SD = 0.15;
/** Standard deviation of the per-requote multiplicative volatility noise. */
const VOL_NOISE_SD = 0.05;
/** Standard deviation of the additive noise on the maker's fair probability. */
const PROB_NOISE_SD = 0.01;

/** P(S_T > x) under GBM with zero drift: N(d2). */
function probAbove(spot: number, x: number, sigma: number, tau: number): number {
  const sd = sigma * Math.sqrt(tau);
  return cdf((Math.log(spot / x) - 0.5 * sd * sd) / sd, 0, 1);
}

/** Probability that the terminal value (in dollars) lands in the YES interval (cents). */
export function yesProbability(
  spec: MarketSpec,
  spot: number,
  sigma: number,
  tauYears: number,
): number {
  const [lo, hi] = yesIntervalCents(spec);
  const upper = Number.isFinite(lo) ? probAbove(spot, (lo - 0.5) / 100, sigma, tauYears) : 1;
  const lower = Number.isFinite(hi) ? probAbove(spot, (hi + 0.5) / 100, sigma, tauYears) : 0;
  return Math.min(1, Math.max(0, upper - lower));
}

type Levels = Map<number, number>; // price (ticks) -> size (centi-contracts)

function sortedDesc(levels: Levels): number[] {
  return [...levels.keys()].sort((a, b) => b - a);
}

/** Simulate books and trades of one market from openTs (snapshot) until closeTs. */
export function simulateMarket(
  spec: MarketSpec,
  path: BtcPath,
  quoteRng: Prng,
  tradeRng: Prng,
  sink: EventSink,
  options: BookSimOptions,
): void {
  const market = spec.market;
  const book: Record<Side, Levels> = { yes: new Map(), no: new Map() };
  let seq = 0;
  let spread = 1 + quoteRng.int(4);
  const volBias = Math.exp(VOL_BIAS_SD * quoteRng.normal());
  let mid = 0.5;

  const randomSize = () => (20 + quoteRng.int(481)) * CENTI;

  /** The maker's target book at time ts. */
  const target = (ts: number): Record<Side, Levels> => {
    const k = tickIndexAt(path, ts);
    const tau = (spec.closeTs - ts) / YEAR_MS;
    const sigma = path.mmVol[k] * volBias * Math.exp(VOL_NOISE_SD * quoteRng.normal());
    const p0 = yesProbability(spec, path.values[k], sigma, tau);
    const p = Math.min(0.999, Math.max(0.001, p0 + PROB_NOISE_SD * quoteRng.normal()));
    if (quoteRng.next() < RESPREAD) spread = 1 + quoteRng.int(4);
    const bid = Math.min(99 - spread, Math.max(1, Math.round(p * 100 - spread / 2)));
    const ask = bid + spread;
    mid = (bid + ask) / 200;
    const out: Record<Side, Levels> = { yes: new Map(), no: new Map() };
    const tops: Record<Side, number> = { yes: bid, no: 100 - ask };
    for (const side of ["yes", "no"] as const) {
      for (let i = 0; i < LEVELS; i++) {
        const cents = tops[side] - i;
        if (cents < 1) break;
        const price = cents * TICKS_PER_CENT;
        const old = book[side].get(price) ?? 0;
        out[side].set(price, old > 0 && quoteRng.next() < KEEP_SIZE ? old : randomSize());
      }
    }
    return out;
  };

  const emitDelta = (ts: number, side: Side, price: number, delta: number, tie: number) => {
    const size = (book[side].get(price) ?? 0) + delta;
    if (size < 0) throw new Error(`Cannot simulate book: negative size at ${market} ${price}`);
    if (size === 0) book[side].delete(price);
    else book[side].set(price, size);
    sink.push({ kind: "book_delta", ts, market, seq: ++seq, side, price, delta }, tie);
  };

  const requote = (ts: number) => {
    const next = target(ts);
    const removals: [Side, number, number][] = [];
    const additions: [Side, number, number][] = [];
    for (const side of ["yes", "no"] as const) {
      const prices = new Set([...book[side].keys(), ...next[side].keys()]);
      for (const price of [...prices].sort((a, b) => b - a)) {
        const d = (next[side].get(price) ?? 0) - (book[side].get(price) ?? 0);
        if (d < 0) removals.push([side, price, d]);
        else if (d > 0) additions.push([side, price, d]);
      }
    }
    for (const [side, price, d] of removals) emitDelta(ts, side, price, d, TIE.book);
    for (const [side, price, d] of additions) emitDelta(ts, side, price, d, TIE.book);
  };

  const trade = (ts: number) => {
    const k = tickIndexAt(path, ts);
    const tau = (spec.closeTs - ts) / YEAR_MS;
    const pTrue = yesProbability(spec, path.values[k], path.trueVol[k], tau);
    const pYes = Math.min(0.85, Math.max(0.15, 0.5 + 3 * (pTrue - mid)));
    let taker: Side = tradeRng.next() < pYes ? "yes" : "no";
    // A YES taker hits the best NO bid; a NO taker hits the best YES bid.
    let hit: Side = taker === "yes" ? "no" : "yes";
    if (book[hit].size === 0) {
      taker = hit;
      hit = taker === "yes" ? "no" : "yes";
      if (book[hit].size === 0) return;
    }
    const best = sortedDesc(book[hit])[0];
    const touch = book[hit].get(best)!;
    const count = Math.min(1 + tradeRng.int(50), touch / CENTI) * CENTI;
    const price = taker === "yes" ? 10_000 - best : best;
    sink.push({ kind: "trade", ts, market, price, count, takerSide: taker }, TIE.trade);
    emitDelta(ts, hit, best, -count, TIE.trade);
  };

  // Opening snapshot.
  const first = target(spec.openTs);
  book.yes = first.yes;
  book.no = first.no;
  const y = sortedDesc(book.yes);
  const n = sortedDesc(book.no);
  sink.push({
    kind: "book_snapshot",
    ts: spec.openTs,
    market,
    seq: ++seq,
    yesPrices: y,
    yesSizes: y.map((p) => book.yes.get(p)!),
    noPrices: n,
    noSizes: n.map((p) => book.no.get(p)!),
  }, TIE.book);

  // Requote and trade times, merged; a requote goes first on a tie.
  let tq = spec.openTs + Math.max(1, Math.round(quoteRng.exponential(1 / options.requoteMeanMs)));
  let tt = spec.openTs + Math.max(1, Math.round(tradeRng.exponential(1 / options.tradeMeanMs)));
  while (tq < spec.closeTs || tt < spec.closeTs) {
    if (tq <= tt) {
      requote(tq);
      tq += Math.max(1, Math.round(quoteRng.exponential(1 / options.requoteMeanMs)));
    } else {
      trade(tt);
      tt += Math.max(1, Math.round(tradeRng.exponential(1 / options.tradeMeanMs)));
    }
  }
}
