/**
 * Fee-aware expected value of buying a contract at a price, given a probability.
 *
 * @module
 */

import { type FeeParams, type FeeRole, orderFeeTicks } from "../fees/fees.ts";
import type { Side } from "../tape/events.ts";

const TICKS_PER_DOLLAR = 10_000;
const CENTI_PER_CONTRACT = 100;

/**
 * Expected profit per contract, in ticks of $0.0001 (a float: an expectation), of
 * buying `count` centi-contracts of `side` at `priceTicks` in one order:
 *
 * `P(side wins) * 10000 - priceTicks - orderFeeTicks(fee, role, priceTicks, count) / (count / 100)`
 *
 * where P(YES wins) = `pYes` and P(NO wins) = 1 - `pYes`. `priceTicks` is the price
 * of the contract bought (a NO buy at its NO price). The fee is the cash charged
 * for the order, rounded up to the cent, spread over its contracts, so small orders
 * pay more per contract.
 *
 * @throws {RangeError} when `pYes` is not in [0, 1], `side` or `role` is unknown,
 * `priceTicks` is not an integer in 1..9999, `count` is not a positive safe
 * integer, or the fee parameters are invalid.
 *
 * @example
 * ```ts
 * import { evPerContract } from "./ev.ts";
 *
 * // Buy 10 YES at $0.50 with P(YES) = 0.6 as a taker, M = 1:
 * // fee $0.18 for the order = 180 ticks per contract; 6000 - 5000 - 180 = 820.
 * evPerContract(0.6, "yes", 5000, 1000, { feeType: "quadratic", multiplier: 10_000 }, "taker"); // 820
 * ```
 */
export function evPerContract(
  pYes: number,
  side: Side,
  priceTicks: number,
  count: number,
  fee: FeeParams,
  role: FeeRole,
): number {
  if (typeof pYes !== "number" || !(pYes >= 0 && pYes <= 1)) {
    throw new RangeError(
      `Cannot compute expected value: pYes must be a probability in [0, 1], current value is ${pYes}`,
    );
  }
  if (side !== "yes" && side !== "no") {
    throw new RangeError(
      `Cannot compute expected value: side must be "yes" or "no", current value is ${
        JSON.stringify(side)
      }`,
    );
  }
  if (role !== "taker" && role !== "maker") {
    throw new RangeError(
      `Cannot compute expected value: role must be "taker" or "maker", current value is ${
        JSON.stringify(role)
      }`,
    );
  }
  if (!Number.isInteger(priceTicks) || priceTicks < 1 || priceTicks >= TICKS_PER_DOLLAR) {
    throw new RangeError(
      `Cannot compute expected value: price must be an integer number of ticks in 1..9999, current value is ${priceTicks}`,
    );
  }
  if (!Number.isSafeInteger(count) || count <= 0) {
    throw new RangeError(
      `Cannot compute expected value: count must be a positive integer of centi-contracts, current value is ${count}`,
    );
  }
  const pWin = side === "yes" ? pYes : 1 - pYes;
  const feePerContract = orderFeeTicks(fee, role, priceTicks, count) / (count / CENTI_PER_CONTRACT);
  return pWin * TICKS_PER_DOLLAR - priceTicks - feePerContract;
}
