/**
 * Worst-case loss of positions and orders, in integer ticks, per market (a
 * "strike": one binary contract) and per event (all markets of a ladder, in the
 * scenario "the outcome falls in bin b").
 *
 * What the risk layer keeps per market is {@link Holdings}: the money spent
 * (notional + fees, ticks) and the contracts bought on each side (centi-contracts).
 * That is enough to settle exactly, netting included: Kalshi pays a YES/NO pair
 * $1 at once, and the pairs netted are min(YES bought, NO bought), so at
 * settlement a market pays $1 for every contract bought on the winning side, and
 *
 * ```
 * loss if YES = spent - boughtYes x 100      loss if NO = spent - boughtNo x 100
 * ```
 *
 * (ticks; a centi-contract pays 100 ticks). A negative loss is a gain. The same
 * numbers come out of lib/engine/portfolio.ts (`notional + fees` is `spent`).
 *
 * Money of a fill is rounded as the portfolio rounds it: notional
 * `ceil(count x price / 100)` ticks. The worst case of an order is a full fill
 * at its limit price plus the taker fee at that price rounded up to the cent: a
 * fill at a better price costs less in every outcome (price + fee rises with the
 * price while the fee rate is below 1). Not covered: an order filled over several
 * price levels pays per-fill rounding, up to 1 tick of notional and 1 tick of fee
 * per extra level (which can reach one more cent of fee).
 *
 * @example
 * ```ts
 * import { addFill, NO_HOLDINGS, scenarioLoss, worstLoss } from "./exposure.ts";
 *
 * // 10 YES at $0.40 with a $0.17 fee.
 * const h = addFill(NO_HOLDINGS, "yes", 4000, 1000, 1700);
 * scenarioLoss(h, "no"); // 41700 ticks ($4.17)
 * scenarioLoss(h, "yes"); // -58300 ticks (a $5.83 gain)
 * worstLoss(h); // 41700
 * ```
 *
 * @module
 */

import type { Side } from "../tape/events.ts";
import type { Ladder } from "../market/ladder.ts";
import { type FeeParams, orderFeeTicks } from "../fees/fees.ts";

/** Ticks paid per winning centi-contract ($1 a contract). */
export const PAYOUT_PER_CENTI = 100;
/** Ticks in one dollar. */
const ONE_DOLLAR = 10_000;

/** What the risk layer knows of one market's position: enough to settle it exactly. */
export interface Holdings {
  /** Notional paid plus fees paid, ticks (non-negative). */
  readonly spent: number;
  /** YES contracts bought, centi-contracts. */
  readonly boughtYes: number;
  /** NO contracts bought, centi-contracts. */
  readonly boughtNo: number;
}

/** An empty position. */
export const NO_HOLDINGS: Holdings = Object.freeze({ spent: 0, boughtYes: 0, boughtNo: 0 });

/** The worst-case cost of an order: notional at the limit plus the taker fee there. */
export interface OrderCost {
  /** `ceil(count x limitPrice / 100)`, ticks. */
  readonly notional: number;
  /** Taker fee for the whole count at the limit price, rounded up to the cent, ticks. */
  readonly fee: number;
  /** `notional + fee`, ticks. */
  readonly total: number;
}

function checkPrice(action: string, price: number): void {
  if (!Number.isInteger(price) || price <= 0 || price >= ONE_DOLLAR) {
    throw new RangeError(
      `Cannot ${action}: price must be an integer number of ticks in 1..9999, current value is ${price}`,
    );
  }
}

function checkCount(action: string, count: number): void {
  if (!Number.isSafeInteger(count) || count <= 0) {
    throw new RangeError(
      `Cannot ${action}: count must be a positive integer of centi-contracts, current value is ${count}`,
    );
  }
}

function checkSide(action: string, side: Side): void {
  if (side !== "yes" && side !== "no") {
    throw new RangeError(
      `Cannot ${action}: side must be "yes" or "no", current value is ${JSON.stringify(side)}`,
    );
  }
}

/**
 * Net YES-equivalent position (centi-contracts): long YES > 0, long NO < 0, as in
 * lib/engine/portfolio.ts.
 *
 * @example
 * ```ts
 * import { netPosition } from "./exposure.ts";
 *
 * netPosition({ spent: 0, boughtYes: 500, boughtNo: 200 }); // 300
 * ```
 */
export function netPosition(h: Holdings): number {
  return h.boughtYes - h.boughtNo;
}

/**
 * Loss (ticks) of a market's holdings if it settles `result`; negative is a gain.
 *
 * @example
 * ```ts
 * import { scenarioLoss } from "./exposure.ts";
 *
 * scenarioLoss({ spent: 40_000, boughtYes: 1000, boughtNo: 0 }, "no"); // 40000
 * ```
 */
export function scenarioLoss(h: Holdings, result: Side): number {
  return h.spent - (result === "yes" ? h.boughtYes : h.boughtNo) * PAYOUT_PER_CENTI;
}

/**
 * The larger of the two settlement losses of a market (ticks).
 *
 * @example
 * ```ts
 * import { worstLoss } from "./exposure.ts";
 *
 * // 10 YES at $0.40 and 10 NO at $0.55, no fees: $9.50 spent, $10 back either way.
 * worstLoss({ spent: 95_000, boughtYes: 1000, boughtNo: 1000 }); // -5000
 * ```
 */
export function worstLoss(h: Holdings): number {
  return Math.max(scenarioLoss(h, "yes"), scenarioLoss(h, "no"));
}

/**
 * Notional of a fill in ticks, rounded up as lib/engine/portfolio.ts rounds it.
 *
 * @example
 * ```ts
 * import { fillNotional } from "./exposure.ts";
 *
 * fillNotional(5555, 1); // 56 (0.01 contract at $0.5555 is $0.005555)
 * ```
 */
export function fillNotional(price: number, count: number): number {
  return Math.ceil((count * price) / 100);
}

/**
 * Holdings after a fill: `count` of `side` bought at `price` paying `feeTicks`.
 *
 * @throws {RangeError} for a price outside 1..9999, a non-positive count, a
 *   negative fee or a total beyond a safe integer.
 *
 * @example
 * ```ts
 * import { addFill, NO_HOLDINGS } from "./exposure.ts";
 *
 * addFill(NO_HOLDINGS, "no", 3000, 500, 0); // { spent: 15000, boughtYes: 0, boughtNo: 500 }
 * ```
 */
export function addFill(
  h: Holdings,
  side: Side,
  price: number,
  count: number,
  feeTicks: number,
): Holdings {
  const action = "add fill";
  checkSide(action, side);
  checkPrice(action, price);
  checkCount(action, count);
  if (!Number.isSafeInteger(feeTicks) || feeTicks < 0) {
    throw new RangeError(
      `Cannot ${action}: fee must be a non-negative integer of ticks, current value is ${feeTicks}`,
    );
  }
  const spent = h.spent + fillNotional(price, count) + feeTicks;
  const boughtYes = side === "yes" ? h.boughtYes + count : h.boughtYes;
  const boughtNo = side === "no" ? h.boughtNo + count : h.boughtNo;
  if (!Number.isSafeInteger(spent) || !Number.isSafeInteger(Math.max(boughtYes, boughtNo) * 100)) {
    throw new RangeError(
      `Cannot ${action}: totals exceed a safe integer, current value is ${count}`,
    );
  }
  return { spent, boughtYes, boughtNo };
}

/**
 * The worst-case cost of an IOC order: a full fill at its limit price and the
 * taker fee of the whole count at that price, rounded up to the cent.
 *
 * @throws {RangeError} for a price outside 1..9999, a non-positive count or
 *   invalid fee parameters.
 *
 * @example
 * ```ts
 * import { orderWorstCost } from "./exposure.ts";
 *
 * // 10 contracts at $0.50, M = 1: $5 notional, $0.175 fee charged as $0.18.
 * orderWorstCost(5000, 1000, { feeType: "quadratic", multiplier: 10_000 });
 * // { notional: 50000, fee: 1800, total: 51800 }
 * ```
 */
export function orderWorstCost(limitPrice: number, count: number, fee: FeeParams): OrderCost {
  checkPrice("price order", limitPrice);
  checkCount("price order", count);
  const notional = fillNotional(limitPrice, count);
  const f = orderFeeTicks(fee, "taker", limitPrice, count);
  return { notional, fee: f, total: notional + f };
}

/**
 * Holdings if an order fills in full at its limit (the worst case for every
 * outcome; see the module documentation).
 *
 * @throws {RangeError} as {@link orderWorstCost} and {@link addFill}.
 *
 * @example
 * ```ts
 * import { addOrderWorstCase, NO_HOLDINGS } from "./exposure.ts";
 *
 * addOrderWorstCase(NO_HOLDINGS, "yes", 5000, 1000, { feeType: "quadratic", multiplier: 10_000 });
 * // { spent: 51800, boughtYes: 1000, boughtNo: 0 }
 * ```
 */
export function addOrderWorstCase(
  h: Holdings,
  side: Side,
  limitPrice: number,
  count: number,
  fee: FeeParams,
): Holdings {
  const cost = orderWorstCost(limitPrice, count, fee);
  return addFill(h, side, limitPrice, count, cost.fee);
}

/**
 * Marked value of holdings (ticks) at a YES price `yesMark` (ticks, 0..10000):
 * YES contracts at the mark, NO contracts at `10000 - yesMark`, rounded down.
 *
 * @throws {RangeError} when `yesMark` is not an integer in 0..10000.
 *
 * @example
 * ```ts
 * import { markedValue } from "./exposure.ts";
 *
 * markedValue({ spent: 40_000, boughtYes: 1000, boughtNo: 0 }, 4500); // 45000
 * ```
 */
export function markedValue(h: Holdings, yesMark: number): number {
  if (!Number.isInteger(yesMark) || yesMark < 0 || yesMark > ONE_DOLLAR) {
    throw new RangeError(
      `Cannot mark holdings: YES mark must be an integer number of ticks in 0..10000, current value is ${yesMark}`,
    );
  }
  return Math.floor((h.boughtYes * yesMark + h.boughtNo * (ONE_DOLLAR - yesMark)) / 100);
}

/**
 * Loss (ticks) of an event's holdings in each outcome scenario "the outcome falls
 * in bin b": market i settles YES exactly on bins `[binStart[i], binEnd[i])`.
 * Works for mutually exclusive ladders (one bin a market) and threshold ladders
 * (a market covers a run of elementary bins) alike.
 *
 * @param holdings one entry per market of the ladder, in ladder order
 *   (`undefined` for a market with no position).
 * @returns one loss per bin, integers.
 * @throws {RangeError} when `holdings` does not have one entry per market.
 *
 * @example
 * ```ts
 * import { eventScenarioLosses } from "./exposure.ts";
 * import { weatherLadder } from "../market/test_fixtures.ts";
 *
 * const ladder = weatherLadder(); // 8 bins, one market each
 * // long 1 YES of the lowest bin, bought at $0.20
 * const holdings = ladder.markets.map((_, i) =>
 *   i === 0 ? { spent: 2000, boughtYes: 100, boughtNo: 0 } : undefined
 * );
 * const losses = eventScenarioLosses(ladder, holdings);
 * // losses[0] = -8000, losses[1..7] = 2000
 * ```
 */
export function eventScenarioLosses(
  ladder: Ladder,
  holdings: readonly (Holdings | undefined)[],
): Float64Array {
  if (holdings.length !== ladder.markets.length) {
    throw new RangeError(
      `Cannot compute scenario losses of ${ladder.event}: need one holding per market (${ladder.markets.length}), current value is ${holdings.length}`,
    );
  }
  const nBins = ladder.bins.length;
  // Every market loses its NO-scenario loss, except on its YES bins where it
  // loses the YES-scenario loss instead: a difference array over the bins.
  const diff = new Float64Array(nBins + 1);
  let base = 0;
  for (let i = 0; i < holdings.length; i++) {
    const h = holdings[i];
    if (h === undefined) continue;
    const lossNo = scenarioLoss(h, "no");
    base += lossNo;
    const delta = scenarioLoss(h, "yes") - lossNo;
    diff[ladder.binStart[i]] += delta;
    diff[ladder.binEnd[i]] -= delta;
  }
  const out = new Float64Array(nBins);
  let run = 0;
  for (let b = 0; b < nBins; b++) {
    run += diff[b];
    out[b] = base + run;
  }
  return out;
}
