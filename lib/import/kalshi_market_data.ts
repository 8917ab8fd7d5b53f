/**
 * Kalshi market-data records into tape events: a `Trade` into a trade, a
 * `MarketCandlestick` into a quote at the end of its period, an order book into a
 * book snapshot.
 *
 * - Trade: `ticker`, `created_time` (RFC 3339), `yes_price_dollars` (else the old
 *   integer-cent `yes_price`), `count_fp` (else the old integer `count`),
 *   `taker_side` (else `taker_outcome_side`). The price must lie strictly inside
 *   $0..$1 and the count be positive.
 * - Candle: `end_period_ts` (Unix seconds), `yes_bid.close_dollars` and
 *   `yes_ask.close_dollars` (historical tier: `yes_bid.close` / `yes_ask.close`
 *   dollar strings; the old API: integer cents in `close`). The candle rule
 *   (lib/import/candle_quotes.ts): a candle's values are known only at its period
 *   end, so its top of book is stamped `end_period_ts`, never earlier. A close bid
 *   of $0 / ask of $1 means that side was empty; the importer maps the pair with
 *   lib/import/top_quote.ts (one-sided, empty or crossed: an empty book).
 * - Order book: levels `[price, count]`; a price given as a string is dollars, as
 *   a number integer cents (old API); a count given as a string is fixed-point, as
 *   a number whole contracts. Levels of each side are sorted best (highest) first;
 *   prices strictly inside $0..$1, sizes positive, no repeated price, and the best
 *   YES bid + best NO bid not above $1. A `null` side is empty.
 *
 * @module
 */

import type { BookSnapshotEvent, Side, TradeEvent } from "../tape/events.ts";
import {
  centsToTicks,
  contractsToCenti,
  countOf,
  dollarsToTicks,
  FieldError,
  KalshiRecord,
  showValue,
} from "./kalshi_fields.ts";

/** Largest price strictly inside $0..$1, in ticks. */
const MAX_INNER = 9999;

/** A converted trade and its exchange id (for de-duplication), when it has one. */
export interface KalshiTrade {
  readonly trade: TradeEvent;
  readonly tradeId?: string;
}

/**
 * Converts one trade record.
 *
 * @throws {FieldError} for a missing or bad field.
 */
export function convertTrade(rec: KalshiRecord): KalshiTrade {
  const market = rec.str("ticker");
  const ts = rec.time("created_time");
  const price = rec.price("yes_price_dollars", "yes_price");
  if (price < 1 || price > MAX_INNER) {
    const f = rec.has("yes_price_dollars") ? "yes_price_dollars" : "yes_price";
    throw new FieldError(
      rec.field(f),
      `Cannot accept trade price: not strictly between $0 and $1, current value is ${
        showValue(rec.raw(f))
      }`,
    );
  }
  const count = rec.count("count_fp", "count");
  if (count <= 0) {
    const f = rec.has("count_fp") ? "count_fp" : "count";
    throw new FieldError(
      rec.field(f),
      `Cannot accept trade count: not positive, current value is ${showValue(rec.raw(f))}`,
    );
  }
  const sideName = rec.has("taker_side") ? "taker_side" : "taker_outcome_side";
  const side = rec.raw(sideName);
  if (side !== "yes" && side !== "no") {
    throw new FieldError(
      rec.field(sideName),
      `Cannot read taker side: not "yes" or "no", current value is ${showValue(side)}`,
    );
  }
  const tradeId = rec.optStr("trade_id");
  return {
    trade: { kind: "trade", ts, market, price, count, takerSide: side as Side },
    ...(tradeId !== undefined ? { tradeId } : {}),
  };
}

/** A candle's top of book at its period end (prices 0..10000 ticks; 0 = no bid, 10000 = no ask). */
export interface CandleTop {
  readonly ts: number;
  readonly yesBid: number;
  readonly yesAsk: number;
}

/** The close of one bid/ask distribution of a candle, in ticks ($0..$1). */
function closeOf(candle: KalshiRecord, name: "yes_bid" | "yes_ask"): number {
  const v = candle.raw(name);
  if (v === null || typeof v !== "object" || Array.isArray(v)) {
    throw new FieldError(
      candle.field(name),
      `Cannot read candle: missing ${name} object, current value is ${showValue(v)}`,
    );
  }
  const d = new KalshiRecord(v as Record<string, unknown>, candle.field(name), candle.prefix);
  if (d.has("close_dollars")) return d.price("close_dollars");
  const c = d.raw("close");
  if (typeof c === "number") return centsToTicks(d.field("close"), c);
  if (c === undefined || c === null) {
    throw new FieldError(
      d.field("close_dollars"),
      `Cannot read candle: missing close price (close_dollars or close), current value is ${
        showValue(c)
      }`,
    );
  }
  return dollarsToTicks(d.field("close"), c);
}

/**
 * Reads one candlestick's close bid and ask, stamped at its period end (the
 * importer maps them with lib/import/top_quote.ts).
 *
 * @throws {FieldError} for a missing or bad field.
 */
export function convertCandle(rec: KalshiRecord): CandleTop {
  const ts = rec.unixSeconds("end_period_ts");
  return { ts, yesBid: closeOf(rec, "yes_bid"), yesAsk: closeOf(rec, "yes_ask") };
}

/** One side's levels, parsed and sorted best first. */
function sideLevels(field: string, v: unknown): { prices: number[]; sizes: number[] } {
  if (v === undefined || v === null) return { prices: [], sizes: [] };
  if (!Array.isArray(v)) {
    throw new FieldError(
      field,
      `Cannot read book side: not an array of [price, count] levels, current value is ${
        showValue(v)
      }`,
    );
  }
  const levels: [number, number][] = [];
  v.forEach((lv, i) => {
    const f = `${field}[${i}]`;
    if (!Array.isArray(lv) || lv.length !== 2) {
      throw new FieldError(
        f,
        `Cannot read book level: not a [price, count] pair, current value is ${showValue(lv)}`,
      );
    }
    const price = typeof lv[0] === "number" ? centsToTicks(f, lv[0]) : dollarsToTicks(f, lv[0]);
    if (price < 1 || price > MAX_INNER) {
      throw new FieldError(
        f,
        `Cannot accept book level: price not strictly between $0 and $1, current value is ${
          showValue(lv[0])
        }`,
      );
    }
    const size = typeof lv[1] === "number" ? contractsToCenti(f, lv[1]) : countOf(f, lv[1]);
    if (size <= 0) {
      throw new FieldError(
        f,
        `Cannot accept book level: size not positive, current value is ${showValue(lv[1])}`,
      );
    }
    levels.push([price, size]);
  });
  levels.sort((a, b) => b[0] - a[0]);
  for (let i = 1; i < levels.length; i++) {
    if (levels[i][0] === levels[i - 1][0]) {
      throw new FieldError(
        field,
        `Cannot accept book: duplicate price level, current value is ${levels[i][0]} ticks`,
      );
    }
  }
  return { prices: levels.map((l) => l[0]), sizes: levels.map((l) => l[1]) };
}

/**
 * Converts an order book (both sides' bids) into a snapshot at `ts` with seq 0.
 *
 * @param book The record holding the sides.
 * @param yesName The field of the YES bids (`yes_dollars`, `yes`, ...).
 * @param noName The field of the NO bids.
 * @throws {FieldError} for a bad level or a crossed book.
 */
export function convertOrderbook(
  book: KalshiRecord,
  yesName: string,
  noName: string,
  market: string,
  ts: number,
): BookSnapshotEvent {
  const yes = sideLevels(book.field(yesName), book.raw(yesName));
  const no = sideLevels(book.field(noName), book.raw(noName));
  if (yes.prices.length > 0 && no.prices.length > 0 && yes.prices[0] + no.prices[0] > 10000) {
    throw new FieldError(
      book.field(noName),
      `Cannot accept book: crossed, best YES bid ${yes.prices[0]} ticks + best NO bid ${
        no.prices[0]
      } ticks exceeds $1, current value is ${yes.prices[0] + no.prices[0]}`,
    );
  }
  return {
    kind: "book_snapshot",
    ts,
    market,
    seq: 0,
    yesPrices: yes.prices,
    yesSizes: yes.sizes,
    noPrices: no.prices,
    noSizes: no.sizes,
  };
}
