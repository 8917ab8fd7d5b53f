/**
 * Series fee metadata for sources that do not carry it (recorder CSV logs): the
 * fee type and multiplier come from the import options, with stated defaults,
 * and the report says which were assumed.
 *
 * Options (keys of {@link ImportOptions.extra}, set by the CLI flags of the same
 * name, `--fee-type` and `--fee-multiplier`): `fee_type` (`quadratic`, `quadratic_with_maker_fees` or `flat`; default
 * `quadratic`) and `fee_multiplier` (Kalshi's M as a decimal with at most 4
 * places, e.g. `1` or `0.5`; default `1`).
 *
 * @example
 * ```ts
 * import { feeFromOptions } from "./fee_options.ts";
 *
 * const fee = feeFromOptions({ extra: { fee_multiplier: "0.5" } });
 * // { feeType: "quadratic", feeMultiplier: 5000, assumed: true, text: "..." }
 * ```
 *
 * @module
 */

import type { FeeType } from "../tape/events.ts";
import { parseFixedPoint } from "../units/price.ts";
import { ImportOptionError } from "./option_error.ts";
import type { ReportBuilder } from "./report.ts";
import type { ImportOptions } from "./types.ts";

/** Fee type used when the source and the options say nothing. */
export const DEFAULT_FEE_TYPE: FeeType = "quadratic";

/** Fee multiplier M used when the source and the options say nothing. */
export const DEFAULT_FEE_MULTIPLIER = "1";

const FEE_TYPES: readonly FeeType[] = ["quadratic", "quadratic_with_maker_fees", "flat"];

/** The fee metadata to declare, and whether any part of it is a default. */
export interface FeeChoice {
  readonly feeType: FeeType;
  /** Parts per 10,000 (M = 1 is 10000). */
  readonly feeMultiplier: number;
  /** True when the fee type or the multiplier was not given (a default was used). */
  readonly assumed: boolean;
  /** How the report states it, e.g. "fee_type quadratic (default), fee_multiplier 1 (default)". */
  readonly text: string;
}

/**
 * Reads `fee_type` and `fee_multiplier` from the options (see the module).
 *
 * @throws {ImportOptionError} For an unknown fee type or a multiplier that is not
 *   a non-negative decimal with at most 4 places.
 */
export function feeFromOptions(options: ImportOptions): FeeChoice {
  const typeText = options.extra?.fee_type;
  const multText = options.extra?.fee_multiplier;
  const feeType = (typeText ?? DEFAULT_FEE_TYPE) as FeeType;
  if (!FEE_TYPES.includes(feeType)) {
    throw new ImportOptionError(
      "fee_type",
      `Cannot use fee type: not one of ${FEE_TYPES.join(", ")}, current value is ${
        JSON.stringify(typeText)
      }`,
    );
  }
  let feeMultiplier: number;
  try {
    feeMultiplier = parseFixedPoint(multText ?? DEFAULT_FEE_MULTIPLIER, {
      scale: 4,
      signed: false,
      maxDecimals: 4,
      what: "fee multiplier",
      unitName: "0.0001",
    });
  } catch {
    throw new ImportOptionError(
      "fee_multiplier",
      `Cannot use fee multiplier: not a non-negative decimal with at most 4 places, current value is ${
        JSON.stringify(multText)
      }`,
    );
  }
  const text = `fee_type ${feeType}${typeText === undefined ? " (default)" : ""}, fee_multiplier ${
    feeMultiplier / 10000
  }${multText === undefined ? " (default)" : ""}`;
  return {
    feeType,
    feeMultiplier,
    assumed: typeText === undefined || multText === undefined,
    text,
  };
}

/**
 * Records in the report where a series' fee came from: anomaly `fee_assumed`
 * (a default was used) or `fee_from_options` (both given by the user); the
 * source never states it.
 */
export function noteFee(report: ReportBuilder, series: string, fee: FeeChoice): void {
  report.anomaly(
    fee.assumed ? "fee_assumed" : "fee_from_options",
    `${series}: ${fee.text}; not in the source`,
  );
}
