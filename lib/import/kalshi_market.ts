/**
 * One Kalshi `Market` record (REST `/markets`, `/markets/{t}`, `/events` with
 * nested markets, the historical tier, or the old Python client's `_`-prefixed
 * serialization) into a market declaration, its settlement and, when the fetch
 * time is known, its top-of-book quote.
 *
 * Rules (docs/import/kalshi_json.md restates them):
 *
 * - `market_type` other than `binary` is rejected (scalar markets have no YES/NO
 *   price to replay).
 * - `strike_type` must be greater, greater_or_equal, less, less_or_equal or
 *   between; functional, custom, structured and a missing strike type are
 *   rejected: they have no floor/cap interval and cannot be priced.
 * - `floor_strike` / `cap_strike` as the strike type needs them; `open_time`,
 *   `close_time` (RFC 3339) with close not before open.
 * - `price_step`: the smallest `step` of `price_ranges`; else the old `tick_size`
 *   (integer cents); else one cent.
 * - `result` `"yes"` / `"no"` gives a settlement at `settlement_ts`, or at
 *   `close_time` when the record has no `settlement_ts` (the true time lies later:
 *   counted as `settlement_ts_assumed_close`). `""` or absent: not settled. Any
 *   other result (`scalar`, ...) is rejected. `expiration_value` is kept when it
 *   is a decimal number; other text (a name, `"Yes"`) is left out and counted.
 *   A numeric expiration value outside the market's YES interval on a `yes`
 *   result (or inside it on `no`) is counted as `result_disagrees_with_strikes`
 *   (the default inclusivity of the strike type is assumed; the result is kept).
 * - Top of book: when the caller passes the fetch time and the market was open
 *   then (`open_time <= fetched_at <= close_time`, status active or open), the
 *   record's `yes_bid_dollars` / `yes_ask_dollars` (sizes `yes_bid_size_fp` /
 *   `yes_ask_size_fp`; old API: integer cents `yes_bid` / `yes_ask`) are returned
 *   as its top of book at the fetch time; the importer maps it with
 *   lib/import/top_quote.ts. Prices present in the record are validated in any
 *   case.
 *
 * @module
 */

import type { SettlementEvent, StrikeType } from "../tape/events.ts";
import { parsePrice } from "../units/price.ts";
import { intervalContains, marketInterval } from "../market/interval.ts";
import { FieldError, type KalshiRecord, rejectFieldErrors, showValue } from "./kalshi_fields.ts";
import type { MarketDecl, TapeAssembly } from "./tape_assembly.ts";
import type { TopOfBookMapper } from "./top_quote.ts";

/** The top of book of a market record at its fetch time (prices 0..10000 ticks; 0 = no bid). */
export interface MarketTop {
  readonly ts: number;
  readonly yesBid: number;
  readonly yesAsk: number;
  readonly yesBidSize: number;
  readonly yesAskSize: number;
}

/** A converted market record. */
export interface KalshiMarket {
  readonly decl: MarketDecl;
  readonly settlement?: SettlementEvent;
  /** Set when the fetch time is known and the market was open then (see the module doc). */
  readonly top?: MarketTop;
  /** Counted irregularities (anomaly codes) that did not reject the record. */
  readonly notes: readonly string[];
}

const PRICEABLE: ReadonlySet<string> = new Set<StrikeType>([
  "greater",
  "greater_or_equal",
  "less",
  "less_or_equal",
  "between",
]);

const DECIMAL = /^-?\d+(?:\.\d+)?$/;

/** The market ticker of a record, or undefined when it has none (for reject bookkeeping). */
export function marketTickerOf(rec: KalshiRecord): string | undefined {
  const v = rec.raw("ticker");
  return typeof v === "string" && v.length > 0 ? v : undefined;
}

/**
 * Converts one market record.
 *
 * @param rec The record.
 * @param fetchedAt When the record was fetched (ms), if known: enables the quote.
 * @throws {FieldError} for a field that breaks a rule of the module doc.
 */
export function convertMarket(rec: KalshiRecord, fetchedAt?: number): KalshiMarket {
  const notes: string[] = [];
  const market = rec.str("ticker");
  const event = rec.str("event_ticker");
  const marketType = rec.optStr("market_type");
  if (marketType !== undefined && marketType !== "binary") {
    throw new FieldError(
      rec.field("market_type"),
      `Cannot import market ${market}: only binary markets can be replayed, current value is ${
        showValue(marketType)
      }`,
    );
  }
  const st = rec.raw("strike_type");
  if (typeof st !== "string" || !PRICEABLE.has(st)) {
    throw new FieldError(
      rec.field("strike_type"),
      `Cannot price market ${market}: strike type has no floor/cap interval (supported: greater, greater_or_equal, less, less_or_equal, between), current value is ${
        showValue(st)
      }`,
    );
  }
  const strikeType = st as StrikeType;
  const floor = rec.optNum("floor_strike");
  const cap = rec.optNum("cap_strike");
  const needFloor = strikeType === "greater" || strikeType === "greater_or_equal" ||
    strikeType === "between";
  const needCap = strikeType === "less" || strikeType === "less_or_equal" ||
    strikeType === "between";
  if (needFloor && floor === undefined) {
    throw new FieldError(
      rec.field("floor_strike"),
      `Cannot import market ${market}: missing field, required for strike type ${strikeType}, current value is ${
        showValue(rec.raw("floor_strike"))
      }`,
    );
  }
  if (needCap && cap === undefined) {
    throw new FieldError(
      rec.field("cap_strike"),
      `Cannot import market ${market}: missing field, required for strike type ${strikeType}, current value is ${
        showValue(rec.raw("cap_strike"))
      }`,
    );
  }
  if (strikeType === "between" && cap! < floor!) {
    throw new FieldError(
      rec.field("cap_strike"),
      `Cannot import market ${market}: cap strike below floor strike ${floor}, current value is ${cap}`,
    );
  }
  const openTs = rec.time("open_time");
  const closeTs = rec.time("close_time");
  if (closeTs < openTs) {
    throw new FieldError(
      rec.field("close_time"),
      `Cannot import market ${market}: close_time before open_time ${
        showValue(rec.raw("open_time"))
      }, current value is ${showValue(rec.raw("close_time"))}`,
    );
  }
  const priceStep = priceStepOf(rec);
  const decl: MarketDecl = {
    market,
    event,
    strikeType,
    ...(needFloor ? { floorStrike: floor } : {}),
    ...(needCap ? { capStrike: cap } : {}),
    openTs,
    closeTs,
    priceStep,
  };

  // Settlement.
  let settlement: SettlementEvent | undefined;
  const result = rec.raw("result");
  if (result === "yes" || result === "no") {
    let ts = rec.optTime("settlement_ts");
    if (ts === undefined) {
      ts = closeTs;
      notes.push("settlement_ts_assumed_close");
    }
    const x = expirationValueOf(rec, notes);
    if (x !== undefined) {
      const inside = intervalContains(marketInterval({ kind: "market", ts: 0, ...decl }), x);
      if (inside !== (result === "yes")) notes.push("result_disagrees_with_strikes");
    }
    settlement = {
      kind: "settlement",
      ts,
      market,
      result,
      ...(x !== undefined ? { expirationValue: x } : {}),
    };
  } else if (result !== undefined && result !== null && result !== "") {
    throw new FieldError(
      rec.field("result"),
      `Cannot settle market ${market}: result is not "yes", "no" or "", current value is ${
        showValue(result)
      }`,
    );
  }

  // Top of book at the fetch time (prices are validated whenever present).
  const bid = rec.optPrice("yes_bid_dollars", "yes_bid");
  const ask = rec.optPrice("yes_ask_dollars", "yes_ask");
  const bidSize = rec.optCount("yes_bid_size_fp") ?? 0;
  const askSize = rec.optCount("yes_ask_size_fp") ?? 0;
  let top: MarketTop | undefined;
  const status = rec.raw("status");
  if (
    fetchedAt !== undefined && bid !== undefined && ask !== undefined &&
    (status === "active" || status === "open") && openTs <= fetchedAt && fetchedAt <= closeTs
  ) {
    top = { ts: fetchedAt, yesBid: bid, yesAsk: ask, yesBidSize: bidSize, yesAskSize: askSize };
  }
  return {
    decl,
    ...(settlement !== undefined ? { settlement } : {}),
    ...(top !== undefined ? { top } : {}),
    notes,
  };
}

/** The smallest price step of the record, in ticks (see the module doc). */
function priceStepOf(rec: KalshiRecord): number {
  const ranges = rec.raw("price_ranges");
  if (Array.isArray(ranges) && ranges.length > 0) {
    let best = Infinity;
    ranges.forEach((r, i) => {
      const field = `${rec.field("price_ranges")}[${i}].step`;
      const step = r !== null && typeof r === "object"
        ? (r as Record<string, unknown>).step
        : undefined;
      if (typeof step !== "string") {
        throw new FieldError(
          field,
          `Cannot read price range: step is not a dollar string, current value is ${
            showValue(step)
          }`,
        );
      }
      let ticks: number;
      try {
        ticks = parsePrice(step);
      } catch (e) {
        throw new FieldError(field, (e as Error).message);
      }
      if (ticks <= 0) {
        throw new FieldError(
          field,
          `Cannot read price range: step not positive, current value is ${showValue(step)}`,
        );
      }
      best = Math.min(best, ticks);
    });
    return best;
  }
  const tick = rec.raw("tick_size");
  if (tick !== undefined && tick !== null) {
    if (typeof tick !== "number" || !Number.isInteger(tick) || tick < 1 || tick > 100) {
      throw new FieldError(
        rec.field("tick_size"),
        `Cannot read tick size: not an integer of cents in 1..100, current value is ${
          showValue(tick)
        }`,
      );
    }
    return tick * 100;
  }
  return 100;
}

/** A numeric expiration value, or undefined (non-numeric text is counted in `notes`). */
function expirationValueOf(rec: KalshiRecord, notes: string[]): number | undefined {
  const v = rec.raw("expiration_value");
  if (v === undefined || v === null || v === "") return undefined;
  if (typeof v === "number" && Number.isFinite(v)) return v;
  if (typeof v === "string" && DECIMAL.test(v.trim())) return Number(v.trim());
  notes.push("expiration_value_not_numeric");
  return undefined;
}

/**
 * Puts a Kalshi market record on the tape: its declaration, its settlement when
 * settled, and its top of book at the fetch time (through `tops`, with the
 * record's sizes), with the conversion's notes and the top of book's anomaly
 * counted. A record with a bad field is rejected and its market marked so.
 */
export function addKalshiMarket(
  asm: TapeAssembly,
  tops: TopOfBookMapper,
  row: number,
  rec: KalshiRecord,
  fetchedAt: number | undefined,
): void {
  const ticker = marketTickerOf(rec);
  rejectFieldErrors(asm, row, () => {
    const m = convertMarket(rec, fetchedAt);
    for (const n of m.notes) asm.anomaly(n, `${asm.where(row)} ${m.decl.market}`);
    const tf = rec.field("ticker");
    asm.market(row, m.decl, tf);
    if (m.settlement !== undefined) asm.data(row, m.settlement, tf);
    if (m.top !== undefined) {
      const t = m.top;
      const { event, outcome } = tops.map(t.ts, m.decl.market, t.yesBid, t.yesAsk);
      if (event.kind === "quote") {
        asm.data(row, { ...event, yesBidSize: t.yesBidSize, yesAskSize: t.yesAskSize }, tf);
      } else asm.data(row, event, tf);
      asm.topOfBookAnomaly(row, m.decl.market, outcome);
    }
  }, () => {
    if (ticker !== undefined) asm.marketRejected(ticker);
  });
}
