/**
 * A small, valid, made-up tape for the mock exchange: what `deno task
 * mock-exchange` plays without `--tape`, and the fixture of the mock and feed
 * tests. Nothing in it is recorded market data.
 *
 * One series (`KXHIGHNY`, quadratic fees), one mutually exclusive event and
 * `markets` markets of a temperature ladder (a `less` tail, `between` bins, a
 * `greater` tail). Each market opens (lifecycle `open`), gets a book snapshot,
 * then `steps` random book deltas and trades follow, one every `stepMs`; with
 * `quoteMarket` one more market is driven by `quote` events only (the mock
 * turns quotes into book changes). At the end every market closes, is
 * determined and settles. Books never cross (YES bids below a per-market mid,
 * NO bids below $1 minus it) and deltas never drive a level below zero, so the
 * tape passes the strict reader.
 *
 * @example
 * ```ts
 * import { buildSampleTape } from "./sample_tape.ts";
 *
 * const tape = buildSampleTape({ seed: 3, markets: 2, steps: 20 });
 * console.log(tape.length, tape[0].kind); // ... "series"
 * ```
 *
 * @module
 */

import { LevelBook } from "../lib/kalshi/ws_book.ts";
import { Prng } from "../lib/random/prng.ts";
import type { MarketEvent, Side, TapeEvent } from "../lib/tape/events.ts";

/** Options of {@link buildSampleTape}. */
export interface SampleTapeOptions {
  /** Seed of the made-up numbers. Default 1. */
  readonly seed?: number;
  /** Markets with a full book, 1..8. Default 3. */
  readonly markets?: number;
  /** Random book deltas and trades after the snapshots. Default 60. */
  readonly steps?: number;
  /** Time between steps, ms. Default 1000. */
  readonly stepMs?: number;
  /** First timestamp. Default 2026-01-08T15:00:00Z. */
  readonly startTs?: number;
  /** Add a market driven by quotes only. Default false. */
  readonly quoteMarket?: boolean;
}

/** The event ticker of the sample. */
export const SAMPLE_EVENT = "KXHIGHNY-26JAN08";

/**
 * Builds the sample tape; equal options give equal tapes.
 *
 * @throws {RangeError} for options out of range.
 */
export function buildSampleTape(options: SampleTapeOptions = {}): TapeEvent[] {
  const n = options.markets ?? 3;
  const steps = options.steps ?? 60;
  const stepMs = options.stepMs ?? 1000;
  const t0 = options.startTs ?? Date.parse("2026-01-08T15:00:00Z");
  for (
    const [name, v, lo, hi] of [
      ["markets", n, 1, 8],
      ["steps", steps, 0, 1_000_000],
      ["stepMs", stepMs, 1, 86_400_000],
      ["startTs", t0, 0, Number.MAX_SAFE_INTEGER],
    ] as const
  ) {
    if (!Number.isInteger(v) || v < lo || v > hi) {
      throw new RangeError(
        `Cannot build sample tape: ${name} must be an integer in ${lo}..${hi}, current value is ${v}`,
      );
    }
  }
  const rng = new Prng(options.seed ?? 1);
  const out: TapeEvent[] = [
    { kind: "series", ts: t0, series: "KXHIGHNY", feeType: "quadratic", feeMultiplier: 10000 },
    { kind: "event", ts: t0, event: SAMPLE_EVENT, series: "KXHIGHNY", mutuallyExclusive: true },
  ];
  const closeTs = t0 + (steps + 10) * stepMs;
  const markets: MarketEvent[] = [];
  for (let i = 0; i < n; i++) {
    const lo = 36 + 2 * (i - 1);
    const common = {
      kind: "market",
      ts: t0,
      event: SAMPLE_EVENT,
      openTs: t0,
      closeTs,
      priceStep: 100,
    } as const;
    markets.push(
      i === 0
        ? { ...common, market: `${SAMPLE_EVENT}-T36`, strikeType: "less", capStrike: 36 }
        : i === n - 1 && n > 1
        ? {
          ...common,
          market: `${SAMPLE_EVENT}-T${lo - 1}`,
          strikeType: "greater",
          floorStrike: lo - 1,
        }
        : {
          ...common,
          market: `${SAMPLE_EVENT}-B${lo + 0.5}`,
          strikeType: "between",
          floorStrike: lo,
          capStrike: lo + 1,
        },
    );
  }
  const quoteMarket: MarketEvent | undefined = options.quoteMarket
    ? {
      kind: "market",
      ts: t0,
      market: `${SAMPLE_EVENT}-Q`,
      event: SAMPLE_EVENT,
      strikeType: "greater_or_equal",
      floorStrike: 50,
      openTs: t0,
      closeTs,
      priceStep: 100,
    }
    : undefined;
  const all = quoteMarket ? [...markets, quoteMarket] : markets;
  out.push(...all);
  for (const m of all) out.push({ kind: "lifecycle", ts: t0, market: m.market, status: "open" });

  // Per market: a mid in 30c..70c, levels on a 1-cent grid below it.
  const state = markets.map((m) => ({
    market: m.market,
    mid: 100 * (30 + rng.int(41)),
    book: new LevelBook(),
    seq: 1,
  }));
  for (const s of state) {
    for (let k = 1; k <= 4; k++) {
      s.book.apply("yes", s.mid - 100 * k, 100 * (1 + rng.int(50)));
      s.book.apply("no", 10000 - s.mid - 100 * k, 100 * (1 + rng.int(50)));
    }
    out.push(s.book.toSnapshot(t0, s.market, s.seq));
  }
  let ts = t0;
  for (let step = 0; step < steps; step++) {
    ts += stepMs;
    if (quoteMarket !== undefined && step % 5 === 0) {
      const bid = 100 * (40 + rng.int(10));
      out.push({
        kind: "quote",
        ts,
        market: quoteMarket.market,
        yesBid: bid,
        yesAsk: bid + 100 * (1 + rng.int(3)),
        yesBidSize: 100 * (1 + rng.int(20)),
        yesAskSize: rng.int(2) === 0 ? 0 : 100 * (1 + rng.int(20)),
      });
      continue;
    }
    const s = state[rng.int(state.length)];
    if (rng.int(4) === 0) {
      const takerSide: Side = rng.int(2) === 0 ? "yes" : "no";
      out.push({
        kind: "trade",
        ts,
        market: s.market,
        price: takerSide === "yes" ? s.mid + 100 : s.mid - 100,
        count: 100 * (1 + rng.int(10)),
        takerSide,
      });
      continue;
    }
    const side: Side = rng.int(2) === 0 ? "yes" : "no";
    const top = side === "yes" ? s.mid - 100 : 10000 - s.mid - 100;
    const price = top - 100 * rng.int(5);
    const size = s.book.size(side, price);
    const delta = size > 0 && rng.int(2) === 0
      ? -(size > 100 ? 100 * (1 + rng.int(Math.floor(size / 100))) : size)
      : 100 * (1 + rng.int(20));
    s.book.apply(side, price, delta);
    out.push({ kind: "book_delta", ts, market: s.market, seq: ++s.seq, side, price, delta });
  }
  const end = Math.max(ts + stepMs, closeTs);
  for (const m of all) out.push({ kind: "lifecycle", ts: end, market: m.market, status: "closed" });
  for (const m of all) {
    out.push({ kind: "lifecycle", ts: end + stepMs, market: m.market, status: "determined" });
  }
  const winner = rng.int(all.length);
  all.forEach((m, i) =>
    out.push({
      kind: "settlement",
      ts: end + 2 * stepMs,
      market: m.market,
      result: i === winner ? "yes" : "no",
    })
  );
  return out;
}
