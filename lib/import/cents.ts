/**
 * Prices written in cents (recorder CSV logs: `45`, `1.0`, `99.50`) -> integer
 * ticks of $0.0001 (1 cent = 100 ticks), exactly (digits, never a float).
 *
 * Grammar: digits, optionally `.` and digits; digits beyond the second decimal
 * place must be zero (`1.000` is fine, `1.005` is finer than a tick). No sign,
 * no exponent, no spaces. Range 0..100 cents inclusive (0 and 100 mean "no bid"
 * / "no ask" in top-of-book logs; importers decide what is valid where).
 *
 * @example
 * ```ts
 * import { parseCents } from "./cents.ts";
 *
 * parseCents("45"); // 4500
 * parseCents("1.0"); // 100
 * ```
 *
 * @module
 */

import { scanFixedPoint } from "../units/price.ts";

/** Ticks in one cent. */
const TICKS_PER_CENT = 100;

/**
 * Parses a cents string into ticks.
 *
 * @throws {SyntaxError} For a string that is not a plain decimal number.
 * @throws {RangeError} For a value finer than a tick or outside 0..100 cents.
 */
export function parseCents(s: string): number {
  const v = typeof s === "string" ? scanFixedPoint(s, 2, false, -1) : NaN;
  if (v >= 0 && v <= 100 * TICKS_PER_CENT) return v;
  const shown = JSON.stringify(s);
  if (typeof s !== "string" || !/^-?\d+(?:\.\d+)?$/.test(s)) {
    throw new SyntaxError(`Cannot parse price: not a number of cents, current value is ${shown}`);
  }
  if (/^\d+\.\d{2}\d*[1-9]/.test(s)) {
    throw new RangeError(
      `Cannot parse price: finer than $0.0001 (0.01 cents), current value is ${shown}`,
    );
  }
  throw new RangeError(`Cannot parse price: outside 0..100 cents, current value is ${shown}`);
}
