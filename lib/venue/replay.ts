/**
 * The deterministic replay venue: applies tape events in merge order, hands each
 * one to the strategy through the {@link StrategyContext}, routes the orders it
 * sends through the taker fill model after the configured latency, records its
 * forecasts with the market-implied baseline, and settles positions at the
 * settlement events and nowhere earlier.
 *
 * Timing rule: an order submitted at `now` arrives at `now + feed + entry
 * latency` (the latency model, lib/engine/latency.ts; `latencyMs` alone is a
 * constant entry and cancel latency) and is handled after every tape event with
 * timestamp <= its arrival time has been applied (and before any later event).
 * Arrivals are handled in (arrival, order id) order across all markets. Orders
 * that cross take liquidity (lib/engine/taker_fill.ts, through MakerBook); `gtc`
 * and `post_only` orders rest in the queue and fill by queue position
 * (lib/engine/queue_fill.ts, docs/FILLS.md).
 *
 * Clock and randomness are injected: the clock is the tape, the PRNG is seeded
 * from the run's seed. The same tapes, strategy parameters and seed give the same
 * results.
 *
 * @module
 */

import {
  type BookDeltaEvent,
  K_BOOK_DELTA,
  K_QUOTE,
  K_TRADE,
  K_UNDERLYING,
  KIND_CODE,
  KIND_COUNT,
  type MarketEvent,
  type QuoteEvent,
  type Side,
  type TapeEvent,
  type TradeEvent,
} from "../tape/events.ts";
import { TapeError } from "../tape/errors.ts";
import type { ForecastMeta, OrderIntent, Strategy, StrategyContext } from "../engine/strategy.ts";
import { L2Book } from "../engine/book.ts";
import { objectList, objectSlots } from "../engine/object_slots.ts";
import { Portfolio } from "../engine/portfolio.ts";
import { MarketRegistry } from "../engine/registry.ts";
import {
  DEFAULT_QUEUE_CONFIG,
  MakerBook,
  type MakerOrderView,
  type QueueConfig,
  type QueueFill,
  type QueueFillListener,
  refusedOrderView,
} from "../engine/queue_fill.ts";
import { type LatencyConfig, LatencyModel } from "../engine/latency.ts";
import type { CancelRejectReason } from "../engine/order_types.ts";
import type { RiskLimits } from "../risk/limits.ts";
import { RiskEngine } from "../risk/risk_engine.ts";
import type { FeeParams } from "../fees/fees.ts";
import { DecisionRecorder } from "./decision_recorder.ts";
import { TradeLog } from "./trade_log.ts";
import { FactorGate, type GateConfig, type GateDecision } from "../research/gate.ts";
import { decisionFactors } from "../research/signals.ts";
import type { DecisionRow, FillObservation } from "./decision_types.ts";
import { marketProbabilities } from "../pricing/pmf.ts";
import { impliedPmf, yesMidOf } from "../pricing/implied.ts";
import { F64Scratch, F64Slab } from "../engine/f64_slab.ts";
import { binOfValue, type Ladder, outcomeBinFromResults } from "../market/ladder.ts";
import { formatInterval } from "../market/interval.ts";
import { Prng } from "../random/prng.ts";
import type { FillRow, ForecastRow, OrderRow, SettlementRow } from "../store/results_db.ts";
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
  /**
   * Optional latency model (feed, entry, cancel; constant or seeded). When absent,
   * `latencyMs` is a constant entry and cancel latency and the feed has none.
   */
  readonly latency?: LatencyConfig;
  /** Optional queue model of resting orders (default pro-rata, docs/FILLS.md). */
  readonly queue?: QueueConfig;
  /** Optional risk limits (lib/risk); every order is checked before it is sent. */
  readonly risk?: RiskLimits;
  /**
   * Optional factor gate (lib/research/gate.ts) applied to every order as it is
   * sent, on the factors of its decision row: "shadow" records the decision and
   * sends anyway, "enforce" suppresses a failing order. Decisions are stored.
   */
  readonly gate?: GateConfig;
}

/** Default replay settings. */
export const DEFAULT_REPLAY_CONFIG: ReplayConfig = {
  seed: 1,
  latencyMs: 250,
  assumedQuoteSize: 0,
  strict: true,
};

/**
 * A forecast of a whole event (one PMF) and the market's PMF at the same
 * instant. Each PMF is its own copy, but a view on a buffer shared with other
 * forecasts' PMFs (lib/engine/f64_slab.ts): `.slice()` one before transferring
 * its `.buffer`.
 */
export interface EventForecast {
  readonly ts: number;
  readonly event: string;
  readonly pmfModel: Float64Array;
  readonly pmfMarket: Float64Array | null;
  /** Cutoff of the calibration behind the forecast, when the strategy said (else NaN). */
  readonly calibratedTs: number;
}

/** Everything a replay produced, before scoring. */
export interface ReplayResult {
  readonly forecasts: ForecastRow[];
  readonly eventForecasts: EventForecast[];
  /** Outcome bin per settled event (index into its ladder's bins). */
  readonly eventOutcomes: Map<string, number>;
  /** Bin labels (conventional interval notation) of each settled event's ladder. */
  readonly eventBins: Map<string, string[]>;
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
  /** Every order as sent, with the market around it and its outcome (decision_types.ts). */
  readonly decisions: DecisionRow[];
  /** The factor gate's decision for each order, when the run has a gate. */
  readonly gateDecisions: (GateDecision & { orderId: number; ts: number; market: string })[];
  /** The market 1, 5 and 30 minutes after each fill. */
  readonly fillObservations: FillObservation[];
}

/** An order or cancel on its way to the venue. */
interface DueItem {
  /** Arrival time (ms). */
  readonly ts: number;
  readonly id: number;
  readonly state: MarketState;
  /** 0: the order arrives; 1: a cancel of it arrives. */
  readonly kind: 0 | 1;
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
  const venue = new ReplayVenue(config, source, strategy);
  const every = hooks.progressEvery ?? 65_536;
  const onProgress = hooks.onProgress;
  let nextProgress = every;
  while (await source.refill()) {
    replayBlock(source, venue, strategy);
    if (onProgress !== undefined && venue.eventsProcessed >= nextProgress) {
      nextProgress = venue.eventsProcessed + every;
      onProgress(venue.eventsProcessed, venue.now);
    }
  }
  venue.processDue(Number.POSITIVE_INFINITY);
  const result = venue.result(source.anomalyCount());
  venue.release();
  return result;
}

/**
 * The events of the loaded blocks, in merge order: match due orders, apply the
 * event, hand it to the strategy. A function of its own, called once per
 * block, rather than a loop inside {@link replay}: V8 optimizes a loop of a
 * function called once per run (as `replay` is) by replacing it while it runs
 * (on-stack replacement), and each later run enters that loop unoptimized
 * again. A function called per block gets optimized code of its own, which
 * later blocks and runs enter directly.
 */
function replayBlock(source: StreamMerger, venue: ReplayVenue, strategy: Strategy): void {
  const ctx = venue.context;
  const pending = venue.pending;
  const recorder = venue.recorder;
  let ev: TapeEvent | null;
  while ((ev = source.take()) !== null) {
    const ts = source.currentTs;
    if (pending.length > 0 && pending[0].ts < ts) venue.processDue(ts);
    if (recorder.nextDue < ts) recorder.observe(ts);
    venue.now = ts;
    const market = venue.apply(ev);
    strategy.onEvent(ev, ctx, market, venue.kind);
  }
}

/** What the venue keeps per market: its book and whether its event's ladder was checked. */
interface MarketState {
  /** The venue's number of the market (declaration order; StrategyContext.marketNumber). */
  readonly number: number;
  readonly book: L2Book;
  readonly maker: MakerBook;
  readonly event: string;
  ladderChecked: boolean;
  /** The model's latest YES probability (NaN until a forecast covers the market). */
  modelYes: number;
  /** Last mid before close (set when the market closes or settles). */
  closeMid: number;
  closed: boolean;
}

/** A forecast row while the replay runs: its outcome is filled in when the market settles. */
type OpenForecastRow = Omit<ForecastRow, "outcome"> & { outcome: ForecastRow["outcome"] };

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
  /**
   * Orders and cancels on their way, sorted by (arrival, sequence of sending).
   * (This and the record lists start as objectList: a fresh `[]` has another
   * V8 layout than a filled one, and code optimized in one replay was thrown
   * away at the next replay's first order.)
   */
  readonly pending = objectList<DueItem>();
  /** Orders sent and not finished; market hooks of the queue model run only when > 0. */
  #open = 0;
  /** Market state of every order sent, by order id. */
  readonly #orderState = new Map<number, MarketState>();
  readonly #listener: QueueFillListener;
  readonly #latency: LatencyModel;
  readonly #queue: QueueConfig;
  readonly #strategy: Strategy;
  /** The tape's trades, for the decision records' recent volume and volatility. */
  readonly #trades = new TradeLog();
  readonly recorder = new DecisionRecorder(this.#trades);
  readonly #gate: FactorGate | undefined;
  readonly gateDecisions = objectList<ReplayResult["gateDecisions"][number]>();
  /** The risk engine when the run has limits. */
  readonly risk: RiskEngine | undefined;
  readonly orders = objectList<OrderRow>();
  readonly fills = objectList<FillRow>();
  readonly settlements = objectList<SettlementRow>();
  /** Forecast rows; a row's outcome is set in place when its market settles (OpenForecastRow). */
  readonly forecasts = objectList<OpenForecastRow>();
  readonly eventForecasts = objectList<EventForecast>();
  readonly eventOutcomes = new Map<string, number>();
  /** The event forecasts' PMFs (f64_slab.ts). */
  readonly #slab = new F64Slab();
  /** Scratch of {@link forecast} by length: mids, implied PMF, model and market probabilities. */
  readonly #mids = new F64Scratch();
  readonly #impliedScratch = new F64Scratch();
  readonly #pModel = new F64Scratch();
  readonly #pMarket = new F64Scratch();
  /** Forecast rows per market still waiting for the outcome. */
  readonly #awaiting = new Map<string, number[]>();
  readonly anomalies: string[] = [];
  anomalyCount = 0;
  eventsProcessed = 0;
  /**
   * Time of the event being handled (0 before the first). Declared NaN, then
   * set to 0 in the constructor, so the field is a double field from the
   * start: a field V8 first sees holding a small integer gets a new object
   * layout when a timestamp arrives, and the next replay of the process would
   * throw away code optimized for the old one.
   */
  now = Number.NaN;
  firstTs = Number.NaN;
  /** Kind code of the event being handled (KIND_CODE of its kind), handed to the strategy. */
  kind = -1;
  nextOrderId = 1;
  readonly context: StrategyContext;

  constructor(config: ReplayConfig, source: StreamMerger, strategy: Strategy) {
    this.now = 0;
    this.config = config;
    this.#source = source;
    this.#strategy = strategy;
    this.#bySlot = Array.from({ length: source.size }, () => objectSlots<MarketState>());
    this.rng = new Prng(config.seed);
    // Latency draws use their own sub-stream, so the strategy's random() is unchanged.
    this.#latency = new LatencyModel(
      config.latency ?? {
        feed: { kind: "constant", ms: 0 },
        entry: { kind: "constant", ms: config.latencyMs },
        cancel: { kind: "constant", ms: config.latencyMs },
      },
      new Prng(config.seed).fork(100),
    );
    this.#queue = config.queue ?? DEFAULT_QUEUE_CONFIG;
    this.risk = config.risk === undefined ? undefined : RiskEngine.create(config.risk).engine;
    this.#gate = config.gate === undefined ? undefined : new FactorGate(config.gate);
    this.#listener = new VenueListener(this);
    this.context = new VenueContext(this);
  }

  /** Apply one event to the venue state; returns the number of its market, or -1 for none. */
  apply(ev: TapeEvent): number {
    const source = this.#source;
    if (this.eventsProcessed++ === 0) this.firstTs = ev.ts;
    // Dispatch on the kind code the block stored (a small integer; the events
    // of a tape come in several shapes, and a switch on their `kind` strings
    // reads a field of an object of any of them, then compares strings). A
    // source without codes gives -1, and a block gives a value that is not a
    // code for an event it did not decode from its columns: the code is then
    // looked up from `kind`.
    let code = source.currentKind();
    if (code >>> 0 >= KIND_COUNT) code = KIND_CODE[ev.kind];
    this.kind = code;
    switch (code) {
      case K_QUOTE: {
        const q = ev as QuoteEvent;
        const st = this.#state(q.market, source);
        const open = this.#open > 0;
        if (open) dueBefore(st, q.ts);
        const r = st.book.applyQuote(q);
        if (r !== "ok") this.#check(r, q.market, source);
        if (open) st.maker.onQuote();
        return st.number;
      }
      case K_BOOK_DELTA: {
        const d = ev as BookDeltaEvent;
        const st = this.#state(d.market, source);
        const open = this.#open > 0;
        if (open) dueBefore(st, d.ts);
        const r = st.book.applyDelta(d);
        if (r !== "ok") this.#check(r, d.market, source);
        if (open) st.maker.onDelta(d, r);
        return st.number;
      }
      case K_TRADE: {
        const t = ev as TradeEvent;
        const st = this.#state(t.market, source);
        this.#trades.addTrade(st.number, t);
        if (this.#open > 0) {
          dueBefore(st, t.ts);
          st.maker.onTrade(t);
        }
        return st.number;
      }
      case K_UNDERLYING:
        return -1;
      default:
        return this.#applyRare(ev, source);
    }
  }

  /**
   * The kinds that are not in every block: book snapshots, lifecycle,
   * settlements and declarations. Kept out of {@link apply}, so apply stays
   * small enough for V8 to inline its callees (the market lookup, the book
   * update), and so the declarations at the start of a tape, which come before
   * V8 records feedback, are not code without feedback inside apply.
   */
  #applyRare(ev: TapeEvent, source: StreamMerger): number {
    switch (ev.kind) {
      case "book_snapshot": {
        const st = this.#state(ev.market, source);
        const open = this.#open > 0;
        if (open) dueBefore(st, ev.ts);
        this.#check(st.book.applySnapshot(ev), ev.market, source);
        if (open) st.maker.onSnapshot();
        return st.number;
      }
      case "lifecycle": {
        const st = this.#state(ev.market, source);
        this.registry.setStatus(ev.market, ev.status);
        if (!TRADING_STATUSES.has(ev.status)) this.#close(st, ev.ts);
        return st.number;
      }
      case "settlement":
        return this.#settle(ev.market, ev.result, ev.ts, ev.expirationValue, source);
      case "series":
        this.registry.addSeries(ev);
        return -1;
      case "event":
        this.registry.addEvent(ev);
        return -1;
      case "market":
        return this.#declare(ev, source);
      default:
        return -1;
    }
  }

  /**
   * A market declaration: a new market gets its book, queue and number. Kept out
   * of {@link apply}: its closures would make every call of apply allocate a
   * context for `this`.
   */
  #declare(ev: MarketEvent, source: StreamMerger): number {
    if (this.registry.event(ev.event) === undefined) {
      throw new TapeError(source.position(), "event", `unknown event ${ev.event}`);
    }
    this.registry.addMarket(ev);
    let st = this.#markets.get(ev.market);
    if (st === undefined) {
      const book = new L2Book(ev.market, this.config.assumedQuoteSize);
      const market = ev.market;
      const series = this.registry.seriesOf(ev.event);
      const maker = new MakerBook(book, {
        grid: ev.priceStep,
        fees: (ts) => series === undefined ? undefined : this.registry.fees(series, ts),
        isOpen: (ts) => this.registry.isOpen(market, ts),
        config: this.#queue,
        listener: this.#listener,
        arrivals: "external",
      });
      st = {
        number: this.#markets.size,
        book,
        maker,
        event: ev.event,
        ladderChecked: false,
        modelYes: Number.NaN,
        closeMid: 0,
        closed: true,
      };
      // Closing writes these for the first time at the end of a replay: made
      // with a placeholder and set to their start values here, they are not
      // constants to V8, so that first write does not throw away code optimized
      // during the replay (see Portfolio.account).
      st.closed = false;
      st.closeMid = Number.NaN;
      this.#markets.set(ev.market, st);
      this.#trades.reserve(st.number + 1);
    }
    return st.number;
  }

  /** The number of a declared market (StrategyContext.marketNumber), or -1. */
  marketNumber(market: string): number {
    return this.#markets.get(market)?.number ?? -1;
  }

  /** A market's book, or undefined for an undeclared market. */
  book(market: string): L2Book | undefined {
    return this.#markets.get(market)?.book;
  }

  #state(market: string, source: StreamMerger): MarketState {
    // Slot ids (when the source has them) find the state without hashing the
    // ticker: one array read once the slot's entry is filled and the market's
    // ladder checked. Everything else is in #stateSlow.
    const slot = source.currentSlot();
    if (slot >= 0) {
      const st = this.#bySlot[source.currentSource()][slot];
      if (st !== undefined && st.ladderChecked) return st;
    }
    return this.#stateSlow(market, source, slot);
  }

  /**
   * {@link #state} the first time: a source's slot names one market for the
   * whole source, so the ticker is checked once, when the slot's entry is
   * filled; the event's ladder is checked at the market's first use.
   */
  #stateSlow(market: string, source: StreamMerger, slot: number): MarketState {
    let st: MarketState | undefined;
    if (slot >= 0) {
      const cache = this.#bySlot[source.currentSource()];
      st = cache[slot];
      if (st === undefined) {
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
    return st;
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

  /** A market closed or settled: its closing mid is recorded, its resting orders cancelled. */
  #close(st: MarketState, ts: number): void {
    this.recorder.onClose(st);
    if (this.#open > 0) {
      dueBefore(st, ts);
      st.maker.cancelAll(ts);
    }
  }

  #settle(
    market: string,
    result: Side,
    ts: number,
    expirationValue: number | undefined,
    source: StreamMerger,
  ): number {
    const st = this.#state(market, source); // throws on an unknown market
    const m = this.registry.market(market)!;
    this.#close(st, ts);
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
    st.book.invalidate();
    if (this.risk !== undefined) {
      this.risk.onSettlement(market, result, ts);
      this.#riskActions(ts);
    }
    const outcome = result === "yes" ? 1 : 0;
    const waiting = this.#awaiting.get(market);
    if (waiting !== undefined) {
      // In place: a copy of each row with its outcome was an allocation per
      // forecast row (tens of thousands at the end of a replay).
      for (const i of waiting) this.forecasts[i].outcome = outcome;
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
    return st.number;
  }

  /** Deliver every order and cancel arriving before `ts`, in (arrival, sending) order. */
  processDue(ts: number): void {
    const q = this.pending;
    while (q.length > 0 && q[0].ts < ts) {
      const item = q.shift()!;
      const maker = item.state.maker;
      if (maker.nextDue < item.ts) maker.advanceTo(item.ts);
      this.now = item.ts;
      if (item.kind === 0) maker.deliverArrival(item.id);
      else maker.deliverCancel(item.id, item.ts);
    }
  }

  #schedule(item: DueItem): void {
    const q = this.pending;
    // Keep the queue sorted by arrival; equal arrivals keep their sending order.
    let i = q.length;
    while (i > 0 && q[i - 1].ts > item.ts) i--;
    q.splice(i, 0, item);
  }

  submit(intent: OrderIntent): number {
    const id = this.nextOrderId++;
    const reason = intent.reason ?? "";
    const reject = (why: string, code: "unknown_market" | "risk" | "gated") => {
      this.orders.push({
        id,
        ts: this.now,
        market: intent.market,
        side: intent.side,
        limitPrice: intent.limitPrice,
        count: intent.count,
        filled: 0,
        status: "rejected",
        reason: `${reason}; rejected: ${why}`,
      });
      this.#strategy.onOrderDone?.(refusedOrderView(id, intent, this.now, code, why), this.context);
    };
    const st = this.#markets.get(intent.market);
    if (st === undefined) {
      reject("unknown market", "unknown_market");
      return id;
    }
    const closeTs = this.registry.market(intent.market)?.closeTs ?? Number.NaN;
    const row = this.recorder.onSubmit(id, intent, this.now, st, closeTs);
    if (this.#gate !== undefined) {
      const d = this.#gateDecision({ ...row, filled: 0, clv: Number.NaN, pnlTicks: Number.NaN });
      this.gateDecisions.push({ orderId: id, ts: this.now, market: intent.market, ...d });
      if (!d.delivered) {
        reject(`gated: ${d.reason}`, "gated");
        return id;
      }
    }
    if (this.risk !== undefined) {
      const series = this.registry.seriesOf(st.event);
      const fee = series === undefined ? undefined : this.registry.fees(series, this.now);
      // The model's latest YES probability (for the Kelly rule), when it has one.
      const yesProbability = Number.isFinite(st.modelYes) ? st.modelYes : undefined;
      const d = this.risk.check(intent, this.now, { fee, yesProbability });
      if (!d.ok) {
        reject(`risk:${d.rule}: ${d.detail}`, "risk");
        return id;
      }
    }
    const arrivalTs = this.now + this.#latency.feedMs() + this.#latency.entryMs();
    this.#open++;
    this.#orderState.set(id, st);
    const view = st.maker.submit(id, intent, this.now, arrivalTs);
    if (view.state !== "rejected") this.#schedule({ ts: arrivalTs, id, state: st, kind: 0 });
    return id;
  }

  /** The gate's decision on a decision row; an unknown (NaN) factor fails the condition. */
  #gateDecision(row: Parameters<typeof decisionFactors>[0]): GateDecision {
    const gate = this.#gate!;
    const factors = decisionFactors(row);
    const factor = gate.factor;
    const value = (factors as Record<string, number>)[factor];
    if (gate.mode !== "off" && !Number.isFinite(value)) {
      const delivered = gate.mode !== "enforce";
      return {
        pass: false,
        delivered,
        mode: gate.mode,
        factor,
        value,
        threshold: undefined,
        reason: `${factor} unknown at decision; ${
          delivered ? "shadow: delivered" : "enforce: suppressed"
        }`,
      };
    }
    return gate.decide({ ts: row.ts, factors });
  }

  cancel(orderId: number): void {
    const st = this.#orderState.get(orderId);
    if (st === undefined) return; // unknown, or already finished
    const arrivalTs = this.now + this.#latency.cancelMs();
    st.maker.cancel(orderId, this.now, arrivalTs);
    this.#schedule({ ts: arrivalTs, id: orderId, state: st, kind: 1 });
  }

  openOrders(market: string): readonly MakerOrderView[] {
    return this.#markets.get(market)?.maker.openOrders() ?? [];
  }

  /** A cancel that found nothing to cancel (through {@link VenueListener}). */
  onCancelRejected(id: number, ts: number, why: CancelRejectReason): void {
    this.now = ts;
    this.#strategy.onCancelRejected?.(id, why, this.context);
  }

  /** A fill from a market's queue model (through {@link VenueListener}). */
  onQueueFill(f: QueueFill): void {
    this.now = f.ts;
    this.portfolio.applyFill(f.market, f.side, f.price, f.count, f.feeTicks);
    const row: FillRow = {
      orderId: f.orderId,
      ts: f.ts,
      market: f.market,
      side: f.side,
      price: f.price,
      count: f.count,
      feeTicks: f.feeTicks,
      role: f.role,
    };
    this.recorder.onFill(this.fills.length, row, this.#markets.get(f.market)!);
    this.fills.push(row);
    if (this.risk !== undefined) {
      this.risk.onFill(f, f.ts);
      this.#riskActions(f.ts);
    }
    this.#strategy.onFill?.(f, this.context);
  }

  /** A halt of the risk engine cancels every live order at once. */
  #riskActions(ts: number): void {
    if (this.risk!.takeVenueActions().length === 0) return;
    for (const st of new Set(this.#orderState.values())) st.maker.cancelAll(ts);
  }

  /** An order of a market's queue model finished (through {@link VenueListener}). */
  onQueueDone(o: MakerOrderView): void {
    if (this.#orderState.delete(o.id)) this.#open--;
    this.orders.push(orderRow(o));
    this.#strategy.onOrderDone?.(o, this.context);
  }

  /** Record a strategy's forecast with the market-implied baseline at the same time. */
  forecast(event: string, pmf: Float64Array, meta?: ForecastMeta): void {
    const ladder = this.registry.ladder(event);
    if (ladder === undefined) {
      throw new RangeError(`Cannot record forecast: event ${event} has no ladder yet`);
    }
    if (pmf.length !== ladder.bins.length) {
      throw new RangeError(
        `Cannot record forecast for ${event}: PMF has ${pmf.length} bins, the ladder has ${ladder.bins.length}`,
      );
    }
    // The two PMFs kept in the result come from the slab, the rest is scratch
    // (f64_slab.ts: a fresh typed array costs about a microsecond in Deno).
    const n = ladder.markets.length;
    const model = this.#slab.copyOf(pmf);
    const market = this.#impliedPmf(ladder);
    const pModel = marketProbabilities(ladder, model, this.#pModel.get(n));
    const pMarket = market === null
      ? null
      : marketProbabilities(ladder, market, this.#pMarket.get(n));
    const calibratedTs = meta?.calibratedTs ?? Number.NaN;
    if (calibratedTs > this.now) {
      throw new RangeError(
        `Cannot record forecast for ${event}: calibrated at ${calibratedTs}, after now ${this.now} (look-ahead), current value is ${calibratedTs}`,
      );
    }
    this.eventForecasts.push({
      ts: this.now,
      event,
      pmfModel: model,
      pmfMarket: market,
      calibratedTs,
    });
    for (let i = 0; i < ladder.markets.length; i++) {
      const ticker = ladder.markets[i];
      const mst = this.#markets.get(ticker);
      if (mst !== undefined) mst.modelYes = pModel[i];
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

  /** The market-implied PMF (a slab array, kept in the result), or null. */
  #impliedPmf(ladder: Ladder): Float64Array | null {
    const mids = this.#mids.get(ladder.markets.length);
    for (let i = 0; i < ladder.markets.length; i++) {
      mids[i] = yesMidOf(this.book(ladder.markets[i]));
    }
    const pmf = impliedPmf(ladder, mids, this.#impliedScratch.get(ladder.bins.length));
    return pmf === null ? null : this.#slab.copyOf(pmf);
  }

  /** After {@link result}: gives buffers that the result does not hold to the next replay. */
  release(): void {
    this.#trades.release();
  }

  result(streamAnomalies: number): ReplayResult {
    // Orders still live when the tape ends: recorded as they stand, in id order.
    const live: MakerOrderView[] = [];
    for (const st of new Set(this.#orderState.values())) live.push(...st.maker.liveOrders());
    live.sort((a, b) => a.id - b.id);
    for (const o of live) this.orders.push(orderRow(o));
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
      decisions: this.recorder.rows(this.orders, this.fills, this.settlements),
      gateDecisions: this.gateDecisions,
      fillObservations: this.recorder.observations(),
      forecasts: this.forecasts,
      eventForecasts: this.eventForecasts,
      eventOutcomes: this.eventOutcomes,
      eventBins: new Map(
        [...this.eventOutcomes.keys()].map((e) => [
          e,
          (this.registry.ladder(e)?.bins ?? []).map((b) => formatInterval(b)),
        ]),
      ),
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

/**
 * The strategy's window on the venue: only state built from applied events.
 *
 * A class rather than an object of closures: its methods are the same
 * functions in every replay, so a strategy's calls to them stay optimized from
 * one replay of a process to the next. (Closures made per replay are new call
 * targets each time; V8 deoptimized the strategy's code at the start of every
 * second replay for them.) The methods use `this`: call them on the context.
 */
class VenueContext implements StrategyContext {
  readonly #v: ReplayVenue;

  constructor(v: ReplayVenue) {
    this.#v = v;
  }

  get now(): number {
    return this.#v.now;
  }

  random(): number {
    return this.#v.rng.next();
  }

  ladder(event: string): Ladder | undefined {
    return this.#v.registry.ladder(event);
  }

  seriesOf(event: string): string | undefined {
    return this.#v.registry.seriesOf(event);
  }

  fees(series: string): FeeParams | undefined {
    return this.#v.registry.fees(series, this.#v.now);
  }

  book(market: string): L2Book | undefined {
    return this.#v.book(market);
  }

  position(market: string): number {
    return this.#v.portfolio.position(market);
  }

  closeTs(market: string): number | undefined {
    return this.#v.registry.market(market)?.closeTs;
  }

  isOpen(market: string): boolean {
    return this.#v.registry.isOpen(market, this.#v.now);
  }

  marketNumber(market: string): number {
    return this.#v.marketNumber(market);
  }

  submit(order: OrderIntent): number {
    return this.#v.submit(order);
  }

  cancel(orderId: number): void {
    this.#v.cancel(orderId);
  }

  openOrders(market: string): readonly MakerOrderView[] {
    return this.#v.openOrders(market);
  }

  forecast(event: string, pmf: Float64Array, meta?: ForecastMeta): void {
    this.#v.forecast(event, pmf, meta);
  }
}

/**
 * The venue's listener on every market's queue model. A class rather than an
 * object of closures (as {@link VenueContext}): closures made per replay are
 * new call targets, and the queue model's code optimized in one replay was
 * thrown away at the next replay's first fill.
 */
class VenueListener implements QueueFillListener {
  readonly #v: ReplayVenue;

  constructor(v: ReplayVenue) {
    this.#v = v;
  }

  fill(f: QueueFill): void {
    this.#v.onQueueFill(f);
  }

  done(o: MakerOrderView): void {
    this.#v.onQueueDone(o);
  }

  cancelRejected(id: number, ts: number, why: CancelRejectReason): void {
    this.#v.onCancelRejected(id, ts, why);
  }
}

/** Handle a market's due order items (arrivals are the venue's; expiries, pairings) before `ts`. */
function dueBefore(st: MarketState, ts: number): void {
  if (st.maker.nextDue < ts) st.maker.advanceTo(ts);
}

/** Statuses in which resting orders stay on the book; any other cancels them all. */
const TRADING_STATUSES: ReadonlySet<string> = new Set(["initialized", "active", "open"]);

/**
 * The stored row of a finished (or, at the end of the tape, still live) order.
 * IOC orders keep the statuses of the taker-only engine: filled, partial or
 * unfilled.
 */
function orderRow(o: MakerOrderView): OrderRow {
  const reason = o.reason ?? "";
  let status: string;
  switch (o.state) {
    case "filled":
      status = "filled";
      break;
    case "cancelled":
      status = o.timeInForce === "ioc" ? (o.filled > 0 ? "partial" : "unfilled") : "cancelled";
      break;
    case "rejected":
      status = "rejected";
      break;
    case "expired":
      status = "expired";
      break;
    default:
      status = "open";
  }
  return {
    id: o.id,
    ts: o.submitTs,
    market: o.market,
    side: o.side,
    limitPrice: o.limitPrice,
    count: o.count,
    filled: o.filled,
    status,
    reason: o.state === "rejected" ? `${reason}; rejected: ${o.rejectMessage}` : reason,
  };
}
