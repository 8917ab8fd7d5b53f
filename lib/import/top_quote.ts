/**
 * How a top of book (best YES bid, best YES ask, either side possibly missing)
 * becomes a tape event. Shared by every importer of top-of-book data
 * (recorder logs, market snapshots, bid/ask candlesticks).
 *
 * The tape's `quote` takes bid <= ask with at most one side missing (a YES bid
 * of $0 or a YES ask of $1; docs/TAPE.md §3.6). So:
 *
 * | top of book                                   | outcome     | event                    |
 * | --------------------------------------------- | ----------- | ------------------------ |
 * | bid and ask present, bid < ask                | `quote`     | `quote`                  |
 * | bid = ask                                     | `locked`    | `quote` (locked)         |
 * | one side missing (bid 0 or ask $1)            | `one_sided` | `quote` (one-sided)      |
 * | both sides missing                            | `empty`     | empty `book_snapshot`    |
 * | bid > ask                                     | `crossed`   | empty `book_snapshot`    |
 *
 * An empty `book_snapshot` (no levels on either side) replaces whatever the
 * market's book was: the previous quote does not stay in force, and nothing can
 * be filled until the next priced row: a backtest never trades against a stale
 * price. A one-sided quote keeps its one side (a tail bin with no YES bid and
 * a 3-cent ask is still priced). Sizes are unknown (0) in quotes. The snapshots'
 * `seq` counts per market from 0.
 *
 * @example
 * ```ts
 * import { TopOfBookMapper } from "./top_quote.ts";
 *
 * const m = new TopOfBookMapper();
 * m.map(1000, "KXHIGHNY-25DEC05-B30.5", 1800, 1900).outcome; // "quote"
 * m.map(2000, "KXHIGHNY-25DEC05-B30.5", 0, 10000).event.kind; // "book_snapshot"
 * ```
 *
 * @module
 */

import type { BookSnapshotEvent, QuoteEvent } from "../tape/events.ts";

/** What kind of top of book a row was (see the module table). */
export type TopOfBookOutcome = "quote" | "locked" | "one_sided" | "empty" | "crossed";

/** The anomaly code an importer counts for each outcome other than a plain quote. */
export const TOP_OF_BOOK_ANOMALY: Readonly<Record<TopOfBookOutcome, string | null>> = {
  quote: null,
  locked: "locked_book",
  one_sided: "one_sided_book",
  empty: "empty_book",
  crossed: "crossed_book",
};

const NO_LEVELS: readonly number[] = Object.freeze([]);

/** Maps tops of book to tape events, keeping the per-market snapshot seq. */
export class TopOfBookMapper {
  readonly #seq = new Map<string, number>();

  /**
   * The event for a top of book at `ts`.
   *
   * @param yesBid Best YES bid in ticks; 0 = no bid.
   * @param yesAsk Best YES ask in ticks; 10000 = no ask.
   * @throws {RangeError} When a price is not an integer in 0..10000.
   */
  map(
    ts: number,
    market: string,
    yesBid: number,
    yesAsk: number,
  ): { event: QuoteEvent | BookSnapshotEvent; outcome: TopOfBookOutcome } {
    for (const [name, p] of [["yes_bid", yesBid], ["yes_ask", yesAsk]] as const) {
      if (!Number.isInteger(p) || p < 0 || p > 10000) {
        throw new RangeError(
          `Cannot map top of book: field "${name}" is not an integer number of ticks in 0..10000, current value is ${p}`,
        );
      }
    }
    // A side is present when its price is inside (0, 1); $0 and $1 mean "none".
    const hasBid = yesBid > 0 && yesBid < 10000;
    const hasAsk = yesAsk > 0 && yesAsk < 10000;
    let outcome: TopOfBookOutcome;
    if (hasBid && hasAsk) {
      if (yesBid < yesAsk) outcome = "quote";
      else if (yesBid === yesAsk) outcome = "locked";
      else outcome = "crossed";
    } else {
      outcome = hasBid || hasAsk ? "one_sided" : "empty";
    }
    if (outcome === "quote" || outcome === "locked" || outcome === "one_sided") {
      const bid = hasBid ? yesBid : 0;
      const ask = hasAsk ? yesAsk : 10000;
      return {
        event: {
          kind: "quote",
          ts,
          market,
          yesBid: bid,
          yesAsk: ask,
          yesBidSize: 0,
          yesAskSize: 0,
        },
        outcome,
      };
    }
    const seq = this.#seq.get(market) ?? 0;
    this.#seq.set(market, seq + 1);
    return {
      event: {
        kind: "book_snapshot",
        ts,
        market,
        seq,
        yesPrices: NO_LEVELS,
        yesSizes: NO_LEVELS,
        noPrices: NO_LEVELS,
        noSizes: NO_LEVELS,
      },
      outcome,
    };
  }
}
