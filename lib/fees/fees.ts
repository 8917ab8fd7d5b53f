/**
 * Kalshi trading fees, computed exactly in integers (DOMAIN.md "Fees").
 *
 * Fee of one fill, in dollars: `M x rate x C x P x (1 - P)`, with M the series
 * `fee_multiplier`, rate 0.07 for a taker and 0.0175 for a maker, C the contracts
 * and P the price in dollars. It is rounded UP to $0.0001 (one tick); the cash an
 * order is charged is then rounded up to the whole cent by a per-order
 * {@link FeeAccumulator}. There is no fee at settlement.
 *
 * In the workbench's integer units (M and rate in parts per 10,000, C in
 * centi-contracts, P in ticks of $0.0001):
 *
 * ```
 * dollars = (m/1e4)(r/1e4)(c/1e2)(p/1e4)((1e4-p)/1e4) = m r c p (1e4-p) / 1e18
 * ticks   = dollars x 1e4                             = m r c p (1e4-p) / 1e14
 * ```
 *
 * The numerator overflows a double (up to about 1e23 for large orders), so it is
 * formed as a BigInt and divided with a ceiling.
 *
 * Fee types (series `fee_type`; Kalshi's API docs: "'quadratic' is described by the
 * General Trading Fees Table, 'quadratic_with_maker_fees' is described by the
 * General Trading Fees Table with maker fees described in the Maker Fees section,
 * 'flat' is described by the Specific Trading Fees Table", pointing to
 * kalshi.com/docs/kalshi-fee-schedule.pdf):
 *
 * - `quadratic`: taker fee by the formula, no maker fee.
 * - `quadratic_with_maker_fees`: taker fee, and a maker fee at rate 0.0175.
 * - `flat`: ASSUMPTION. The Specific Trading Fees Table was not available to this
 *   workbench, so its rates are unknown. Until a `flat` series is checked against
 *   that table or against real fills, it is priced like `quadratic` (taker fee by
 *   the formula with the series multiplier, no maker fee). Treat fees on `flat`
 *   series as unverified.
 *
 * @example
 * ```ts
 * import { feeTicks, orderFeeTicks } from "./fees.ts";
 *
 * const params = { feeType: "quadratic", multiplier: 10_000 } as const;
 * feeTicks(params, "taker", 5000, 1000); // 1750 ($0.175, exact)
 * orderFeeTicks(params, "taker", 5000, 1000); // 1800 ($0.18 charged)
 * ```
 *
 * @module
 */

import type { FeeType } from "../tape/events.ts";

/** Whether a fill took liquidity (taker) or rested on the book (maker). */
export type FeeRole = "taker" | "maker";

/**
 * The fee terms of a series at a time.
 *
 * @example
 * ```ts
 * import type { FeeParams } from "./fees.ts";
 *
 * // S&P 500 series have had M = 0.5.
 * const sp: FeeParams = { feeType: "quadratic", multiplier: 5000 };
 * ```
 */
export interface FeeParams {
  /** The series `fee_type`. */
  readonly feeType: FeeType;
  /** The series `fee_multiplier` M in parts per 10,000: M = 1 is 10000, M = 0.5 is 5000. */
  readonly multiplier: number;
}

/**
 * Taker fee rate, 0.07, in parts per 10,000.
 *
 * @example
 * ```ts
 * import { TAKER_RATE } from "./fees.ts";
 *
 * TAKER_RATE / 10_000; // 0.07
 * ```
 */
export const TAKER_RATE = 700;

/**
 * Maker fee rate, 0.0175, in parts per 10,000 (charged only on
 * `quadratic_with_maker_fees` series).
 *
 * @example
 * ```ts
 * import { MAKER_RATE } from "./fees.ts";
 *
 * MAKER_RATE / 10_000; // 0.0175
 * ```
 */
export const MAKER_RATE = 175;

const TICKS_PER_DOLLAR = 10_000;
const TICKS_PER_CENT = 100;
/** Denominator of the fee in ticks: see the module documentation. */
const FEE_DENOMINATOR = 10n ** 14n;

const FEE_TYPES: ReadonlySet<string> = new Set<FeeType>([
  "quadratic",
  "quadratic_with_maker_fees",
  "flat",
]);

/**
 * Checks fee parameters: a known fee type and a multiplier that is a non-negative
 * safe integer (parts per 10,000).
 *
 * @throws {RangeError} when the fee type is unknown or the multiplier invalid.
 *
 * @example
 * ```ts
 * import { validateFeeParams } from "./fees.ts";
 *
 * validateFeeParams({ feeType: "quadratic", multiplier: 10_000 }); // ok
 * ```
 */
export function validateFeeParams(params: FeeParams): void {
  if (!FEE_TYPES.has(params.feeType)) {
    throw new RangeError(
      `Cannot use fee parameters: unknown fee type, current value is ${
        JSON.stringify(params.feeType)
      }`,
    );
  }
  if (!Number.isSafeInteger(params.multiplier) || params.multiplier < 0) {
    throw new RangeError(
      `Cannot use fee parameters: multiplier must be a non-negative integer in parts per 10,000, current value is ${
        String(params.multiplier)
      }`,
    );
  }
}

/** The fee rate (parts per 10,000) a role pays under a fee type. */
function rateFor(feeType: FeeType, role: FeeRole): number {
  if (role === "taker") return TAKER_RATE;
  if (role === "maker") return feeType === "quadratic_with_maker_fees" ? MAKER_RATE : 0;
  throw new RangeError(
    `Cannot compute fee: role must be "taker" or "maker", current value is ${JSON.stringify(role)}`,
  );
}

/**
 * The exact fee of one fill in ticks: `ceil(M x rate x C x P x (1 - P))` rounded
 * up to $0.0001, computed in integers. The maker fee is 0 unless the fee type is
 * `quadratic_with_maker_fees`; `flat` is priced like `quadratic` (an assumption,
 * see the module documentation).
 *
 * @param params the series fee terms in force at the fill.
 * @param role taker or maker.
 * @param priceTicks the fill price in ticks, 0..10000 (either side's price: the
 *   fee is symmetric in P and 1 - P).
 * @param count the filled quantity in centi-contracts.
 * @returns the fee in ticks of $0.0001 (not yet rounded to the cent).
 * @throws {RangeError} for invalid params, role, price or count.
 *
 * @example
 * ```ts
 * import { feeTicks } from "./fees.ts";
 *
 * // 10 contracts at $0.50, taker, M = 1: 0.07 x 10 x 0.25 = $0.175.
 * feeTicks({ feeType: "quadratic", multiplier: 10_000 }, "taker", 5000, 1000); // 1750
 * ```
 */
export function feeTicks(
  params: FeeParams,
  role: FeeRole,
  priceTicks: number,
  count: number,
): number {
  validateFeeParams(params);
  const rate = rateFor(params.feeType, role);
  if (!Number.isInteger(priceTicks) || priceTicks < 0 || priceTicks > TICKS_PER_DOLLAR) {
    throw new RangeError(
      `Cannot compute fee: price must be an integer number of ticks in 0..${TICKS_PER_DOLLAR}, current value is ${
        String(priceTicks)
      }`,
    );
  }
  if (!Number.isSafeInteger(count) || count < 0) {
    throw new RangeError(
      `Cannot compute fee: count must be a non-negative integer of centi-contracts, current value is ${
        String(count)
      }`,
    );
  }
  const numerator = BigInt(params.multiplier) * BigInt(rate) * BigInt(count) *
    BigInt(priceTicks) * BigInt(TICKS_PER_DOLLAR - priceTicks);
  const ticks = (numerator + FEE_DENOMINATOR - 1n) / FEE_DENOMINATOR;
  if (ticks > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(
      `Cannot compute fee: count too large, the fee exceeds a safe integer of ticks, current value is ${
        String(count)
      }`,
    );
  }
  return Number(ticks);
}

/** Rounds ticks up to a whole cent (a multiple of 100 ticks). */
function ceilToCent(ticks: number): number {
  return Math.ceil(ticks / TICKS_PER_CENT) * TICKS_PER_CENT;
}

/**
 * The cash fee charged for an order filled in a single fill: {@link feeTicks}
 * rounded up to the whole cent (a multiple of 100 ticks). For an order filled in
 * several fills use a {@link FeeAccumulator}.
 *
 * @returns the charged fee in ticks, a multiple of 100.
 * @throws {RangeError} for invalid params, role, price or count.
 *
 * @example
 * ```ts
 * import { orderFeeTicks } from "./fees.ts";
 *
 * // 10 contracts at $0.50, taker, M = 1: $0.175 exact, $0.18 charged.
 * orderFeeTicks({ feeType: "quadratic", multiplier: 10_000 }, "taker", 5000, 1000); // 1800
 * ```
 */
export function orderFeeTicks(
  params: FeeParams,
  role: FeeRole,
  priceTicks: number,
  count: number,
): number {
  return ceilToCent(feeTicks(params, role, priceTicks, count));
}

/**
 * The per-order fee accumulator: the exact fees of an order's fills (each already
 * rounded up to $0.0001 by {@link feeTicks}) are summed, and the cash charged so
 * far is always that sum rounded up to the whole cent. Each fill is charged the
 * difference, so many small fills cost what one equivalent fill would, never more.
 * Taker and maker fills of the same order share one accumulator.
 *
 * Not modelled here: Kalshi also rounds the fill's trade value (revenue) to the
 * member's balance precision when a subpenny price or fractional count puts it off
 * the cent grid; that is a cash-rounding concern of the venue, not a fee.
 *
 * @example
 * ```ts
 * import { FeeAccumulator } from "./fees.ts";
 *
 * const acc = new FeeAccumulator();
 * acc.add(175); // 200: $0.0175 exact, $0.02 charged
 * acc.add(175); // 200: $0.035 exact, $0.04 charged in all
 * acc.add(175); // 200: $0.0525 exact, $0.06 charged in all
 * acc.add(175); // 100: $0.07 exact, $0.07 charged in all
 * acc.totalChargedTicks; // 700
 * ```
 */
export class FeeAccumulator {
  #exact = 0;
  #charged = 0;

  /**
   * Adds the exact fee of one fill and returns the cash to charge for it now.
   *
   * @param fillFeeTicks the fill's fee in ticks (as returned by {@link feeTicks}).
   * @returns ticks to charge now, a multiple of 100 (possibly 0).
   * @throws {RangeError} when `fillFeeTicks` is not a non-negative safe integer or
   *   the running total would overflow.
   */
  add(fillFeeTicks: number): number {
    if (!Number.isSafeInteger(fillFeeTicks) || fillFeeTicks < 0) {
      throw new RangeError(
        `Cannot add fill fee: must be a non-negative integer number of ticks, current value is ${
          String(fillFeeTicks)
        }`,
      );
    }
    const exact = this.#exact + fillFeeTicks;
    if (!Number.isSafeInteger(exact + TICKS_PER_CENT)) {
      throw new RangeError(
        `Cannot add fill fee: running total exceeds a safe integer, current value is ${
          String(fillFeeTicks)
        }`,
      );
    }
    const charged = ceilToCent(exact);
    const now = charged - this.#charged;
    this.#exact = exact;
    this.#charged = charged;
    return now;
  }

  /** Sum of the exact fill fees added so far, in ticks. */
  get totalExactTicks(): number {
    return this.#exact;
  }

  /** Cash charged so far, in ticks: always `ceil(totalExactTicks / 100) * 100`. */
  get totalChargedTicks(): number {
    return this.#charged;
  }
}
