/**
 * The KX-REPLAY strategy (bench/KX_REPLAY.md, "Strategy"): prices each event's
 * ladder with a normal distribution around the latest underlying value, and takes
 * quotes whose fee-aware edge is at least `E` ticks, up to a per-market gross cap.
 * The pandas peer (`pandas_peer.py`) implements the same rules vectorized.
 *
 * Hot path: a quote costs array reads by the venue's market number and integer
 * arithmetic; fair ticks are cached per market when their event's underlying
 * moves, the one-contract fee is a table by price, and nothing is allocated
 * unless an order is sent.
 *
 * @example
 * ```ts
 * const strategy = new KxReplayStrategy();
 * // replay(source, strategy, { seed: 1, latencyMs: 0, assumedQuoteSize: 0, strict: true })
 * ```
 *
 * @module
 */

import type {
  MakerOrderView,
  QueueFill,
  Strategy,
  StrategyContext,
} from "../../lib/engine/strategy.ts";
import {
  type BookDeltaEvent,
  type BookSnapshotEvent,
  K_BOOK_DELTA,
  K_BOOK_SNAPSHOT,
  K_QUOTE,
  K_TRADE,
  K_UNDERLYING,
  type QuoteEvent,
  type TapeEvent,
  type UnderlyingEvent,
} from "../../lib/tape/events.ts";
import type { Ladder } from "../../lib/market/ladder.ts";
import { marketProbabilities, pmfFromCdf } from "../../lib/pricing/pmf.ts";
import { MutableNormal } from "../../lib/pricing/distribution.ts";
import { type FeeParams, type FeeRole, orderFeeTicks } from "../../lib/fees/fees.ts";
import { objectSlots } from "../../lib/engine/object_slots.ts";

/** Parameters of {@link KxReplayStrategy}. */
export interface KxReplayParams {
  /** Minimum edge (ticks, after the one-contract fee) to trade. */
  readonly edgeTicks: number;
  /** Per-market cap on the gross filled count (centi-contracts). */
  readonly capCenti: number;
  /** Minimum time between two forecasts of one event (ms). */
  readonly forecastIntervalMs: number;
  /**
   * "taker" (the contract, default): IOC orders at the touch on quotes.
   * "maker" (KX-REPLAY-L2, not part of the pandas contract): on each book change,
   * one post-only order per market at the side's best bid when its edge over that
   * bid is at least `edgeTicks` (maker fee included), expiring after
   * `makerTtlMs`; the cap counts filled contracts.
   */
  readonly mode?: "taker" | "maker";
  /** Maker mode: lifetime of each resting order (ms). */
  readonly makerTtlMs?: number;
}

/** The contract's parameters: E = 300 ticks, CAP = 50,000 centi-contracts, 60 s. */
export const KX_REPLAY_PARAMS: KxReplayParams = {
  edgeTicks: 300,
  capCenti: 50_000,
  forecastIntervalMs: 60_000,
};

const ONE_DOLLAR = 10_000;
/** One contract in centi-contracts. */
const ONE_CONTRACT = 100;

/**
 * The one-contract cash fee (ticks) of one role under one series' fee
 * parameters, by price, computed at the first use of each price: a quote ladder
 * uses about a hundred of the 10,001 prices, and each fee is an exact integer
 * computation (lib/fees).
 */
class FeeTable {
  readonly #params: FeeParams;
  readonly #role: FeeRole;
  /** Fee by price in ticks, -1 until computed. */
  readonly #cash = new Int32Array(ONE_DOLLAR + 1).fill(-1);

  constructor(params: FeeParams, role: FeeRole) {
    this.#params = params;
    this.#role = role;
  }

  /** The fee of one contract at `price` ticks. */
  at(price: number): number {
    const v = this.#cash[price];
    return v >= 0 ? v : this.#compute(price);
  }

  #compute(price: number): number {
    return this.#cash[price] = orderFeeTicks(this.#params, this.#role, price, ONE_CONTRACT);
  }
}

/** What the strategy keeps per event. */
interface EventState {
  readonly event: string;
  readonly series: string;
  ladder: Ladder | undefined;
  /** A market of the event was declared since `ladder` was looked up (it may have changed). */
  ladderStale: boolean;
  pmf: Float64Array;
  probs: Float64Array;
  /** Venue market number of each ladder market, in ladder order (-1: not followed). */
  slots: Int32Array;
  closeTs: number;
  lastForecastTs: number;
}

/** `to` with `from` copied into its start (a per-market array grown). */
function grown<T extends Int32Array | Float64Array>(from: T, to: T): T {
  to.set(from);
  return to;
}

/** Underlying symbol of an event ticker: `KXBENCH-E07` -> `U07` (null if not of that form). */
function symbolOf(event: string): string | null {
  const m = /-E(\d+)$/.exec(event);
  return m === null ? null : `U${m[1]}`;
}

/**
 * The KX-REPLAY taker strategy. Event k's underlying symbol is `U<kk>` for the
 * event ticker ending in `-E<kk>`.
 */
export class KxReplayStrategy implements Strategy {
  readonly name = "kx_replay";
  readonly params: Readonly<Record<string, number | string>>;
  readonly #dist = new MutableNormal();
  readonly #edge: number;
  readonly #cap: number;
  readonly #interval: number;
  readonly #maker: boolean;
  readonly #ttl: number;
  /** Maker mode, per market number: the resting order's id, or 0. */
  #resting = new Float64Array(0);
  /** Maker mode: order id -> market number. */
  readonly #orderMarket = new Map<number, number>();
  /**
   * Per venue market number (StrategyContext.marketNumber): its event's state,
   * or undefined for a market this strategy does not follow.
   */
  readonly #marketEvent = objectSlots<EventState>();
  /**
   * Per-market numbers live in typed arrays of one length (grown together as
   * markets are declared; a number past the used ones reads -1 here): a
   * plain array changes its element kind (small integers, then doubles) during
   * every replay, and code optimized in one replay was thrown away at the start
   * of the next.
   *
   * Per market number: fair YES ticks, or -1 while its event has no PMF (or not followed).
   */
  #fair = new Int32Array(0);
  /** Per market number: gross filled count so far (centi-contracts). */
  #gross = new Float64Array(0);
  readonly #events = new Map<string, EventState>();
  readonly #bySymbol = new Map<string, EventState>();
  /**
   * One-contract cash fee by price for this strategy's role (taker fees in taker
   * mode, maker fees in maker mode), per series; rebuilt after a fee change.
   */
  readonly #feeBySeries = new Map<string, FeeTable>();
  /** Per market number: its series' fee table, once looked up (cleared on a fee change). */
  readonly #feeOf = objectSlots<FeeTable>();

  constructor(params: Partial<KxReplayParams> = {}) {
    const p = { ...KX_REPLAY_PARAMS, ...params };
    this.#edge = p.edgeTicks;
    this.#cap = p.capCenti;
    this.#interval = p.forecastIntervalMs;
    this.#maker = p.mode === "maker";
    this.#ttl = p.makerTtlMs ?? 30_000;
    this.params = this.#maker
      ? {
        edgeTicks: p.edgeTicks,
        capCenti: p.capCenti,
        forecastIntervalMs: p.forecastIntervalMs,
        mode: "maker",
        makerTtlMs: this.#ttl,
      }
      : { edgeTicks: p.edgeTicks, capCenti: p.capCenti, forecastIntervalMs: p.forecastIntervalMs };
  }

  onEvent(ev: TapeEvent, ctx: StrategyContext, market: number, kind: number): void {
    // Dispatch on the kind code, not on `ev.kind`: reading a field of events of
    // many shapes is a slow (megamorphic) property access on every event.
    switch (kind) {
      case K_QUOTE: {
        // Most quotes are on markets at their cap or not yet priced: decided by
        // two array reads, before any field of the quote is read.
        if (
          !this.#maker && market >= 0 && market < this.#fair.length && this.#fair[market] >= 0 &&
          this.#gross[market] < this.#cap
        ) {
          const q = ev as QuoteEvent;
          this.#onQuote(market, q.market, q.yesBid, q.yesAsk, q.yesBidSize, q.yesAskSize, ctx);
        }
        return;
      }
      case K_BOOK_DELTA:
      case K_BOOK_SNAPSHOT:
        if (this.#maker) {
          this.#onBook(market, (ev as BookDeltaEvent | BookSnapshotEvent).market, ctx);
        }
        return;
      case K_UNDERLYING: {
        const u = ev as UnderlyingEvent;
        const st = this.#bySymbol.get(u.symbol);
        if (st !== undefined) this.#onUnderlying(st, u, ctx);
        return;
      }
      case K_TRADE:
        return;
      default:
        this.#onMeta(ev, market, ctx);
    }
  }

  /**
   * Series, event and market declarations. Kept out of {@link onEvent}: they
   * come first on a tape, before V8 records what onEvent does, so inside it
   * they would be code without feedback, and the next replay (which starts
   * with them) would throw away onEvent's optimized code at its first event.
   */
  #onMeta(ev: TapeEvent, market: number, ctx: StrategyContext): void {
    switch (ev.kind) {
      case "series":
        this.#feeBySeries.delete(ev.series);
        this.#feeOf.fill(undefined);
        return;
      case "event": {
        if (this.#events.has(ev.event)) return;
        const st: EventState = {
          event: ev.event,
          series: ev.series,
          ladder: undefined,
          ladderStale: true,
          pmf: new Float64Array(0),
          probs: new Float64Array(0),
          slots: new Int32Array(0),
          closeTs: Number.NaN,
          lastForecastTs: Number.NaN,
        };
        this.#events.set(ev.event, st);
        const sym = symbolOf(ev.event);
        if (sym !== null) this.#bySymbol.set(sym, st);
        return;
      }
      case "market": {
        const st = this.#events.get(ev.event);
        if (st === undefined) return;
        // The event's ladder changes only when one of its markets is declared.
        st.ladderStale = true;
        if (market < 0 || this.#marketEvent[market] !== undefined) return;
        // Dense arrays up to this number (markets of other events stay unfollowed).
        if (market >= this.#fair.length) this.#number(market);
        this.#marketEvent[market] = st;
        // Look up the fee table now, so the quotes find it cached: the lookup's
        // own path, taken at the first quote of every replay, threw away
        // onEvent's code optimized during the replay before.
        this.#feeTable(market, ctx);
        return;
      }
      default:
        return;
    }
  }

  /** Grows the per-market typed arrays to hold market number `market`. */
  #number(market: number): void {
    const size = Math.max(16, 2 * this.#fair.length, market + 1);
    this.#fair = grown(this.#fair, new Int32Array(size).fill(-1));
    this.#gross = grown(this.#gross, new Float64Array(size));
    this.#resting = grown(this.#resting, new Float64Array(size));
  }

  /**
   * Recompute an event's PMF and fair ticks after its underlying moved; forecast
   * if due. Takes the event, not its value: a double passed to a call that is
   * not inlined is boxed (an allocation per tick).
   */
  #onUnderlying(st: EventState, ev: UnderlyingEvent, ctx: StrategyContext): void {
    let ladder = st.ladder;
    if (st.ladderStale || ladder === undefined) {
      ladder = ctx.ladder(st.event);
      if (ladder === undefined) return;
      if (ladder !== st.ladder) this.#attach(st, ladder, ctx);
      st.ladderStale = false;
    }
    const now = ctx.now;
    const sd = Math.max(0.25, 0.003 * Math.sqrt(st.closeTs - now));
    pmfFromCdf(ladder, this.#dist.set(ev.value, sd), st.pmf);
    marketProbabilities(ladder, st.pmf, st.probs);
    const fair = this.#fair;
    for (let i = 0; i < st.slots.length; i++) {
      const slot = st.slots[i];
      if (slot >= 0) fair[slot] = Math.floor(st.probs[i] * ONE_DOLLAR + 0.5);
    }
    if (!(now - st.lastForecastTs < this.#interval)) {
      ctx.forecast(st.event, st.pmf);
      st.lastForecastTs = now;
    }
  }

  /** (Re)bind an event's buffers to its current ladder. */
  #attach(st: EventState, ladder: Ladder, ctx: StrategyContext): void {
    st.ladder = ladder;
    st.pmf = new Float64Array(ladder.bins.length);
    st.probs = new Float64Array(ladder.markets.length);
    st.slots = new Int32Array(ladder.markets.length);
    for (let i = 0; i < ladder.markets.length; i++) {
      const n = ctx.marketNumber(ladder.markets[i]);
      st.slots[i] = this.#marketEvent[n] === st ? n : -1;
    }
    st.closeTs = ctx.closeTs(ladder.markets[0]) ?? Number.NaN;
  }

  /** Market i's one-contract fee table for this strategy's role, or undefined while its series has no fees. */
  #feeTable(i: number, ctx: StrategyContext): FeeTable | undefined {
    let t = this.#feeOf[i];
    if (t !== undefined) return t;
    const series = this.#marketEvent[i]!.series;
    t = this.#feeBySeries.get(series);
    if (t === undefined) {
      const fees: FeeParams | undefined = ctx.fees(series);
      if (fees === undefined) return undefined;
      t = new FeeTable(fees, this.#maker ? "maker" : "taker");
      this.#feeBySeries.set(series, t);
    }
    this.#feeOf[i] = t;
    return t;
  }

  #onQuote(
    i: number,
    market: string,
    b: number,
    a: number,
    bidSize: number,
    askSize: number,
    ctx: StrategyContext,
  ): void {
    // onEvent checked: i is a followed market with fair ticks, below its cap.
    const fair = this.#fair[i];
    const g = this.#gross[i];
    const fee1 = this.#feeTable(i, ctx);
    if (fee1 === undefined) return;
    const evYes = fair - a - fee1.at(a);
    const evNo = (ONE_DOLLAR - fair) - (ONE_DOLLAR - b) - fee1.at(ONE_DOLLAR - b);
    if (Math.max(evYes, evNo) < this.#edge) return;
    const yes = evYes >= evNo;
    const count = Math.min(yes ? askSize : bidSize, this.#cap - g);
    if (count <= 0) return;
    this.#gross[i] = g + count;
    ctx.submit({
      market,
      side: yes ? "yes" : "no",
      limitPrice: yes ? a : ONE_DOLLAR - b,
      count,
      timeInForce: "ioc",
    });
  }

  /** Maker mode: one post-only order at the better side's best bid when its edge is enough. */
  #onBook(i: number, market: string, ctx: StrategyContext): void {
    if (i < 0 || i >= this.#resting.length || this.#resting[i] !== 0) return;
    const fair = this.#fair[i];
    if (fair < 0) return;
    const g = this.#gross[i];
    if (g >= this.#cap) return;
    const book = ctx.book(market);
    if (book === undefined || !book.valid) return;
    const b = book.bestYesBid;
    const a = book.bestYesAsk;
    if (b === 0 || a === ONE_DOLLAR) return;
    const fee1 = this.#feeTable(i, ctx);
    if (fee1 === undefined) return;
    const noBid = ONE_DOLLAR - a;
    const evYes = fair - b - fee1.at(b);
    const evNo = (ONE_DOLLAR - fair) - noBid - fee1.at(noBid);
    if (Math.max(evYes, evNo) < this.#edge) return;
    const yes = evYes >= evNo;
    const count = Math.min(10 * ONE_CONTRACT, this.#cap - g);
    const id = ctx.submit({
      market,
      side: yes ? "yes" : "no",
      limitPrice: yes ? b : noBid,
      count,
      timeInForce: "post_only",
      expireTs: ctx.now + this.#ttl,
    });
    this.#resting[i] = id;
    this.#orderMarket.set(id, i);
  }

  onFill(fill: QueueFill): void {
    const i = this.#orderMarket.get(fill.orderId);
    if (i !== undefined) this.#gross[i] += fill.count;
  }

  onOrderDone(order: MakerOrderView): void {
    const i = this.#orderMarket.get(order.id);
    if (i === undefined) return;
    this.#orderMarket.delete(order.id);
    if (this.#resting[i] === order.id) this.#resting[i] = 0;
  }
}
