/**
 * Quantities as integer centi-contracts (DESIGN.md §2): 1 contract = 100.
 *
 * Kalshi sends counts as fixed-point strings (`*_fp`, 2 decimals, fractional
 * contracts down to 0.01 allowed). They are converted here digit by digit into
 * integers, never through a float.
 *
 * @example
 * ```ts
 * import { formatCount, parseCount } from "./quantity.ts";
 *
 * const centi = parseCount("10.00"); // 1000
 * formatCount(centi); // "10.00"
 * ```
 *
 * @module
 */

import {
  type FixedPointOptions,
  formatFixedPoint,
  parseFixedPoint,
  scanFixedPointIn,
} from "./price.ts";

/** Centi-contracts in one contract. */
export const CENTI_PER_CONTRACT = 100;

/** Decimal places a centi-contract resolves. */
const COUNT_DECIMALS = 2;

/**
 * Parses a Kalshi count string (`*_fp`) into integer centi-contracts. More than 2
 * decimal places are accepted only when the extra digits are zero.
 *
 * @throws {SyntaxError} for a malformed string: empty, "abc", "1e3", " 1",
 *   "--1", "1.2.3", "NaN", "Infinity".
 * @throws {RangeError} for a negative count, a count that is not a multiple of
 *   0.01 contracts, or one too large for a safe integer.
 *
 * @example
 * ```ts
 * import { parseCount } from "./quantity.ts";
 *
 * parseCount("10.00"); // 1000
 * parseCount("10"); // 1000
 * parseCount("0.5"); // 50
 * ```
 */
export function parseCount(s: string): number {
  const fast = parseCountOrNaN(s);
  return fast === fast ? fast : parseFixedPoint(s, COUNT_OPTIONS);
}

/**
 * Parses a signed count string into integer centi-contracts: as
 * {@link parseCount}, plus a leading "-" (order book deltas are signed).
 *
 * @throws {SyntaxError} for a malformed string.
 * @throws {RangeError} for a count that is not a multiple of 0.01 contracts or is
 *   too large for a safe integer.
 *
 * @example
 * ```ts
 * import { parseSignedCount } from "./quantity.ts";
 *
 * parseSignedCount("-2.50"); // -250
 * ```
 */
export function parseSignedCount(s: string): number {
  const fast = parseSignedCountOrNaN(s);
  return fast === fast ? fast : parseFixedPoint(s, SIGNED_COUNT_OPTIONS);
}

const COUNT_OPTIONS: FixedPointOptions = {
  scale: COUNT_DECIMALS,
  signed: false,
  what: "count",
  unitName: "0.01 contracts",
};

const SIGNED_COUNT_OPTIONS: FixedPointOptions = { ...COUNT_OPTIONS, signed: true };

/**
 * {@link parseCount} without the exception: the centi-contracts of a valid count
 * string, or NaN for a string it would reject, a non-string, or a value too large
 * for the fast path (call {@link parseCount} on NaN for the verdict).
 *
 * @example
 * ```ts
 * import { parseCountOrNaN } from "./quantity.ts";
 *
 * parseCountOrNaN("10.00"); // 1000
 * parseCountOrNaN("-1"); // NaN
 * ```
 */
export function parseCountOrNaN(s: string): number {
  return typeof s === "string" ? parseCountInOrNaN(s, 0, s.length, false) : NaN;
}

/**
 * {@link parseCountOrNaN} (or, with `signed`, {@link parseSignedCountOrNaN})
 * of the characters `from` to `to` (exclusive) of `s`, read in place.
 */
export function parseCountInOrNaN(s: string, from: number, to: number, signed: boolean): number {
  return scanFixedPointIn(s, from, to, COUNT_DECIMALS, signed, -1);
}

/**
 * {@link parseSignedCount} without the exception (NaN: call
 * {@link parseSignedCount} for the verdict).
 *
 * @example
 * ```ts
 * import { parseSignedCountOrNaN } from "./quantity.ts";
 *
 * parseSignedCountOrNaN("-2.50"); // -250
 * ```
 */
export function parseSignedCountOrNaN(s: string): number {
  return typeof s === "string" ? parseCountInOrNaN(s, 0, s.length, true) : NaN;
}

/**
 * Formats centi-contracts as a count string with exactly 2 decimal places.
 *
 * @throws {RangeError} when `centi` is not a safe integer.
 *
 * @example
 * ```ts
 * import { formatCount } from "./quantity.ts";
 *
 * formatCount(1000); // "10.00"
 * formatCount(-50); // "-0.50"
 * ```
 */
export function formatCount(centi: number): string {
  return formatFixedPoint(centi, COUNT_DECIMALS, "count");
}
