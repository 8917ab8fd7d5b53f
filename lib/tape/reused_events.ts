/**
 * The reused event objects of the block readers that decode rows of the
 * generic slots (docs/COLUMNAR.md: `ts`, a market or symbol, `i0`..`i3`,
 * `flags`, `f0`) lazily: one object per hot kind (`book_delta`, `quote`,
 * `trade`, `underlying`, `lifecycle`), filled from a row's slots. The columnar
 * block (`columnar_reader.ts`, also the NDJSON worker pipeline's) and the
 * SQLite block (`sqlite_tape.ts`) extend it, each reading the slots from its
 * own storage.
 *
 * @module
 * @internal
 */

import { FLAG_NO, STATUSES } from "./columnar_format.ts";
import type {
  BookDeltaEvent,
  LifecycleEvent,
  QuoteEvent,
  TradeEvent,
  UnderlyingEvent,
} from "./events.ts";

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * One reused object per hot kind, and how a row's slots fill it. The objects
 * are always filled before they are handed out; their first values only fix
 * each field's representation. Fields that hold doubles (`ts`, `value`) start
 * as a double (NaN): a field that V8 first sees holding a small integer and
 * later a double gets a new object layout, and every replay after the first
 * would then throw away the replay loop's optimized code when its new block
 * made these objects again.
 * @internal
 */
export class ReusedEvents {
  readonly delta: Mutable<BookDeltaEvent> = {
    kind: "book_delta",
    ts: Number.NaN,
    market: "",
    seq: 0,
    side: "yes",
    price: 0,
    delta: 0,
  };
  readonly quote: Mutable<QuoteEvent> = {
    kind: "quote",
    ts: Number.NaN,
    market: "",
    yesBid: 0,
    yesAsk: 0,
    yesBidSize: 0,
    yesAskSize: 0,
  };
  readonly trade: Mutable<TradeEvent> = {
    kind: "trade",
    ts: Number.NaN,
    market: "",
    price: 0,
    count: 0,
    takerSide: "yes",
  };
  readonly underlying: Mutable<UnderlyingEvent> = {
    kind: "underlying",
    ts: Number.NaN,
    symbol: "",
    value: Number.NaN,
  };
  readonly lifecycle: Mutable<LifecycleEvent> = {
    kind: "lifecycle",
    ts: Number.NaN,
    market: "",
    status: "open",
  };

  /** The quote object, filled from slots ts, market, i0..i3. */
  fillQuote(
    ts: number,
    market: string,
    i0: number,
    i1: number,
    i2: number,
    i3: number,
  ): QuoteEvent {
    const o = this.quote;
    o.ts = ts;
    o.market = market;
    o.yesBid = i0;
    o.yesAsk = i1;
    o.yesBidSize = i2;
    o.yesAskSize = i3;
    return o;
  }

  /** The book_delta object, filled from slots ts, market, i2 (seq), flags, i0, i1. */
  fillDelta(
    ts: number,
    market: string,
    seq: number,
    flags: number,
    i0: number,
    i1: number,
  ): BookDeltaEvent {
    const o = this.delta;
    o.ts = ts;
    o.market = market;
    o.seq = seq;
    o.side = (flags & FLAG_NO) === 0 ? "yes" : "no";
    o.price = i0;
    o.delta = i1;
    return o;
  }

  /** The trade object, filled from slots ts, market, i0, i1, flags. */
  fillTrade(ts: number, market: string, i0: number, i1: number, flags: number): TradeEvent {
    const o = this.trade;
    o.ts = ts;
    o.market = market;
    o.price = i0;
    o.count = i1;
    o.takerSide = (flags & FLAG_NO) === 0 ? "yes" : "no";
    return o;
  }

  /** The underlying object, filled from slots ts, symbol, f0. */
  fillUnderlying(ts: number, symbol: string, f0: number): UnderlyingEvent {
    const o = this.underlying;
    o.ts = ts;
    o.symbol = symbol;
    o.value = f0;
    return o;
  }

  /** The lifecycle object, filled from slots ts, market, i0 (status code). */
  fillLifecycle(ts: number, market: string, i0: number): LifecycleEvent {
    const o = this.lifecycle;
    o.ts = ts;
    o.market = market;
    o.status = STATUSES[i0];
    return o;
  }
}
