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
 * Each line is decoded here (JSON, field presence, unknown fields, price and
 * count strings) and then checked by the {@link TapeValidator} that every tape
 * reader shares (lib/tape/validator.ts). Hot lines (`book_delta`, `quote`,
 * `trade`, `underlying`) written exactly as the tape writer writes them are
 * read in place, without `JSON.parse` (lib/tape/ndjson_canonical.ts); every
 * other line, and every line that is not valid, goes through `JSON.parse`, so
 * errors are the same either way. For a whole file at memory speed use
 * `ndjsonBlockSource` (lib/tape/ndjson_source.ts).
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

import { parsePrice, parsePriceOrNaN } from "../units/price.ts";
import {
  parseCount,
  parseCountOrNaN,
  parseSignedCount,
  parseSignedCountOrNaN,
} from "../units/quantity.ts";
import { TapeError } from "./errors.ts";
import { NameTable, scanCanonicalLine } from "./ndjson_canonical.ts";
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
import { type Anomaly, type LevelPart, show, TapeValidator } from "./validator.ts";

export type { Anomaly } from "./validator.ts";

/** Options of the NDJSON readers. */
export interface ReadOptions {
  /** Throw on the first invalid line (default true); false counts anomalies and skips lines. */
  readonly strict?: boolean;
  /** File name shown in errors (default: the path, or the name given to the parser). */
  readonly name?: string;
}

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

/** A JSON object as parsed from one line. */
type Obj = Record<string, unknown>;

/** A mutable view of a readonly event type, for building optional fields. */
type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * The shared validator, with error texts that quote values as the line wrote
 * them (`"0.50"`, not the canonical `"0.5000"`) and book level indices of the
 * line (before sorting).
 */
class NdjsonValidator extends TapeValidator {
  /** The line being checked is `#text.slice(#from, #to)`. */
  #text = "";
  #from = 0;
  #to = 0;
  /** Its JSON object, parsed when an error message needs it if the line was read in place. */
  #raw: Obj | null = null;
  /** Source index of each sorted level, when the decoder had to sort that side. */
  yesOrder: number[] | null = null;
  noOrder: number[] | null = null;

  /** Sets the line being checked, and its JSON object if it was parsed (null if not). */
  setLine(text: string, from: number, to: number, raw: Obj | null): void {
    this.#text = text;
    this.#from = from;
    this.#to = to;
    this.#raw = raw;
  }

  /** The JSON object of the line being checked (only called on the error path). */
  #object(): Obj {
    // A line read in place is a JSON object (see ndjson_canonical.ts).
    return this.#raw ??= JSON.parse(this.#text.slice(this.#from, this.#to)) as Obj;
  }

  protected override sourceText(field: string): string | undefined {
    const v = this.#object()[field];
    return typeof v === "string" ? v : undefined;
  }

  protected override sourceLevel(
    field: "yes" | "no",
    index: number,
    part: LevelPart,
  ): { index: number; text: string } | undefined {
    const arr = this.#object()[field];
    if (!Array.isArray(arr)) return undefined;
    const order = field === "yes" ? this.yesOrder : this.noOrder;
    const src = order === null ? index : order[index];
    const lv: unknown = arr[src];
    if (!Array.isArray(lv)) return undefined;
    const text: unknown = lv[part === "price" ? 0 : 1];
    return typeof text === "string" ? { index: src, text } : undefined;
  }
}

/**
 * Stateful parser of NDJSON tape lines. Feed it the lines of one tape in order
 * with {@link NdjsonTapeParser.parseLine}. It decodes each line's JSON into an
 * event (field presence and JSON types, unknown fields, price and count
 * strings) and then applies the shared {@link TapeValidator} (ordering,
 * references, ranges, seq continuity), and counts what it read.
 */
export class NdjsonTapeParser {
  /** File (or source) name shown in errors and anomalies. */
  readonly name: string;
  /** Whether the first invalid line throws (true) or is counted and skipped (false). */
  readonly strict: boolean;
  /** The first 1000 anomalies found in lenient mode. */
  readonly anomalies: Anomaly[];

  readonly #v: NdjsonValidator;
  #linesRead = 0;
  #linesInPlace = 0;
  #eventsRead = 0;
  #line = 0;

  /** Whether lines in the writer's canonical form are read in place. */
  readonly #inPlace: boolean;
  /** Names met in lines read in place. */
  readonly #names = new NameTable();

  /**
   * @param name File (or source) name shown in errors (unless `options.name` is given).
   * @param options Strict (default) or lenient; `inPlace: false` reads every
   *   line through `JSON.parse` (the tests compare both ways; the result is the same).
   */
  constructor(name: string, options: ReadOptions & { readonly inPlace?: boolean } = {}) {
    this.name = options.name ?? name;
    this.strict = options.strict ?? true;
    this.#inPlace = options.inPlace ?? true;
    this.#v = new NdjsonValidator(this.name, { strict: this.strict });
    this.anomalies = this.#v.anomalies;
  }

  /** Anomalies found in lenient mode (all of them, not only the kept ones). */
  get anomalyCount(): number {
    return this.#v.anomalyCount;
  }

  /** Lines handed to {@link parseLine}, blank ones included. */
  get linesRead(): number {
    return this.#linesRead;
  }

  /** Lines read in place, without `JSON.parse` (see {@link parseLineIn}). */
  get linesInPlace(): number {
    return this.#linesInPlace;
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
    return this.parseLineIn(line, 0, line.length, lineNo);
  }

  /**
   * {@link parseLine} of the line `text.slice(from, to)`, without cutting it
   * out when it is a hot line in the writer's canonical form
   * (ndjson_canonical.ts); every other line goes through `JSON.parse`. Both
   * ways give the same event, error or anomaly.
   */
  parseLineIn(text: string, from: number, to: number, lineNo: number): TapeEvent | null {
    this.#linesRead++;
    this.#line = lineNo;
    const v = this.#v;
    let ev = this.#inPlace ? scanCanonicalLine(text, from, to, this.#names) : null;
    if (ev !== null) {
      this.#linesInPlace++;
      v.setLine(text, from, to, null);
    } else {
      const line = from === 0 && to === text.length ? text : text.slice(from, to);
      // A line that starts with "{" is not blank; anything else is checked in full.
      if (line.charCodeAt(0) !== 123 && isBlank(line)) return null;
      let o: Obj;
      try {
        o = this.#json(line);
        ev = this.#decode(o);
      } catch (e) {
        if (!(e instanceof TapeError)) throw e;
        if (this.strict) throw e;
        v.record(e);
        return null;
      }
      v.setLine(line, 0, line.length, o);
    }
    if (!v.check(ev, lineNo)) return null;
    this.#eventsRead++;
    return ev;
  }

  #json(line: string): Obj {
    let o: unknown;
    try {
      o = JSON.parse(line);
    } catch (e) {
      throw this.#error("(line)", `Cannot parse JSON: ${(e as Error).message}`);
    }
    if (typeof o !== "object" || o === null || Array.isArray(o)) {
      throw this.#error("(line)", "Cannot read line: not a JSON object");
    }
    return o as Obj;
  }

  // ---------------------------------------------------------------- dispatch

  #decode(o: Obj): TapeEvent {
    const type = o.type;
    if (type === undefined) throw this.#error("type", "Cannot read event: missing field");
    if (typeof type !== "string") {
      throw this.#error("type", `Cannot read event: not a string, current value is ${show(type)}`);
    }
    const ts = o.ts as number;
    if (ts === undefined) throw this.#error("ts", "Cannot read event: missing field");
    switch (type) {
      case "book_delta":
        return this.#bookDelta(o, ts);
      case "trade":
        return this.#trade(o, ts);
      case "quote":
        return this.#quote(o, ts);
      case "underlying":
        return this.#underlying(o, ts);
      case "book_snapshot":
        return this.#bookSnapshot(o, ts);
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
  //
  // Each decoder reads every field once, checks presence (and the JSON type of
  // strings it converts), converts price and count strings, and checks that the
  // line has no other field. Everything else is the validator's.

  #bookDelta(o: Obj, ts: number): BookDeltaEvent {
    const market = o.market as string;
    const seq = o.seq as number;
    const side = o.side as Side;
    const priceText = o.price;
    const deltaText = o.delta;
    if (market === undefined) throw this.#missing("market");
    if (seq === undefined) throw this.#missing("seq");
    if (side === undefined) throw this.#missing("side");
    let price = parsePriceOrNaN(priceText as string);
    if (price !== price) price = this.#slowPrice(priceText, "price");
    let delta = parseSignedCountOrNaN(deltaText as string);
    if (delta !== delta) delta = this.#slowCount(deltaText, "delta", true);
    if (countKeys(o) !== 7) this.#unknownField(o, "book_delta");
    return { kind: "book_delta", ts, market, seq, side, price, delta };
  }

  #trade(o: Obj, ts: number): TradeEvent {
    const market = o.market as string;
    const priceText = o.price;
    const countText = o.count;
    const takerSide = o.taker_side as Side;
    if (market === undefined) throw this.#missing("market");
    let price = parsePriceOrNaN(priceText as string);
    if (price !== price) price = this.#slowPrice(priceText, "price");
    let count = parseCountOrNaN(countText as string);
    if (count !== count) count = this.#slowCount(countText, "count", false);
    if (takerSide === undefined) throw this.#missing("taker_side");
    if (countKeys(o) !== 6) this.#unknownField(o, "trade");
    return { kind: "trade", ts, market, price, count, takerSide };
  }

  #quote(o: Obj, ts: number): QuoteEvent {
    const market = o.market as string;
    const bidText = o.yes_bid;
    const askText = o.yes_ask;
    const bs = o.yes_bid_size;
    const as = o.yes_ask_size;
    if (market === undefined) throw this.#missing("market");
    let yesBid = parsePriceOrNaN(bidText as string);
    if (yesBid !== yesBid) yesBid = this.#slowPrice(bidText, "yes_bid");
    let yesAsk = parsePriceOrNaN(askText as string);
    if (yesAsk !== yesAsk) yesAsk = this.#slowPrice(askText, "yes_ask");
    let n = 5;
    let yesBidSize = 0;
    let yesAskSize = 0;
    if (bs !== undefined) {
      n++;
      yesBidSize = parseCountOrNaN(bs as string);
      if (yesBidSize !== yesBidSize) yesBidSize = this.#slowSize(bs, "yes_bid_size");
    }
    if (as !== undefined) {
      n++;
      yesAskSize = parseCountOrNaN(as as string);
      if (yesAskSize !== yesAskSize) yesAskSize = this.#slowSize(as, "yes_ask_size");
    }
    if (countKeys(o) !== n) this.#unknownField(o, "quote");
    return { kind: "quote", ts, market, yesBid, yesAsk, yesBidSize, yesAskSize };
  }

  #underlying(o: Obj, ts: number): UnderlyingEvent {
    const symbol = o.symbol as string;
    const value = o.value as number;
    if (symbol === undefined) throw this.#missing("symbol");
    if (value === undefined) throw this.#missing("value");
    if (countKeys(o) !== 4) this.#unknownField(o, "underlying");
    return { kind: "underlying", ts, symbol, value };
  }

  #bookSnapshot(o: Obj, ts: number): BookSnapshotEvent {
    const market = o.market as string;
    const seq = o.seq as number;
    if (market === undefined) throw this.#missing("market");
    if (seq === undefined) throw this.#missing("seq");
    const v = this.#v;
    v.yesOrder = null;
    v.noOrder = null;
    const yes = this.#levels(o, "yes");
    const no = this.#levels(o, "no");
    if (countKeys(o) !== 6) this.#unknownField(o, "book_snapshot");
    return {
      kind: "book_snapshot",
      ts,
      market,
      seq,
      yesPrices: yes.prices,
      yesSizes: yes.sizes,
      noPrices: no.prices,
      noSizes: no.sizes,
    };
  }

  #lifecycle(o: Obj, ts: number): LifecycleEvent {
    const market = o.market as string;
    const status = o.status as MarketStatus;
    if (market === undefined) throw this.#missing("market");
    if (status === undefined) throw this.#missing("status");
    if (countKeys(o) !== 4) this.#unknownField(o, "lifecycle");
    return { kind: "lifecycle", ts, market, status };
  }

  #settlement(o: Obj, ts: number): SettlementEvent {
    const market = o.market as string;
    const result = o.result as Side;
    const x = o.expiration_value as number | undefined;
    if (market === undefined) throw this.#missing("market");
    if (result === undefined) throw this.#missing("result");
    const n = x === undefined ? 4 : 5;
    if (countKeys(o) !== n) this.#unknownField(o, "settlement");
    const ev: Mutable<SettlementEvent> = { kind: "settlement", ts, market, result };
    if (x !== undefined) ev.expirationValue = x;
    return ev;
  }

  // --------------------------------------------------------------- metadata

  #seriesLine(o: Obj, ts: number): SeriesEvent {
    const series = o.series as string;
    const feeType = o.fee_type as FeeType;
    const m = o.fee_multiplier;
    if (series === undefined) throw this.#missing("series");
    if (feeType === undefined) throw this.#missing("fee_type");
    if (typeof m !== "number" || !Number.isFinite(m)) {
      throw this.#missingOr("fee_multiplier", m, "a finite number");
    }
    // The multiplier is written as a decimal number; at most 4 decimals.
    const scaled = m * 10000;
    const feeMultiplier = Math.round(scaled);
    if (m < 0 || Math.abs(scaled - feeMultiplier) > 1e-6 || !Number.isSafeInteger(feeMultiplier)) {
      throw this.#error(
        "fee_multiplier",
        `Cannot read fee multiplier: not a non-negative number with at most 4 decimals, current value is ${m}`,
      );
    }
    if (countKeys(o) !== 5) this.#unknownField(o, "series");
    return { kind: "series", ts, series, feeType, feeMultiplier };
  }

  #event(o: Obj, ts: number): EventEvent {
    const event = o.event as string;
    const series = o.series as string;
    const me = o.mutually_exclusive as boolean;
    const step = o.outcome_step as number | undefined;
    if (event === undefined) throw this.#missing("event");
    if (series === undefined) throw this.#missing("series");
    if (me === undefined) throw this.#missing("mutually_exclusive");
    if (countKeys(o) !== (step === undefined ? 5 : 6)) this.#unknownField(o, "event");
    const ev: Mutable<EventEvent> = { kind: "event", ts, event, series, mutuallyExclusive: me };
    if (step !== undefined) ev.outcomeStep = step;
    return ev;
  }

  #market(o: Obj, ts: number): MarketEvent {
    const market = o.market as string;
    const event = o.event as string;
    const strikeType = o.strike_type as StrikeType;
    if (market === undefined) throw this.#missing("market");
    if (event === undefined) throw this.#missing("event");
    if (strikeType === undefined) throw this.#missing("strike_type");
    const openTs = o.open_ts as number;
    const closeTs = o.close_ts as number;
    if (openTs === undefined) throw this.#missing("open_ts");
    if (closeTs === undefined) throw this.#missing("close_ts");
    const ev: Mutable<MarketEvent> = {
      kind: "market",
      ts,
      market,
      event,
      strikeType,
      openTs,
      closeTs,
      priceStep: 100,
    };
    let n = 7;
    const floor = o.floor_strike as number | undefined;
    const cap = o.cap_strike as number | undefined;
    const floorInclusive = o.floor_inclusive as boolean | undefined;
    const capInclusive = o.cap_inclusive as boolean | undefined;
    if (floor !== undefined) {
      n++;
      ev.floorStrike = floor;
    }
    if (cap !== undefined) {
      n++;
      ev.capStrike = cap;
    }
    if (floorInclusive !== undefined) {
      n++;
      ev.floorInclusive = floorInclusive;
    }
    if (capInclusive !== undefined) {
      n++;
      ev.capInclusive = capInclusive;
    }
    const stepText = o.price_step;
    if (stepText !== undefined) {
      n++;
      if (typeof stepText !== "string" || stepText.length === 0) {
        throw this.#missingOr("price_step", stepText, "a non-empty string");
      }
      ev.priceStep = this.#slowPrice(stepText, "price_step");
    }
    if (countKeys(o) !== n) this.#unknownField(o, "market");
    return ev;
  }

  // ---------------------------------------------------------------- fields

  /** A price string the fast path refused: the TapeError naming the field (or the value). */
  #slowPrice(s: unknown, field: string): number {
    if (typeof s !== "string") throw this.#missingOr(field, s, "a dollar string");
    try {
      return parsePrice(s);
    } catch (e) {
      throw this.#unitsError(field, e);
    }
  }

  /** A trade count or delta string the fast path refused. */
  #slowCount(s: unknown, field: string, signed: boolean): number {
    if (typeof s !== "string" || s.length === 0) {
      throw this.#missingOr(field, s, "a non-empty string");
    }
    try {
      return signed ? parseSignedCount(s) : parseCount(s);
    } catch (e) {
      throw this.#unitsError(field, e);
    }
  }

  /** An optional quote size the fast path refused. */
  #slowSize(s: unknown, field: string): number {
    if (typeof s !== "string") throw this.#missingOr(field, s, "a count string");
    try {
      return parseCount(s);
    } catch (e) {
      throw this.#unitsError(field, e);
    }
  }

  /**
   * Book levels `[[price, count], ...]` as parallel arrays sorted best (highest
   * price) first. Ranges, sizes and duplicates are the validator's.
   */
  #levels(o: Obj, field: "yes" | "no"): { prices: number[]; sizes: number[] } {
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
      let p = parsePriceOrNaN(lv[0]);
      if (p !== p) p = this.#slowPrice(lv[0], field);
      let c = parseCountOrNaN(lv[1]);
      if (c !== c) c = this.#slowSize(lv[1], field);
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
    }
    if (field === "yes") this.#v.yesOrder = order;
    else this.#v.noOrder = order;
    return { prices: sp, sizes: ss };
  }

  /** The line has a field its type does not define: the TapeError naming the first one. */
  #unknownField(o: Obj, type: string): never {
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

  #missing(field: string): TapeError {
    return this.#error(field, "Cannot read event: missing field");
  }

  #missingOr(field: string, v: unknown, what: string): TapeError {
    if (v === undefined) return this.#missing(field);
    return this.#error(field, `Cannot read field: not ${what}, current value is ${show(v)}`);
  }

  /** A units parser's SyntaxError / RangeError as a TapeError naming the field. */
  #unitsError(field: string, e: unknown): TapeError {
    if (e instanceof SyntaxError || e instanceof RangeError) return this.#error(field, e.message);
    throw e;
  }
}

/** The number of own enumerable keys of a parsed JSON object. */
function countKeys(o: Obj): number {
  let k = 0;
  for (const _ in o) k++;
  return k;
}

/** Whether a line holds only whitespace (spaces, tabs, CR). */
function isBlank(line: string): boolean {
  for (let i = 0; i < line.length; i++) {
    const c = line.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 13 && c !== 10 && c !== 0xfeff) return false;
  }
  return true;
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
    const ev = parser.parseLineIn(text, start, stop, lineNo);
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
      const ev = parser.parseLineIn(text, start, stop, lineNo);
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
