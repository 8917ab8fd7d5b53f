/**
 * Plays a tape as an exchange would live it: the mock exchange's market state
 * (public order books, statuses, trades, settlements) advanced event by event,
 * with every change reported to listeners (the WebSocket server turns them into
 * Kalshi messages, the REST routes read the state).
 *
 * What each tape event does:
 *
 * | tape event | effect |
 * | --- | --- |
 * | `series` / `event` / `market` | metadata (all of it is known from the start; a later `series` is a fee change) |
 * | `book_snapshot` | the book becomes the snapshot (plus the mock's resting orders); reported as level changes |
 * | `book_delta` | the level changes; a delta that would go below zero (liquidity taken by a mock order) is clamped and counted |
 * | `quote` | the book becomes two levels: YES bid at `yes_bid`, NO bid at $1 - `yes_ask` (unknown sizes: `quoteSize`) |
 * | `trade` | a public trade with a new trade id; resting mock orders it crosses fill (`onTrade` listeners) |
 * | `lifecycle` | the market's status |
 * | `settlement` | the market's result |
 * | `underlying` | nothing (Kalshi has no such channel); counted |
 *
 * Time: the player keeps a tape clock. `speed` > 0 plays in real time scaled by
 * `speed` ({@link TapePlayer.start}, then {@link TapePlayer.playDue} with the
 * wall clock; the exchange schedules the calls); `speed` 0 is manual: only
 * {@link TapePlayer.step} and {@link TapePlayer.playAll} advance it, and the
 * tape clock is the timestamp of the last event played. Pure apart from the
 * listeners: no timers, no I/O.
 *
 * @module
 */

import { LevelBook, type LevelChange } from "../lib/kalshi/ws_book.ts";
import type {
  EventEvent,
  MarketEvent,
  MarketStatus,
  SeriesEvent,
  SettlementEvent,
  Side,
  TapeEvent,
} from "../lib/tape/events.ts";

/** What the exchange tells its listeners (times are tape times). */
export type Happening =
  | {
    readonly kind: "book";
    readonly ts: number;
    readonly market: string;
    readonly changes: readonly LevelChange[];
    /** Set when a mock order caused it. */
    readonly clientOrderId?: string;
  }
  | {
    readonly kind: "trade";
    readonly ts: number;
    readonly market: string;
    readonly tradeId: string;
    /** YES price, ticks. */
    readonly price: number;
    readonly count: number;
    readonly takerSide: Side;
    /** Set when a mock order traded (not the tape). */
    readonly byOrder?: boolean;
  }
  | {
    readonly kind: "lifecycle";
    readonly ts: number;
    readonly market: string;
    readonly status: MarketStatus;
  }
  | {
    readonly kind: "settlement";
    readonly ts: number;
    readonly market: string;
    readonly result: Side;
  };

/** The live state of one market. */
export interface MarketState {
  readonly decl: MarketEvent;
  /** Status from the last lifecycle event played, or undefined before any. */
  status?: MarketStatus;
  /** The public book: tape liquidity plus resting mock orders. */
  readonly book: LevelBook;
  settlement?: SettlementEvent;
  lastPrice?: number;
  /** Contracts traded, centi-contracts. */
  volume: number;
}

/** A public trade as REST lists it. */
export interface PlayedTrade {
  readonly tradeId: string;
  readonly ts: number;
  readonly market: string;
  readonly price: number;
  readonly count: number;
  readonly takerSide: Side;
}

/** Options of {@link TapePlayer}. */
export interface TapePlayerOptions {
  /** Tape ms per wall ms; 0 = manual stepping. Default 1. */
  readonly speed?: number;
  /** Size of a quote's level when the quote gives none, centi-contracts. Default 100 (1 contract). */
  readonly quoteSize?: number;
}

/** Counters of what was played. */
export interface PlayerCounts {
  played: number;
  clampedDeltas: number;
  underlyingSkipped: number;
}

function tradeId(n: number): string {
  const h = n.toString(16).padStart(12, "0");
  return `0ddba11c-0000-4000-8000-${h}`;
}

/** Plays a tape; see the module docs. */
export class TapePlayer {
  readonly speed: number;
  readonly firstTs: number;
  readonly lastTs: number;
  readonly series = new Map<string, SeriesEvent>();
  readonly events = new Map<string, EventEvent>();
  readonly markets = new Map<string, MarketState>();
  /** Public trades played, oldest first. */
  readonly trades: PlayedTrade[] = [];
  readonly counts: PlayerCounts = { played: 0, clampedDeltas: 0, underlyingSkipped: 0 };
  readonly #tape: readonly TapeEvent[];
  readonly #quoteSize: number;
  readonly #listeners: ((h: Happening) => void)[] = [];
  readonly #feeNow = new Map<string, SeriesEvent>();
  #next = 0;
  #tapeNow: number;
  #wallStart = Number.NaN;
  #overlay: (market: string) => LevelBook | undefined = () => undefined;
  #tradeNo = 0;

  /**
   * @param tape Events in time order (a validated tape).
   * @throws {RangeError} for an empty tape, events out of time order, a bad speed
   *   or quote size, or data for an undeclared market.
   */
  constructor(tape: readonly TapeEvent[], options: TapePlayerOptions = {}) {
    const speed = options.speed ?? 1;
    if (!(typeof speed === "number" && Number.isFinite(speed) && speed >= 0)) {
      throw new RangeError(
        `Cannot create tape player: speed must be a number >= 0, current value is ${speed}`,
      );
    }
    const quoteSize = options.quoteSize ?? 100;
    if (!Number.isInteger(quoteSize) || quoteSize < 1) {
      throw new RangeError(
        `Cannot create tape player: quoteSize must be an integer >= 1, current value is ${quoteSize}`,
      );
    }
    if (tape.length === 0) {
      throw new RangeError(
        "Cannot create tape player: the tape is empty, current value is 0 events",
      );
    }
    for (let i = 1; i < tape.length; i++) {
      if (tape[i].ts < tape[i - 1].ts) {
        throw new RangeError(
          `Cannot create tape player: event ${i} goes back in time from ${
            tape[i - 1].ts
          }, current value is ${tape[i].ts}`,
        );
      }
    }
    this.speed = speed;
    this.#quoteSize = quoteSize;
    this.#tape = tape;
    this.firstTs = tape[0].ts;
    this.lastTs = tape[tape.length - 1].ts;
    this.#tapeNow = this.firstTs;
    // Metadata is known from the start (an exchange lists markets before they open).
    for (const ev of tape) {
      if (ev.kind === "series" && !this.series.has(ev.series)) this.series.set(ev.series, ev);
      else if (ev.kind === "event" && !this.events.has(ev.event)) this.events.set(ev.event, ev);
      else if (ev.kind === "market" && !this.markets.has(ev.market)) {
        this.markets.set(ev.market, { decl: ev, book: new LevelBook(), volume: 0 });
      } else if ("market" in ev && !this.markets.has(ev.market)) {
        throw new RangeError(
          `Cannot create tape player: ${ev.kind} at ${ev.ts} for an undeclared market, current value is ${ev.market}`,
        );
      }
    }
  }

  /** Registers a listener of every change. */
  onHappening(fn: (h: Happening) => void): void {
    this.#listeners.push(fn);
  }

  /** Sets where the resting mock orders of a market are (kept when a snapshot or quote replaces the book). */
  setOverlay(fn: (market: string) => LevelBook | undefined): void {
    this.#overlay = fn;
  }

  /** The tape clock (see the module docs). */
  tapeNow(wallNow?: number): number {
    if (this.speed > 0 && wallNow !== undefined && !Number.isNaN(this.#wallStart)) {
      const t = this.firstTs + Math.floor((wallNow - this.#wallStart) * this.speed);
      return Math.max(this.#tapeNow, t);
    }
    return this.#tapeNow;
  }

  /** Whether every event has been played. */
  get done(): boolean {
    return this.#next >= this.#tape.length;
  }

  /** Events played so far. */
  get position(): number {
    return this.#next;
  }

  /** Anchors the tape's first timestamp at `wallNow` (speed > 0). */
  start(wallNow: number): void {
    if (this.speed === 0) {
      throw new RangeError("Cannot start tape player: speed is 0 (manual), current value is 0");
    }
    this.#wallStart = wallNow;
  }

  /** The wall time the next event is due, or null (done, manual, or not started). */
  dueWall(): number | null {
    if (this.done || this.speed === 0 || Number.isNaN(this.#wallStart)) return null;
    return this.#wallStart + (this.#tape[this.#next].ts - this.firstTs) / this.speed;
  }

  /** Plays every event due at `wallNow`; returns how many. */
  playDue(wallNow: number): number {
    let n = 0;
    for (;;) {
      const due = this.dueWall();
      if (due === null || due > wallNow) break;
      this.#play(this.#tape[this.#next++]);
      n++;
    }
    if (!Number.isNaN(this.#wallStart)) this.#tapeNow = this.tapeNow(wallNow);
    return n;
  }

  /** Plays the next `n` events whatever their time; returns how many were played. */
  step(n = 1): number {
    if (!Number.isInteger(n) || n < 0) {
      throw new RangeError(`Cannot step tape: n must be an integer >= 0, current value is ${n}`);
    }
    let k = 0;
    while (k < n && !this.done) {
      this.#play(this.#tape[this.#next++]);
      k++;
    }
    return k;
  }

  /** Plays the rest of the tape. */
  playAll(): number {
    return this.step(this.#tape.length - this.#next);
  }

  /** The fee metadata of a series in force now (the last `series` event played, else the first). */
  seriesNow(series: string): SeriesEvent | undefined {
    return this.#feeNow.get(series) ?? this.series.get(series);
  }

  /**
   * Changes a public book (a mock order filled or rested) and reports it.
   *
   * @throws {RangeError} when a change would take a level below zero.
   */
  changeBook(market: string, changes: readonly LevelChange[], clientOrderId?: string): void {
    const st = this.#state(market);
    const applied: LevelChange[] = [];
    try {
      for (const c of changes) {
        st.book.apply(c.side, c.price, c.delta);
        applied.push(c);
      }
    } catch (e) {
      for (const c of applied.reverse()) st.book.apply(c.side, c.price, -c.delta);
      throw e;
    }
    if (changes.length > 0) {
      this.#emit({
        kind: "book",
        ts: this.#tapeNow,
        market,
        changes,
        ...(clientOrderId !== undefined ? { clientOrderId } : {}),
      });
    }
  }

  /** Records and reports a public trade (of the tape, or of a mock order when `byOrder`). */
  publishTrade(
    market: string,
    price: number,
    count: number,
    takerSide: Side,
    byOrder = false,
    ts: number = this.#tapeNow,
  ): PlayedTrade {
    const st = this.#state(market);
    const t: PlayedTrade = {
      tradeId: tradeId(++this.#tradeNo),
      ts,
      market,
      price,
      count,
      takerSide,
    };
    this.trades.push(t);
    st.lastPrice = price;
    st.volume += count;
    this.#emit({ kind: "trade", ...t, ...(byOrder ? { byOrder } : {}) });
    return t;
  }

  #state(market: string): MarketState {
    const st = this.markets.get(market);
    if (st === undefined) {
      throw new RangeError(`Cannot use market: unknown to the tape, current value is ${market}`);
    }
    return st;
  }

  #emit(h: Happening): void {
    for (const fn of this.#listeners) fn(h);
  }

  /** Replaces a book by `target` plus the overlay, reporting the difference. */
  #replace(market: string, target: LevelBook, ts: number): void {
    const st = this.#state(market);
    const overlay = this.#overlay(market);
    if (overlay !== undefined) {
      for (const side of ["yes", "no"] as const) {
        for (const [p, s] of overlay.levels(side)) target.apply(side, p, s);
      }
    }
    const changes = st.book.diff(target);
    for (const c of changes) st.book.apply(c.side, c.price, c.delta);
    if (changes.length > 0) this.#emit({ kind: "book", ts, market, changes });
  }

  #play(ev: TapeEvent): void {
    this.#tapeNow = Math.max(this.#tapeNow, ev.ts);
    this.counts.played++;
    switch (ev.kind) {
      case "series":
        this.#feeNow.set(ev.series, ev);
        return;
      case "event":
      case "market":
        return;
      case "book_snapshot":
        this.#replace(ev.market, LevelBook.fromSnapshot(ev), ev.ts);
        return;
      case "quote": {
        const levels = (price: number, size: number) =>
          price > 0 && price < 10000 ? [[price, size > 0 ? size : this.#quoteSize] as const] : [];
        this.#replace(
          ev.market,
          LevelBook.fromLevels(
            levels(ev.yesBid, ev.yesBidSize),
            levels(10000 - ev.yesAsk, ev.yesAskSize),
          ),
          ev.ts,
        );
        return;
      }
      case "book_delta": {
        const st = this.#state(ev.market);
        let delta = ev.delta;
        const have = st.book.size(ev.side, ev.price);
        if (have + delta < 0) {
          this.counts.clampedDeltas++;
          delta = -have;
        }
        if (delta !== 0) {
          st.book.apply(ev.side, ev.price, delta);
          this.#emit({
            kind: "book",
            ts: ev.ts,
            market: ev.market,
            changes: [{ side: ev.side, price: ev.price, delta }],
          });
        }
        return;
      }
      case "trade":
        this.publishTrade(ev.market, ev.price, ev.count, ev.takerSide, false, ev.ts);
        return;
      case "lifecycle":
        this.#state(ev.market).status = ev.status;
        this.#emit({ kind: "lifecycle", ts: ev.ts, market: ev.market, status: ev.status });
        return;
      case "settlement":
        this.#state(ev.market).settlement = ev;
        this.#emit({ kind: "settlement", ts: ev.ts, market: ev.market, result: ev.result });
        return;
      case "underlying":
        this.counts.underlyingSkipped++;
        return;
    }
  }
}
