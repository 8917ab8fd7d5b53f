/**
 * The deterministic replay venue: applies tape events in merge order, hands each
 * one to the strategy through the {@link StrategyContext}, routes the orders it
 * sends through the taker fill model after the configured latency, records its
 * forecasts with the market-implied baseline, and settles positions at the
 * settlement events and nowhere earlier.
 *
 * Timing rule: an order submitted at `now` arrives at `now + latencyMs` and is
 * matched against the book after every tape event with timestamp <= its arrival
 * time has been applied (and before any later event).
 *
 * Clock and randomness are injected: the clock is the tape, the PRNG is seeded
 * from the run's seed. The same tapes, strategy parameters and seed give the same
 * results.
 *
 * @module
 */

import type { Side, TapeEvent } from "../lib/tape/events.ts";
import { TapeError } from "../lib/tape/errors.ts";
import type { OrderIntent, Strategy, StrategyContext } from "../lib/engine/strategy.ts";
import { L2Book } from "../lib/engine/book.ts";
import { fillTaker } from "../lib/engine/taker_fill.ts";
import { Portfolio } from "../lib/engine/portfolio.ts";
import { MarketRegistry } from "../lib/engine/registry.ts";
import { FeeAccumulator, feeTicks } from "../lib/fees/fees.ts";
import { marketProbabilities } from "../lib/pricing/pmf.ts";
import { impliedPmf, yesMidOf } from "../lib/pricing/implied.ts";
import { binOfValue, type Ladder, outcomeBinFromResults } from "../lib/market/ladder.ts";
import { Prng } from "../lib/random/prng.ts";
import type { FillRow, ForecastRow, OrderRow, SettlementRow } from "../lib/store/results_db.ts";
import type { StreamMerger } from "./stream.ts";

/** Replay settings; all of them are stored with the run. */
export interface ReplayConfig {
  /** Seed of the PRNG handed to the strategy. */
  readonly seed: number;
  /** Order-entry latency: time from submit to matching (ms). */
  readonly latencyMs: number;
  /** Size assumed at the touch of quote-only (degraded) books, centi-contracts. */
  readonly assumedQuoteSize: number;
  /** Crossed books are errors (true) or counted anomalies (false). */
  readonly strict: boolean;
}

/** Default replay settings. */
export const DEFAULT_REPLAY_CONFIG: ReplayConfig = {
  seed: 1,
  latencyMs: 250,
  assumedQuoteSize: 0,
  strict: true,
};

/** A forecast of a whole event (one PMF) and the market's PMF at the same instant. */
export interface EventForecast {
  readonly ts: number;
  readonly event: string;
  readonly pmfModel: Float64Array;
  readonly pmfMarket: Float64Array | null;
}

/** Everything a replay produced, before scoring. */
export interface ReplayResult {
  readonly forecasts: ForecastRow[];
  readonly eventForecasts: EventForecast[];
  /** Outcome bin per settled event (index into its ladder's bins). */
  readonly eventOutcomes: Map<string, number>;
  readonly orders: OrderRow[];
  readonly fills: FillRow[];
  readonly settlements: SettlementRow[];
  readonly portfolio: Portfolio;
  readonly eventsProcessed: number;
  readonly anomalies: string[];
  readonly anomalyCount: number;
  readonly firstTs: number;
  readonly lastTs: number;
  /** Markets that still held a position at the end of the tape (never settled). */
  readonly unsettledPositions: { market: string; position: number }[];
  /** Event of every market declared on the tape. */
  readonly marketEvents: Map<string, string>;
  /** Market ticker -> its close time (ms), for every market the tape declared. */
  readonly marketCloseTs: Map<string, number>;
}

interface PendingOrder {
  readonly id: number;
  readonly submitTs: number;
  readonly arrivalTs: number;
  readonly intent: OrderIntent;
}

/** Options of {@link replay} that do not change results. */
export interface ReplayHooks {
  /** Called every `progressEvery` events with the count so far. */
  readonly onProgress?: (eventsProcessed: number, ts: number) => void;
  readonly progressEvery?: number;
}

/**
 * Replay merged tapes through a strategy. Throws TapeError on invalid data.
 *
 * The loop awaits only between blocks; inside a block it runs synchronously:
 * match due orders, apply the event, hand it to the strategy.
 */
export async function replay(
  source: StreamMerger,
  strategy: Strategy,
  config: ReplayConfig,
  hooks: ReplayHooks = {},
): Promise<ReplayResult> {
  const venue = new ReplayVenue(config, source);
  const ctx = venue.context;
  const every = hooks.progressEvery ?? 65_536;
  const onProgress = hooks.onProgress;
  let nextProgress = every;
  const pending = venue.pending;
  while (await source.refill()) {
    let ev: TapeEvent | null;
    while ((ev = source.take()) !== null) {
      const ts = ev.ts;
      if (pending.length > 0 && pending[0].arrivalTs < ts) venue.processOrdersBefore(ts);
      venue.apply(ev);
      venue.now = ts;
      strategy.onEvent(ev, ctx);
    }
    if (onProgress !== undefined && venue.eventsProcessed >= nextProgress) {
      nextProgress = venue.eventsProcessed + every;
      onProgress(venue.eventsProcessed, venue.now);
    }
  }
  venue.processOrdersBefore(Number.POSITIVE_INFINITY);
  return venue.result(source.anomalyCount());
}

/** What the venue keeps per market: its book and whether its event's ladder was checked. */
interface MarketState {
  readonly book: L2Book;
  readonly event: string;
  ladderChecked: boolean;
}

/** The venue state behind the replay loop. */
class ReplayVenue {
  readonly registry = new MarketRegistry();
  readonly #markets = new Map<string, MarketState>();
  /** Per source: market state by the source's slot id (filled on first use). */
  readonly #bySlot: (MarketState | undefined)[][];
  readonly #source: StreamMerger;
  readonly portfolio = new Portfolio();
  readonly config: ReplayConfig;
  readonly rng: Prng;
  readonly pending: PendingOrder[] = [];
  readonly orders: OrderRow[] = [];
  readonly fills: FillRow[] = [];
  readonly settlements: SettlementRow[] = [];
  readonly forecasts: ForecastRow[] = [];
  readonly eventForecasts: EventForecast[] = [];
  readonly eventOutcomes = new Map<string, number>();
  /** Forecast rows per market still waiting for the outcome. */
  readonly #awaiting = new Map<string, number[]>();
  readonly anomalies: string[] = [];
  anomalyCount = 0;
  eventsProcessed = 0;
  now = 0;
  firstTs = Number.NaN;
  nextOrderId = 1;
  readonly context: StrategyContext;

  constructor(config: ReplayConfig, source: StreamMerger) {
    this.config = config;
    this.#source = source;
    this.#bySlot = Array.from({ length: source.size }, () => []);
    this.rng = new Prng(config.seed);
    this.context = makeContext(this);
  }

  /** Apply one event to the venue state. */
  apply(ev: TapeEvent): void {
    const source = this.#source;
    if (this.eventsProcessed++ === 0) this.firstTs = ev.ts;
    // Hot kinds first: a switch on strings compares the cases in order.
    switch (ev.kind) {
      case "quote": {
        const r = this.#book(ev.market, source).applyQuote(ev);
        if (r !== "ok") this.#check(r, ev.market, source);
        break;
      }
      case "book_delta": {
        const r = this.#book(ev.market, source).applyDelta(ev);
        if (r !== "ok") this.#check(r, ev.market, source);
        break;
      }
      case "trade":
      case "underlying":
        break;
      case "book_snapshot":
        this.#check(this.#book(ev.market, source).applySnapshot(ev), ev.market, source);
        break;
      case "lifecycle":
        this.#book(ev.market, source);
        this.registry.setStatus(ev.market, ev.status);
        break;
      case "settlement":
        this.#settle(ev.market, ev.result, ev.ts, ev.expirationValue, source);
        break;
      case "series":
        this.registry.addSeries(ev);
        break;
      case "event":
        this.registry.addEvent(ev);
        break;
      case "market":
        if (this.registry.event(ev.event) === undefined) {
          throw new TapeError(source.position(), "event", `unknown event ${ev.event}`);
        }
        this.registry.addMarket(ev);
        if (!this.#markets.has(ev.market)) {
          const book = new L2Book(ev.market, this.config.assumedQuoteSize);
          this.#markets.set(ev.market, { book, event: ev.event, ladderChecked: false });
        }
        break;
    }
  }

  /** A market's book, or undefined for an undeclared market. */
  book(market: string): L2Book | undefined {
    return this.#markets.get(market)?.book;
  }

  #book(market: string, source: StreamMerger): L2Book {
    // Slot ids (when the source has them) find the state without hashing the ticker.
    const slot = source.currentSlot();
    let st: MarketState | undefined;
    if (slot >= 0) {
      const cache = this.#bySlot[source.currentSource()];
      st = cache[slot];
      if (st === undefined || st.book.market !== market) {
        st = this.#markets.get(market);
        if (st !== undefined) cache[slot] = st;
      }
    } else st = this.#markets.get(market);
    if (st === undefined) {
      throw new TapeError(source.position(), "market", `unknown market ${market}`);
    }
    if (!st.ladderChecked) {
      st.ladderChecked = true;
      this.#checkLadder(st.event, source);
    }
    return st.book;
  }

  /**
   * An event's markets are declared before any activity on them; at the first
   * activity its ladder must partition the outcome line. Strict mode fails the
   * run; lenient mode records an anomaly and the event gets no ladder (so no
   * forecasts are made on it).
   */
  #checkLadder(event: string, source: StreamMerger): void {
    const err = this.registry.ladderError(event);
    if (err === undefined) return;
    if (this.config.strict) throw new TapeError(source.position(), "market", err.message);
    this.anomalyCount++;
    const pos = source.position();
    if (this.anomalies.length < 1000) {
      this.anomalies.push(`${pos.file}:${pos.line}: ${err.message}`);
    }
  }

  #check(r: string, market: string, source: StreamMerger): void {
    if (r === "ok" || r === "ignored") return;
    const pos = source.position();
    const book = this.#markets.get(market)!.book;
    let detail: string;
    let field: string;
    if (r === "gap") {
      field = "seq";
      detail = `seq gap on ${market}: book invalid until the next snapshot`;
    } else if (r === "negative") {
      field = "delta";
      detail = `delta would make a negative size on ${market}`;
      throw new TapeError(pos, field, detail);
    } else {
      field = "price";
      detail =
        `crossed book on ${market}: best yes bid ${book.bestYesBid} ticks >= best yes ask ${book.bestYesAsk} ticks`;
      if (this.config.strict) throw new TapeError(pos, field, detail);
    }
    this.anomalyCount++;
    if (this.anomalies.length < 1000) this.anomalies.push(`${pos.file}:${pos.line}: ${detail}`);
  }

  #settle(
    market: string,
    result: Side,
    ts: number,
    expirationValue: number | undefined,
    source: StreamMerger,
  ): void {
    const book = this.#book(market, source); // throws on an unknown market
    const m = this.registry.market(market)!;
    const { position, payout } = this.portfolio.settle(market, result);
    const account = this.portfolio.account(market);
    this.settlements.push({
      ts,
      market,
      result,
      position,
      payoutTicks: payout,
      pnlTicks: account.cash,
    });
    book.invalidate();
    const outcome = result === "yes" ? 1 : 0;
    const waiting = this.#awaiting.get(market);
    if (waiting !== undefined) {
      for (const i of waiting) {
        const f = this.forecasts[i];
        this.forecasts[i] = { ...f, outcome };
      }
      this.#awaiting.delete(market);
    }
    const results = this.registry.recordResult(market, result);
    const all = this.registry.marketsOf(m.event);
    if (results.size === all.length) {
      const ladder = this.registry.ladder(m.event);
      if (ladder !== undefined) {
        let bin = outcomeBinFromResults(ladder, results);
        if (bin < 0 && expirationValue !== undefined) bin = binOfValue(ladder, expirationValue);
        if (bin >= 0) this.eventOutcomes.set(m.event, bin);
        else {
          this.anomalyCount++;
          this.anomalies.push(`event ${m.event}: results do not single out one bin`);
        }
      }
    }
  }

  /** Match every pending order that arrives before `ts`. */
  processOrdersBefore(ts: number): void {
    const q = this.pending;
    while (q.length > 0 && q[0].arrivalTs < ts) this.#execute(q.shift()!);
  }

  submit(intent: OrderIntent): number {
    const id = this.nextOrderId++;
    const arrivalTs = this.now + this.config.latencyMs;
    const order: PendingOrder = { id, submitTs: this.now, arrivalTs, intent };
    // Keep the queue sorted by (arrival, id); equal latencies make this an append.
    let i = this.pending.length;
    while (i > 0 && this.pending[i - 1].arrivalTs > arrivalTs) i--;
    this.pending.splice(i, 0, order);
    return id;
  }

  #execute(order: PendingOrder): void {
    const { intent, id, arrivalTs } = order;
    const row = (status: string, filled: number, reason: string): OrderRow => ({
      id,
      ts: order.submitTs,
      market: intent.market,
      side: intent.side,
      limitPrice: intent.limitPrice,
      count: intent.count,
      filled,
      status,
      reason,
    });
    const reason = intent.reason ?? "";
    const m = this.registry.market(intent.market);
    if (m === undefined) {
      this.orders.push(row("rejected", 0, `${reason}; rejected: unknown market`));
      return;
    }
    if (!this.registry.isOpen(intent.market, arrivalTs)) {
      this.orders.push(row("rejected", 0, `${reason}; rejected: market not open at arrival`));
      return;
    }
    const book = this.#markets.get(intent.market)!.book;
    if (!book.valid) {
      this.orders.push(row("rejected", 0, `${reason}; rejected: no valid book`));
      return;
    }
    const series = this.registry.seriesOf(m.event)!;
    const fee = this.registry.fees(series, arrivalTs);
    if (fee === undefined) {
      this.orders.push(row("rejected", 0, `${reason}; rejected: no fee schedule for ${series}`));
      return;
    }
    const levels = fillTaker(book, intent.side, intent.limitPrice, intent.count);
    const acc = new FeeAccumulator();
    let filled = 0;
    for (const lv of levels) {
      const charged = acc.add(feeTicks(fee, "taker", lv.price, lv.count));
      this.portfolio.applyFill(intent.market, intent.side, lv.price, lv.count, charged);
      this.fills.push({
        orderId: id,
        ts: arrivalTs,
        market: intent.market,
        side: intent.side,
        price: lv.price,
        count: lv.count,
        feeTicks: charged,
        role: "taker",
      });
      filled += lv.count;
    }
    const status = filled === intent.count ? "filled" : filled > 0 ? "partial" : "unfilled";
    this.orders.push(row(status, filled, reason));
  }

  /** Record a strategy's forecast with the market-implied baseline at the same time. */
  forecast(event: string, pmf: Float64Array): void {
    const ladder = this.registry.ladder(event);
    if (ladder === undefined) {
      throw new RangeError(`Cannot record forecast: event ${event} has no ladder yet`);
    }
    if (pmf.length !== ladder.bins.length) {
      throw new RangeError(
        `Cannot record forecast for ${event}: PMF has ${pmf.length} bins, the ladder has ${ladder.bins.length}`,
      );
    }
    const model = Float64Array.from(pmf);
    const market = this.#impliedPmf(ladder);
    const pModel = marketProbabilities(ladder, model);
    const pMarket = market === null ? null : marketProbabilities(ladder, market);
    this.eventForecasts.push({ ts: this.now, event, pmfModel: model, pmfMarket: market });
    for (let i = 0; i < ladder.markets.length; i++) {
      const ticker = ladder.markets[i];
      const idx = this.forecasts.length;
      this.forecasts.push({
        ts: this.now,
        event,
        market: ticker,
        pModel: pModel[i],
        pMarket: pMarket === null ? null : pMarket[i],
        outcome: null,
      });
      let w = this.#awaiting.get(ticker);
      if (w === undefined) {
        w = [];
        this.#awaiting.set(ticker, w);
      }
      w.push(idx);
    }
  }

  #impliedPmf(ladder: Ladder): Float64Array | null {
    const mids = new Float64Array(ladder.markets.length);
    for (let i = 0; i < ladder.markets.length; i++) {
      mids[i] = yesMidOf(this.book(ladder.markets[i]));
    }
    return impliedPmf(ladder, mids);
  }

  result(streamAnomalies: number): ReplayResult {
    const unsettled: { market: string; position: number }[] = [];
    for (const m of this.portfolio.markets()) {
      const a = this.portfolio.account(m);
      if (!a.settled && a.position !== 0) unsettled.push({ market: m, position: a.position });
    }
    const marketEvents = new Map<string, string>();
    const marketCloseTs = new Map<string, number>();
    for (const [m, st] of this.#markets) {
      marketEvents.set(m, st.event);
      const meta = this.registry.market(m);
      if (meta !== undefined) marketCloseTs.set(m, meta.closeTs);
    }
    return {
      marketEvents,
      marketCloseTs,
      forecasts: this.forecasts,
      eventForecasts: this.eventForecasts,
      eventOutcomes: this.eventOutcomes,
      orders: this.orders,
      fills: this.fills,
      settlements: this.settlements,
      portfolio: this.portfolio,
      eventsProcessed: this.eventsProcessed,
      anomalies: this.anomalies,
      anomalyCount: this.anomalyCount + streamAnomalies,
      firstTs: this.firstTs,
      lastTs: this.now,
      unsettledPositions: unsettled,
    };
  }
}

/** The strategy's window on the venue: only state built from applied events. */
function makeContext(v: ReplayVenue): StrategyContext {
  return {
    get now() {
      return v.now;
    },
    random: () => v.rng.next(),
    ladder: (event) => v.registry.ladder(event),
    seriesOf: (event) => v.registry.seriesOf(event),
    fees: (series) => v.registry.fees(series, v.now),
    book: (market) => v.book(market),
    position: (market) => v.portfolio.position(market),
    closeTs: (market) => v.registry.market(market)?.closeTs,
    isOpen: (market) => v.registry.isOpen(market, v.now),
    submit: (order) => v.submit(order),
    forecast: (event, pmf) => v.forecast(event, pmf),
  };
}
