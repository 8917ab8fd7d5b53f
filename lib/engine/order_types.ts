/**
 * Order types of the extended strategy port: limit orders that can rest on the
 * book (good-till-cancelled, post-only) as well as immediate-or-cancel takers,
 * cancel requests, the states an order goes through, the reasons an order or a
 * cancel is rejected, and the validation of an order against a market's price
 * grid.
 *
 * Units (DESIGN.md §2): prices are integer ticks of $0.0001 (1..9999 for an
 * order), counts integer centi-contracts, times integer ms since the epoch.
 * An order buys one contract: a YES order's price is a YES price, a NO order's
 * price is a NO price (Kalshi's "buy NO at 40c" is a NO price of 4000 ticks).
 *
 * The existing IOC-only `OrderIntent` of `strategy.ts` is assignable to
 * {@link LimitOrderIntent}, so the port can widen without breaking strategies.
 *
 * @example
 * ```ts
 * import { orderIntentProblem, validateOrderIntent } from "./order_types.ts";
 *
 * const bid = {
 *   market: "KXBTCD-26FEB0620-T72999.99",
 *   side: "yes",
 *   limitPrice: 4200,
 *   count: 500,
 *   timeInForce: "gtc",
 *   expireTs: 1_770_000_000_000,
 * } as const;
 * validateOrderIntent(bid, 100); // ok: 42c on a one-cent grid, 5 contracts
 * orderIntentProblem({ ...bid, limitPrice: 4250 }, 100)?.reason; // "off_tick_grid"
 * ```
 *
 * @module
 */

import type { Side } from "../tape/events.ts";

/** Lowest price an order may carry, in ticks ($0.0001). */
export const MIN_ORDER_PRICE = 1;
/** Highest price an order may carry, in ticks ($0.9999). */
export const MAX_ORDER_PRICE = 9_999;

/**
 * How long an order lives:
 * - `ioc`: takes what crosses at arrival; the rest is cancelled at once.
 * - `gtc`: takes what crosses at arrival; the rest rests until filled, cancelled
 *   or expired (at `expireTs` when given).
 * - `post_only`: rests without ever taking; rejected if it would cross at arrival.
 */
export type TimeInForce = "ioc" | "gtc" | "post_only";

/** Every time-in-force value. */
export const TIME_IN_FORCE: readonly TimeInForce[] = ["ioc", "gtc", "post_only"];

/**
 * A limit order as a strategy asks for it. The venue assigns the order id and
 * the arrival time (submit time + order-entry latency).
 */
export interface LimitOrderIntent {
  readonly market: string;
  /** The contract bought: YES, or NO. */
  readonly side: Side;
  /** Limit price of the contract bought, ticks 1..9999, on the market's tick grid. */
  readonly limitPrice: number;
  /** Quantity in centi-contracts (1 contract = 100), > 0. */
  readonly count: number;
  readonly timeInForce: TimeInForce;
  /**
   * Expiry (ms since epoch) of a `gtc` or `post_only` order: the order can fill
   * from events with ts < expireTs and is expired before any event with
   * ts >= expireTs (an exclusive end). Not allowed on `ioc` orders.
   */
  readonly expireTs?: number;
  /** Free text the strategy uses to recognise its own orders. */
  readonly clientTag?: string;
  /** Free text stored with the order: why the strategy sent it. */
  readonly reason?: string;
  /**
   * The probability of filling that the strategy assumed when it sent a resting
   * order (research only: fill-realism metrics compare it with what happened).
   */
  readonly assumedFillProbability?: number;
}

/** A request to cancel one of our orders; it takes effect after the cancel latency. */
export interface CancelIntent {
  readonly market: string;
  readonly orderId: number;
  /** Free text stored with the cancel: why the strategy sent it. */
  readonly reason?: string;
}

/**
 * The life of an order:
 * `pending_arrival` (sent, latency not yet elapsed) -> `rejected`, or
 * -> `resting` / `partially_filled` (on the book) -> `filled` / `cancelled` /
 * `expired`. An IOC goes from `pending_arrival` straight to `filled` or
 * `cancelled` (its `filled` count says how much it got).
 */
export type OrderState =
  | "pending_arrival"
  | "resting"
  | "partially_filled"
  | "filled"
  | "cancelled"
  | "expired"
  | "rejected";

/** Every order state, in life-cycle order. */
export const ORDER_STATES: readonly OrderState[] = [
  "pending_arrival",
  "resting",
  "partially_filled",
  "filled",
  "cancelled",
  "expired",
  "rejected",
];

/** Whether an order in this state can still fill (it rests on the book). */
export function isLiveState(state: OrderState): boolean {
  return state === "resting" || state === "partially_filled";
}

/** Whether an order in this state is finished (nothing more can happen to it). */
export function isTerminalState(state: OrderState): boolean {
  return state === "filled" || state === "cancelled" || state === "expired" ||
    state === "rejected";
}

/** Why an order was rejected (at submit for malformed orders, else at arrival). */
export type RejectReason =
  /** The side is neither "yes" nor "no". */
  | "invalid_side"
  /** The limit price is not an integer in 1..9999 ticks. */
  | "invalid_price"
  /** The limit price is in range but not on the market's tick grid. */
  | "off_tick_grid"
  /** The count is not a positive safe integer of centi-contracts. */
  | "invalid_count"
  /** The time in force is not one of ioc, gtc, post_only. */
  | "invalid_time_in_force"
  /** The expiry is not an integer, is set on an IOC, or is not after the submit time. */
  | "invalid_expiry"
  /** The market is not known to the venue. */
  | "unknown_market"
  /** The venue's risk layer refused the order before it was sent (lib/risk). */
  | "risk"
  /** An enforcing factor gate suppressed the order before it was sent (lib/research/gate.ts). */
  | "gated"
  /** The market is not open for trading at arrival. */
  | "market_closed"
  /** The book is invalid at arrival (no snapshot yet, or a seq gap since the last one). */
  | "book_invalid"
  /** No fee schedule is known for the market's series at arrival. */
  | "no_fee_schedule"
  /** A post-only order would cross the book at arrival. */
  | "post_only_would_cross"
  /** The order's expiry passed before it arrived. */
  | "expired_on_arrival";

/** Why a cancel request did not cancel anything (decided when it arrives). */
export type CancelRejectReason =
  /** The order had not arrived at the venue yet when the cancel did. */
  | "order_not_arrived"
  /** No live order of that id: unknown, already filled, cancelled, expired or rejected. */
  | "order_not_live";

/**
 * One band of a market's price grid (Kalshi `price_ranges`), in ticks: valid
 * prices are start, start + step, ... up to end, both ends inclusive.
 */
export interface PriceRange {
  readonly start: number;
  readonly end: number;
  readonly step: number;
}

/**
 * A market's valid prices: one uniform step in ticks (100 = whole cents), or
 * bands of {@link PriceRange}.
 */
export type TickGrid = number | readonly PriceRange[];

/** A problem found by {@link orderIntentProblem}: the reason code and a message. */
export interface OrderProblem {
  readonly reason: RejectReason;
  readonly message: string;
}

function isStep(step: number): boolean {
  return Number.isInteger(step) && step >= 1 && step <= 10_000;
}

/**
 * Checks a tick grid: a step in 1..10000 ticks, or non-empty bands each with
 * integer ticks 0 <= start <= end <= 10000 and a step in 1..10000.
 *
 * @throws {RangeError} on an invalid grid.
 *
 * @example
 * ```ts
 * import { validateTickGrid } from "./order_types.ts";
 *
 * validateTickGrid(100); // ok: whole cents
 * validateTickGrid([{ start: 0, end: 1000, step: 10 }, { start: 1000, end: 9000, step: 100 }]);
 * ```
 */
export function validateTickGrid(grid: TickGrid): void {
  if (typeof grid === "number") {
    if (!isStep(grid)) {
      throw new RangeError(
        `Cannot use tick grid: step must be an integer in 1..10000 ticks, current value is ${grid}`,
      );
    }
    return;
  }
  if (!Array.isArray(grid) || grid.length === 0) {
    throw new RangeError(
      `Cannot use tick grid: need a step or at least one price range, current value is ${
        JSON.stringify(grid)
      }`,
    );
  }
  for (const r of grid) {
    const ok = r !== null && typeof r === "object" && Number.isInteger(r.start) &&
      Number.isInteger(r.end) && r.start >= 0 && r.start <= r.end && r.end <= 10_000 &&
      isStep(r.step);
    if (!ok) {
      throw new RangeError(
        `Cannot use tick grid: a range needs integer ticks 0 <= start <= end <= 10000 and a step in 1..10000, current value is ${
          JSON.stringify(r)
        }`,
      );
    }
  }
}

/**
 * Whether a price (ticks) lies on a tick grid. The grid is assumed valid (see
 * {@link validateTickGrid}); the 1..9999 order range is not checked here.
 *
 * @example
 * ```ts
 * import { isOnTickGrid } from "./order_types.ts";
 *
 * isOnTickGrid(4200, 100); // true
 * isOnTickGrid(4250, 100); // false
 * isOnTickGrid(250, [{ start: 0, end: 1000, step: 10 }]); // true (sub-penny band)
 * ```
 */
export function isOnTickGrid(price: number, grid: TickGrid): boolean {
  if (!Number.isInteger(price)) return false;
  if (typeof grid === "number") return price % grid === 0;
  for (let i = 0; i < grid.length; i++) {
    const r = grid[i];
    if (price >= r.start && price <= r.end && (price - r.start) % r.step === 0) return true;
  }
  return false;
}

/**
 * What is wrong with an order, or undefined when it is well formed: side, price
 * in 1..9999 ticks and on the grid, count a positive safe integer of
 * centi-contracts, a known time in force, and an expiry that is an integer, only
 * on gtc / post_only orders, and (when `submitTs` is given) after the submit time.
 * Market-state checks (open, book valid, fees, crossing) happen at arrival.
 *
 * @param intent the order.
 * @param grid the market's tick grid (assumed valid).
 * @param submitTs the submit time (ms), to check the expiry against.
 *
 * @example
 * ```ts
 * import { orderIntentProblem } from "./order_types.ts";
 *
 * const o = { market: "M", side: "no", limitPrice: 0, count: 100, timeInForce: "ioc" } as const;
 * orderIntentProblem(o, 100)?.reason; // "invalid_price"
 * ```
 */
export function orderIntentProblem(
  intent: LimitOrderIntent,
  grid: TickGrid,
  submitTs?: number,
): OrderProblem | undefined {
  if (intent.side !== "yes" && intent.side !== "no") {
    return problem(
      "invalid_side",
      `side must be "yes" or "no", current value is ${JSON.stringify(intent.side)}`,
    );
  }
  const p = intent.limitPrice;
  if (!Number.isInteger(p) || p < MIN_ORDER_PRICE || p > MAX_ORDER_PRICE) {
    return problem(
      "invalid_price",
      `limit price must be an integer in ${MIN_ORDER_PRICE}..${MAX_ORDER_PRICE} ticks, current value is ${p}`,
    );
  }
  if (!isOnTickGrid(p, grid)) {
    return problem(
      "off_tick_grid",
      `limit price must be on the market's tick grid ${
        JSON.stringify(grid)
      }, current value is ${p}`,
    );
  }
  if (!Number.isSafeInteger(intent.count) || intent.count <= 0) {
    return problem(
      "invalid_count",
      `count must be a positive integer of centi-contracts, current value is ${intent.count}`,
    );
  }
  const tif = intent.timeInForce;
  if (tif !== "ioc" && tif !== "gtc" && tif !== "post_only") {
    return problem(
      "invalid_time_in_force",
      `time in force must be "ioc", "gtc" or "post_only", current value is ${JSON.stringify(tif)}`,
    );
  }
  const e = intent.expireTs;
  if (e !== undefined) {
    if (tif === "ioc") {
      return problem(
        "invalid_expiry",
        `an expiry is only valid on gtc and post_only orders, current value is ${e}`,
      );
    }
    if (!Number.isSafeInteger(e)) {
      return problem(
        "invalid_expiry",
        `expiry must be an integer of ms since the epoch, current value is ${e}`,
      );
    }
    if (submitTs !== undefined && e <= submitTs) {
      return problem(
        "invalid_expiry",
        `expiry must be after the submit time ${submitTs}, current value is ${e}`,
      );
    }
  }
  return undefined;
}

function problem(reason: RejectReason, detail: string): OrderProblem {
  return { reason, message: `Cannot accept order: ${detail}` };
}

/**
 * Throwing form of {@link orderIntentProblem}, for callers that treat a malformed
 * order as a bug.
 *
 * @throws {RangeError} with the problem's message.
 *
 * @example
 * ```ts
 * import { validateOrderIntent } from "./order_types.ts";
 *
 * validateOrderIntent(
 *   { market: "M", side: "yes", limitPrice: 5000, count: 100, timeInForce: "post_only" },
 *   100,
 * );
 * ```
 */
export function validateOrderIntent(
  intent: LimitOrderIntent,
  grid: TickGrid,
  submitTs?: number,
): void {
  const p = orderIntentProblem(intent, grid, submitTs);
  if (p !== undefined) throw new RangeError(p.message);
}

/**
 * Checks a cancel request: a non-empty market and a positive integer order id.
 *
 * @throws {RangeError} on a malformed request.
 *
 * @example
 * ```ts
 * import { validateCancelIntent } from "./order_types.ts";
 *
 * validateCancelIntent({ market: "M", orderId: 7 }); // ok
 * ```
 */
export function validateCancelIntent(cancel: CancelIntent): void {
  if (typeof cancel.market !== "string" || cancel.market === "") {
    throw new RangeError(
      `Cannot accept cancel: market must be a non-empty string, current value is ${
        JSON.stringify(cancel.market)
      }`,
    );
  }
  if (!Number.isSafeInteger(cancel.orderId) || cancel.orderId <= 0) {
    throw new RangeError(
      `Cannot accept cancel: order id must be a positive integer, current value is ${cancel.orderId}`,
    );
  }
}
