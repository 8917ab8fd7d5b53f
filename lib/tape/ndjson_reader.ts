/**
 * Reader of the NDJSON tape (the interchange form, specified in docs/TAPE.md).
 *
 * One JSON object a line. Every line is validated: malformed JSON, a missing,
 * wrong-typed or unknown field, a timestamp going backwards, a price outside
 * (0, 1), a crossed quote or book, a reference to an undeclared market and a
 * seq gap are errors naming the file, the 1-based line and the field. In
 * strict mode (the default) the first error throws a {@link TapeError}; in
 * lenient mode it is counted as an {@link Anomaly} and the line is skipped,
 * except a seq gap, which is recorded and the delta still yielded so that the
 * replay engine can invalidate that book.
 *
 * @example Parse a small tape held in a string
 * ```ts
 * import { parseNdjsonText } from "./ndjson_reader.ts";
 *
 * const text = [
 *   '{"ts":1,"type":"underlying","symbol":"BTC","value":97000.5}',
 *   '{"ts":2,"type":"underlying","symbol":"BTC","value":97001}',
 * ].join("\n");
 * for (const ev of parseNdjsonText(text, "example.ndjson")) {
 *   console.log(ev.kind, ev.ts);
 * }
 * ```
 *
 * @module
 */

import { parsePrice } from "../units/price.ts";
import { parseCount, parseSignedCount } from "../units/quantity.ts";
import { TapeError } from "./errors.ts";
import type {
  BookDeltaEvent,
  BookSnapshotEvent,
  EventEvent,
  FeeType,
  LifecycleEvent,
  MarketEvent,
  MarketStatus,
  QuoteEvent,
  SeriesEvent,
  SettlementEvent,
  Side,
  StrikeType,
  TapeEvent,
  TradeEvent,
  UnderlyingEvent,
} from "./events.ts";

/** Options of the NDJSON readers. */
export interface ReadOptions {
  /** Throw on the first invalid line (default true); false counts anomalies and skips lines. */
  readonly strict?: boolean;
  /** File name shown in errors (default: the path, or the name given to the parser). */
  readonly name?: string;
}

/** A problem found in lenient mode: where it is and what it is. */
export interface Anomaly {
  readonly file: string;
  readonly line: number;
  readonly field: string;
  readonly detail: string;
}

/** How many anomalies a parser keeps in {@link NdjsonTapeParser.anomalies}; all are counted. */
const MAX_KEPT_ANOMALIES = 1000;

/** Largest price strictly inside (0, 1) in ticks. */
const MAX_INNER_PRICE = 9999;

const FEE_TYPES: ReadonlySet<string> = new Set<FeeType>([
  "quadratic",
  "quadratic_with_maker_fees",
  "flat",
]);

const STRIKE_TYPES: ReadonlySet<string> = new Set<StrikeType>([
  "greater",
  "greater_or_equal",
  "less",
  "less_or_equal",
  "between",
]);

const MARKET_STATUSES: ReadonlySet<string> = new Set<MarketStatus>([
  "initialized",
  "active",
  "open",
  "inactive",
  "closed",
  "determined",
  "disputed",
  "amended",
  "finalized",
]);

/** Fields each line type may carry, besides `ts` and `type` (used to name an unknown field). */
const ALLOWED_FIELDS: Readonly<Record<string, readonly string[]>> = {
  series: ["series", "fee_type", "fee_multiplier"],
  event: ["event", "series", "mutually_exclusive", "outcome_step"],
  market: [
    "market",
    "event",
    "strike_type",
    "floor_strike",
    "cap_strike",
    "floor_inclusive",
    "cap_inclusive",
    "open_ts",
    "close_ts",
    "price_step",
  ],
  book_snapshot: ["market", "seq", "yes", "no"],
  book_delta: ["market", "seq", "side", "price", "delta"],
  quote: ["market", "yes_bid", "yes_ask", "yes_bid_size", "yes_ask_size"],
  trade: ["market", "price", "count", "taker_side"],
  underlying: ["symbol", "value"],
  lifecycle: ["market", "status"],
  settlement: ["market", "result", "expiration_value"],
};

/** Per-market state the reader keeps: the declaration and the book's seq. */
interface MarketState {
  readonly decl: MarketEvent;
  /** seq of the last snapshot or delta, or -1 before the first snapshot. */
  seq: number;
}

/** A JSON object as parsed from one line. */
type Obj = Record<string, unknown>;

/**
 * Stateful parser of NDJSON tape lines. Feed it the lines of one tape in order
 * with {@link NdjsonTapeParser.parseLine}; it checks ordering, references and
 * seq continuity across lines and counts what it read.
 */
export class NdjsonTapeParser {
  /** File (or source) name shown in errors and anomalies. */
  readonly name: string;
  /** Whether the first invalid line throws (true) or is counted and skipped (false). */
  readonly strict: boolean;
  /** The first 1000 anomalies found in lenient mode. */
  readonly anomalies: Anomaly[] = [];

  #anomalyCount = 0;
  #linesRead = 0;
  #eventsRead = 0;
  #lastTs = 0;
  #line = 0;
  /** Field being parsed, so that a SyntaxError / RangeError of a units parser names it. */
  #field = "(line)";
  readonly #series = new Map<string, SeriesEvent>();
  readonly #events = new Map<string, EventEvent>();
  readonly #markets = new Map<string, MarketState>();

  constructor(name: string, options: ReadOptions = {}) {
    this.name = options.name ?? name;
    this.strict = options.strict ?? true;
  }

  /** Anomalies found in lenient mode (all of them, not only the kept ones). */
  get anomalyCount(): number {
    return this.#anomalyCount;
  }

  /** Lines handed to {@link parseLine}, blank ones included. */
  get linesRead(): number {
    return this.#linesRead;
  }

  /** Events returned by {@link parseLine}. */
  get eventsRead(): number {
    return this.#eventsRead;
  }

  /**
   * Parses one line (without its line terminator; a trailing CR is ignored).
   *
   * @param line The text of the line.
   * @param lineNo Its 1-based line number, shown in errors.
   * @returns The event, or null for a blank line and, in lenient mode, for a rejected line.
   * @throws {TapeError} In strict mode, when the line is invalid.
   */
  parseLine(line: string, lineNo: number): TapeEvent | null {
    this.#linesRead++;
    if (isBlank(line)) return null;
    this.#line = lineNo;
    let ev: TapeEvent;
    try {
      this.#field = "(line)";
      const o: unknown = JSON.parse(line);
      if (typeof o !== "object" || o === null || Array.isArray(o)) {
        throw this.#error("(line)", "Cannot read line: not a JSON object");
      }
      ev = this.#parseObject(o as Obj);
    } catch (e) {
      const err = this.#wrap(e);
      if (this.strict) throw err;
      this.#record(err);
      return null;
    }
    this.#lastTs = ev.ts;
    this.#eventsRead++;
    return ev;
  }

  // ---------------------------------------------------------------- dispatch

  #parseObject(o: Obj): TapeEvent {
    const type = o.type;
    const ts = o.ts;
    if (type === undefined) throw this.#error("type", "Cannot read event: missing field");
    if (typeof type !== "string") {
      throw this.#error("type", `Cannot read event: not a string, current value is ${show(type)}`);
    }
    if (ts === undefined) throw this.#error("ts", "Cannot read event: missing field");
    if (typeof ts !== "number" || !Number.isSafeInteger(ts) || ts < 0) {
      throw this.#error(
        "ts",
        `Cannot read timestamp: not a non-negative integer of ms, current value is ${show(ts)}`,
      );
    }
    if (ts < this.#lastTs) {
      throw this.#error(
        "ts",
        `Cannot accept timestamp: goes backwards from ${this.#lastTs} to ${ts}, current value is ${ts}`,
      );
    }
    switch (type) {
      case "book_delta":
        return this.#bookDelta(o, ts);
      case "trade":
        return this.#trade(o, ts);
      case "quote":
        return this.#quote(o, ts);
      case "book_snapshot":
        return this.#bookSnapshot(o, ts);
      case "underlying":
        return this.#underlying(o, ts);
      case "lifecycle":
        return this.#lifecycle(o, ts);
      case "settlement":
        return this.#settlement(o, ts);
      case "market":
        return this.#market(o, ts);
      case "event":
        return this.#event(o, ts);
      case "series":
        return this.#seriesLine(o, ts);
      default:
        throw this.#error(
          "type",
          `Cannot read event: unknown type, current value is ${show(type)}`,
        );
    }
  }

  // ------------------------------------------------------------ market data

  #bookDelta(o: Obj, ts: number): BookDeltaEvent {
    const st = this.#marketState(o);
    const seq = this.#seq(o);
    const side = this.#side(o, "side");
    const price = this.#innerPrice(o, "price");
    const deltaStr = this.#reqString(o, "delta");
    this.#field = "delta";
    const delta = parseSignedCount(deltaStr);
    if (delta === 0) throw this.#error("delta", "Cannot accept delta: zero, current value is 0");
    this.#checkFields(o, 7, "book_delta");
    const market = st.decl.market;
    if (st.seq < 0) {
      this.#seqProblem(
        `Cannot apply delta: no book_snapshot yet for market ${market}, current value is ${seq}`,
      );
    } else if (seq !== st.seq + 1) {
      this.#seqProblem(
        `Cannot apply delta: seq gap for market ${market}: expected ${
          st.seq + 1
        }, current value is ${seq}`,
      );
    }
    st.seq = seq;
    return { kind: "book_delta", ts, market, seq, side, price, delta };
  }

  #trade(o: Obj, ts: number): TradeEvent {
    const st = this.#marketState(o);
    const price = this.#innerPrice(o, "price");
    const countStr = this.#reqString(o, "count");
    this.#field = "count";
    const count = parseCount(countStr);
    if (count <= 0) {
      throw this.#error(
        "count",
        `Cannot accept trade count: not positive, current value is ${countStr}`,
      );
    }
    const takerSide = this.#side(o, "taker_side");
    this.#checkFields(o, 6, "trade");
    return { kind: "trade", ts, market: st.decl.market, price, count, takerSide };
  }

  #quote(o: Obj, ts: number): QuoteEvent {
    const st = this.#marketState(o);
    const yesBid = this.#innerPrice(o, "yes_bid");
    const yesAsk = this.#innerPrice(o, "yes_ask");
    let n = 5;
    let yesBidSize = 0;
    let yesAskSize = 0;
    const bs = o.yes_bid_size;
    if (bs !== undefined) {
      n++;
      yesBidSize = this.#countField(bs, "yes_bid_size");
    }
    const as = o.yes_ask_size;
    if (as !== undefined) {
      n++;
      yesAskSize = this.#countField(as, "yes_ask_size");
    }
    if (yesBid > yesAsk) {
      throw this.#error(
        "yes_bid",
        `Cannot accept quote: crossed, yes_bid ${o.yes_bid} is above yes_ask ${o.yes_ask}, current value is ${o.yes_bid}`,
      );
    }
    this.#checkFields(o, n, "quote");
    return {
      kind: "quote",
      ts,
      market: st.decl.market,
      yesBid,
      yesAsk,
      yesBidSize,
      yesAskSize,
    };
  }

  #bookSnapshot(o: Obj, ts: number): BookSnapshotEvent {
    const st = this.#marketState(o);
    const seq = this.#seq(o);
    const yes = this.#levels(o, "yes");
    const no = this.#levels(o, "no");
    if (yes.prices.length > 0 && no.prices.length > 0 && yes.prices[0] + no.prices[0] > 10000) {
      throw this.#error(
        "no",
        `Cannot accept book: crossed, best yes bid ${yes.prices[0]} ticks + best no bid ${
          no.prices[0]
        } ticks exceeds $1, current value is ${yes.prices[0] + no.prices[0]}`,
      );
    }
    this.#checkFields(o, 6, "book_snapshot");
    st.seq = seq;
    return {
      kind: "book_snapshot",
      ts,
      market: st.decl.market,
      seq,
      yesPrices: yes.prices,
      yesSizes: yes.sizes,
      noPrices: no.prices,
      noSizes: no.sizes,
    };
  }

  #underlying(o: Obj, ts: number): UnderlyingEvent {
    const symbol = this.#reqString(o, "symbol");
    const value = this.#reqNumber(o, "value");
    this.#checkFields(o, 4, "underlying");
    return { kind: "underlying", ts, symbol, value };
  }

  #lifecycle(o: Obj, ts: number): LifecycleEvent {
    const st = this.#marketState(o);
    const status = this.#reqString(o, "status");
    if (!MARKET_STATUSES.has(status)) {
      throw this.#error("status", `Cannot read status: unknown, current value is ${show(status)}`);
    }
    this.#checkFields(o, 4, "lifecycle");
    return { kind: "lifecycle", ts, market: st.decl.market, status: status as MarketStatus };
  }

  #settlement(o: Obj, ts: number): SettlementEvent {
    const st = this.#marketState(o);
    const result = this.#side(o, "result");
    let n = 4;
    let expirationValue: number | undefined;
    if (o.expiration_value !== undefined) {
      n++;
      expirationValue = this.#reqNumber(o, "expiration_value");
    }
    this.#checkFields(o, n, "settlement");
    const ev: { -readonly [K in keyof SettlementEvent]: SettlementEvent[K] } = {
      kind: "settlement",
      ts,
      market: st.decl.market,
      result,
    };
    if (expirationValue !== undefined) ev.expirationValue = expirationValue;
    return ev;
  }

  // --------------------------------------------------------------- metadata

  #seriesLine(o: Obj, ts: number): SeriesEvent {
    const series = this.#reqString(o, "series");
    const feeType = this.#reqString(o, "fee_type");
    if (!FEE_TYPES.has(feeType)) {
      throw this.#error(
        "fee_type",
        `Cannot read fee type: unknown, current value is ${show(feeType)}`,
      );
    }
    const m = this.#reqNumber(o, "fee_multiplier");
    const scaled = m * 10000;
    const feeMultiplier = Math.round(scaled);
    if (m < 0 || Math.abs(scaled - feeMultiplier) > 1e-6 || !Number.isSafeInteger(feeMultiplier)) {
      throw this.#error(
        "fee_multiplier",
        `Cannot read fee multiplier: not a non-negative number with at most 4 decimals, current value is ${m}`,
      );
    }
    this.#checkFields(o, 5, "series");
    const ev: SeriesEvent = {
      kind: "series",
      ts,
      series,
      feeType: feeType as FeeType,
      feeMultiplier,
    };
    this.#series.set(series, ev);
    return ev;
  }

  #event(o: Obj, ts: number): EventEvent {
    const event = this.#reqString(o, "event");
    const series = this.#reqString(o, "series");
    if (!this.#series.has(series)) {
      throw this.#error(
        "series",
        `Cannot declare event ${event}: unknown series, current value is ${show(series)}`,
      );
    }
    const me = o.mutually_exclusive;
    if (typeof me !== "boolean") {
      throw this.#missingOr("mutually_exclusive", me, "a boolean");
    }
    let n = 5;
    let outcomeStep: number | undefined;
    if (o.outcome_step !== undefined) {
      n++;
      outcomeStep = this.#reqNumber(o, "outcome_step");
      if (!(outcomeStep > 0)) {
        throw this.#error(
          "outcome_step",
          `Cannot read outcome step: not positive, current value is ${outcomeStep}`,
        );
      }
    }
    this.#checkFields(o, n, "event");
    const ev: { -readonly [K in keyof EventEvent]: EventEvent[K] } = {
      kind: "event",
      ts,
      event,
      series,
      mutuallyExclusive: me,
    };
    if (outcomeStep !== undefined) ev.outcomeStep = outcomeStep;
    this.#events.set(event, ev);
    return ev;
  }

  #market(o: Obj, ts: number): MarketEvent {
    const market = this.#reqString(o, "market");
    const event = this.#reqString(o, "event");
    if (!this.#events.has(event)) {
      throw this.#error(
        "event",
        `Cannot declare market ${market}: unknown event, current value is ${show(event)}`,
      );
    }
    const strikeType = this.#reqString(o, "strike_type");
    if (!STRIKE_TYPES.has(strikeType)) {
      throw this.#error(
        "strike_type",
        `Cannot read strike type: not one of greater, greater_or_equal, less, less_or_equal, between, current value is ${
          show(strikeType)
        }`,
      );
    }
    let n = 7;
    const ev: { -readonly [K in keyof MarketEvent]: MarketEvent[K] } = {
      kind: "market",
      ts,
      market,
      event,
      strikeType: strikeType as StrikeType,
      openTs: 0,
      closeTs: 0,
      priceStep: 100,
    };
    if (o.floor_strike !== undefined) {
      n++;
      ev.floorStrike = this.#reqNumber(o, "floor_strike");
    }
    if (o.cap_strike !== undefined) {
      n++;
      ev.capStrike = this.#reqNumber(o, "cap_strike");
    }
    if (o.floor_inclusive !== undefined) {
      n++;
      ev.floorInclusive = this.#reqBoolean(o, "floor_inclusive");
    }
    if (o.cap_inclusive !== undefined) {
      n++;
      ev.capInclusive = this.#reqBoolean(o, "cap_inclusive");
    }
    const needFloor = strikeType === "greater" || strikeType === "greater_or_equal" ||
      strikeType === "between";
    const needCap = strikeType === "less" || strikeType === "less_or_equal" ||
      strikeType === "between";
    if (needFloor && ev.floorStrike === undefined) {
      throw this.#error(
        "floor_strike",
        `Cannot declare market ${market}: missing field, required for strike type ${strikeType}`,
      );
    }
    if (needCap && ev.capStrike === undefined) {
      throw this.#error(
        "cap_strike",
        `Cannot declare market ${market}: missing field, required for strike type ${strikeType}`,
      );
    }
    if (
      ev.floorStrike !== undefined && ev.capStrike !== undefined && ev.floorStrike > ev.capStrike
    ) {
      throw this.#error(
        "cap_strike",
        `Cannot declare market ${market}: cap strike below floor strike ${ev.floorStrike}, current value is ${ev.capStrike}`,
      );
    }
    ev.openTs = this.#reqTs(o, "open_ts");
    ev.closeTs = this.#reqTs(o, "close_ts");
    if (ev.closeTs < ev.openTs) {
      throw this.#error(
        "close_ts",
        `Cannot declare market ${market}: close_ts before open_ts ${ev.openTs}, current value is ${ev.closeTs}`,
      );
    }
    if (o.price_step !== undefined) {
      n++;
      const s = this.#reqString(o, "price_step");
      this.#field = "price_step";
      const step = parsePrice(s);
      if (step <= 0) {
        throw this.#error(
          "price_step",
          `Cannot read price step: not positive, current value is ${show(s)}`,
        );
      }
      ev.priceStep = step;
    }
    this.#checkFields(o, n, "market");
    const prev = this.#markets.get(market);
    if (prev !== undefined) {
      if (!sameMarket(prev.decl, ev)) {
        throw this.#error(
          "market",
          `Cannot declare market: already declared with different content at ts ${prev.decl.ts}, current value is ${
            show(market)
          }`,
        );
      }
      return ev;
    }
    this.#markets.set(market, { decl: ev, seq: -1 });
    return ev;
  }

  // ---------------------------------------------------------------- fields

  #marketState(o: Obj): MarketState {
    const m = o.market;
    if (typeof m !== "string" || m.length === 0) {
      throw this.#missingOr("market", m, "a non-empty string");
    }
    const st = this.#markets.get(m);
    if (st === undefined) {
      throw this.#error(
        "market",
        `Cannot use market: unknown market (not declared by a market line), current value is ${
          show(m)
        }`,
      );
    }
    return st;
  }

  #seq(o: Obj): number {
    const s = o.seq;
    if (typeof s !== "number" || !Number.isSafeInteger(s) || s < 0) {
      throw this.#missingOr("seq", s, "a non-negative integer");
    }
    return s;
  }

  #side(o: Obj, field: string): Side {
    const s = o[field];
    if (s === "yes" || s === "no") return s;
    throw this.#missingOr(field, s, '"yes" or "no"');
  }

  /** A price strictly inside (0, 1): 1..9999 ticks. */
  #innerPrice(o: Obj, field: string): number {
    const s = o[field];
    if (typeof s !== "string") throw this.#missingOr(field, s, "a dollar string");
    this.#field = field;
    const p = parsePrice(s);
    if (p < 1 || p > MAX_INNER_PRICE) {
      throw this.#error(
        field,
        `Cannot accept price: not strictly between 0 and 1, current value is ${show(s)}`,
      );
    }
    return p;
  }

  /** An optional size (>= 0). */
  #countField(v: unknown, field: string): number {
    if (typeof v !== "string") throw this.#missingOr(field, v, "a count string");
    this.#field = field;
    return parseCount(v);
  }

  #reqString(o: Obj, field: string): string {
    const s = o[field];
    if (typeof s !== "string" || s.length === 0) {
      throw this.#missingOr(field, s, "a non-empty string");
    }
    return s;
  }

  #reqNumber(o: Obj, field: string): number {
    const v = o[field];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw this.#missingOr(field, v, "a finite number");
    }
    return v;
  }

  #reqBoolean(o: Obj, field: string): boolean {
    const v = o[field];
    if (typeof v !== "boolean") throw this.#missingOr(field, v, "a boolean");
    return v;
  }

  #reqTs(o: Obj, field: string): number {
    const v = o[field];
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
      throw this.#missingOr(field, v, "a non-negative integer of ms");
    }
    return v;
  }

  /** Book levels `[[price, count], ...]` as parallel arrays sorted best (highest price) first. */
  #levels(o: Obj, field: string): { prices: number[]; sizes: number[] } {
    const arr = o[field];
    if (!Array.isArray(arr)) throw this.#missingOr(field, arr, "an array of [price, count] pairs");
    const n = arr.length;
    const prices = new Array<number>(n);
    const sizes = new Array<number>(n);
    let sorted = true;
    for (let i = 0; i < n; i++) {
      const lv: unknown = arr[i];
      if (
        !Array.isArray(lv) || lv.length !== 2 || typeof lv[0] !== "string" ||
        typeof lv[1] !== "string"
      ) {
        throw this.#error(
          field,
          `Cannot read book level ${i}: not a [price, count] pair of strings, current value is ${
            show(lv)
          }`,
        );
      }
      this.#field = field;
      const p = parsePrice(lv[0]);
      if (p < 1 || p > MAX_INNER_PRICE) {
        throw this.#error(
          field,
          `Cannot accept book level ${i}: price not strictly between 0 and 1, current value is ${
            show(lv[0])
          }`,
        );
      }
      const c = parseCount(lv[1]);
      if (c <= 0) {
        throw this.#error(
          field,
          `Cannot accept book level ${i}: size not positive, current value is ${show(lv[1])}`,
        );
      }
      prices[i] = p;
      sizes[i] = c;
      if (i > 0 && p >= prices[i - 1]) sorted = false;
    }
    if (sorted) return { prices, sizes };
    const order = Array.from({ length: n }, (_, i) => i).sort((a, b) => prices[b] - prices[a]);
    const sp = new Array<number>(n);
    const ss = new Array<number>(n);
    for (let i = 0; i < n; i++) {
      sp[i] = prices[order[i]];
      ss[i] = sizes[order[i]];
      if (i > 0 && sp[i] === sp[i - 1]) {
        throw this.#error(
          field,
          `Cannot accept book: duplicate price level, current value is ${show(arr[order[i]][0])}`,
        );
      }
    }
    return { prices: sp, sizes: ss };
  }

  /** Checks that the object has exactly `n` keys; otherwise names the first unknown one. */
  #checkFields(o: Obj, n: number, type: string): void {
    let k = 0;
    for (const _ in o) k++;
    if (k === n) return;
    const allowed = ALLOWED_FIELDS[type];
    for (const key of Object.keys(o)) {
      if (key !== "ts" && key !== "type" && !allowed.includes(key)) {
        throw this.#error(
          key,
          `Cannot read ${type}: unknown field, current value is ${show(o[key])}`,
        );
      }
    }
    // Only reachable if an optional field holds `undefined`, which JSON cannot express.
    throw this.#error("(line)", `Cannot read ${type}: unexpected fields`);
  }

  // ---------------------------------------------------------------- errors

  #error(field: string, detail: string): TapeError {
    return new TapeError({ file: this.name, line: this.#line }, field, detail);
  }

  #missingOr(field: string, v: unknown, what: string): TapeError {
    if (v === undefined) return this.#error(field, "Cannot read event: missing field");
    return this.#error(field, `Cannot read field: not ${what}, current value is ${show(v)}`);
  }

  /** A seq problem: thrown in strict mode, recorded (and the event kept) in lenient mode. */
  #seqProblem(detail: string): void {
    const err = this.#error("seq", detail);
    if (this.strict) throw err;
    this.#record(err);
  }

  /** Turns a units parser's SyntaxError / RangeError into a TapeError naming the field. */
  #wrap(e: unknown): TapeError {
    if (e instanceof TapeError) return e;
    if (e instanceof SyntaxError || e instanceof RangeError) {
      const field = this.#field;
      const detail = field === "(line)" ? `Cannot parse JSON: ${e.message}` : e.message;
      return this.#error(field, detail);
    }
    throw e;
  }

  #record(err: TapeError): void {
    this.#anomalyCount++;
    if (this.anomalies.length < MAX_KEPT_ANOMALIES) {
      this.anomalies.push({ file: err.file, line: err.line, field: err.field, detail: err.detail });
    }
  }
}

/** Whether a line holds only whitespace (spaces, tabs, CR). */
function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10 && c !== 0xfeff) return false;
  }
  return true;
}

/** A short rendering of a value for error messages. */
function show(v: unknown): string {
  let s: string;
  try {
    s = v === undefined ? "undefined" : JSON.stringify(v);
  } catch {
    s = String(v);
  }
  return s.length > 80 ? s.slice(0, 77) + "..." : s;
}

function sameMarket(a: MarketEvent, b: MarketEvent): boolean {
  return a.market === b.market && a.event === b.event && a.strikeType === b.strikeType &&
    a.floorStrike === b.floorStrike && a.capStrike === b.capStrike &&
    a.floorInclusive === b.floorInclusive && a.capInclusive === b.capInclusive &&
    a.openTs === b.openTs && a.closeTs === b.closeTs && a.priceStep === b.priceStep;
}

/**
 * Parses a whole NDJSON tape held in a string. Lines end with LF or CRLF; the
 * last line may lack a terminator.
 *
 * @param text The tape.
 * @param name Name shown in errors (overridden by `options.name`).
 * @param options Strict (default) or lenient.
 * @param parser A parser to use (and inspect afterwards for counts and anomalies).
 */
export function* parseNdjsonText(
  text: string,
  name: string,
  options: ReadOptions = {},
  parser: NdjsonTapeParser = new NdjsonTapeParser(name, options),
): Generator<TapeEvent> {
  let start = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  let lineNo = 0;
  const len = text.length;
  while (start < len) {
    let end = text.indexOf("\n", start);
    if (end < 0) end = len;
    lineNo++;
    const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
    const ev = parser.parseLine(text.slice(start, stop), lineNo);
    if (ev !== null) yield ev;
    start = end + 1;
  }
}

/**
 * Streams an NDJSON tape file event by event, without loading it whole.
 *
 * @param path The file.
 * @param options Strict (default) or lenient, and the name shown in errors (default: `path`).
 * @param parser A parser to use (and inspect afterwards for counts and anomalies).
 * @throws {TapeError} In strict mode, at the first invalid line.
 */
export async function* readNdjsonFile(
  path: string,
  options: ReadOptions = {},
  parser: NdjsonTapeParser = new NdjsonTapeParser(options.name ?? path, options),
): AsyncGenerator<TapeEvent> {
  const file = await Deno.open(path, { read: true });
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let rest = "";
  let lineNo = 0;
  for await (const chunk of file.readable) {
    const text = rest + decode(decoder, chunk, parser.name, lineNo + 1);
    let start = 0;
    let end = text.indexOf("\n");
    while (end >= 0) {
      lineNo++;
      const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      const ev = parser.parseLine(text.slice(start, stop), lineNo);
      if (ev !== null) yield ev;
      start = end + 1;
      end = text.indexOf("\n", start);
    }
    rest = start === 0 ? text : text.slice(start);
  }
  rest += decode(decoder, undefined, parser.name, lineNo + 1);
  if (rest.length > 0) {
    lineNo++;
    const stop = rest.charCodeAt(rest.length - 1) === 13 ? rest.length - 1 : rest.length;
    const ev = parser.parseLine(rest.slice(0, stop), lineNo);
    if (ev !== null) yield ev;
  }
}

/** Decodes a chunk of UTF-8 (or flushes the decoder); invalid bytes are a TapeError. */
function decode(
  decoder: TextDecoder,
  chunk: Uint8Array | undefined,
  file: string,
  line: number,
): string {
  try {
    return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
  } catch (e) {
    throw new TapeError(
      { file, line },
      "(line)",
      `Cannot decode text: invalid UTF-8 at or after this line (${(e as Error).message})`,
    );
  }
}
