/**
 * Kelly sizing for a binary contract.
 *
 * Buying a contract that costs c dollars (price plus fee per contract) and pays $1
 * with probability q: the net odds are b = (1 - c) / c and the Kelly fraction of
 * the bankroll to stake is
 *
 * ```
 * f* = q - (1 - q) / b = (q - c) / (1 - c)
 * ```
 *
 * For YES, q is the model probability of YES and c the YES price; for NO, q is
 * 1 - P(YES) and c the NO price (the formula is symmetric). f* <= 0 means no
 * edge: stake nothing. The stake is `min(maxFraction, multiplier x f*)` of the
 * bankroll (fractional Kelly with a cap), and the count is the stake divided by
 * the cost, rounded DOWN to whole centi-contracts, in integer arithmetic.
 *
 * Probabilities and fractions are floats (statistics); money and counts are
 * integers (ticks and centi-contracts).
 *
 * @example
 * ```ts
 * import { kellySize } from "./kelly.ts";
 *
 * // Model says 60% YES, YES costs $0.50: f* = 0.2; half Kelly stakes 10% of $1000.
 * kellySize({
 *   side: "yes", yesProbability: 0.6, costTicks: 5000,
 *   bankrollTicks: 10_000_000, multiplier: 0.5, maxFraction: 0.25,
 * }); // 20000 centi-contracts (200 contracts, $100)
 * ```
 *
 * @module
 */

import type { Side } from "../tape/events.ts";

const ONE_DOLLAR = 10_000;

function checkProbability(action: string, q: number): void {
  if (!(q >= 0 && q <= 1)) {
    throw new RangeError(`Cannot ${action}: probability must be in [0, 1], current value is ${q}`);
  }
}

function checkCost(action: string, costTicks: number): void {
  if (!Number.isInteger(costTicks) || costTicks <= 0 || costTicks >= ONE_DOLLAR) {
    throw new RangeError(
      `Cannot ${action}: cost per contract must be an integer number of ticks in 1..9999, current value is ${costTicks}`,
    );
  }
}

function checkFraction(action: string, name: string, v: number): void {
  if (!(v >= 0 && v <= 1)) {
    throw new RangeError(`Cannot ${action}: ${name} must be in [0, 1], current value is ${v}`);
  }
}

/**
 * The full Kelly fraction `(q - c) / (1 - c)` of a contract costing `costTicks`
 * that pays $1 with probability `probability`. Negative when there is no edge.
 *
 * @throws {RangeError} when the probability is outside [0, 1] or the cost
 *   outside 1..9999 ticks.
 *
 * @example
 * ```ts
 * import { kellyFraction } from "./kelly.ts";
 *
 * kellyFraction(0.6, 5000); // 0.2
 * kellyFraction(0.4, 3000); // (0.4 - 0.3) / 0.7 = 0.142857...
 * kellyFraction(0.3, 5000); // -0.4 (no edge)
 * ```
 */
export function kellyFraction(probability: number, costTicks: number): number {
  checkProbability("compute Kelly fraction", probability);
  checkCost("compute Kelly fraction", costTicks);
  const c = costTicks / ONE_DOLLAR;
  return (probability - c) / (1 - c);
}

/**
 * The fraction of the bankroll to stake: `min(maxFraction, multiplier x f*)`,
 * and 0 when f* <= 0.
 *
 * @throws {RangeError} for an invalid probability, cost, multiplier or cap.
 *
 * @example
 * ```ts
 * import { cappedKellyFraction } from "./kelly.ts";
 *
 * cappedKellyFraction(0.6, 5000, 0.5, 0.25); // 0.1
 * cappedKellyFraction(0.9, 5000, 1, 0.25); // 0.25 (f* = 0.8, capped)
 * ```
 */
export function cappedKellyFraction(
  probability: number,
  costTicks: number,
  multiplier: number,
  maxFraction: number,
): number {
  checkFraction("size by Kelly", "multiplier", multiplier);
  checkFraction("size by Kelly", "maxFraction", maxFraction);
  const f = kellyFraction(probability, costTicks);
  if (!(f > 0)) return 0;
  return Math.min(maxFraction, multiplier * f);
}

/**
 * Centi-contracts whose cost fits in `fraction x bankroll`: the stake budget
 * `floor(fraction x bankrollTicks)` ticks (a value within a relative 1e-12 below
 * an integer counts as that integer, absorbing float noise of the fraction) divided
 * by `costTicks` per contract, rounded down in integer arithmetic. 0 for a
 * non-positive bankroll or fraction.
 *
 * @throws {RangeError} for a non-integer bankroll, a fraction outside [0, 1], a
 *   cost outside 1..9999 ticks, or a count beyond a safe integer.
 *
 * @example
 * ```ts
 * import { kellyCount } from "./kelly.ts";
 *
 * kellyCount(10_000_000, 0.1, 5000); // 20000: $100 buys 200 contracts at $0.50
 * kellyCount(10_000, 0.1, 3000); // 33: $0.10 buys 0.33 contracts at $0.30
 * ```
 */
export function kellyCount(bankrollTicks: number, fraction: number, costTicks: number): number {
  if (!Number.isSafeInteger(bankrollTicks)) {
    throw new RangeError(
      `Cannot size by Kelly: bankroll must be an integer of ticks, current value is ${bankrollTicks}`,
    );
  }
  checkFraction("size by Kelly", "fraction", fraction);
  checkCost("size by Kelly", costTicks);
  if (bankrollTicks <= 0 || fraction === 0) return 0;
  // The fraction is a float (q - c carries rounding noise, 0.6 - 0.5 is
  // 0.09999999999999998): a budget just below an integer, within a relative
  // 1e-12, is taken as that integer, so noise does not cost a tick. This never
  // adds more than the one tick of the rounding.
  const x = fraction * bankrollTicks;
  const up = Math.ceil(x);
  const budget = up - x <= x * 1e-12 ? up : Math.floor(x);
  // centi-contracts x costTicks / 100 <= budget
  const count = (BigInt(budget) * 100n) / BigInt(costTicks);
  if (count > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(
      `Cannot size by Kelly: the count exceeds a safe integer, current value is ${count}`,
    );
  }
  return Number(count);
}

/** Inputs of {@link kellySize}. */
export interface KellySizeInput {
  /** The contract bought. */
  readonly side: Side;
  /** Model probability that the market settles YES, in [0, 1]. */
  readonly yesProbability: number;
  /**
   * All-in cost per contract of the side bought, ticks: the price plus the fee
   * per contract. At or above 10000 there is no possible edge and the size is 0.
   */
  readonly costTicks: number;
  /** Bankroll, ticks. */
  readonly bankrollTicks: number;
  /** Fractional Kelly multiplier in [0, 1]. */
  readonly multiplier: number;
  /** Cap on the staked fraction, in [0, 1]. */
  readonly maxFraction: number;
}

/**
 * Centi-contracts to hold on one side of a market by capped fractional Kelly.
 *
 * @throws {RangeError} for any invalid input.
 *
 * @example
 * ```ts
 * import { kellySize } from "./kelly.ts";
 *
 * // 60% YES; NO costs $0.30 and wins with 40%: f* = 1/7; full Kelly, cap 1.
 * kellySize({
 *   side: "no", yesProbability: 0.6, costTicks: 3000,
 *   bankrollTicks: 1_000_000, multiplier: 1, maxFraction: 1,
 * }); // 4761 (stake $14.2857 of $100 buys 47.61 contracts)
 * ```
 */
export function kellySize(input: KellySizeInput): number {
  const { side, yesProbability, costTicks } = input;
  if (side !== "yes" && side !== "no") {
    throw new RangeError(
      `Cannot size by Kelly: side must be "yes" or "no", current value is ${JSON.stringify(side)}`,
    );
  }
  checkProbability("size by Kelly", yesProbability);
  if (!Number.isInteger(costTicks) || costTicks <= 0) {
    throw new RangeError(
      `Cannot size by Kelly: cost per contract must be a positive integer of ticks, current value is ${costTicks}`,
    );
  }
  if (costTicks >= ONE_DOLLAR) return 0;
  const q = side === "yes" ? yesProbability : 1 - yesProbability;
  const f = cappedKellyFraction(q, costTicks, input.multiplier, input.maxFraction);
  return kellyCount(input.bankrollTicks, f, costTicks);
}
