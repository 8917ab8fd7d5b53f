/**
 * THE rule for turning candles into quotes without look-ahead (docs/import/candles.md).
 *
 * A candle covering [start, start + interval) summarizes trades or quotes inside
 * that interval; its close is only known when the interval has ended. So every
 * event derived from a candle is stamped **start + interval** (for Kalshi API
 * candlesticks: `end_period_ts`), never `start`. A strategy replaying the tape at
 * time t therefore only sees candles that had closed by t.
 *
 * Which prices:
 * - **Bid/ask candles** (Kalshi candlesticks with `yes_bid` and `yes_ask` OHLC):
 *   the top of book at period end is the **close** bid and the **close** ask;
 *   map them with {@link TopOfBookMapper} (a missing side gives an empty book,
 *   see lib/import/top_quote.ts).
 * - **Trade-price candles** (open/high/low/close of trade prices only): the quote
 *   at period end is **bid = ask = close** (a locked quote, which the tape
 *   accepts), sizes unknown (0). This is degraded data: the last trade price
 *   stands in for both sides of the book, and it stays in force until the next
 *   candle of the market, however far away (sparse candles have no rows for
 *   intervals without trades).
 *
 * @example
 * ```ts
 * import { candleKnownTs, tradeCandleQuote } from "./candle_quotes.ts";
 *
 * candleKnownTs(1754936700000, 300_000); // 1754937000000
 * tradeCandleQuote("KXHIGHNY-25AUG12-T93", 1754936700000, 300_000, 100).ts; // 1754937000000
 * ```
 *
 * @module
 */

import type { QuoteEvent } from "../tape/events.ts";

/**
 * The time a candle starting at `startTs` and lasting `intervalMs` is known:
 * its end.
 *
 * @throws {RangeError} When `startTs` is not a non-negative safe integer or
 *   `intervalMs` is not a positive safe integer.
 */
export function candleKnownTs(startTs: number, intervalMs: number): number {
  if (!Number.isSafeInteger(startTs) || startTs < 0) {
    throw new RangeError(
      `Cannot time candle: start is not a non-negative integer of ms, current value is ${startTs}`,
    );
  }
  if (!Number.isSafeInteger(intervalMs) || intervalMs <= 0) {
    throw new RangeError(
      `Cannot time candle: interval is not a positive integer of ms, current value is ${intervalMs}`,
    );
  }
  return startTs + intervalMs;
}

/**
 * The quote a trade-price candle gives: bid = ask = close, at the candle's end.
 *
 * @param close The close trade price in ticks, strictly inside $0..$1.
 * @throws {RangeError} For a bad start, interval or close price.
 */
export function tradeCandleQuote(
  market: string,
  startTs: number,
  intervalMs: number,
  close: number,
): QuoteEvent {
  const ts = candleKnownTs(startTs, intervalMs);
  if (!Number.isInteger(close) || close < 1 || close > 9999) {
    throw new RangeError(
      `Cannot quote candle: close is not a price strictly between $0 and $1 in ticks, current value is ${close}`,
    );
  }
  return { kind: "quote", ts, market, yesBid: close, yesAsk: close, yesBidSize: 0, yesAskSize: 0 };
}
