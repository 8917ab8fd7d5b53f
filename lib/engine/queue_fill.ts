/**
 * Maker fills with queue position: the resting orders of THIS run in one market,
 * each with the recorded volume queued ahead of it, moved by the recorded trades
 * and book deltas of that market. The rules are in docs/FILLS.md; in short:
 *
 * - An order arrives at `arrivalTs` (submit + entry latency) and is handled after
 *   every event with ts <= arrivalTs. If it crosses, IOC and GTC take liquidity
 *   through the taker fill model ({@link fillTaker}); a post-only is rejected.
 *   What is left of a GTC or post-only rests with `queueAhead` = the visible size
 *   at its price on its side at arrival.
 * - A trade whose taker bought YES at YES price p hit NO bids at 10000 - p; a
 *   trade whose taker bought NO at YES price p hit YES bids at p.
 * - A trade AT our level eats the recorded volume ahead of us first, then our
 *   orders in FIFO order. A trade THROUGH our level (it hit the same side's bids
 *   at a strictly lower bid price, so our better-priced order would have been hit
 *   first) fills our orders up to the traded count, best price first. Each traded
 *   unit fills at most one of our orders.
 * - Decreases of the level not explained by trades are cancellations: they move
 *   us up pro rata (`pro_rata`), only down to the level's size (`trades_only`),
 *   or never (`pessimistic`, where only trades through the level fill at all).
 * - Cancels take effect at their arrival; fills from events at or before it stand.
 *   Expiry is exclusive: events with ts >= expireTs find the order gone.
 * - While the book is invalid (a seq gap, or {@link MakerBook.invalidate}) nothing
 *   fills and the queue does not move; the next snapshot re-validates it.
 * - On a degraded (quote-only) book depth below the touch is unknown, so only
 *   trades through the level fill there, whatever the mode.
 *
 * Hot path: the feed handlers return at once when no order rests, scan a short
 * array of our price levels, and allocate only when a fill happens.
 *
 * @example
 * ```ts
 * import { L2Book } from "./book.ts";
 * import { MakerBook, type QueueFill } from "./queue_fill.ts";
 *
 * const book = new L2Book("M");
 * book.applySnapshot({
 *   kind: "book_snapshot", ts: 0, market: "M", seq: 1,
 *   yesPrices: [5000], yesSizes: [10_000], noPrices: [4800], noSizes: [500],
 * });
 * const fills: QueueFill[] = [];
 * const maker = new MakerBook(book, {
 *   grid: 100,
 *   fees: () => ({ feeType: "quadratic_with_maker_fees", multiplier: 10_000 }),
 *   listener: { fill: (f) => fills.push(f), done: () => {} },
 * });
 * // Bid 5 YES at 50c behind the 100 contracts already there; arrives at t = 250.
 * maker.submit(1, { market: "M", side: "yes", limitPrice: 5000, count: 500, timeInForce: "gtc" },
 *   0, 250);
 * maker.advanceTo(251);
 * // A taker sells 103 contracts at 50c (buys NO): 100 go to the queue ahead, 3 to us.
 * maker.onTrade({ kind: "trade", ts: 300, market: "M", price: 5000, count: 10_300,
 *   takerSide: "no" });
 * fills[0].count; // 300
 * ```
 *
 * @module
 */

import { type BookUpdateResult, type L2Book, ONE_DOLLAR } from "./book.ts";
import { fillTaker } from "./taker_fill.ts";
import { FeeAccumulator, type FeeParams, type FeeRole, feeTicks } from "../fees/fees.ts";
import type { BookDeltaEvent, Side, TradeEvent } from "../tape/events.ts";
import {
  type CancelRejectReason,
  type LimitOrderIntent,
  orderIntentProblem,
  type OrderState,
  type RejectReason,
  type TickGrid,
  type TimeInForce,
  validateTickGrid,
} from "./order_types.ts";

/**
 * How the queue ahead of a resting order moves on cancellations (docs/FILLS.md):
 * - `pro_rata`: a cancel of c from a level of size S moves us up by
 *   floor(c x q / S) (the share of the cancel that was ahead of us, rounded so
 *   that we stay behind), and never leaves q above the level's size.
 * - `trades_only`: cancels come from behind us first; q only drops to the
 *   level's size when the level shrinks below it.
 * - `pessimistic`: cancels never move us and trades at our level never fill us;
 *   only trades through the level (a strictly lower bid price hit) fill.
 */
export type QueueMode = "pro_rata" | "trades_only" | "pessimistic";

/** Every queue mode. */
export const QUEUE_MODES: readonly QueueMode[] = ["pro_rata", "trades_only", "pessimistic"];

/** Settings of the maker fill model; store them with the run. */
export interface QueueConfig {
  readonly mode: QueueMode;
  /**
   * How long (ms) a trade at our level and a size decrease at that level may be
   * apart and still be paired as "the decrease this trade caused" (in either
   * order). 0 pairs them only within one timestamp. An unpaired decrease becomes
   * a cancellation once an event later than its ts + window is handled; an
   * unpaired trade is then forgotten.
   */
  readonly matchWindowMs: number;
}

/** Default: pro-rata cancels, trades and their deltas paired within one timestamp. */
export const DEFAULT_QUEUE_CONFIG: QueueConfig = { mode: "pro_rata", matchWindowMs: 0 };

/**
 * Checks a queue config.
 *
 * @throws {RangeError} on an unknown mode or a window that is not an integer >= 0.
 */
export function validateQueueConfig(config: QueueConfig): void {
  if (!QUEUE_MODES.includes(config.mode)) {
    throw new RangeError(
      `Cannot use queue config: mode must be one of ${QUEUE_MODES.join(", ")}, current value is ${
        JSON.stringify(config.mode)
      }`,
    );
  }
  if (!Number.isSafeInteger(config.matchWindowMs) || config.matchWindowMs < 0) {
    throw new RangeError(
      `Cannot use queue config: matchWindowMs must be an integer >= 0, current value is ${config.matchWindowMs}`,
    );
  }
}

/** Where a fill's liquidity came from. */
export type FillSource =
  /** Taken from the book at arrival (the order crossed). */
  | "taker"
  /** A trade at our price level reached us in the queue. */
  | "at_level"
  /** A trade at a worse price on our side: the level was swept through us. */
  | "through";

/** One fill of one of our orders. */
export interface QueueFill {
  readonly orderId: number;
  readonly market: string;
  /** The contract bought. */
  readonly side: Side;
  /** Fill time: the trade's ts (maker) or the arrival time (taker). */
  readonly ts: number;
  /** Price of the contract bought, ticks: the order's limit (maker) or the level taken (taker). */
  readonly price: number;
  /** Centi-contracts. */
  readonly count: number;
  readonly role: FeeRole;
  readonly source: FillSource;
  /**
   * Fee charged with this fill, ticks: the order's per-order accumulator (taker
   * and maker fills share it) rounds the running exact fee up to the cent.
   */
  readonly feeTicks: number;
  /** This fill's exact fee (rounded up to one tick) before the cent rounding. */
  readonly feeExactTicks: number;
  /** Recorded volume ahead of the order when it started resting; 0 for taker fills. */
  readonly queueAheadAtArrival: number;
}

/** Read-only view of one of our orders. */
export interface MakerOrderView {
  readonly id: number;
  readonly market: string;
  readonly side: Side;
  readonly limitPrice: number;
  readonly count: number;
  readonly timeInForce: TimeInForce;
  readonly submitTs: number;
  readonly arrivalTs: number;
  readonly expireTs: number | undefined;
  readonly clientTag: string | undefined;
  readonly reason: string | undefined;
  /** Centi-contracts filled so far. */
  readonly filled: number;
  readonly state: OrderState;
  /** Recorded volume ahead when it started resting; -1 if it never rested. */
  readonly queueAheadAtArrival: number;
  /** Recorded volume ahead now (0 before it rests and once nothing recorded is ahead). */
  readonly queueAhead: number;
  /** Time of the terminal state (ms); NaN while the order is not finished. */
  readonly doneTs: number;
  /** Set when the state is `rejected`. */
  readonly rejectReason: RejectReason | undefined;
  /** A sentence explaining a rejection (or ""). */
  readonly rejectMessage: string;
}

/** Where a {@link MakerBook} reports what happened. Called synchronously. */
export interface QueueFillListener {
  /** A fill (the object is fresh and may be kept). */
  fill(fill: QueueFill): void;
  /** An order reached a terminal state: filled, cancelled, expired or rejected. */
  done(order: MakerOrderView): void;
  /** A cancel request arrived and found nothing to cancel. */
  cancelRejected?(orderId: number, ts: number, reason: CancelRejectReason): void;
}

/** Construction options of a {@link MakerBook}. */
export interface MakerBookOptions {
  /** The market's tick grid (validated). */
  readonly grid: TickGrid;
  /** Fee terms in force at a time for the market's series; undefined when unknown. */
  readonly fees: (ts: number) => FeeParams | undefined;
  /** Whether the market accepts orders at a time; omitted means always. */
  readonly isOpen?: (ts: number) => boolean;
  readonly config?: QueueConfig;
  readonly listener: QueueFillListener;
  /**
   * "internal" (default): `advanceTo` delivers order and cancel arrivals.
   * "external": the caller delivers them with {@link MakerBook.deliverArrival} and
   * {@link MakerBook.deliverCancel} (a venue ordering arrivals across many markets
   * by (arrival, id)); `advanceTo` then only handles expiries and pairings.
   */
  readonly arrivals?: "internal" | "external";
}

class MakerOrder implements MakerOrderView {
  readonly id: number;
  readonly market: string;
  readonly side: Side;
  readonly limitPrice: number;
  readonly count: number;
  readonly timeInForce: TimeInForce;
  readonly submitTs: number;
  readonly arrivalTs: number;
  readonly expireTs: number | undefined;
  readonly clientTag: string | undefined;
  readonly reason: string | undefined;
  filled = 0;
  state: OrderState = "pending_arrival";
  queueAheadAtArrival = -1;
  queueAhead = 0;
  doneTs = Number.NaN;
  rejectReason: RejectReason | undefined = undefined;
  rejectMessage = "";
  readonly fees = new FeeAccumulator();

  constructor(id: number, intent: LimitOrderIntent, submitTs: number, arrivalTs: number) {
    this.id = id;
    this.market = intent.market;
    this.side = intent.side;
    this.limitPrice = intent.limitPrice;
    this.count = intent.count;
    this.timeInForce = intent.timeInForce;
    this.submitTs = submitTs;
    this.arrivalTs = arrivalTs;
    this.expireTs = intent.expireTs;
    this.clientTag = intent.clientTag;
    this.reason = intent.reason;
  }
}

/** Our orders at one price on one side, FIFO, and the trade/decrease pairing state. */
interface Level {
  readonly side: Side;
  readonly price: number;
  readonly orders: MakerOrder[];
  /** Traded volume at this level not yet paired with a size decrease. */
  credit: number;
  creditTs: number;
  /** Size decrease at this level not yet paired with a trade (a cancel if never paired). */
  debit: number;
  debitTs: number;
}

const ARRIVAL = 0;
const CANCEL = 1;
const EXPIRY = 2;

/** Something due at the venue: handled by advanceTo(ts) once key < ts. */
interface DueItem {
  readonly key: number;
  readonly kind: 0 | 1 | 2;
  readonly orderId: number;
  /** The time it takes effect (arrival, cancel arrival, or expiry). */
  readonly ts: number;
}

const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** floor(a x b / c) exactly, for non-negative safe integers a, b and c > 0. */
function mulDivFloor(a: number, b: number, c: number): number {
  const p = a * b;
  if (p <= MAX_SAFE) return Math.floor(p / c);
  return Number((BigInt(a) * BigInt(b)) / BigInt(c));
}

/**
 * The resting orders of this run in one market and their queue positions.
 * Drive it from the venue loop, per event of its market, in tape order:
 *
 * 1. `advanceTo(ev.ts)` before the event is applied (when `ev.ts > nextDue`;
 *    calling it more often is harmless): handles arrivals and cancels due
 *    strictly before ev.ts and expiries at or before ev.ts;
 * 2. apply the event to the {@link L2Book};
 * 3. `onDelta(ev, result)`, `onTrade(ev)`, `onSnapshot()` or `onQuote()`.
 *
 * At the end of the tape call `advanceTo(Infinity)`.
 */
export class MakerBook {
  readonly market: string;
  readonly config: QueueConfig;
  readonly #book: L2Book;
  readonly #grid: TickGrid;
  readonly #fees: (ts: number) => FeeParams | undefined;
  readonly #isOpen: ((ts: number) => boolean) | undefined;
  readonly #listener: QueueFillListener;
  readonly #external: boolean;
  readonly #modeCode: 0 | 1 | 2;
  readonly #window: number;
  /** Orders not yet finished (pending or live), by id. */
  readonly #orders = new Map<number, MakerOrder>();
  /** Our levels per side, best (highest) price first. */
  readonly #yesLevels: Level[] = [];
  readonly #noLevels: Level[] = [];
  /** Due items sorted by key; equal keys in the order they were scheduled. */
  readonly #due: DueItem[] = [];
  #live = 0;
  #valid = true;
  /** Earliest ts + window of any unpaired credit or debit; Infinity when none. */
  #matchDue = Number.POSITIVE_INFINITY;

  /**
   * @param book the market's L2 book, which the venue keeps applying events to.
   * @param options grid, fee lookup, optional open check, config and listener.
   * @throws {RangeError} on an invalid grid or config.
   */
  constructor(book: L2Book, options: MakerBookOptions) {
    validateTickGrid(options.grid);
    const config = options.config ?? DEFAULT_QUEUE_CONFIG;
    validateQueueConfig(config);
    this.market = book.market;
    this.config = config;
    this.#book = book;
    this.#grid = options.grid;
    this.#fees = options.fees;
    this.#isOpen = options.isOpen;
    this.#listener = options.listener;
    this.#external = options.arrivals === "external";
    this.#modeCode = config.mode === "pro_rata" ? 0 : config.mode === "trades_only" ? 1 : 2;
    this.#window = config.matchWindowMs;
  }

  /** Whether maker fills can happen: not invalidated here and the L2 book is valid. */
  get valid(): boolean {
    return this.#valid && this.#book.valid;
  }

  /** Number of our orders resting on the book. */
  get restingCount(): number {
    return this.#live;
  }

  /** Number of our orders sent but not arrived yet. */
  get pendingCount(): number {
    return this.#orders.size - this.#live;
  }

  /**
   * advanceTo(ts) has work to do exactly when ts > nextDue (Infinity when idle).
   * A plain field (kept up to date by the book) because the venue reads it on
   * every event of a market with open orders.
   */
  nextDue: number = Number.POSITIVE_INFINITY;

  /** An unfinished order (pending or live) by id, or undefined. */
  order(id: number): MakerOrderView | undefined {
    return this.#orders.get(id);
  }

  /** Every order not finished yet: still on its way, or resting; in id order. */
  openOrders(): MakerOrderView[] {
    return [...this.#orders.values()].sort((a, b) => a.id - b.id);
  }

  /** Our live orders, best price first per side (YES then NO), FIFO within a level. */
  liveOrders(): MakerOrderView[] {
    const out: MakerOrderView[] = [];
    for (const lv of this.#yesLevels) for (const o of lv.orders) out.push(o);
    for (const lv of this.#noLevels) for (const o of lv.orders) out.push(o);
    return out;
  }

  /**
   * Send an order. A malformed order (see {@link orderIntentProblem}) is rejected
   * at once (the listener's `done` is called before this returns); otherwise it
   * is `pending_arrival` until `advanceTo` passes `arrivalTs`.
   *
   * @param id the venue's order id, unique within the run (positive integer).
   * @param intent the order; its market must be this book's.
   * @param submitTs when the strategy sent it (ms).
   * @param arrivalTs when it reaches the venue (ms, >= submitTs): submit + entry latency.
   * @returns the order's view.
   * @throws {RangeError} on a wrong market, a bad or duplicate id, or bad times.
   */
  submit(
    id: number,
    intent: LimitOrderIntent,
    submitTs: number,
    arrivalTs: number,
  ): MakerOrderView {
    if (intent.market !== this.market) {
      throw new RangeError(
        `Cannot submit order to ${this.market}: it is for another market, current value is ${
          JSON.stringify(intent.market)
        }`,
      );
    }
    this.#checkIdAndTimes("submit order", id, submitTs, arrivalTs);
    if (this.#orders.has(id)) {
      throw new RangeError(`Cannot submit order: id is already in use, current value is ${id}`);
    }
    const o = new MakerOrder(id, intent, submitTs, arrivalTs);
    const problem = orderIntentProblem(intent, this.#grid, submitTs);
    if (problem !== undefined) {
      this.#reject(o, submitTs, problem.reason, problem.message);
      return o;
    }
    this.#orders.set(id, o);
    if (!this.#external) this.#schedule(ARRIVAL, id, arrivalTs);
    return o;
  }

  /**
   * Ask to cancel an order. It takes effect at `arrivalTs` (submit + cancel
   * latency): fills from events with ts <= arrivalTs stand. If the order has not
   * arrived by then, or is no longer live, the listener's `cancelRejected` is told.
   *
   * @throws {RangeError} on a bad id or bad times.
   */
  cancel(orderId: number, submitTs: number, arrivalTs: number): void {
    this.#checkIdAndTimes("cancel order", orderId, submitTs, arrivalTs);
    if (!this.#external) this.#schedule(CANCEL, orderId, arrivalTs);
  }

  /**
   * With `arrivals: "external"`: order `id` reaches the venue now (at its
   * arrivalTs). Call `advanceTo(arrivalTs)` first so expiries and pairings before
   * it are done. Unknown or already finished ids are ignored.
   */
  deliverArrival(id: number): void {
    this.#arrive(id);
  }

  /** With `arrivals: "external"`: a cancel of `orderId` reaches the venue at `ts`. */
  deliverCancel(orderId: number, ts: number): void {
    this.#cancelArrived(orderId, ts);
  }

  /**
   * Cancel every live order at once (the market closed or settled). Orders still
   * pending keep their arrival; the venue's open check rejects them then.
   */
  cancelAll(ts: number): void {
    for (let s = 0; s < 2; s++) {
      const levels = s === 0 ? this.#yesLevels : this.#noLevels;
      for (const lv of levels) {
        for (const o of lv.orders) this.#finish(o, "cancelled", ts);
        lv.orders.length = 0;
      }
      levels.length = 0;
    }
    this.#live = 0;
    this.#matchDue = Number.POSITIVE_INFINITY;
  }

  /**
   * Handle everything due before an event at `ts`: order and cancel arrivals with
   * arrival < ts and expiries with expireTs <= ts, in time order (ties: in the
   * order they were sent), and pending trade/decrease pairings older than the
   * match window.
   */
  advanceTo(ts: number): void {
    if (ts > this.#matchDue) this.#expirePairings(ts);
    const due = this.#due;
    while (due.length > 0 && due[0].key < ts) {
      const item = due.shift()!;
      if (item.kind === ARRIVAL) this.#arrive(item.orderId);
      else if (item.kind === CANCEL) this.#cancelArrived(item.orderId, item.ts);
      else this.#expire(item.orderId, item.ts);
    }
    this.nextDue = due.length > 0 ? due[0].key : Number.POSITIVE_INFINITY;
  }

  /**
   * The book-invalid hook: no fills and no queue movement until the next
   * {@link onSnapshot} (or {@link onQuote}). Orders arriving meanwhile are
   * rejected with `book_invalid`; resting orders stay, and can be cancelled or
   * expire. Unpaired trades and decreases are dropped.
   */
  invalidate(): void {
    this.#valid = false;
    this.#clearPairings();
  }

  /**
   * After a snapshot was applied to the book: the book is valid again; in
   * `pro_rata` and `trades_only` each queue ahead is capped at the level's
   * visible size (what is not there any more cannot be ahead of us).
   */
  onSnapshot(): void {
    this.#valid = true;
    this.#clearPairings();
    if (this.#live === 0 || this.#modeCode === 2) return;
    this.#capQueues(this.#yesLevels);
    this.#capQueues(this.#noLevels);
  }

  /**
   * After a quote was applied (a degraded, top-of-book-only book): valid again;
   * queues do not move (depth below the touch is unknown).
   */
  onQuote(): void {
    this.#valid = true;
    this.#clearPairings();
  }

  /**
   * After a delta was applied to the book, with the book's result. A "gap"
   * invalidates (see {@link invalidate}); "ignored" and "negative" (not applied)
   * do nothing. A decrease at one of our levels is paired with trades at that
   * level; what stays unpaired becomes a cancellation (see {@link QueueConfig}).
   */
  onDelta(ev: BookDeltaEvent, result: BookUpdateResult): void {
    if (result === "gap") {
      this.invalidate();
      return;
    }
    if (result === "ignored" || result === "negative") return;
    const ts = ev.ts;
    if (ts > this.#matchDue) this.#expirePairings(ts);
    if (this.#live === 0 || ev.delta >= 0 || this.#modeCode === 2) return;
    const levels = ev.side === "yes" ? this.#yesLevels : this.#noLevels;
    const price = ev.price;
    let lv: Level | undefined;
    for (let i = 0; i < levels.length; i++) {
      if (levels[i].price === price) {
        lv = levels[i];
        break;
      }
    }
    if (lv === undefined) return;
    let dec = -ev.delta;
    const paired = dec < lv.credit ? dec : lv.credit;
    lv.credit -= paired;
    dec -= paired;
    if (dec > 0) {
      if (lv.debit === 0) lv.debitTs = ts;
      lv.debit += dec;
      const dueAt = lv.debitTs + this.#window;
      if (dueAt < this.#matchDue) this.#matchDue = dueAt;
    }
    // An emptied level has no volume left for a trade to explain.
    if (this.#book.available(lv.side, price) === 0) lv.credit = 0;
  }

  /**
   * A trade of the tape (the book is not changed by trades). It fills our orders
   * on the side it hit: levels above the hit price (the trade went through
   * them) first, best first, then the queue at the hit price. Nothing fills
   * while the book is invalid.
   */
  onTrade(ev: TradeEvent): void {
    const ts = ev.ts;
    if (ts > this.#matchDue) this.#expirePairings(ts);
    if (this.#live === 0 || !this.valid) return;
    // Taker bought YES at YES price p: NO bids at 10000 - p were hit.
    // Taker bought NO at YES price p: YES bids at p were hit.
    const hitYes = ev.takerSide === "no";
    const bid = hitYes ? ev.price : ONE_DOLLAR - ev.price;
    const levels = hitYes ? this.#yesLevels : this.#noLevels;
    if (levels.length === 0 || levels[0].price < bid) return;
    const mode = this.#book.degraded ? 2 : this.#modeCode;
    const count = ev.count;
    let rem = count;
    let fee: FeeParams | undefined;
    let filledSome = false;
    for (let i = 0; i < levels.length; i++) {
      const lv = levels[i];
      if (lv.price < bid) break;
      const orders = lv.orders;
      if (lv.price > bid) {
        // Through: the level was swept; nothing recorded is left ahead of us.
        for (let j = 0; j < orders.length; j++) {
          const o = orders[j];
          o.queueAhead = 0;
          if (rem === 0) continue;
          const left = o.count - o.filled;
          const f = left < rem ? left : rem;
          fee ??= this.#feeAt(ts);
          this.#fill(o, ts, lv.price, f, "maker", "through", fee, o.queueAheadAtArrival);
          rem -= f;
          filledSome = true;
        }
        continue;
      }
      // At the level.
      if (mode !== 2) {
        const paired = count < lv.debit ? count : lv.debit;
        lv.debit -= paired;
        if (count > paired) {
          if (lv.credit === 0) lv.creditTs = ts;
          lv.credit += count - paired;
          const dueAt = lv.creditTs + this.#window;
          if (dueAt < this.#matchDue) this.#matchDue = dueAt;
        }
      }
      if (mode === 2) {
        for (let j = 0; j < orders.length; j++) {
          const q = orders[j].queueAhead - count;
          orders[j].queueAhead = q > 0 ? q : 0;
        }
        break;
      }
      // Walk the merged queue: recorded volume ahead of each order, then the order.
      let recTaken = 0;
      for (let j = 0; j < orders.length && rem > 0; j++) {
        const o = orders[j];
        const gap = o.queueAhead - recTaken;
        if (gap > 0) {
          const t = gap < rem ? gap : rem;
          recTaken += t;
          rem -= t;
          if (rem === 0) break;
        }
        const left = o.count - o.filled;
        const f = left < rem ? left : rem;
        fee ??= this.#feeAt(ts);
        this.#fill(o, ts, lv.price, f, "maker", "at_level", fee, o.queueAheadAtArrival);
        rem -= f;
        filledSome = true;
      }
      for (let j = 0; j < orders.length; j++) {
        const q = orders[j].queueAhead - recTaken;
        orders[j].queueAhead = q > 0 ? q : 0;
      }
      break;
    }
    if (filledSome) this.#removeFilled(levels, ts);
  }

  // ---- internals ----

  #checkIdAndTimes(action: string, id: number, submitTs: number, arrivalTs: number): void {
    if (!Number.isSafeInteger(id) || id <= 0) {
      throw new RangeError(
        `Cannot ${action}: id must be a positive integer, current value is ${id}`,
      );
    }
    if (!Number.isSafeInteger(submitTs)) {
      throw new RangeError(
        `Cannot ${action}: submit time must be an integer of ms, current value is ${submitTs}`,
      );
    }
    if (!Number.isSafeInteger(arrivalTs) || arrivalTs < submitTs) {
      throw new RangeError(
        `Cannot ${action}: arrival time must be an integer of ms >= the submit time ${submitTs}, current value is ${arrivalTs}`,
      );
    }
  }

  #schedule(kind: 0 | 1 | 2, orderId: number, ts: number): void {
    // Arrivals and cancels act after events with ts' <= ts; an expiry acts before
    // events with ts' >= ts, i.e. after those with ts' <= ts - 1 (integer ms).
    const key = kind === EXPIRY ? ts - 1 : ts;
    const item: DueItem = { key, kind, orderId, ts };
    const due = this.#due;
    let i = due.length;
    while (i > 0 && due[i - 1].key > key) i--;
    if (i === due.length) due.push(item);
    else due.splice(i, 0, item);
    this.nextDue = due[0].key;
  }

  #feeAt(ts: number): FeeParams {
    const fee = this.#fees(ts);
    if (fee === undefined) {
      throw new RangeError(
        `Cannot charge maker fee on ${this.market} at ${ts}: no fee schedule, current value is undefined`,
      );
    }
    return fee;
  }

  #fill(
    o: MakerOrder,
    ts: number,
    price: number,
    count: number,
    role: FeeRole,
    source: FillSource,
    fee: FeeParams,
    queueAheadAtArrival: number,
  ): void {
    const exact = feeTicks(fee, role, price, count);
    const charged = o.fees.add(exact);
    o.filled += count;
    if (o.state === "resting") o.state = "partially_filled";
    this.#listener.fill({
      orderId: o.id,
      market: o.market,
      side: o.side,
      ts,
      price,
      count,
      role,
      source,
      feeTicks: charged,
      feeExactTicks: exact,
      queueAheadAtArrival,
    });
  }

  #reject(o: MakerOrder, ts: number, reason: RejectReason, message: string): void {
    o.rejectReason = reason;
    o.rejectMessage = message;
    this.#finish(o, "rejected", ts);
  }

  #finish(o: MakerOrder, state: OrderState, ts: number): void {
    o.state = state;
    o.doneTs = ts;
    this.#orders.delete(o.id);
    this.#listener.done(o);
  }

  #arrive(id: number): void {
    const o = this.#orders.get(id);
    if (o === undefined || o.state !== "pending_arrival") return;
    const t = o.arrivalTs;
    const book = this.#book;
    if (this.#isOpen !== undefined && !this.#isOpen(t)) {
      this.#reject(
        o,
        t,
        "market_closed",
        `Cannot accept order: ${this.market} is not open at ${t}`,
      );
      return;
    }
    if (!this.valid) {
      this.#reject(
        o,
        t,
        "book_invalid",
        `Cannot accept order: the book of ${this.market} is invalid at ${t}`,
      );
      return;
    }
    const fee = this.#fees(t);
    if (fee === undefined) {
      this.#reject(
        o,
        t,
        "no_fee_schedule",
        `Cannot accept order: no fee schedule for ${this.market} at ${t}`,
      );
      return;
    }
    if (o.expireTs !== undefined && o.expireTs <= t) {
      this.#reject(
        o,
        t,
        "expired_on_arrival",
        `Cannot accept order: it expired at ${o.expireTs}, before it arrived at ${t}`,
      );
      return;
    }
    const p = o.limitPrice;
    const crosses = o.side === "yes" ? p >= book.bestYesAsk : p >= ONE_DOLLAR - book.bestYesBid;
    if (crosses) {
      if (o.timeInForce === "post_only") {
        const ask = o.side === "yes" ? book.bestYesAsk : ONE_DOLLAR - book.bestYesBid;
        this.#reject(
          o,
          t,
          "post_only_would_cross",
          `Cannot accept post-only order: ${o.side} at ${p} would cross the ${o.side} ask ${ask}`,
        );
        return;
      }
      const takes = fillTaker(book, o.side, p, o.count);
      for (let i = 0; i < takes.length; i++) {
        this.#fill(o, t, takes[i].price, takes[i].count, "taker", "taker", fee, 0);
      }
    }
    if (o.filled === o.count) {
      this.#finish(o, "filled", t);
      return;
    }
    if (o.timeInForce === "ioc") {
      this.#finish(o, "cancelled", t);
      return;
    }
    // Rest at the back of the queue at our price.
    const q = book.available(o.side, p);
    o.queueAheadAtArrival = q;
    o.queueAhead = q;
    o.state = o.filled > 0 ? "partially_filled" : "resting";
    this.#levelFor(o.side, p).orders.push(o);
    this.#live++;
    if (o.expireTs !== undefined) this.#schedule(EXPIRY, o.id, o.expireTs);
  }

  #levelFor(side: Side, price: number): Level {
    const levels = side === "yes" ? this.#yesLevels : this.#noLevels;
    let i = 0;
    while (i < levels.length && levels[i].price > price) i++;
    if (i < levels.length && levels[i].price === price) return levels[i];
    const lv: Level = { side, price, orders: [], credit: 0, creditTs: 0, debit: 0, debitTs: 0 };
    levels.splice(i, 0, lv);
    return lv;
  }

  #cancelArrived(id: number, ts: number): void {
    const o = this.#orders.get(id);
    if (o === undefined || o.state === "pending_arrival") {
      this.#listener.cancelRejected?.(
        id,
        ts,
        o === undefined ? "order_not_live" : "order_not_arrived",
      );
      return;
    }
    this.#unlink(o);
    this.#finish(o, "cancelled", ts);
  }

  #expire(id: number, ts: number): void {
    const o = this.#orders.get(id);
    if (o === undefined) return; // already finished
    this.#unlink(o);
    this.#finish(o, "expired", ts);
  }

  /** Take a live order off its level. */
  #unlink(o: MakerOrder): void {
    const levels = o.side === "yes" ? this.#yesLevels : this.#noLevels;
    for (let i = 0; i < levels.length; i++) {
      const lv = levels[i];
      if (lv.price !== o.limitPrice) continue;
      const j = lv.orders.indexOf(o);
      if (j >= 0) {
        lv.orders.splice(j, 1);
        this.#live--;
      }
      if (lv.orders.length === 0) levels.splice(i, 1);
      return;
    }
  }

  /** Finish filled orders and drop emptied levels (in place). */
  #removeFilled(levels: Level[], ts: number): void {
    let w = 0;
    for (let i = 0; i < levels.length; i++) {
      const lv = levels[i];
      const orders = lv.orders;
      let k = 0;
      for (let j = 0; j < orders.length; j++) {
        const o = orders[j];
        if (o.filled === o.count) {
          this.#live--;
          this.#finish(o, "filled", ts);
        } else orders[k++] = o;
      }
      orders.length = k;
      if (k > 0) levels[w++] = lv;
    }
    levels.length = w;
  }

  #capQueues(levels: Level[]): void {
    for (let i = 0; i < levels.length; i++) {
      const lv = levels[i];
      const size = this.#book.available(lv.side, lv.price);
      for (const o of lv.orders) if (o.queueAhead > size) o.queueAhead = size;
    }
  }

  #clearPairings(): void {
    for (let s = 0; s < 2; s++) {
      const levels = s === 0 ? this.#yesLevels : this.#noLevels;
      for (const lv of levels) {
        lv.credit = 0;
        lv.debit = 0;
      }
    }
    this.#matchDue = Number.POSITIVE_INFINITY;
  }

  /** Turn unpaired decreases older than the window into cancels; forget old trades. */
  #expirePairings(ts: number): void {
    let next = Number.POSITIVE_INFINITY;
    const w = this.#window;
    for (let s = 0; s < 2; s++) {
      const levels = s === 0 ? this.#yesLevels : this.#noLevels;
      for (let i = 0; i < levels.length; i++) {
        const lv = levels[i];
        if (lv.debit > 0) {
          if (ts > lv.debitTs + w) {
            const c = lv.debit;
            lv.debit = 0;
            this.#applyCancel(lv, c);
          } else if (lv.debitTs + w < next) next = lv.debitTs + w;
        }
        if (lv.credit > 0) {
          if (ts > lv.creditTs + w) lv.credit = 0;
          else if (lv.creditTs + w < next) next = lv.creditTs + w;
        }
      }
    }
    this.#matchDue = next;
  }

  /** A cancellation of c at a level (never called in pessimistic mode). */
  #applyCancel(lv: Level, c: number): void {
    if (!this.valid || this.#book.degraded) return;
    const after = this.#book.available(lv.side, lv.price);
    const orders = lv.orders;
    if (this.#modeCode === 0) {
      const before = after + c;
      for (let j = 0; j < orders.length; j++) {
        const o = orders[j];
        let q = o.queueAhead - mulDivFloor(c, o.queueAhead, before);
        if (q > after) q = after;
        o.queueAhead = q;
      }
    } else {
      for (let j = 0; j < orders.length; j++) {
        if (orders[j].queueAhead > after) orders[j].queueAhead = after;
      }
    }
  }
}

/**
 * The view of an order refused before it reached a book (by the venue's risk
 * layer or gate, or a live lane's rail): rejected at `ts`, nothing filled.
 */
export function refusedOrderView(
  id: number,
  intent: LimitOrderIntent,
  ts: number,
  code: RejectReason,
  message: string,
): MakerOrderView {
  return {
    id,
    market: intent.market,
    side: intent.side,
    limitPrice: intent.limitPrice,
    count: intent.count,
    timeInForce: intent.timeInForce,
    submitTs: ts,
    arrivalTs: ts,
    expireTs: intent.expireTs,
    clientTag: intent.clientTag,
    reason: intent.reason,
    filled: 0,
    state: "rejected",
    queueAheadAtArrival: 0,
    queueAhead: 0,
    doneTs: ts,
    rejectReason: code,
    rejectMessage: message,
  };
}
