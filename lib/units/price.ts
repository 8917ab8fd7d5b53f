/**
 * Prices and money as integer ticks of $0.0001 (DESIGN.md §2).
 *
 * Kalshi sends prices as fixed-point dollar strings (`"0.5600"`, up to 4 decimals in
 * requests and up to 6 in responses). They are converted here digit by digit into
 * integers, never through a float, so `"0.0700"` is exactly 700 ticks.
 *
 * @example
 * ```ts
 * import { formatPrice, parsePrice } from "./price.ts";
 *
 * const ticks = parsePrice("0.5600"); // 5600
 * formatPrice(ticks); // "0.5600"
 * ```
 *
 * @module
 */

/** Ticks in one dollar: a tick is $0.0001. */
export const TICKS_PER_DOLLAR = 10_000;

/** Ticks in one cent. */
export const TICKS_PER_CENT = 100;

/** The number of decimal places a tick resolves. */
const TICK_DECIMALS = 4;

/** The most decimal places a Kalshi dollar string carries (responses). */
const MAX_PRICE_DECIMALS = 6;

const FIXED_POINT = /^(-?)(\d+)(?:\.(\d+))?$/;

/** Options of {@link parseFixedPoint}. */
export interface FixedPointOptions {
  /** Decimal places of one integer unit (4 for ticks of $0.0001, 2 for centi-contracts). */
  readonly scale: number;
  /** Whether a leading "-" is accepted. A negative value is a RangeError when false. */
  readonly signed: boolean;
  /** Most decimal places accepted; more is a SyntaxError. Undefined: no limit. */
  readonly maxDecimals?: number;
  /** What is parsed, for error messages ("price", "count", ...). */
  readonly what: string;
  /** The unit one step of `scale` is, for error messages ("$0.0001", "0.01 contracts"). */
  readonly unitName: string;
}

/**
 * Parses a decimal string into an integer count of `10^-scale` units, exactly
 * (digits are read as integers, no float is involved). Digits beyond `scale` must
 * be zero. Shared by the price, money and count parsers.
 *
 * Grammar: an optional "-", one or more digits, optionally "." and one or more
 * digits. No "+", no exponent, no whitespace, no leading or trailing ".".
 *
 * @throws {SyntaxError} when the string does not match the grammar, or has more
 *   than `maxDecimals` decimal places.
 * @throws {RangeError} when a digit beyond `scale` is not zero, when the value is
 *   negative and `signed` is false, or when the result is not a safe integer.
 *
 * @example
 * ```ts
 * import { parseFixedPoint } from "./price.ts";
 *
 * parseFixedPoint("10.50", { scale: 2, signed: false, what: "count", unitName: "0.01" }); // 1050
 * ```
 */
export function parseFixedPoint(s: string, options: FixedPointOptions): number {
  if (typeof s === "string") {
    const v = scanFixedPoint(s, options.scale, options.signed, options.maxDecimals ?? -1);
    if (v === v) return v;
  }
  return parseFixedPointSlow(s, options);
}

/** Largest accumulator that can take one more decimal digit and stay an exact integer. */
const SCAN_LIMIT = 9e14;

/** Powers of ten a scanned value may be scaled by (scale - decimals written). */
const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];

/**
 * The fast path of {@link parseFixedPoint}: a character loop on integers (no
 * regular expression, no BigInt, no allocation). Returns the value when `s` is
 * valid and its magnitude is below 9 * 10^15 units, and NaN otherwise: NaN means
 * "ask {@link parseFixedPoint}", which gives the verdict (a value for a larger
 * valid string, or the error).
 *
 * @param s The string (must be a string).
 * @param scale Decimal places of one unit (0..15).
 * @param signed Whether a negative value is accepted.
 * @param maxDecimals Most decimal places accepted, or -1 for no limit.
 */
export function scanFixedPoint(
  s: string,
  scale: number,
  signed: boolean,
  maxDecimals: number,
): number {
  return scanFixedPointIn(s, 0, s.length, scale, signed, maxDecimals);
}

/**
 * {@link scanFixedPoint} on the characters `from` (inclusive) to `to`
 * (exclusive) of `s`, without cutting them out: the same verdict as
 * `scanFixedPoint(s.slice(from, to), ...)`. Used to read values in place in a
 * line of text.
 */
export function scanFixedPointIn(
  s: string,
  from: number,
  to: number,
  scale: number,
  signed: boolean,
  maxDecimals: number,
): number {
  const n = to;
  let i = from;
  let negative = false;
  if (n > i && s.charCodeAt(i) === 45 /* - */) {
    negative = true;
    i++;
  }
  const intStart = i;
  let acc = 0;
  let c = 0;
  for (; i < n; i++) {
    c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    if (acc >= SCAN_LIMIT) return NaN;
    acc = acc * 10 + c;
  }
  if (i === intStart) return NaN;
  let decimals = 0;
  if (i < n) {
    if (c !== -2 /* . */) return NaN;
    i++;
    const fracStart = i;
    for (; i < n; i++) {
      c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) return NaN;
      if (i - fracStart < scale) {
        if (acc >= SCAN_LIMIT) return NaN;
        acc = acc * 10 + c;
      } else if (c !== 0) {
        return NaN;
      }
    }
    decimals = i - fracStart;
    if (decimals === 0 || (maxDecimals >= 0 && decimals > maxDecimals)) return NaN;
  }
  if (decimals < scale) {
    acc *= POW10[scale - decimals];
    if (!(acc < SCAN_LIMIT * 10)) return NaN;
  }
  if (negative && acc !== 0) return signed ? -acc : NaN;
  return acc;
}

/**
 * The reference implementation (regular expression + BigInt): the verdict and the
 * error messages. The fast parsers fall back to it on anything they reject, and
 * the property test (parse_property_test.ts) holds them to it.
 */
export function parseFixedPointSlow(s: string, options: FixedPointOptions): number {
  const { scale, signed, maxDecimals, what, unitName } = options;
  if (typeof s !== "string") {
    throw new TypeError(
      `Cannot parse ${what}: expected a string, current value is ${String(s)}`,
    );
  }
  const m = FIXED_POINT.exec(s);
  if (m === null) {
    throw new SyntaxError(
      `Cannot parse ${what}: not a decimal number, current value is ${JSON.stringify(s)}`,
    );
  }
  const negative = m[1] === "-";
  const intDigits = m[2];
  const fracDigits = m[3] ?? "";
  if (maxDecimals !== undefined && fracDigits.length > maxDecimals) {
    throw new SyntaxError(
      `Cannot parse ${what}: more than ${maxDecimals} decimal places, current value is ${
        JSON.stringify(s)
      }`,
    );
  }
  const kept = fracDigits.slice(0, scale).padEnd(scale, "0");
  const dropped = fracDigits.slice(scale);
  if (/[^0]/.test(dropped)) {
    throw new RangeError(
      `Cannot parse ${what}: not a multiple of ${unitName}, current value is ${JSON.stringify(s)}`,
    );
  }
  const magnitude = BigInt(intDigits) * 10n ** BigInt(scale) + BigInt(kept);
  if (negative && magnitude !== 0n && !signed) {
    throw new RangeError(
      `Cannot parse ${what}: must not be negative, current value is ${JSON.stringify(s)}`,
    );
  }
  if (magnitude > BigInt(Number.MAX_SAFE_INTEGER)) {
    throw new RangeError(
      `Cannot parse ${what}: too large for a safe integer of ${unitName}, current value is ${
        JSON.stringify(s)
      }`,
    );
  }
  const value = Number(magnitude);
  // `-0` parses to 0, never to negative zero.
  return negative && value !== 0 ? -value : value;
}

/**
 * Formats an integer count of `10^-scale` units as a decimal string with exactly
 * `scale` decimal places. Shared by the price, money and count formatters.
 *
 * @throws {RangeError} when `value` is not a safe integer.
 *
 * @example
 * ```ts
 * import { formatFixedPoint } from "./price.ts";
 *
 * formatFixedPoint(-12345, 4, "money"); // "-1.2345"
 * ```
 */
export function formatFixedPoint(value: number, scale: number, what: string): string {
  if (!Number.isSafeInteger(value)) {
    throw new RangeError(
      `Cannot format ${what}: not a safe integer, current value is ${String(value)}`,
    );
  }
  const sign = value < 0 ? "-" : "";
  if (scale === 0) return `${sign}${Math.abs(value)}`;
  const digits = String(Math.abs(value)).padStart(scale + 1, "0");
  const cut = digits.length - scale;
  return `${sign}${digits.slice(0, cut)}.${digits.slice(cut)}`;
}

/**
 * Parses a Kalshi dollar price string (`*_dollars`) into integer ticks of $0.0001.
 *
 * Accepts up to 6 decimal places (Kalshi responses carry up to 6); the 5th and 6th
 * must be zero. The result must lie in 0..10000 ($0 to $1).
 *
 * @throws {SyntaxError} for a malformed string: empty, "abc", "1e3", " 0.5",
 *   "--1", "0.5.6", "NaN", "Infinity", or more than 6 decimals.
 * @throws {RangeError} when the price is not a multiple of $0.0001 or lies
 *   outside $0..$1.
 *
 * @example
 * ```ts
 * import { parsePrice } from "./price.ts";
 *
 * parsePrice("0.5600"); // 5600
 * parsePrice("0.56"); // 5600
 * parsePrice("1"); // 10000
 * ```
 */
export function parsePrice(s: string): number {
  const fast = parsePriceOrNaN(s);
  if (fast === fast) return fast;
  const ticks = parseFixedPointSlow(s, PRICE_OPTIONS);
  if (ticks < 0 || ticks > TICKS_PER_DOLLAR) {
    throw new RangeError(
      `Cannot parse price: outside $0..$1, current value is ${JSON.stringify(s)}`,
    );
  }
  return ticks;
}

const PRICE_OPTIONS: FixedPointOptions = {
  scale: TICK_DECIMALS,
  signed: true,
  maxDecimals: MAX_PRICE_DECIMALS,
  what: "price",
  unitName: "$0.0001",
};

const MONEY_OPTIONS: FixedPointOptions = { ...PRICE_OPTIONS, what: "money" };

/**
 * {@link parsePrice} without the exception: the ticks of a valid price string,
 * or NaN for anything {@link parsePrice} would reject (or a non-string). Cheap
 * enough for a per-line hot path; call {@link parsePrice} on NaN for the error.
 *
 * @example
 * ```ts
 * import { parsePriceOrNaN } from "./price.ts";
 *
 * parsePriceOrNaN("0.5600"); // 5600
 * parsePriceOrNaN("1.5"); // NaN
 * ```
 */
export function parsePriceOrNaN(s: string): number {
  if (typeof s !== "string") return NaN;
  return parsePriceInOrNaN(s, 0, s.length);
}

/**
 * {@link parsePriceOrNaN} of the characters `from` to `to` (exclusive) of `s`,
 * read in place: the same as `parsePriceOrNaN(s.slice(from, to))`.
 */
export function parsePriceInOrNaN(s: string, from: number, to: number): number {
  const v = scanFixedPointIn(s, from, to, TICK_DECIMALS, true, MAX_PRICE_DECIMALS);
  return v >= 0 && v <= TICKS_PER_DOLLAR ? v : NaN;
}

/**
 * Formats a price in ticks as a dollar string with exactly 4 decimal places.
 *
 * @throws {RangeError} when `ticks` is not an integer in 0..10000.
 *
 * @example
 * ```ts
 * import { formatPrice } from "./price.ts";
 *
 * formatPrice(5600); // "0.5600"
 * formatPrice(10000); // "1.0000"
 * ```
 */
export function formatPrice(ticks: number): string {
  if (!Number.isInteger(ticks) || ticks < 0 || ticks > TICKS_PER_DOLLAR) {
    throw new RangeError(
      `Cannot format price: not an integer number of ticks in 0..${TICKS_PER_DOLLAR}, current value is ${
        String(ticks)
      }`,
    );
  }
  return formatFixedPoint(ticks, TICK_DECIMALS, "price");
}

/**
 * Parses a signed dollar amount (a balance, a PnL, a fee) into integer ticks of
 * $0.0001. Same grammar as {@link parsePrice} (up to 6 decimals, the 5th and 6th
 * zero) plus an optional leading "-", with no $0..$1 limit; the result must be a
 * safe integer.
 *
 * @throws {SyntaxError} for a malformed string.
 * @throws {RangeError} when the amount is not a multiple of $0.0001 or does not fit
 *   a safe integer of ticks.
 *
 * @example
 * ```ts
 * import { parseMoney } from "./price.ts";
 *
 * parseMoney("-1.2345"); // -12345
 * parseMoney("250"); // 2500000
 * ```
 */
export function parseMoney(s: string): number {
  return parseFixedPoint(s, MONEY_OPTIONS);
}

/**
 * Formats an amount of money in ticks as a signed dollar string with exactly 4
 * decimal places.
 *
 * @throws {RangeError} when `ticks` is not a safe integer.
 *
 * @example
 * ```ts
 * import { formatMoney } from "./price.ts";
 *
 * formatMoney(-12345); // "-1.2345"
 * formatMoney(1800); // "0.1800"
 * ```
 */
export function formatMoney(ticks: number): string {
  return formatFixedPoint(ticks, TICK_DECIMALS, "money");
}
