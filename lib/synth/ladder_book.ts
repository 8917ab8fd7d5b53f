/**
 * SYNTHETIC order book and trade simulation of one Kalshi market, driven by two
 * probability callbacks: the market maker's (noisy) fair YES probability at each
 * requote, and the true probability that steers the takers. A maker quotes 3
 * levels per side with a spread of 1-4 cents; requotes and taker trades at the
 * touch arrive as Poisson processes. Independent of any price path, so every
 * ladder family uses it (the BTC simulator, book_sim.ts, with probabilities from
 * its price path).
 *
 * Deltas of a requote are emitted removals first, then additions (each group: YES
 * side first, best price first), so every intermediate book is a sub-book of the
 * old or the new one: never crossed, never a negative size.
 *
 * @example
 * ```ts
 * import { Prng } from "../random/prng.ts";
 * import { simulateLadderMarket } from "./ladder_book.ts";
 * const events: unknown[] = [];
 * simulateLadderMarket(
 *   { market: "KXCPI-26JAN-T0.2", openTs: 0, closeTs: 86_400_000 },
 *   { makerYes: () => 0.4, trueYes: () => 0.45 },
 *   new Prng(1), new Prng(2), { push: (e) => events.push(e) },
 *   { requoteMeanMs: 3_600_000, tradeMeanMs: 7_200_000 },
 * );
 * ```
 *
 * @module
 */

import type { Prng } from "../random/prng.ts";
import type { Side, TapeEvent } from "../tape/events.ts";

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

/**
 * An {@link EventSink} that keeps what is pushed and gives it back in tape
 * order: by timestamp, then tie class, then the order of pushing.
 */
export class TapeCollector implements EventSink {
  readonly #events: TapeEvent[] = [];
  readonly #ties: number[] = [];

  push(event: TapeEvent, tieClass: number): void {
    this.#events.push(event);
    this.#ties.push(tieClass);
  }

  /** The events in tape order. */
  ordered(): TapeEvent[] {
    const events = this.#events;
    const ties = this.#ties;
    const order = events.map((_, i) => i);
    order.sort((a, b) => events[a].ts - events[b].ts || ties[a] - ties[b] || a - b);
    return order.map((i) => events[i]);
  }
}

/**
 * A simulated market's lifecycle around its book: open at `openTs`, closed at
 * `closeTs`, determined and settled (`result`, `expirationValue`) at `settleTs`.
 */
export function pushMarketLife(
  sink: EventSink,
  market: string,
  times: { readonly openTs: number; readonly closeTs: number; readonly settleTs: number },
  result: Side,
  expirationValue: number,
): void {
  sink.push({ kind: "lifecycle", ts: times.openTs, market, status: "open" }, TIE.lifecycle);
  sink.push({ kind: "lifecycle", ts: times.closeTs, market, status: "closed" }, TIE.lifecycle);
  sink.push(
    { kind: "lifecycle", ts: times.settleTs, market, status: "determined" },
    TIE.lifecycle,
  );
  sink.push(
    { kind: "settlement", ts: times.settleTs, market, result, expirationValue },
    TIE.lifecycle,
  );
}

/** Simulation parameters of one market. */
export interface BookSimOptions {
  readonly requoteMeanMs: number;
  /** Mean time between taker trades. */
  readonly tradeMeanMs: number;
}

/** The market being simulated. */
export interface SimMarket {
  readonly market: string;
  readonly openTs: number;
  readonly closeTs: number;
}

/** Probabilities the simulation needs. */
export interface SimProbabilities {
  /** The maker's fair YES probability at a requote (it may draw noise from `rng`). */
  makerYes(ts: number, rng: Prng): number;
  /** The true YES probability at ts (what informed takers lean on). */
  trueYes(ts: number): number;
  /** The range the maker's probability is clamped to before quoting (default [0.01, 0.99]). */
  readonly makerRange?: readonly [number, number];
}

const TICKS_PER_CENT = 100;
const CENTI = 100;
const LEVELS = 3;
/** Probability that a persisting level keeps its size at a requote. */
const KEEP_SIZE = 0.7;
/** Probability that the maker redraws its spread (1-4 cents) at a requote. */
const RESPREAD = 0.15;

type Levels = Map<number, number>; // price (ticks) -> size (centi-contracts)

function sortedDesc(levels: Levels): number[] {
  return [...levels.keys()].sort((a, b) => b - a);
}

/**
 * Simulate books and trades of one market from openTs (snapshot) until closeTs.
 *
 * @throws {RangeError} when closeTs <= openTs or a mean time is not >= 1.
 */
export function simulateLadderMarket(
  spec: SimMarket,
  probs: SimProbabilities,
  quoteRng: Prng,
  tradeRng: Prng,
  sink: EventSink,
  options: BookSimOptions,
): void {
  if (!(spec.closeTs > spec.openTs)) {
    throw new RangeError(
      `Cannot simulate market ${spec.market}: closeTs must be after openTs, current value is ${spec.closeTs}`,
    );
  }
  for (
    const [k, v] of [["requoteMeanMs", options.requoteMeanMs], [
      "tradeMeanMs",
      options.tradeMeanMs,
    ]] as const
  ) {
    if (!(v >= 1) || !Number.isFinite(v)) {
      throw new RangeError(
        `Cannot simulate market ${spec.market}: ${k} must be finite and >= 1, current value is ${v}`,
      );
    }
  }
  const market = spec.market;
  const [pMin, pMax] = probs.makerRange ?? [0.01, 0.99];
  const book: Record<Side, Levels> = { yes: new Map(), no: new Map() };
  let seq = 0;
  let spread = 1 + quoteRng.int(4);
  let mid = 0.5;

  const randomSize = () => (20 + quoteRng.int(481)) * CENTI;

  const target = (ts: number): Record<Side, Levels> => {
    const p = Math.min(pMax, Math.max(pMin, probs.makerYes(ts, quoteRng)));
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
    const pTrue = probs.trueYes(ts);
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
