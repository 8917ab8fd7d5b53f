/**
 * The port between a live market-data feed and the live lane. A feed turns what
 * the exchange sends (WebSocket messages, REST polls) into tape events
 * (lib/tape/events.ts), the same events a backtest replays, so the live lane can
 * record them into a tape and drive the same venue and strategy with them.
 *
 * Rules every feed keeps:
 * - `ts` of each event is the exchange's time when the message carries one, else
 *   the local receive time from the injected clock; events come out in
 *   non-decreasing `ts` (a feed clamps a late timestamp up to the last one and
 *   counts it).
 * - Metadata first: a market's `series`, `event` and `market` events come out
 *   before any book, trade or lifecycle event of it.
 * - A sequence gap on a book is never papered over: the feed emits nothing more
 *   for that book until it has a fresh snapshot, which it emits as a
 *   `book_snapshot`; `health().invalidBooks` lists the books waiting for one.
 *
 * @module
 */

import type { TapeEvent } from "../lib/tape/events.ts";

/** What a feed reports about itself (the heartbeat file and the staleness gate read it). */
export interface FeedHealth {
  /** "ws" when the socket is up and subscribed, "rest" on the polling fallback, "down" otherwise. */
  readonly mode: "ws" | "rest" | "down";
  /** Local time (ms) of the last message received from the exchange, or NaN. */
  readonly lastMessageTs: number;
  /** Markets whose book is invalid (after a gap, before the resync snapshot). */
  readonly invalidBooks: readonly string[];
  /** Counters since start: reconnects, gaps detected, resyncs done, duplicates and out-of-order messages dropped. */
  readonly counters: Readonly<Record<string, number>>;
}

/** A live market-data feed. */
export interface LiveFeed {
  /** The events, in order, until `close()` (then the iterator ends). */
  events(): AsyncIterable<TapeEvent>;
  health(): FeedHealth;
  close(): Promise<void>;
}
