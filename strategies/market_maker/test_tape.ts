/**
 * **SYNTHETIC** L2 tape for market-maker tests and demos: a few independent
 * binary markets, each with a random-walk fair YES probability, a book of a few
 * levels per side around it kept up to date with `book_delta` events, and taker
 * trades that hit both sides. Nothing in it is market data; it is a pure function
 * of its options (seeded {@link Prng}).
 *
 * Per market:
 * - the fair value is a random walk in logit space, drifting linearly from
 *   `startProb` to `endProb` over the session, with `logitVolPerSqrtHour` noise,
 *   stepped every second;
 * - a book maker requotes every `requoteMs` around the fair value of that time:
 *   a spread of 1 to 3 cents, `levels` levels a side, 10 to 100 contracts a level
 *   (a level that stays keeps its size with probability 0.7); the deltas go
 *   removals first, then additions, so no intermediate book is crossed;
 * - takers arrive as a Poisson process (mean gap `tradeMeanMs`); a taker buys YES
 *   (hitting the best NO bid) with probability 0.5 + 10 (fair now - book mid),
 *   clamped to [0.2, 0.8], so trades lean the way the fair value moved since the
 *   last requote (informed flow); 1 to 20 contracts, at most the touch size; each
 *   trade is followed by the delta removing its size;
 * - `open` at the start, `closed` at the close, a settlement 30 s later, YES with
 *   probability the final fair value.
 *
 * The series has `quadratic_with_maker_fees` (multiplier 1), so maker fills pay
 * fees. Events are sorted by time; at equal times: metadata, books, trades (each
 * with its delta), lifecycle, settlement, then generation order.
 *
 * @example
 * ```ts
 * import { generateMakerTestTape } from "./test_tape.ts";
 * const events = generateMakerTestTape({ seed: 7, hours: 1 });
 * events.filter((e) => e.kind === "trade").length; // a few hundred trades
 * ```
 *
 * @module
 */

import { Prng } from "../../lib/random/prng.ts";
import type { Side, TapeEvent } from "../../lib/tape/events.ts";

/** One market of the test tape. */
export interface MakerTapeMarket {
  /** Ticker suffix: the market is `KXMMTEST-26JAN05-<name>`. */
  readonly name: string;
  /** Fair YES probability at the start, in (0, 1). */
  readonly startProb: number;
  /** Where the fair value drifts to by the close, in (0, 1). */
  readonly endProb: number;
  /** Noise of the logit random walk, per sqrt(hour), >= 0. */
  readonly logitVolPerSqrtHour: number;
}

/** Options of {@link generateMakerTestTape}. */
export interface MakerTapeOptions {
  readonly seed: number;
  /** Session start (ms); default 2026-01-05 14:00 UTC. */
  readonly startTs?: number;
  /** Session length in hours (markets close at its end); default 2. */
  readonly hours?: number;
  /** The markets; default {@link DEFAULT_TAPE_MARKETS}. */
  readonly markets?: readonly MakerTapeMarket[];
  /** Time between requotes of the book maker (ms); default 10000. */
  readonly requoteMs?: number;
  /** Mean time between taker trades per market (ms); default 15000. */
  readonly tradeMeanMs?: number;
  /** Levels per side; default 3. */
  readonly levels?: number;
}

/** Series of the test tape. */
export const TEST_SERIES = "KXMMTEST";

/**
 * Three markets: one around 50c, one drifting from 12c into the hard-extreme
 * band below 5c, one drifting from 88c into the band above 95c.
 */
export const DEFAULT_TAPE_MARKETS: readonly MakerTapeMarket[] = Object.freeze([
  { name: "MID", startProb: 0.5, endProb: 0.5, logitVolPerSqrtHour: 0.4 },
  { name: "LOW", startProb: 0.12, endProb: 0.025, logitVolPerSqrtHour: 0.3 },
  { name: "HIGH", startProb: 0.88, endProb: 0.975, logitVolPerSqrtHour: 0.3 },
]);

const TIE_META = 0;
const TIE_BOOK = 1;
const TIE_TRADE = 2;
const TIE_LIFECYCLE = 3;
const TIE_SETTLE = 4;
const CENTI = 100;
const KEEP_SIZE = 0.7;

interface Item {
  readonly ev: TapeEvent;
  readonly tie: number;
  readonly n: number;
}

function fail(detail: string, value: unknown): never {
  throw new RangeError(
    `Cannot generate market-maker test tape: ${detail}, current value is ${String(value)}`,
  );
}

const logit = (p: number) => Math.log(p / (1 - p));
const expit = (x: number) => 1 / (1 + Math.exp(-x));

/** Market ticker of a test-tape market. */
export function testMarketTicker(name: string): string {
  return `${TEST_SERIES}-26JAN05-${name}`;
}

/** Generate the tape; see the module docs. */
export function generateMakerTestTape(options: MakerTapeOptions): TapeEvent[] {
  const seed = options.seed;
  if (!Number.isSafeInteger(seed)) fail("seed must be an integer", seed);
  const t0 = options.startTs ?? Date.UTC(2026, 0, 5, 14, 0);
  const hours = options.hours ?? 2;
  const markets = options.markets ?? DEFAULT_TAPE_MARKETS;
  const requoteMs = options.requoteMs ?? 10_000;
  const tradeMeanMs = options.tradeMeanMs ?? 15_000;
  const levels = options.levels ?? 3;
  if (!Number.isSafeInteger(t0)) fail("startTs must be an integer of ms", t0);
  if (!(Number.isFinite(hours) && hours > 0 && hours <= 48)) {
    fail("hours must be in (0, 48]", hours);
  }
  if (!(Number.isSafeInteger(requoteMs) && requoteMs >= 1000)) {
    fail("requoteMs must be an integer >= 1000", requoteMs);
  }
  if (!(Number.isFinite(tradeMeanMs) && tradeMeanMs >= 100)) {
    fail("tradeMeanMs must be >= 100", tradeMeanMs);
  }
  if (!(Number.isSafeInteger(levels) && levels >= 1 && levels <= 10)) {
    fail("levels must be an integer in 1..10", levels);
  }
  if (markets.length === 0) fail("need at least one market", 0);
  const names = new Set<string>();
  for (const m of markets) {
    if (!/^[A-Z0-9]+$/.test(m.name) || names.has(m.name)) {
      fail("market names must be distinct upper-case alphanumerics", m.name);
    }
    names.add(m.name);
    for (const p of [m.startProb, m.endProb]) {
      if (!(p > 0 && p < 1)) fail(`probabilities of ${m.name} must be in (0, 1)`, p);
    }
    if (!(Number.isFinite(m.logitVolPerSqrtHour) && m.logitVolPerSqrtHour >= 0)) {
      fail(`logitVolPerSqrtHour of ${m.name} must be >= 0`, m.logitVolPerSqrtHour);
    }
  }
  const close = t0 + Math.round(hours * 3_600_000);
  const items: Item[] = [];
  const push = (ev: TapeEvent, tie: number) => items.push({ ev, tie, n: items.length });
  push(
    {
      kind: "series",
      ts: t0,
      series: TEST_SERIES,
      feeType: "quadratic_with_maker_fees",
      feeMultiplier: 10_000,
    },
    TIE_META,
  );
  const root = new Prng(seed);
  markets.forEach((spec, idx) => {
    const market = testMarketTicker(spec.name);
    const event = `${TEST_SERIES}-26JAN05${spec.name}`;
    push({ kind: "event", ts: t0, event, series: TEST_SERIES, mutuallyExclusive: false }, TIE_META);
    push({
      kind: "market",
      ts: t0,
      market,
      event,
      strikeType: "greater",
      floorStrike: 50,
      openTs: t0,
      closeTs: close,
      priceStep: 100,
    }, TIE_META);
    push({ kind: "lifecycle", ts: t0, market, status: "open" }, TIE_LIFECYCLE);
    simulate(spec, market, t0, close, root.fork(idx + 1), push, {
      requoteMs,
      tradeMeanMs,
      levels,
    });
  });
  items.sort((a, b) => a.ev.ts - b.ev.ts || a.tie - b.tie || a.n - b.n);
  return items.map((i) => i.ev);
}

function simulate(
  spec: MakerTapeMarket,
  market: string,
  t0: number,
  close: number,
  rng: Prng,
  push: (ev: TapeEvent, tie: number) => void,
  o: { requoteMs: number; tradeMeanMs: number; levels: number },
): void {
  const fairRng = rng.fork(1);
  const bookRng = rng.fork(2);
  const tradeRng = rng.fork(3);
  // Fair value every second, logit random walk with linear drift.
  const seconds = Math.ceil((close - t0) / 1000);
  const fair = new Float64Array(seconds + 1);
  const x0 = logit(spec.startProb);
  const x1 = logit(spec.endProb);
  const sd = spec.logitVolPerSqrtHour / Math.sqrt(3600);
  let noise = 0;
  for (let s = 0; s <= seconds; s++) {
    if (s > 0) noise += sd * fairRng.normal();
    fair[s] = expit(x0 + (x1 - x0) * (s / seconds) + noise);
  }
  const fairAt = (ts: number) => fair[Math.min(seconds, Math.floor((ts - t0) / 1000))];

  const book: Record<Side, Map<number, number>> = { yes: new Map(), no: new Map() };
  let seq = 0;
  let mid = 0.5;
  const target = (ts: number): Record<Side, Map<number, number>> => {
    const p = fairAt(ts);
    const spread = 1 + bookRng.int(3);
    const bid = Math.min(99 - spread, Math.max(1, Math.round(p * 100 - spread / 2)));
    const ask = bid + spread;
    mid = (bid + ask) / 200;
    const out: Record<Side, Map<number, number>> = { yes: new Map(), no: new Map() };
    const tops: Record<Side, number> = { yes: bid, no: 100 - ask };
    for (const side of ["yes", "no"] as const) {
      for (let i = 0; i < o.levels; i++) {
        const cents = tops[side] - i;
        if (cents < 1) break;
        const price = cents * 100;
        const old = book[side].get(price) ?? 0;
        const size = old > 0 && bookRng.next() < KEEP_SIZE ? old : (10 + bookRng.int(91)) * CENTI;
        out[side].set(price, size);
      }
    }
    return out;
  };
  const delta = (ts: number, side: Side, price: number, d: number, tie: number) => {
    const size = (book[side].get(price) ?? 0) + d;
    if (size < 0) throw new Error(`Cannot simulate test book: negative size at ${price}`);
    if (size === 0) book[side].delete(price);
    else book[side].set(price, size);
    push({ kind: "book_delta", ts, market, seq: ++seq, side, price, delta: d }, tie);
  };

  const first = target(t0 + 1000);
  book.yes = first.yes;
  book.no = first.no;
  const desc = (m: Map<number, number>) => [...m.keys()].sort((a, b) => b - a);
  const yp = desc(book.yes);
  const np = desc(book.no);
  push({
    kind: "book_snapshot",
    ts: t0 + 1000,
    market,
    seq: ++seq,
    yesPrices: yp,
    yesSizes: yp.map((p) => book.yes.get(p)!),
    noPrices: np,
    noSizes: np.map((p) => book.no.get(p)!),
  }, TIE_BOOK);

  let tq = t0 + 1000 + o.requoteMs;
  let tt = t0 + 1000 + Math.max(1, Math.round(tradeRng.exponential(1 / o.tradeMeanMs)));
  while (tq < close || tt < close) {
    if (tq <= tt) {
      const next = target(tq);
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
      for (const [side, price, d] of removals) delta(tq, side, price, d, TIE_BOOK);
      for (const [side, price, d] of additions) delta(tq, side, price, d, TIE_BOOK);
      tq += o.requoteMs;
    } else {
      const pYes = Math.min(0.8, Math.max(0.2, 0.5 + 10 * (fairAt(tt) - mid)));
      let taker: Side = tradeRng.next() < pYes ? "yes" : "no";
      let hit: Side = taker === "yes" ? "no" : "yes";
      if (book[hit].size === 0) {
        taker = hit;
        hit = taker === "yes" ? "no" : "yes";
      }
      if (book[hit].size > 0) {
        const best = desc(book[hit])[0];
        const touch = book[hit].get(best)!;
        const count = Math.min((1 + tradeRng.int(20)) * CENTI, touch);
        const price = taker === "yes" ? 10_000 - best : best;
        push({ kind: "trade", ts: tt, market, price, count, takerSide: taker }, TIE_TRADE);
        delta(tt, hit, best, -count, TIE_TRADE);
      }
      tt += Math.max(1, Math.round(tradeRng.exponential(1 / o.tradeMeanMs)));
    }
  }
  push({ kind: "lifecycle", ts: close, market, status: "closed" }, TIE_LIFECYCLE);
  const result: Side = rng.fork(4).next() < fair[seconds] ? "yes" : "no";
  push({ kind: "settlement", ts: close + 30_000, market, result }, TIE_SETTLE);
}
