/**
 * In-memory tape events: what readers produce and the replay engine consumes.
 *
 * Units (DESIGN.md §2): prices are integer ticks of $0.0001, quantities are
 * integer centi-contracts, times are integer milliseconds since the Unix epoch
 * (UTC). Reference values of underlyings (BTC spot, an index level, a CPI print)
 * are plain numbers: they are observations, not money.
 *
 * The NDJSON interchange form of each kind is specified in docs/TAPE.md.
 *
 * @module
 */

/** Which side of a binary market an order, book level or trade is on. */
export type Side = "yes" | "no";

/** Kalshi fee types (series `fee_type`). */
export type FeeType = "quadratic" | "quadratic_with_maker_fees" | "flat";

/** Kalshi strike types the workbench can price. */
export type StrikeType = "greater" | "greater_or_equal" | "less" | "less_or_equal" | "between";

/** Market statuses carried by lifecycle events. */
export type MarketStatus =
  | "initialized"
  | "active"
  | "open"
  | "inactive"
  | "closed"
  | "determined"
  | "disputed"
  | "amended"
  | "finalized";

/**
 * Every market status, in a fixed order (the columnar form stores a status as its
 * index here, so append only).
 */
export const MARKET_STATUSES: readonly MarketStatus[] = [
  "initialized",
  "active",
  "open",
  "inactive",
  "closed",
  "determined",
  "disputed",
  "amended",
  "finalized",
];

/** Series metadata; a later series event for the same series is a fee change in force from its ts. */
export interface SeriesEvent {
  readonly kind: "series";
  readonly ts: number;
  readonly series: string;
  readonly feeType: FeeType;
  /** Fee multiplier M in parts per 10,000 (M = 1 is 10000, M = 0.5 is 5000). */
  readonly feeMultiplier: number;
}

/** Event metadata: a set of markets; ladders are mutually exclusive. */
export interface EventEvent {
  readonly kind: "event";
  readonly ts: number;
  readonly event: string;
  readonly series: string;
  readonly mutuallyExclusive: boolean;
  /**
   * Precision at which the outcome is reported (1 for whole degrees, 0.1 for CPI
   * m/m); undefined for a continuous outcome.
   */
  readonly outcomeStep?: number;
}

/** Market metadata. Strike inclusivity is data: defaults follow the strike type. */
export interface MarketEvent {
  readonly kind: "market";
  readonly ts: number;
  readonly market: string;
  readonly event: string;
  readonly strikeType: StrikeType;
  readonly floorStrike?: number;
  readonly capStrike?: number;
  /** Whether the floor strike itself settles YES (default: false for greater, true otherwise). */
  readonly floorInclusive?: boolean;
  /** Whether the cap strike itself settles YES (default: false for less, true otherwise). */
  readonly capInclusive?: boolean;
  readonly openTs: number;
  readonly closeTs: number;
  /** Smallest valid price increment in ticks (100 = one cent). */
  readonly priceStep: number;
}

/** Full L2 book: bids on both sides, each as parallel price/size arrays, best first. */
export interface BookSnapshotEvent {
  readonly kind: "book_snapshot";
  readonly ts: number;
  readonly market: string;
  readonly seq: number;
  readonly yesPrices: readonly number[];
  readonly yesSizes: readonly number[];
  readonly noPrices: readonly number[];
  readonly noSizes: readonly number[];
}

/** A signed change of the resting size at one price level of one side's bids. */
export interface BookDeltaEvent {
  readonly kind: "book_delta";
  readonly ts: number;
  readonly market: string;
  readonly seq: number;
  readonly side: Side;
  readonly price: number;
  readonly delta: number;
}

/** Top of book only (degraded data: candles, tickers). Sizes 0 when unknown. */
export interface QuoteEvent {
  readonly kind: "quote";
  readonly ts: number;
  readonly market: string;
  readonly yesBid: number;
  readonly yesAsk: number;
  readonly yesBidSize: number;
  readonly yesAskSize: number;
}

/** A trade on the exchange; price is the YES price. */
export interface TradeEvent {
  readonly kind: "trade";
  readonly ts: number;
  readonly market: string;
  readonly price: number;
  readonly count: number;
  readonly takerSide: Side;
}

/** A reference value of an underlying (spot, index level, a forecast release). */
export interface UnderlyingEvent {
  readonly kind: "underlying";
  readonly ts: number;
  readonly symbol: string;
  readonly value: number;
}

/** A market status change. */
export interface LifecycleEvent {
  readonly kind: "lifecycle";
  readonly ts: number;
  readonly market: string;
  readonly status: MarketStatus;
}

/** The market's result; positions resolve here and nowhere earlier. */
export interface SettlementEvent {
  readonly kind: "settlement";
  readonly ts: number;
  readonly market: string;
  readonly result: Side;
  readonly expirationValue?: number;
}

/** Every kind of tape event. */
export type TapeEvent =
  | SeriesEvent
  | EventEvent
  | MarketEvent
  | BookSnapshotEvent
  | BookDeltaEvent
  | QuoteEvent
  | TradeEvent
  | UnderlyingEvent
  | LifecycleEvent
  | SettlementEvent;

/** The `kind` tag of a tape event. */
export type TapeEventKind = TapeEvent["kind"];

/** All kinds, in a fixed order (used for dictionary encodings and reports). */
export const EVENT_KINDS: readonly TapeEventKind[] = [
  "series",
  "event",
  "market",
  "book_snapshot",
  "book_delta",
  "quote",
  "trade",
  "underlying",
  "lifecycle",
  "settlement",
];

/**
 * Kind codes: the index of each kind in {@link EVENT_KINDS}. The columnar tape
 * stores them per row, and the engine hands each event's code to
 * `Strategy.onEvent`, so a strategy can switch on a small integer instead of
 * comparing `kind` strings (events come in many object shapes, which makes
 * reading `kind` a slow property access).
 */
export const K_SERIES = 0;
export const K_EVENT = 1;
export const K_MARKET = 2;
export const K_BOOK_SNAPSHOT = 3;
export const K_BOOK_DELTA = 4;
export const K_QUOTE = 5;
export const K_TRADE = 6;
export const K_UNDERLYING = 7;
export const K_LIFECYCLE = 8;
export const K_SETTLEMENT = 9;
/** Number of kind codes; a code at or above it is unknown. */
export const KIND_COUNT = 10;

/** Kind code of each kind. */
export const KIND_CODE: Readonly<Record<TapeEventKind, number>> = {
  series: K_SERIES,
  event: K_EVENT,
  market: K_MARKET,
  book_snapshot: K_BOOK_SNAPSHOT,
  book_delta: K_BOOK_DELTA,
  quote: K_QUOTE,
  trade: K_TRADE,
  underlying: K_UNDERLYING,
  lifecycle: K_LIFECYCLE,
  settlement: K_SETTLEMENT,
};
