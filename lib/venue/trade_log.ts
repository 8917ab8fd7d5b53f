/**
 * The tape's trades of one replay, kept for the decision records' recent
 * volume and volatility (decision_recorder.ts): for an order on a market at
 * time `ts`, the market's latest trades back to 30 minutes before `ts`, at most
 * the latest 256 of them.
 *
 * Layout: one log in arrival order for all markets, each record linked to the
 * previous trade of its market. Recording a trade writes the next record of
 * the log, so the writes of a replay go through memory in order. (A ring per
 * market, the earlier layout, wrote each trade to a different place: on a
 * tape of 200 busy markets those scattered writes missed the caches and cost
 * several percent of the whole replay.) A query walks one market's chain.
 *
 * The log keeps every trade that a later query can still need: queries come at
 * or after the latest trade recorded (the venue's clock never goes back), so a
 * trade more than 30 minutes older than the latest one is dropped when its
 * place is needed, and the log doubles when it is not. Its size follows the
 * number of trades in 30 minutes of tape, not the tape's length.
 *
 * @module
 */

import type { TradeEvent } from "../tape/events.ts";

/** Trades older than this before a decision do not count in its recent volume or volatility. */
export const RECENT_WINDOW_MS = 30 * 60_000;
/** At most this many of a market's latest trades count in those measures. */
export const RECENT_TRADES = 256;

/** Doubles per record: ts, price (ticks), count (centi-contracts), sequence number of the market's previous trade (-1: none). */
const STRIDE = 4;
/** Records held at first (grows by doubling). */
const INITIAL_RECORDS = 4096;

/** What the log keeps of a trade (a TradeEvent has these fields). */
export type TradeFields = Pick<TradeEvent, "ts" | "price" | "count">;

/** Recent volume (centi-contracts) and volatility (RMS trade-to-trade price change in ticks; NaN with fewer than two trades). */
export interface RecentTrades {
  readonly volume: number;
  readonly volatility: number;
}

/**
 * The records buffer of the last log released in this process (see
 * {@link TradeLog.release}), taken by the next log. On a busy tape the log
 * grows to megabytes; reusing them spares the next replay of a process (a
 * parameter sweep, a notebook, the benchmark's runs) faulting in fresh memory
 * page by page.
 */
let spare: Float64Array | null = null;

/** All markets' trades of one replay, by market number. */
export class TradeLog {
  /** Record of sequence number q at (q mod capacity) * STRIDE. */
  #records: Float64Array;
  #capacity: number;
  /** Sequence number of the next record (= trades recorded). */
  #next = 0;
  /** Per market number: sequence number of its latest trade, -1 when none. */
  #head = new Float64Array(0).fill(-1);

  constructor() {
    // A released buffer holds old records; none is read before it is written
    // again (queries follow chains from this log's heads, growth copies only
    // this log's records).
    if (spare !== null) {
      this.#records = spare;
      spare = null;
    } else this.#records = new Float64Array(INITIAL_RECORDS * STRIDE);
    this.#capacity = this.#records.length / STRIDE;
  }

  /**
   * Gives the log's buffer to the next log of this process. Call only when
   * nothing will read or add to this log again (the venue does at the end of a
   * replay); the log is empty afterwards.
   */
  release(): void {
    if (spare === null || spare.length < this.#records.length) spare = this.#records;
    this.#records = new Float64Array(0);
    this.#capacity = 0;
    this.#next = 0;
    this.#head.fill(-1);
  }

  /** Trades recorded so far. */
  get size(): number {
    return this.#next;
  }

  /** Records the log can hold before it grows (a power of two). */
  get capacity(): number {
    return this.#capacity;
  }

  /**
   * Record a trade of market `market` (a small non-negative number): a tape
   * trade event, or any object with its time, price (ticks) and count
   * (centi-contracts). Takes the object rather than the numbers: the replay's
   * apply is too large for V8 to inline this call, and a double passed to a
   * call that is not inlined is boxed (an allocation per trade).
   */
  addTrade(market: number, ev: TradeFields): void {
    if (market >= this.#head.length) this.#growHeads(market);
    const ts = ev.ts;
    const seq = this.#next;
    if (seq >= this.#capacity) {
      // The record in this place: still needed when within the window of `ts`.
      const old = (seq & (this.#capacity - 1)) * STRIDE;
      if (!(ts - this.#records[old] > RECENT_WINDOW_MS)) this.#grow();
    }
    const r = (seq & (this.#capacity - 1)) * STRIDE;
    const rec = this.#records;
    rec[r] = ts;
    rec[r + 1] = ev.price;
    rec[r + 2] = ev.count;
    rec[r + 3] = this.#head[market];
    this.#head[market] = seq;
    this.#next = seq + 1;
  }

  /**
   * Volume and volatility of market `market`'s trades before `ts`: walking back
   * from its latest trade, at most {@link RECENT_TRADES} of them, stopping at the
   * first one after `ts` or more than {@link RECENT_WINDOW_MS} before it.
   */
  recent(market: number, ts: number): RecentTrades {
    let volume = 0;
    let sq = 0;
    let moves = 0;
    let next = Number.NaN;
    const rec = this.#records;
    const mask = this.#capacity - 1;
    // Records older than this were overwritten (they were out of every window).
    const oldest = this.#next - this.#capacity;
    let seq = market < this.#head.length ? this.#head[market] : -1;
    for (let k = 0; k < RECENT_TRADES && seq >= 0 && seq >= oldest; k++) {
      const r = (seq & mask) * STRIDE;
      const t = rec[r];
      if (t > ts || ts - t > RECENT_WINDOW_MS) break;
      volume += rec[r + 2];
      const p = rec[r + 1];
      if (!Number.isNaN(next)) {
        sq += (next - p) * (next - p);
        moves++;
      }
      next = p;
      seq = rec[r + 3];
    }
    return { volume, volatility: moves === 0 ? Number.NaN : Math.sqrt(sq / moves) };
  }

  /**
   * Makes room for market numbers below `markets`. The venue calls it as it
   * declares each market, so {@link addTrade} never grows the heads itself:
   * a branch taken only at the start of each replay, inside a function V8
   * optimized during an earlier replay, throws that optimized code away when
   * it is taken.
   */
  reserve(markets: number): void {
    if (markets > this.#head.length) this.#growHeads(markets - 1);
  }

  #growHeads(market: number): void {
    const heads = new Float64Array(Math.max(16, 2 * this.#head.length, market + 1)).fill(-1);
    heads.set(this.#head);
    this.#head = heads;
  }

  /** Doubles the log, each record moving to its place under the new capacity. */
  #grow(): void {
    const old = this.#records;
    const oldMask = this.#capacity - 1;
    const capacity = Math.max(INITIAL_RECORDS, 2 * this.#capacity);
    const mask = capacity - 1;
    const records = new Float64Array(capacity * STRIDE);
    for (let seq = Math.max(0, this.#next - this.#capacity); seq < this.#next; seq++) {
      const from = (seq & oldMask) * STRIDE;
      const to = (seq & mask) * STRIDE;
      for (let k = 0; k < STRIDE; k++) records[to + k] = old[from + k];
    }
    this.#records = records;
    this.#capacity = capacity;
  }
}
