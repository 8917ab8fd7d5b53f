/**
 * The taker fill model shared by the backtest replay venue and the dry-run
 * venue: an immediate-or-cancel order walks the visible depth of the opposite
 * side from the best level, up to its limit price and count, and takes only
 * liquidity that is still available (what earlier orders of this run took is
 * gone). Whatever is left unfilled is cancelled.
 *
 * Buying YES at price p takes NO bids at 10000 - p; buying NO at price q takes
 * YES bids at 10000 - q.
 *
 * @module
 */

import { type L2Book, ONE_DOLLAR } from "./book.ts";
import type { Side } from "../tape/events.ts";

/** One level's worth of a fill: the price of the contract bought and the count. */
export interface LevelFill {
  readonly price: number;
  readonly count: number;
}

/**
 * Fill an IOC taker order against a book, consuming the liquidity it takes.
 * Returns the fills best price first (empty when nothing was available).
 *
 * @example
 * ```ts
 * const fills = fillTaker(book, "yes", 5600, 1000); // buy 10 YES up to $0.56
 * ```
 */
export function fillTaker(
  book: L2Book,
  side: Side,
  limitPrice: number,
  count: number,
): LevelFill[] {
  if (!Number.isInteger(limitPrice) || limitPrice <= 0 || limitPrice >= ONE_DOLLAR) {
    throw new RangeError(
      `Cannot fill order: limit price must be 1..9999 ticks, current value is ${limitPrice}`,
    );
  }
  if (!Number.isInteger(count) || count <= 0) {
    throw new RangeError(
      `Cannot fill order: count must be a positive integer, current value is ${count}`,
    );
  }
  const fills: LevelFill[] = [];
  if (!book.valid) return fills;
  // The opposite side's bids, as prices of the contract we buy.
  const against: Side = side === "yes" ? "no" : "yes";
  const lowestBid = ONE_DOLLAR - limitPrice; // bids below this cost more than the limit
  let remaining = count;
  // Start at the best available bid of that side (net of liquidity already taken)
  // and visit the levels below it that hold size (0, below every limit, ends it).
  const best = against === "yes" ? book.bestYesBid : ONE_DOLLAR - book.bestYesAsk;
  for (
    let bid = best;
    bid >= lowestBid && remaining > 0;
    bid = book.levelBelow(against, bid)
  ) {
    const avail = book.available(against, bid);
    if (avail <= 0) continue;
    const take = avail < remaining ? avail : remaining;
    book.consume(against, bid, take);
    fills.push({ price: ONE_DOLLAR - bid, count: take });
    remaining -= take;
  }
  return fills;
}
