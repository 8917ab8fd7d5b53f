/**
 * Order books rebuilt from Kalshi's `orderbook_delta` channel, turned into tape
 * events, with gaps never papered over. Pure: no sockets, no clock (the caller
 * passes the receive time).
 *
 * Each book subscription (`sid`) has a {@link SeqTracker} starting at seq 1
 * (Kalshi numbers a subscription's messages 1, 2, ... across its markets). A
 * market's book is *valid* once a snapshot arrived on the subscription that
 * owns it, and *invalid* from the moment it is subscribed, after a connection
 * loss, or after a problem on its subscription:
 *
 * | what arrives | result |
 * | --- | --- |
 * | the next seq, snapshot | the book is replaced; a `book_snapshot` event (a resync when it was invalid) |
 * | the next seq, delta on a valid book | applied; a `book_delta` event |
 * | a seq beyond the next (gap) | every book of the subscription becomes invalid; the caller resyncs it |
 * | a delta that would drive a level below zero, a crossed snapshot, a malformed book message | the same as a gap |
 * | a seq already received | dropped, counted as a duplicate |
 * | a seq that a gap skipped, arriving late | dropped, counted as out of order |
 * | any message of an abandoned subscription, or an unknown sid | dropped, counted as stale |
 * | a delta of 0 | nothing (counted) |
 *
 * Tape seqs are per market (the tape's rule, docs/TAPE.md §4): every snapshot
 * or delta event of a market carries the previous one's seq + 1, whatever the
 * subscription, so a recorded session reads back with the strict reader.
 *
 * @module
 */

import { LevelBook } from "../../lib/kalshi/ws_book.ts";
import type { WsOrderbookDelta, WsOrderbookSnapshot } from "../../lib/kalshi/ws_messages.ts";
import { SeqTracker } from "../../lib/kalshi/ws_seq.ts";
import type { BookDeltaEvent, BookSnapshotEvent } from "../../lib/tape/events.ts";

/** Counters of {@link BookSync}. */
export interface BookSyncCounters {
  gaps: number;
  /** Snapshots that made an invalid book valid again after a problem. */
  resyncs: number;
  duplicates: number;
  outOfOrder: number;
  stale: number;
  badDeltas: number;
  crossedSnapshots: number;
  badMessages: number;
  zeroDeltas: number;
}

/** What handling one message gave. */
export interface SyncResult {
  /** Tape events to emit (0 or 1). */
  readonly events: readonly (BookSnapshotEvent | BookDeltaEvent)[];
  /** Set when the subscription must be resynced: its sid and markets. */
  readonly resync?: {
    readonly sid: number;
    readonly markets: readonly string[];
    readonly reason: string;
  };
}

interface Sub {
  readonly sid: number;
  readonly tracker: SeqTracker;
  readonly markets: Set<string>;
  abandoned: boolean;
}

interface BookState {
  /** The subscription that owns the market now, or undefined (no connection). */
  sid?: number;
  book: LevelBook | null;
  /** Whether the book became invalid after a problem (its next snapshot is a resync). */
  lost: boolean;
}

const NONE: SyncResult = { events: [] };

/** See the module docs. */
export class BookSync {
  readonly counters: BookSyncCounters = {
    gaps: 0,
    resyncs: 0,
    duplicates: 0,
    outOfOrder: 0,
    stale: 0,
    badDeltas: 0,
    crossedSnapshots: 0,
    badMessages: 0,
    zeroDeltas: 0,
  };
  readonly #subs = new Map<number, Sub>();
  readonly #books = new Map<string, BookState>();
  readonly #tapeSeq = new Map<string, number>();

  /** Markets followed (valid or not). */
  markets(): string[] {
    return [...this.#books.keys()];
  }

  /** Markets whose book is invalid, sorted. */
  invalidBooks(): string[] {
    return [...this.#books].filter(([, b]) => b.book === null).map(([m]) => m).sort();
  }

  /** A valid book, or undefined. */
  book(market: string): LevelBook | undefined {
    return this.#books.get(market)?.book ?? undefined;
  }

  /** The next tape seq of a market (shared with REST snapshots of the feed). */
  nextTapeSeq(market: string): number {
    const s = (this.#tapeSeq.get(market) ?? 0) + 1;
    this.#tapeSeq.set(market, s);
    return s;
  }

  /** Registers a new book subscription: its markets are invalid until their snapshots. */
  subscribed(sid: number, markets: Iterable<string>): void {
    const sub: Sub = {
      sid,
      tracker: new SeqTracker(1),
      markets: new Set(markets),
      abandoned: false,
    };
    this.#subs.set(sid, sub);
    for (const m of sub.markets) this.#own(m, sid);
  }

  /** Markets added to a subscription (update_subscription add_markets). */
  addMarkets(sid: number, markets: Iterable<string>): void {
    const sub = this.#subs.get(sid);
    if (sub === undefined) return;
    for (const m of markets) {
      sub.markets.add(m);
      this.#own(m, sid);
    }
  }

  /** Markets no longer followed. */
  removeMarkets(markets: Iterable<string>): void {
    for (const m of markets) {
      this.#books.delete(m);
      for (const s of this.#subs.values()) s.markets.delete(m);
    }
  }

  /** Stops trusting a subscription (unsubscribed or being resynced); its messages become stale. */
  abandon(sid: number): void {
    const sub = this.#subs.get(sid);
    if (sub !== undefined) sub.abandoned = true;
  }

  /** The connection is gone: every subscription is forgotten, every book invalid. */
  reset(): void {
    this.#subs.clear();
    for (const b of this.#books.values()) {
      if (b.book !== null) b.lost = true;
      b.book = null;
      b.sid = undefined;
    }
  }

  #own(market: string, sid: number): void {
    const b = this.#books.get(market);
    if (b === undefined) this.#books.set(market, { sid, book: null, lost: false });
    else {
      if (b.book !== null) b.lost = true;
      b.sid = sid;
      b.book = null;
    }
  }

  /** Invalidates a subscription's books and asks for a resync. */
  #fail(sub: Sub, reason: string): SyncResult {
    if (sub.abandoned) return NONE;
    sub.abandoned = true;
    for (const m of sub.markets) {
      const b = this.#books.get(m);
      if (b !== undefined && b.sid === sub.sid) {
        if (b.book !== null) b.lost = true;
        b.book = null;
      }
    }
    return { events: [], resync: { sid: sub.sid, markets: [...sub.markets], reason } };
  }

  /** Classifies a seq; returns the sub when the message should be used. */
  #admit(sid: number, seq: number): { sub?: Sub; result?: SyncResult } {
    const sub = this.#subs.get(sid);
    if (sub === undefined) {
      this.counters.stale++;
      return { result: NONE };
    }
    const v = sub.tracker.check(seq);
    if (v.verdict === "duplicate") {
      this.counters.duplicates++;
      return { result: NONE };
    }
    if (v.verdict === "out_of_order") {
      this.counters.outOfOrder++;
      return { result: NONE };
    }
    if (v.verdict === "gap") {
      if (sub.abandoned) {
        this.counters.stale++;
        return { result: NONE };
      }
      this.counters.gaps++;
      return { result: this.#fail(sub, `seq gap: expected ${v.expected}, got ${seq}`) };
    }
    if (sub.abandoned) {
      this.counters.stale++;
      return { result: NONE };
    }
    return { sub };
  }

  /** Handles an `orderbook_snapshot` received at `ts`. */
  onSnapshot(m: WsOrderbookSnapshot, ts: number): SyncResult {
    const { sub, result } = this.#admit(m.sid, m.seq);
    if (sub === undefined) return result!;
    const b = this.#books.get(m.market);
    if (b === undefined || !sub.markets.has(m.market) || b.sid !== sub.sid) {
      this.counters.stale++;
      return NONE;
    }
    let book: LevelBook;
    try {
      book = LevelBook.fromLevels(m.yes, m.no);
    } catch {
      this.counters.badMessages++;
      return this.#fail(sub, `bad snapshot of ${m.market}`);
    }
    if (book.isCrossed()) {
      this.counters.crossedSnapshots++;
      return this.#fail(sub, `crossed snapshot of ${m.market}`);
    }
    if (b.lost) {
      this.counters.resyncs++;
      b.lost = false;
    }
    b.book = book;
    return { events: [book.toSnapshot(ts, m.market, this.nextTapeSeq(m.market))] };
  }

  /** Handles an `orderbook_delta` received at `ts` (its `ts_ms` wins when present). */
  onDelta(m: WsOrderbookDelta, ts: number): SyncResult {
    const { sub, result } = this.#admit(m.sid, m.seq);
    if (sub === undefined) return result!;
    const b = this.#books.get(m.market);
    if (b === undefined || !sub.markets.has(m.market) || b.sid !== sub.sid) {
      this.counters.stale++;
      return NONE;
    }
    if (b.book === null) {
      this.counters.badDeltas++;
      return this.#fail(sub, `delta before snapshot of ${m.market}`);
    }
    if (m.delta === 0) {
      this.counters.zeroDeltas++;
      return NONE;
    }
    try {
      b.book.apply(m.side, m.price, m.delta);
    } catch {
      this.counters.badDeltas++;
      return this.#fail(sub, `delta below zero on ${m.market}`);
    }
    return {
      events: [{
        kind: "book_delta",
        ts: m.tsMs ?? ts,
        market: m.market,
        seq: this.nextTapeSeq(m.market),
        side: m.side,
        price: m.price,
        delta: m.delta,
      }],
    };
  }

  /** A book message of `sid` that could not be parsed: treated as a gap. */
  onBadMessage(sid: number | undefined, seq: number | undefined): SyncResult {
    this.counters.badMessages++;
    if (sid === undefined) return NONE;
    const sub = this.#subs.get(sid);
    if (sub === undefined) return NONE;
    if (seq !== undefined) {
      const v = sub.tracker.check(seq);
      if (v.verdict === "duplicate" || v.verdict === "out_of_order") return NONE;
    }
    return this.#fail(sub, "malformed book message");
  }
}
