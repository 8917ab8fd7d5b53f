/**
 * Kalshi WebSocket server messages (`wss://.../trade-api/ws/v2`): their wire
 * shapes, a validating parser into integer units, and the inverse encoder (the
 * mock exchange speaks with it).
 *
 * Every server message is a JSON object `{type, sid?, seq?, msg?}`; the shapes
 * follow Kalshi's AsyncAPI description (2026 fixed-point fields: `*_dollars`
 * price strings, `*_fp` count strings; the integer-cent fields are gone):
 *
 * | type | wire `msg` (fields used here) |
 * | --- | --- |
 * | `subscribed` | `{channel, sid}` (with the command's `id` on the envelope) |
 * | `unsubscribed` | none; `sid` (and `id`) on the envelope |
 * | `ok` | none; `id`, `sid`, `seq`, `market_tickers` on the envelope |
 * | `error` | `{code, msg}` |
 * | `orderbook_snapshot` | `{market_ticker, market_id, yes_dollars_fp: [[price, count]...], no_dollars_fp}`; `seq` |
 * | `orderbook_delta` | `{market_ticker, market_id, price_dollars, delta_fp, side, ts_ms?, client_order_id?}`; `seq` |
 * | `ticker` | `{market_ticker, price_dollars, yes_bid_dollars, yes_ask_dollars, yes_bid_size_fp?, yes_ask_size_fp?, ts?, ts_ms?}` |
 * | `trade` | `{trade_id, market_ticker, yes_price_dollars, no_price_dollars, count_fp, taker_side, ts?, ts_ms?}` |
 * | `market_lifecycle_v2` | `{market_ticker, event_type, open_ts?, close_ts?, result?, determination_ts?, settlement_value?, settled_ts?, is_deactivated?}` (times in s) |
 *
 * `seq` counts per subscription (`sid`), not per market: one subscription
 * covering three markets shares one counter. Other types (`fill`,
 * `user_orders`, `event_lifecycle`, ...) parse to `{type: "other"}`. Fields the
 * parser does not use are ignored, so an addition by Kalshi breaks nothing; a
 * field it uses that is missing or malformed is a {@link WsMessageError} naming
 * the field, with the envelope's `type`, `sid` and `seq` when they were
 * readable (a feed treats a bad book message as a gap).
 *
 * Units (DESIGN.md §2): prices in ticks of $0.0001, counts in centi-contracts,
 * times in ms (`ts` seconds are multiplied by 1000).
 *
 * @example Parse a delta
 * ```ts
 * import { parseServerMessage } from "./ws_messages.ts";
 *
 * const m = parseServerMessage(
 *   '{"type":"orderbook_delta","sid":2,"seq":7,"msg":{"market_ticker":"X",' +
 *     '"price_dollars":"0.4500","delta_fp":"-2.50","side":"no"}}',
 * );
 * // { type: "orderbook_delta", sid: 2, seq: 7, market: "X", price: 4500, delta: -250, side: "no" }
 * console.log(m);
 * ```
 *
 * @module
 */

import { formatPrice, parsePrice } from "../units/price.ts";
import { formatCount, parseCount, parseSignedCount } from "../units/quantity.ts";

/** Public market-data channels the workbench uses. */
export type WsChannel = "orderbook_delta" | "ticker" | "trade" | "market_lifecycle_v2";

/** Every channel name of {@link WsChannel}. */
export const WS_CHANNELS: readonly WsChannel[] = [
  "orderbook_delta",
  "ticker",
  "trade",
  "market_lifecycle_v2",
];

/** A book level: [price ticks, size centi-contracts]. */
export type WsLevel = readonly [price: number, size: number];

/** Answer to a subscribe command. */
export interface WsSubscribed {
  readonly type: "subscribed";
  readonly id?: number;
  readonly channel: string;
  readonly sid: number;
}

/** Answer to an unsubscribe command (one per sid). */
export interface WsUnsubscribed {
  readonly type: "unsubscribed";
  readonly id?: number;
  readonly sid: number;
}

/** Answer to an update_subscription command. */
export interface WsOk {
  readonly type: "ok";
  readonly id?: number;
  readonly sid?: number;
  readonly seq?: number;
  readonly marketTickers?: readonly string[];
}

/** A command failed. */
export interface WsError {
  readonly type: "error";
  readonly id?: number;
  readonly code: number;
  readonly message: string;
}

/** Full book of one market on a subscription; sets the subscription's seq. */
export interface WsOrderbookSnapshot {
  readonly type: "orderbook_snapshot";
  readonly sid: number;
  readonly seq: number;
  readonly market: string;
  readonly marketId?: string;
  /** YES bids, in the order sent. */
  readonly yes: readonly WsLevel[];
  /** NO bids, in the order sent. */
  readonly no: readonly WsLevel[];
}

/** A signed change of one price level. */
export interface WsOrderbookDelta {
  readonly type: "orderbook_delta";
  readonly sid: number;
  readonly seq: number;
  readonly market: string;
  readonly marketId?: string;
  readonly side: "yes" | "no";
  readonly price: number;
  readonly delta: number;
  readonly tsMs?: number;
  readonly clientOrderId?: string;
}

/** Top of book and last price. Prices 0..10000 (0 = no bid, 10000 = no ask). */
export interface WsTicker {
  readonly type: "ticker";
  readonly sid: number;
  readonly seq?: number;
  readonly market: string;
  readonly price: number;
  readonly yesBid: number;
  readonly yesAsk: number;
  readonly yesBidSize?: number;
  readonly yesAskSize?: number;
  readonly tsMs?: number;
}

/** A public trade; `yesPrice` is the YES price. */
export interface WsTrade {
  readonly type: "trade";
  readonly sid: number;
  readonly seq?: number;
  readonly tradeId: string;
  readonly market: string;
  readonly yesPrice: number;
  readonly count: number;
  readonly takerSide: "yes" | "no";
  readonly tsMs?: number;
}

/** Lifecycle event types Kalshi sends on `market_lifecycle_v2`. */
export type WsLifecycleType =
  | "created"
  | "activated"
  | "deactivated"
  | "close_date_updated"
  | "determined"
  | "settled";

/** A market lifecycle change. Times in ms. */
export interface WsMarketLifecycle {
  readonly type: "market_lifecycle_v2";
  readonly sid: number;
  readonly seq?: number;
  readonly market: string;
  /** One of {@link WsLifecycleType}, or a newer type kept as sent. */
  readonly eventType: string;
  readonly openTs?: number;
  readonly closeTs?: number;
  /** "yes" / "no" once determined ("" or absent before). */
  readonly result?: string;
  readonly determinationTs?: number;
  /** Payout of one YES contract in ticks (10000 on yes, 0 on no). */
  readonly settlementValue?: number;
  readonly settledTs?: number;
  readonly isDeactivated?: boolean;
}

/** A message of a type the workbench does not use (fill, user_orders, event_lifecycle...). */
export interface WsOther {
  readonly type: "other";
  readonly wireType: string;
  readonly sid?: number;
}

/** Every parsed server message. */
export type WsServerMessage =
  | WsSubscribed
  | WsUnsubscribed
  | WsOk
  | WsError
  | WsOrderbookSnapshot
  | WsOrderbookDelta
  | WsTicker
  | WsTrade
  | WsMarketLifecycle
  | WsOther;

/** A malformed server message; `field` is its JSON path (`msg.price_dollars`). */
export class WsMessageError extends Error {
  readonly field: string;
  /** The envelope's `type`, `sid` and `seq`, when they could be read. */
  readonly wireType?: string;
  readonly sid?: number;
  readonly seq?: number;

  constructor(
    field: string,
    detail: string,
    envelope: { wireType?: string; sid?: number; seq?: number } = {},
  ) {
    super(`field "${field}": ${detail}`);
    this.name = "WsMessageError";
    this.field = field;
    this.wireType = envelope.wireType;
    this.sid = envelope.sid;
    this.seq = envelope.seq;
  }
}

type Obj = Record<string, unknown>;

function show(v: unknown): string {
  if (v === undefined) return "undefined";
  const s = JSON.stringify(v);
  return s === undefined ? String(v) : s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** Typed reads with errors naming the field and carrying the envelope. */
class Reader {
  constructor(
    readonly obj: Obj,
    readonly path: string,
    readonly env: { wireType?: string; sid?: number; seq?: number },
  ) {}

  fail(name: string, detail: string): never {
    throw new WsMessageError(this.path === "" ? name : `${this.path}.${name}`, detail, this.env);
  }

  str(name: string): string {
    const v = this.obj[name];
    if (typeof v === "string" && v.length > 0) return v;
    return this.fail(
      name,
      `Cannot read field: not a non-empty string, current value is ${show(v)}`,
    );
  }

  optStr(name: string): string | undefined {
    const v = this.obj[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v === "string") return v;
    return this.fail(name, `Cannot read field: not a string, current value is ${show(v)}`);
  }

  int(name: string, min = 0): number {
    const v = this.obj[name];
    if (typeof v === "number" && Number.isSafeInteger(v) && v >= min) return v;
    return this.fail(
      name,
      `Cannot read field: not an integer >= ${min}, current value is ${show(v)}`,
    );
  }

  optInt(name: string, min = 0): number | undefined {
    const v = this.obj[name];
    return v === undefined || v === null ? undefined : this.int(name, min);
  }

  optBool(name: string): boolean | undefined {
    const v = this.obj[name];
    if (v === undefined || v === null) return undefined;
    if (typeof v === "boolean") return v;
    return this.fail(name, `Cannot read field: not a boolean, current value is ${show(v)}`);
  }

  side(name: string): "yes" | "no" {
    const v = this.obj[name];
    if (v === "yes" || v === "no") return v;
    return this.fail(name, `Cannot read side: not "yes" or "no", current value is ${show(v)}`);
  }

  /** A dollar string in ticks within [min, max]. */
  price(name: string, min: number, max: number): number {
    return this.#price(this.obj[name], name, min, max);
  }

  optPrice(name: string, min: number, max: number): number | undefined {
    const v = this.obj[name];
    return v === undefined || v === null ? undefined : this.#price(v, name, min, max);
  }

  #price(v: unknown, name: string, min: number, max: number): number {
    if (typeof v !== "string") {
      return this.fail(name, `Cannot read price: not a dollar string, current value is ${show(v)}`);
    }
    let ticks: number;
    try {
      ticks = parsePrice(v);
    } catch (e) {
      return this.fail(name, (e as Error).message);
    }
    if (ticks < min || ticks > max) {
      return this.fail(
        name,
        `Cannot accept price: outside ${formatPrice(min)}..${formatPrice(max)}, current value is ${
          show(v)
        }`,
      );
    }
    return ticks;
  }

  count(name: string, signed: boolean): number {
    return this.#count(this.obj[name], name, signed);
  }

  optCount(name: string): number | undefined {
    const v = this.obj[name];
    return v === undefined || v === null ? undefined : this.#count(v, name, false);
  }

  #count(v: unknown, name: string, signed: boolean): number {
    if (typeof v !== "string") {
      return this.fail(
        name,
        `Cannot read count: not a fixed-point string, current value is ${show(v)}`,
      );
    }
    try {
      return signed ? parseSignedCount(v) : parseCount(v);
    } catch (e) {
      return this.fail(name, (e as Error).message);
    }
  }

  levels(name: string): WsLevel[] {
    const v = this.obj[name];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) {
      return this.fail(name, `Cannot read levels: not an array, current value is ${show(v)}`);
    }
    return v.map((lv, i) => {
      const at = `${name}[${i}]`;
      if (!Array.isArray(lv) || lv.length < 2) {
        return this.fail(
          at,
          `Cannot read level: not a [price, count] pair, current value is ${show(lv)}`,
        );
      }
      const price = this.#price(lv[0], `${at}[0]`, 1, 9999);
      const size = this.#count(lv[1], `${at}[1]`, false);
      if (size <= 0) {
        this.fail(
          `${at}[1]`,
          `Cannot accept level size: not positive, current value is ${show(lv[1])}`,
        );
      }
      return [price, size] as const;
    });
  }

  /** `ts_ms`, else `ts` in seconds times 1000, else undefined. */
  tsMs(): number | undefined {
    const ms = this.optInt("ts_ms");
    if (ms !== undefined) return ms;
    const s = this.optInt("ts");
    return s === undefined ? undefined : s * 1000;
  }
}

/**
 * Parses one server message (a JSON text or an already parsed value).
 *
 * @throws {WsMessageError} for malformed JSON, a missing envelope field or a
 *   malformed field of a message type the workbench uses.
 */
export function parseServerMessage(data: string | unknown): WsServerMessage {
  let raw: unknown = data;
  if (typeof data === "string") {
    try {
      raw = JSON.parse(data);
    } catch (e) {
      throw new WsMessageError(
        "(message)",
        `Cannot parse message: not JSON (${(e as Error).message}), current value is ${show(data)}`,
      );
    }
  }
  if (!isObj(raw)) {
    throw new WsMessageError(
      "(message)",
      `Cannot parse message: not a JSON object, current value is ${show(raw)}`,
    );
  }
  const wireType = raw.type;
  if (typeof wireType !== "string" || wireType === "") {
    throw new WsMessageError(
      "type",
      `Cannot parse message: type is not a non-empty string, current value is ${show(wireType)}`,
    );
  }
  const env: { wireType: string; sid?: number; seq?: number } = { wireType };
  if (typeof raw.sid === "number" && Number.isSafeInteger(raw.sid)) env.sid = raw.sid;
  if (typeof raw.seq === "number" && Number.isSafeInteger(raw.seq)) env.seq = raw.seq;
  const top = new Reader(raw, "", env);
  const body = (): Reader => {
    const msg = raw.msg;
    if (!isObj(msg)) {
      return top.fail(
        "msg",
        `Cannot parse ${wireType}: msg is not an object, current value is ${show(msg)}`,
      );
    }
    return new Reader(msg, "msg", env);
  };
  const id = top.optInt("id");
  const withId = id === undefined ? {} : { id };
  switch (wireType) {
    case "subscribed": {
      const m = body();
      return { type: "subscribed", ...withId, channel: m.str("channel"), sid: m.int("sid", 1) };
    }
    case "unsubscribed":
      return { type: "unsubscribed", ...withId, sid: top.int("sid", 1) };
    case "ok": {
      const sid = top.optInt("sid", 1);
      const seq = top.optInt("seq");
      const tickers = raw.market_tickers;
      if (tickers !== undefined && tickers !== null) {
        if (!Array.isArray(tickers) || tickers.some((t) => typeof t !== "string")) {
          top.fail(
            "market_tickers",
            `Cannot read field: not an array of strings, current value is ${show(tickers)}`,
          );
        }
      }
      return {
        type: "ok",
        ...withId,
        ...(sid !== undefined ? { sid } : {}),
        ...(seq !== undefined ? { seq } : {}),
        ...(Array.isArray(tickers) ? { marketTickers: tickers as string[] } : {}),
      };
    }
    case "error": {
      const m = body();
      return { type: "error", ...withId, code: m.int("code"), message: m.optStr("msg") ?? "" };
    }
    case "orderbook_snapshot": {
      const sid = top.int("sid", 1);
      const seq = top.int("seq");
      const m = body();
      const marketId = m.optStr("market_id");
      return {
        type: "orderbook_snapshot",
        sid,
        seq,
        market: m.str("market_ticker"),
        ...(marketId ? { marketId } : {}),
        yes: m.levels("yes_dollars_fp"),
        no: m.levels("no_dollars_fp"),
      };
    }
    case "orderbook_delta": {
      const sid = top.int("sid", 1);
      const seq = top.int("seq");
      const m = body();
      const marketId = m.optStr("market_id");
      const clientOrderId = m.optStr("client_order_id");
      const tsMs = m.tsMs();
      return {
        type: "orderbook_delta",
        sid,
        seq,
        market: m.str("market_ticker"),
        ...(marketId ? { marketId } : {}),
        side: m.side("side"),
        price: m.price("price_dollars", 1, 9999),
        delta: m.count("delta_fp", true),
        ...(tsMs !== undefined ? { tsMs } : {}),
        ...(clientOrderId ? { clientOrderId } : {}),
      };
    }
    case "ticker": {
      const sid = top.int("sid", 1);
      const seq = top.optInt("seq");
      const m = body();
      const yesBidSize = m.optCount("yes_bid_size_fp");
      const yesAskSize = m.optCount("yes_ask_size_fp");
      const tsMs = m.tsMs();
      const yesBid = m.price("yes_bid_dollars", 0, 10000);
      const yesAsk = m.price("yes_ask_dollars", 0, 10000);
      return {
        type: "ticker",
        sid,
        ...(seq !== undefined ? { seq } : {}),
        market: m.str("market_ticker"),
        price: m.optPrice("price_dollars", 0, 10000) ?? 0,
        yesBid,
        yesAsk,
        ...(yesBidSize !== undefined ? { yesBidSize } : {}),
        ...(yesAskSize !== undefined ? { yesAskSize } : {}),
        ...(tsMs !== undefined ? { tsMs } : {}),
      };
    }
    case "trade": {
      const sid = top.int("sid", 1);
      const seq = top.optInt("seq");
      const m = body();
      const count = m.count("count_fp", false);
      if (count <= 0) {
        m.fail(
          "count_fp",
          `Cannot accept trade count: not positive, current value is ${show(m.obj.count_fp)}`,
        );
      }
      const tsMs = m.tsMs();
      return {
        type: "trade",
        sid,
        ...(seq !== undefined ? { seq } : {}),
        tradeId: m.str("trade_id"),
        market: m.str("market_ticker"),
        yesPrice: m.price("yes_price_dollars", 1, 9999),
        count,
        takerSide: m.side("taker_side"),
        ...(tsMs !== undefined ? { tsMs } : {}),
      };
    }
    case "market_lifecycle_v2": {
      const sid = top.int("sid", 1);
      const seq = top.optInt("seq");
      const m = body();
      const sec = (name: string) => {
        const s = m.optInt(name);
        return s === undefined ? undefined : s * 1000;
      };
      const result = m.optStr("result");
      const out: Record<string, unknown> = {
        type: "market_lifecycle_v2",
        sid,
        market: m.str("market_ticker"),
        eventType: m.str("event_type"),
      };
      if (seq !== undefined) out.seq = seq;
      const put = (k: string, v: unknown) => {
        if (v !== undefined) out[k] = v;
      };
      put("openTs", sec("open_ts"));
      put("closeTs", sec("close_ts"));
      put("result", result);
      put("determinationTs", sec("determination_ts"));
      put("settlementValue", m.optPrice("settlement_value", 0, 10000));
      put("settledTs", sec("settled_ts"));
      put("isDeactivated", m.optBool("is_deactivated"));
      return out as unknown as WsMarketLifecycle;
    }
    default:
      return { type: "other", wireType, ...(env.sid !== undefined ? { sid: env.sid } : {}) };
  }
}

function levelsToWire(levels: readonly WsLevel[]): string[][] {
  return levels.map(([p, s]) => [formatPrice(p), formatCount(s)]);
}

/**
 * Encodes a message in Kalshi's wire shape (the inverse of
 * {@link parseServerMessage} for every type but `other`). `ts_ms` is written
 * with the deprecated `ts` seconds beside it, as Kalshi does.
 *
 * @throws {RangeError} for a value the wire cannot carry (a price outside 0..10000 ticks).
 */
export function encodeServerMessage(m: Exclude<WsServerMessage, WsOther>): Record<string, unknown> {
  const id = "id" in m && m.id !== undefined ? { id: m.id } : {};
  const ts = (tsMs: number | undefined) =>
    tsMs === undefined ? {} : { ts: Math.floor(tsMs / 1000), ts_ms: tsMs };
  switch (m.type) {
    case "subscribed":
      return { ...id, type: "subscribed", msg: { channel: m.channel, sid: m.sid } };
    case "unsubscribed":
      return { ...id, sid: m.sid, type: "unsubscribed" };
    case "ok":
      return {
        ...id,
        ...(m.sid !== undefined ? { sid: m.sid } : {}),
        ...(m.seq !== undefined ? { seq: m.seq } : {}),
        type: "ok",
        ...(m.marketTickers !== undefined ? { market_tickers: [...m.marketTickers] } : {}),
      };
    case "error":
      return { ...id, type: "error", msg: { code: m.code, msg: m.message } };
    case "orderbook_snapshot":
      return {
        type: "orderbook_snapshot",
        sid: m.sid,
        seq: m.seq,
        msg: {
          market_ticker: m.market,
          ...(m.marketId !== undefined ? { market_id: m.marketId } : {}),
          yes_dollars_fp: levelsToWire(m.yes),
          no_dollars_fp: levelsToWire(m.no),
        },
      };
    case "orderbook_delta":
      return {
        type: "orderbook_delta",
        sid: m.sid,
        seq: m.seq,
        msg: {
          market_ticker: m.market,
          ...(m.marketId !== undefined ? { market_id: m.marketId } : {}),
          price_dollars: formatPrice(m.price),
          delta_fp: formatCount(m.delta),
          side: m.side,
          ...(m.clientOrderId !== undefined ? { client_order_id: m.clientOrderId } : {}),
          ...ts(m.tsMs),
        },
      };
    case "ticker":
      return {
        type: "ticker",
        sid: m.sid,
        ...(m.seq !== undefined ? { seq: m.seq } : {}),
        msg: {
          market_ticker: m.market,
          price_dollars: formatPrice(m.price),
          yes_bid_dollars: formatPrice(m.yesBid),
          yes_ask_dollars: formatPrice(m.yesAsk),
          ...(m.yesBidSize !== undefined ? { yes_bid_size_fp: formatCount(m.yesBidSize) } : {}),
          ...(m.yesAskSize !== undefined ? { yes_ask_size_fp: formatCount(m.yesAskSize) } : {}),
          ...ts(m.tsMs),
        },
      };
    case "trade":
      return {
        type: "trade",
        sid: m.sid,
        ...(m.seq !== undefined ? { seq: m.seq } : {}),
        msg: {
          trade_id: m.tradeId,
          market_ticker: m.market,
          yes_price_dollars: formatPrice(m.yesPrice),
          no_price_dollars: formatPrice(10000 - m.yesPrice),
          count_fp: formatCount(m.count),
          taker_side: m.takerSide,
          ...ts(m.tsMs),
        },
      };
    case "market_lifecycle_v2": {
      const sec = (v: number | undefined) => v === undefined ? undefined : Math.floor(v / 1000);
      const msg: Record<string, unknown> = { market_ticker: m.market, event_type: m.eventType };
      const put = (k: string, v: unknown) => {
        if (v !== undefined) msg[k] = v;
      };
      put("open_ts", sec(m.openTs));
      put("close_ts", sec(m.closeTs));
      put("result", m.result);
      put("determination_ts", sec(m.determinationTs));
      put(
        "settlement_value",
        m.settlementValue === undefined ? undefined : formatPrice(m.settlementValue),
      );
      put("settled_ts", sec(m.settledTs));
      put("is_deactivated", m.isDeactivated);
      return {
        type: "market_lifecycle_v2",
        sid: m.sid,
        ...(m.seq !== undefined ? { seq: m.seq } : {}),
        msg,
      };
    }
  }
}
