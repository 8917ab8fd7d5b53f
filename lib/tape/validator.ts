/**
 * The semantic checks every tape reader applies to its decoded events (docs/TAPE.md
 * §4-5): one implementation shared by the NDJSON, columnar and SQLite readers.
 *
 * A reader decodes its own form (JSON text, columns, rows) into a {@link TapeEvent}
 * and hands it to {@link TapeValidator.check} with its line (or row) number. The
 * validator holds every rule that does not depend on how the event was written:
 * value types and ranges (integer ticks strictly inside $0..$1, positive sizes,
 * known enum values, finite numbers), timestamps that never decrease, metadata
 * declared before use, conflicting market redeclarations, book snapshots sorted
 * best first without duplicates or crossing, quote and strike rules, and seq
 * continuity per market.
 *
 * Strict mode throws a {@link TapeError}; lenient mode records an
 * {@link Anomaly} and returns false (drop the event), except for a seq gap or a
 * delta before any snapshot, which is recorded and returns true (the replay
 * engine invalidates that book). A rejected event leaves the validator's state
 * (last ts, declarations, seqs) unchanged.
 *
 * Readers may reuse event objects: the validator copies what it keeps from
 * metadata events and keeps nothing else. On the hot kinds (`book_delta`,
 * `quote`, `trade`, `underlying`) it allocates nothing unless the event is bad.
 *
 * @example Validate events from any source
 * ```ts
 * import { TapeValidator } from "./validator.ts";
 *
 * const v = new TapeValidator("mem", { strict: false });
 * v.check({ kind: "underlying", ts: 5, symbol: "BTC", value: 97000 }, 1); // true
 * v.check({ kind: "underlying", ts: 4, symbol: "BTC", value: 97001 }, 2); // false: backwards
 * console.log(v.anomalyCount); // 1
 * ```
 *
 * @module
 */

import { objectSlots } from "../engine/object_slots.ts";
import { formatPrice } from "../units/price.ts";
import { formatCount } from "../units/quantity.ts";
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
  StrikeType,
  TapeEvent,
  TradeEvent,
  UnderlyingEvent,
} from "./events.ts";
import { MARKET_STATUSES } from "./events.ts";

/** A problem found in lenient mode: where it is and what it is. */
export interface Anomaly {
  readonly file: string;
  readonly line: number;
  readonly field: string;
  readonly detail: string;
}

/** How many anomalies a validator keeps in {@link TapeValidator.anomalies}; all are counted. */
export const MAX_KEPT_ANOMALIES = 1000;

/** Largest price strictly inside (0, 1) in ticks. */
const MAX_INNER_PRICE = 9999;

const FEE_TYPES: ReadonlySet<unknown> = new Set<FeeType>([
  "quadratic",
  "quadratic_with_maker_fees",
  "flat",
]);

const STRIKE_TYPES: ReadonlySet<unknown> = new Set<StrikeType>([
  "greater",
  "greater_or_equal",
  "less",
  "less_or_equal",
  "between",
]);

const MARKET_STATUS_SET: ReadonlySet<unknown> = new Set<MarketStatus>(MARKET_STATUSES);

/** Per-market state: a copy of the declaration and the book's seq. */
interface MarketState {
  readonly decl: MarketEvent;
  /** seq of the last snapshot or delta, or -1 before the first snapshot. */
  seq: number;
}

/** Which part of a book level an error message names. */
export type LevelPart = "price" | "size";

/**
 * Checks decoded tape events in file order; see the module documentation.
 */
export class TapeValidator {
  /** File (or source) name shown in errors and anomalies. */
  readonly name: string;
  /** Whether the first problem throws (true) or is recorded and the event dropped (false). */
  readonly strict: boolean;
  /** The first {@link MAX_KEPT_ANOMALIES} anomalies found in lenient mode. */
  readonly anomalies: Anomaly[] = [];

  #anomalyCount = 0;
  /**
   * Time of the last accepted event. Declared NaN, then set to 0 in the
   * constructor: a field that first holds a small integer changes layout when
   * a timestamp arrives, and the next validator of the thread (the reader
   * thread's next file) would throw away the code optimized for the old one.
   */
  #lastTs = Number.NaN;
  readonly #series = new Set<string>();
  readonly #events = new Set<string>();
  readonly #markets = new Map<string, MarketState>();
  /** One-entry cache of the last market looked up (tapes come in runs of one market). */
  #lastName: string | null = null;
  #lastState: MarketState | null = null;
  /**
   * States of declared markets by the caller's slot id (see {@link check}), in
   * the layout of a filled array from the start (object_slots.ts).
   */
  readonly #bySlot = objectSlots<MarketState>();

  constructor(name: string, options: { strict?: boolean } = {}) {
    this.#lastTs = 0;
    this.name = name;
    this.strict = options.strict ?? true;
  }

  /** Anomalies found in lenient mode (all of them, not only the kept ones). */
  get anomalyCount(): number {
    return this.#anomalyCount;
  }

  /**
   * Checks one event and, when it is accepted, advances the state (last ts,
   * declarations, seq).
   *
   * @param ev The decoded event (may be a reused object; nothing of it is kept).
   * @param line Its 1-based line (or row) number, shown in errors.
   * @param slot Optional: a small non-negative integer the caller gives the
   *   event's market (e.g. its dictionary id), the same for every event of that
   *   market and different for every other market, for the validator's whole
   *   life; the market's state is then found by array index instead of by name.
   *   -1 (the default) looks it up by name. The checks are the same either way.
   * @returns true to keep the event; false (lenient mode only) to drop it.
   * @throws {TapeError} In strict mode, for any problem.
   */
  check(ev: TapeEvent, line: number, slot = -1): boolean {
    // The timestamp is read in each kind's branch, from events of that kind
    // only: one read for events of every kind would see objects of many
    // layouts, some holding the timestamp as a double and some not, and V8
    // then allocates a number for every read (16 bytes per event).
    switch (ev.kind) {
      case "book_delta": {
        const ts = ev.ts;
        if (!followsTs(ts, this.#lastTs)) return this.#badTs(ts, line);
        return this.#bookDelta(ev, line, slot);
      }
      case "quote": {
        const ts = ev.ts;
        if (!followsTs(ts, this.#lastTs)) return this.#badTs(ts, line);
        return this.#quote(ev, line, slot);
      }
      case "trade": {
        const ts = ev.ts;
        if (!followsTs(ts, this.#lastTs)) return this.#badTs(ts, line);
        return this.#trade(ev, line, slot);
      }
      case "underlying": {
        const ts = ev.ts;
        if (!followsTs(ts, this.#lastTs)) return this.#badTs(ts, line);
        return this.#underlying(ev, line);
      }
      default:
        return this.#checkRare(ev, line, slot);
    }
  }

  /** {@link check} of the kinds that are not in every block, and of unknown kinds. */
  #checkRare(ev: TapeEvent, line: number, slot: number): boolean {
    const ts = ev.ts;
    if (!followsTs(ts, this.#lastTs)) return this.#badTs(ts, line);
    switch (ev.kind) {
      case "book_snapshot":
        return this.#bookSnapshot(ev, line, slot);
      case "lifecycle":
        return this.#lifecycle(ev, line, slot);
      case "settlement":
        return this.#settlement(ev, line, slot);
      case "market":
        return this.#market(ev, line);
      case "event":
        return this.#event(ev, line);
      case "series":
        return this.#seriesDecl(ev, line);
      default:
        return this.reject(
          line,
          "type",
          `Cannot read event: unknown type, current value is ${
            show((ev as { kind: unknown }).kind)
          }`,
        );
    }
  }

  /**
   * Reports a problem the reader found itself (undecodable input): throws in
   * strict mode, records it in lenient mode.
   *
   * @returns false, so that a reader can `return v.reject(...)` to drop the event.
   * @throws {TapeError} In strict mode.
   */
  reject(line: number, field: string, detail: string): false {
    const err = new TapeError({ file: this.name, line }, field, detail);
    if (this.strict) throw err;
    this.record(err);
    return false;
  }

  /** Records a problem as an anomaly (counted always, kept among the first 1000). */
  record(err: TapeError): void {
    this.#anomalyCount++;
    if (this.anomalies.length < MAX_KEPT_ANOMALIES) {
      this.anomalies.push({ file: err.file, line: err.line, field: err.field, detail: err.detail });
    }
  }

  /**
   * Takes over anomalies found by another validator (e.g. one running in a
   * reader's worker thread): `count` more are counted, of which `kept` are kept
   * while fewer than {@link MAX_KEPT_ANOMALIES} are.
   */
  absorb(kept: readonly Anomaly[], count: number): void {
    this.#anomalyCount += Math.max(count, kept.length);
    for (const a of kept) {
      if (this.anomalies.length >= MAX_KEPT_ANOMALIES) break;
      this.anomalies.push({ file: a.file, line: a.line, field: a.field, detail: a.detail });
    }
  }

  // ------------------------------------------------------- source text hooks

  /**
   * The value of a price or count field as the source wrote it, for error
   * messages (e.g. `"0.50"`); undefined to show it formatted from the event.
   * Readers of text override this; it is only called on the error path.
   */
  protected sourceText(_field: string): string | undefined {
    return undefined;
  }

  /**
   * Where level `index` of a snapshot side (sorted best first) was in the source,
   * and the text of its price or size there; undefined when the source order is
   * the event's. Only called on the error path.
   */
  protected sourceLevel(
    _field: "yes" | "no",
    _index: number,
    _part: LevelPart,
  ): { index: number; text: string } | undefined {
    return undefined;
  }

  // ------------------------------------------------------------ market data

  #bookDelta(ev: BookDeltaEvent, line: number, slot: number): boolean {
    const st = this.#state(ev.market, line, slot);
    if (st === null) return false;
    const seq = ev.seq;
    if (!isSeq(seq)) return this.#notA(line, "seq", seq, "a non-negative integer");
    const side = ev.side;
    if (side !== "yes" && side !== "no") return this.#notA(line, "side", side, '"yes" or "no"');
    if (!isInnerPrice(ev.price)) return this.#badPrice(line, "price", ev.price);
    const delta = ev.delta;
    if (delta === 0 || !Number.isSafeInteger(delta)) {
      if (delta === 0) {
        return this.reject(line, "delta", "Cannot accept delta: zero, current value is 0");
      }
      return this.#notCenti(line, "delta", delta);
    }
    const prev = st.seq;
    if (prev < 0 || seq !== prev + 1) {
      const market = st.decl.market;
      const err = new TapeError(
        { file: this.name, line },
        "seq",
        prev < 0
          ? `Cannot apply delta: no book_snapshot yet for market ${market}, current value is ${seq}`
          : `Cannot apply delta: seq gap for market ${market}: expected ${
            prev + 1
          }, current value is ${seq}`,
      );
      if (this.strict) throw err;
      this.record(err);
    }
    st.seq = seq;
    this.#lastTs = ev.ts;
    return true;
  }

  #quote(ev: QuoteEvent, line: number, slot: number): boolean {
    if (this.#state(ev.market, line, slot) === null) return false;
    const bid = ev.yesBid;
    const ask = ev.yesAsk;
    // One side may be missing (a YES bid of 0, or a YES ask of 1: no NO bid), not both.
    if (!isInnerPrice(bid) && bid !== 0) return this.#badPrice(line, "yes_bid", bid);
    if (!isInnerPrice(ask) && ask !== MAX_INNER_PRICE + 1) {
      return this.#badPrice(line, "yes_ask", ask);
    }
    if (bid === 0 && ask === MAX_INNER_PRICE + 1) {
      return this.reject(
        line,
        "yes_bid",
        "Cannot accept quote: both sides missing (yes_bid 0 and yes_ask 1); write an empty book_snapshot, current value is 0",
      );
    }
    if (!isSize(ev.yesBidSize)) return this.#badSize(line, "yes_bid_size", ev.yesBidSize);
    if (!isSize(ev.yesAskSize)) return this.#badSize(line, "yes_ask_size", ev.yesAskSize);
    if (bid > ask) {
      const b = this.sourceText("yes_bid") ?? formatPrice(bid);
      const a = this.sourceText("yes_ask") ?? formatPrice(ask);
      return this.reject(
        line,
        "yes_bid",
        `Cannot accept quote: crossed, yes_bid ${b} is above yes_ask ${a}, current value is ${b}`,
      );
    }
    this.#lastTs = ev.ts;
    return true;
  }

  #trade(ev: TradeEvent, line: number, slot: number): boolean {
    if (this.#state(ev.market, line, slot) === null) return false;
    if (!isInnerPrice(ev.price)) return this.#badPrice(line, "price", ev.price);
    const count = ev.count;
    if (!(count > 0) || !Number.isSafeInteger(count)) {
      if (!(count > 0)) {
        const text = this.sourceText("count") ?? formatNumber(count, formatCount);
        return this.reject(
          line,
          "count",
          `Cannot accept trade count: not positive, current value is ${text}`,
        );
      }
      return this.#notCenti(line, "count", count);
    }
    const takerSide = ev.takerSide;
    if (takerSide !== "yes" && takerSide !== "no") {
      return this.#notA(line, "taker_side", takerSide, '"yes" or "no"');
    }
    this.#lastTs = ev.ts;
    return true;
  }

  #underlying(ev: UnderlyingEvent, line: number): boolean {
    const symbol = ev.symbol;
    if (typeof symbol !== "string" || symbol.length === 0) {
      return this.#notA(line, "symbol", symbol, "a non-empty string");
    }
    const value = ev.value;
    if (typeof value !== "number" || !Number.isFinite(value)) {
      return this.#notA(line, "value", value, "a finite number");
    }
    this.#lastTs = ev.ts;
    return true;
  }

  #bookSnapshot(ev: BookSnapshotEvent, line: number, slot: number): boolean {
    const st = this.#state(ev.market, line, slot);
    if (st === null) return false;
    const seq = ev.seq;
    if (!isSeq(seq)) return this.#notA(line, "seq", seq, "a non-negative integer");
    if (!this.#levels(line, "yes", ev.yesPrices, ev.yesSizes)) return false;
    if (!this.#levels(line, "no", ev.noPrices, ev.noSizes)) return false;
    const yes = ev.yesPrices;
    const no = ev.noPrices;
    if (yes.length > 0 && no.length > 0 && yes[0] + no[0] > 10000) {
      return this.reject(
        line,
        "no",
        `Cannot accept book: crossed, best yes bid ${yes[0]} ticks + best no bid ${
          no[0]
        } ticks exceeds $1, current value is ${yes[0] + no[0]}`,
      );
    }
    st.seq = seq;
    this.#lastTs = ev.ts;
    return true;
  }

  /** One side of a snapshot: parallel arrays, prices inside (0, 1) strictly descending, sizes > 0. */
  #levels(
    line: number,
    field: "yes" | "no",
    prices: readonly number[],
    sizes: readonly number[],
  ): boolean {
    if (!Array.isArray(prices) || !Array.isArray(sizes) || prices.length !== sizes.length) {
      return this.reject(
        line,
        field,
        `Cannot read book side: not parallel arrays of prices and sizes, current value is ${
          show(prices)
        } and ${show(sizes)}`,
      );
    }
    for (let i = 0; i < prices.length; i++) {
      const p = prices[i];
      if (!isInnerPrice(p)) {
        const at = this.#levelAt(field, i, "price", p, formatPrice);
        return this.reject(
          line,
          field,
          `Cannot accept book level ${at.index}: price not strictly between 0 and 1, current value is ${
            show(at.text)
          }`,
        );
      }
      const c = sizes[i];
      if (!(c > 0) || !Number.isSafeInteger(c)) {
        const at = this.#levelAt(field, i, "size", c, formatCount);
        return this.reject(
          line,
          field,
          `Cannot accept book level ${at.index}: size not positive, current value is ${
            show(at.text)
          }`,
        );
      }
      if (i > 0 && p >= prices[i - 1]) {
        const at = this.#levelAt(field, i, "price", p, formatPrice);
        return this.reject(
          line,
          field,
          p === prices[i - 1]
            ? `Cannot accept book: duplicate price level, current value is ${show(at.text)}`
            : `Cannot accept book level ${at.index}: not sorted best (highest price) first, current value is ${
              show(at.text)
            }`,
        );
      }
    }
    return true;
  }

  #lifecycle(ev: LifecycleEvent, line: number, slot: number): boolean {
    if (this.#state(ev.market, line, slot) === null) return false;
    if (!MARKET_STATUS_SET.has(ev.status)) {
      return this.reject(
        line,
        "status",
        `Cannot read status: unknown, current value is ${show(ev.status)}`,
      );
    }
    this.#lastTs = ev.ts;
    return true;
  }

  #settlement(ev: SettlementEvent, line: number, slot: number): boolean {
    if (this.#state(ev.market, line, slot) === null) return false;
    const result = ev.result;
    if (result !== "yes" && result !== "no") {
      return this.#notA(line, "result", result, '"yes" or "no"');
    }
    const x = ev.expirationValue;
    if (x !== undefined && (typeof x !== "number" || !Number.isFinite(x))) {
      return this.#notA(line, "expiration_value", x, "a finite number");
    }
    this.#lastTs = ev.ts;
    return true;
  }

  // --------------------------------------------------------------- metadata

  #seriesDecl(ev: SeriesEvent, line: number): boolean {
    const series = ev.series;
    if (!isName(series)) return this.#notA(line, "series", series, "a non-empty string");
    if (!FEE_TYPES.has(ev.feeType)) {
      return this.reject(
        line,
        "fee_type",
        `Cannot read fee type: unknown, current value is ${show(ev.feeType)}`,
      );
    }
    const m = ev.feeMultiplier;
    if (!Number.isSafeInteger(m) || m < 0) {
      return this.reject(
        line,
        "fee_multiplier",
        `Cannot read fee multiplier: not a non-negative integer of parts per 10,000, current value is ${
          show(m)
        }`,
      );
    }
    this.#series.add(series);
    this.#lastTs = ev.ts;
    return true;
  }

  #event(ev: EventEvent, line: number): boolean {
    const event = ev.event;
    if (!isName(event)) return this.#notA(line, "event", event, "a non-empty string");
    const series = ev.series;
    if (!isName(series)) return this.#notA(line, "series", series, "a non-empty string");
    if (!this.#series.has(series)) {
      return this.reject(
        line,
        "series",
        `Cannot declare event ${event}: unknown series, current value is ${show(series)}`,
      );
    }
    const me = ev.mutuallyExclusive;
    if (typeof me !== "boolean") return this.#notA(line, "mutually_exclusive", me, "a boolean");
    const step = ev.outcomeStep;
    if (step !== undefined) {
      if (typeof step !== "number" || !Number.isFinite(step)) {
        return this.#notA(line, "outcome_step", step, "a finite number");
      }
      if (!(step > 0)) {
        return this.reject(
          line,
          "outcome_step",
          `Cannot read outcome step: not positive, current value is ${step}`,
        );
      }
    }
    this.#events.add(event);
    this.#lastTs = ev.ts;
    return true;
  }

  #market(ev: MarketEvent, line: number): boolean {
    const market = ev.market;
    if (!isName(market)) return this.#notA(line, "market", market, "a non-empty string");
    const event = ev.event;
    if (!isName(event)) return this.#notA(line, "event", event, "a non-empty string");
    if (!this.#events.has(event)) {
      return this.reject(
        line,
        "event",
        `Cannot declare market ${market}: unknown event, current value is ${show(event)}`,
      );
    }
    const strikeType = ev.strikeType;
    if (!STRIKE_TYPES.has(strikeType)) {
      return this.reject(
        line,
        "strike_type",
        `Cannot read strike type: not one of greater, greater_or_equal, less, less_or_equal, between, current value is ${
          show(strikeType)
        }`,
      );
    }
    const floor = ev.floorStrike;
    const cap = ev.capStrike;
    if (floor !== undefined && (typeof floor !== "number" || !Number.isFinite(floor))) {
      return this.#notA(line, "floor_strike", floor, "a finite number");
    }
    if (cap !== undefined && (typeof cap !== "number" || !Number.isFinite(cap))) {
      return this.#notA(line, "cap_strike", cap, "a finite number");
    }
    if (ev.floorInclusive !== undefined && typeof ev.floorInclusive !== "boolean") {
      return this.#notA(line, "floor_inclusive", ev.floorInclusive, "a boolean");
    }
    if (ev.capInclusive !== undefined && typeof ev.capInclusive !== "boolean") {
      return this.#notA(line, "cap_inclusive", ev.capInclusive, "a boolean");
    }
    const needFloor = strikeType === "greater" || strikeType === "greater_or_equal" ||
      strikeType === "between";
    const needCap = strikeType === "less" || strikeType === "less_or_equal" ||
      strikeType === "between";
    if (needFloor && floor === undefined) {
      return this.reject(
        line,
        "floor_strike",
        `Cannot declare market ${market}: missing field, required for strike type ${strikeType}`,
      );
    }
    if (needCap && cap === undefined) {
      return this.reject(
        line,
        "cap_strike",
        `Cannot declare market ${market}: missing field, required for strike type ${strikeType}`,
      );
    }
    if (floor !== undefined && cap !== undefined && floor > cap) {
      return this.reject(
        line,
        "cap_strike",
        `Cannot declare market ${market}: cap strike below floor strike ${floor}, current value is ${cap}`,
      );
    }
    const openTs = ev.openTs;
    const closeTs = ev.closeTs;
    if (!isSeq(openTs)) return this.#notA(line, "open_ts", openTs, "a non-negative integer of ms");
    if (!isSeq(closeTs)) {
      return this.#notA(line, "close_ts", closeTs, "a non-negative integer of ms");
    }
    if (closeTs < openTs) {
      return this.reject(
        line,
        "close_ts",
        `Cannot declare market ${market}: close_ts before open_ts ${openTs}, current value is ${closeTs}`,
      );
    }
    const step = ev.priceStep;
    if (!(step > 0) || !Number.isSafeInteger(step) || step > 10000) {
      const text = this.sourceText("price_step") ?? formatNumber(step, formatPrice);
      return this.reject(
        line,
        "price_step",
        step > 0
          ? `Cannot read price step: not an integer number of ticks in 1..10000, current value is ${
            show(text)
          }`
          : `Cannot read price step: not positive, current value is ${show(text)}`,
      );
    }
    const prev = this.#markets.get(market);
    if (prev !== undefined) {
      if (!sameMarket(prev.decl, ev)) {
        return this.reject(
          line,
          "market",
          `Cannot declare market: already declared with different content at ts ${prev.decl.ts}, current value is ${
            show(market)
          }`,
        );
      }
    } else {
      this.#markets.set(market, { decl: copyMarket(ev), seq: -1 });
    }
    this.#lastTs = ev.ts;
    return true;
  }

  // ---------------------------------------------------------------- helpers

  /** The state of a declared market, or null after rejecting the event. */
  #state(market: string, line: number, slot: number): MarketState | null {
    if (slot >= 0) {
      const st = this.#bySlot[slot];
      if (st !== undefined) return st;
    } else if (market === this.#lastName) return this.#lastState;
    const st = this.#markets.get(market);
    if (st !== undefined) {
      if (slot >= 0) {
        this.#bySlot[slot] = st;
      } else {
        this.#lastName = market;
        this.#lastState = st;
      }
      return st;
    }
    if (typeof market !== "string" || market.length === 0) {
      this.#notA(line, "market", market, "a non-empty string");
    } else {
      this.reject(
        line,
        "market",
        `Cannot use market: unknown market (not declared by a market line), current value is ${
          show(market)
        }`,
      );
    }
    return null;
  }

  #badTs(ts: number, line: number): false {
    if (typeof ts !== "number" || !Number.isSafeInteger(ts) || ts < 0) {
      return this.reject(
        line,
        "ts",
        `Cannot read timestamp: not a non-negative integer of ms, current value is ${show(ts)}`,
      );
    }
    return this.reject(
      line,
      "ts",
      `Cannot accept timestamp: goes backwards from ${this.#lastTs} to ${ts}, current value is ${ts}`,
    );
  }

  #notA(line: number, field: string, v: unknown, what: string): false {
    if (v === undefined) return this.reject(line, field, "Cannot read event: missing field");
    return this.reject(line, field, `Cannot read field: not ${what}, current value is ${show(v)}`);
  }

  #badPrice(line: number, field: string, p: number): false {
    if (typeof p === "number" && Number.isInteger(p)) {
      const text = this.sourceText(field) ?? formatNumber(p, formatPrice);
      return this.reject(
        line,
        field,
        `Cannot accept price: not strictly between 0 and 1, current value is ${show(text)}`,
      );
    }
    return this.#notA(line, field, p, "an integer number of ticks");
  }

  #badSize(line: number, field: string, c: number): false {
    if (typeof c === "number" && Number.isSafeInteger(c)) {
      const text = this.sourceText(field) ?? formatNumber(c, formatCount);
      return this.reject(
        line,
        field,
        `Cannot accept size: negative, current value is ${show(text)}`,
      );
    }
    return this.#notCenti(line, field, c);
  }

  #notCenti(line: number, field: string, c: unknown): false {
    return this.#notA(line, field, c, "an integer number of centi-contracts");
  }

  #levelAt(
    field: "yes" | "no",
    i: number,
    part: LevelPart,
    v: number,
    format: (v: number) => string,
  ): { index: number; text: string } {
    return this.sourceLevel(field, i, part) ?? { index: i, text: formatNumber(v, format) };
  }
}

/** A timestamp the validator accepts after `last`: an integer of ms, not before it. */
function followsTs(ts: number, last: number): boolean {
  return ts >= last && Number.isSafeInteger(ts);
}

/** A non-negative safe integer (seq, timestamps). */
function isSeq(v: number): boolean {
  return Number.isSafeInteger(v) && v >= 0;
}

/** An integer price strictly inside (0, 1): 1..9999 ticks. */
function isInnerPrice(p: number): boolean {
  return p >= 1 && p <= MAX_INNER_PRICE && Math.floor(p) === p;
}

/** An optional size: a non-negative safe integer (0 = unknown). */
function isSize(c: number): boolean {
  return c >= 0 && Number.isSafeInteger(c);
}

function isName(s: string): boolean {
  return typeof s === "string" && s.length > 0;
}

/** A number in its unit's text form when it can be written so, else as a plain number. */
function formatNumber(v: number, format: (v: number) => string): string {
  try {
    return format(v);
  } catch {
    return String(v);
  }
}

/** A short rendering of a value for error messages (JSON, except non-finite numbers). */
export function show(v: unknown): string {
  let s: string;
  try {
    s = v === undefined
      ? "undefined"
      : typeof v === "number" && !Number.isFinite(v)
      ? String(v)
      : JSON.stringify(v);
  } catch {
    s = String(v);
  }
  return s.length > 80 ? s.slice(0, 77) + "..." : s;
}

/** A fresh copy of a market declaration, with only the optional fields that are set. */
function copyMarket(ev: MarketEvent): MarketEvent {
  const c: { -readonly [K in keyof MarketEvent]: MarketEvent[K] } = {
    kind: "market",
    ts: ev.ts,
    market: ev.market,
    event: ev.event,
    strikeType: ev.strikeType,
    openTs: ev.openTs,
    closeTs: ev.closeTs,
    priceStep: ev.priceStep,
  };
  if (ev.floorStrike !== undefined) c.floorStrike = ev.floorStrike;
  if (ev.capStrike !== undefined) c.capStrike = ev.capStrike;
  if (ev.floorInclusive !== undefined) c.floorInclusive = ev.floorInclusive;
  if (ev.capInclusive !== undefined) c.capInclusive = ev.capInclusive;
  return c;
}

function sameMarket(a: MarketEvent, b: MarketEvent): boolean {
  return a.market === b.market && a.event === b.event && a.strikeType === b.strikeType &&
    a.floorStrike === b.floorStrike && a.capStrike === b.capStrike &&
    a.floorInclusive === b.floorInclusive && a.capInclusive === b.capInclusive &&
    a.openTs === b.openTs && a.closeTs === b.closeTs && a.priceStep === b.priceStep;
}
