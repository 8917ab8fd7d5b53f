/**
 * Typed reads of fields of one Kalshi JSON record, with errors that name the
 * field by its JSON path (`markets[2].yes_bid_dollars`).
 *
 * Times: RFC 3339 strings with an offset (lib/import/zoned_time.ts; fractions of
 * a millisecond are truncated) or Unix seconds (JSON integers).
 *
 * Prices: a `*_dollars` fixed-point string (up to 6 decimals; it must be a whole
 * number of $0.0001 ticks and lie in $0..$1), else, when the record lacks it, the
 * integer-cent field of the older API (0..100; removed by Kalshi in March 2026).
 * Counts: a `*_fp` fixed-point string (multiples of 0.01 contracts), else the
 * integer-contract field of the older API.
 *
 * A read that fails throws a {@link FieldError}; importers turn it into a reject
 * of the record.
 *
 * @module
 */

import { parsePrice, TICKS_PER_CENT } from "../units/price.ts";
import { CENTI_PER_CONTRACT, parseCount } from "../units/quantity.ts";
import { parseZonedTimestamp } from "./zoned_time.ts";

/** Unix seconds beyond this (year 2286) are taken for a unit mistake (ms written as s). */
const MAX_UNIX_SECONDS = 9_999_999_999;

/** A bad field of a record: `field` is its JSON path, `detail` says what is wrong. */
export class FieldError extends Error {
  readonly field: string;
  readonly detail: string;

  constructor(field: string, detail: string) {
    super(`field "${field}": ${detail}`);
    this.name = "FieldError";
    this.field = field;
    this.detail = detail;
  }
}

/**
 * Runs `fn` on a record, turning a {@link FieldError} into a reject of `row`
 * (after `onReject`, when given); any other error propagates.
 */
export function rejectFieldErrors(
  sink: { reject(row: number, field: string, detail: string): void },
  row: number,
  fn: () => void,
  onReject?: () => void,
): void {
  try {
    fn();
  } catch (e) {
    if (!(e instanceof FieldError)) throw e;
    onReject?.();
    sink.reject(row, e.field, e.detail);
  }
}

/** A value for an error message: JSON for data, `undefined` for absent. */
export function showValue(v: unknown): string {
  if (v === undefined) return "undefined";
  if (typeof v === "number" && !Number.isFinite(v)) return String(v);
  const s = JSON.stringify(v);
  return s.length > 80 ? `${s.slice(0, 77)}...` : s;
}

/** The message of an error thrown by a parser, for use as a detail. */
function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/**
 * One JSON object of a Kalshi response, its path for error messages and the key
 * prefix of its serializer (`"_"` for the old Python client, which wrote
 * `_floor_strike` for `floor_strike`).
 *
 * @example
 * ```ts
 * import { KalshiRecord } from "./kalshi_fields.ts";
 *
 * const r = new KalshiRecord({ ticker: "X", yes_bid_dollars: "0.5600" }, "markets[0]");
 * r.price("yes_bid_dollars", "yes_bid"); // 5600
 * r.field("ticker"); // "markets[0].ticker"
 * ```
 */
export class KalshiRecord {
  readonly obj: Readonly<Record<string, unknown>>;
  readonly path: string;
  readonly prefix: string;

  constructor(obj: Readonly<Record<string, unknown>>, path: string, prefix = "") {
    this.obj = obj;
    this.path = path;
    this.prefix = prefix;
  }

  /** The JSON path of a field (with the serializer's prefix). */
  field(name: string): string {
    const key = this.prefix + name;
    return this.path === "" ? key : `${this.path}.${key}`;
  }

  /** The raw value of a field (undefined when absent). */
  raw(name: string): unknown {
    return this.obj[this.prefix + name];
  }

  /** Whether a field is present and not null. */
  has(name: string): boolean {
    const v = this.raw(name);
    return v !== undefined && v !== null;
  }

  /** A required non-empty string. */
  str(name: string): string {
    const v = this.raw(name);
    if (typeof v === "string" && v.length > 0) return v;
    throw this.#missingOr(name, v, "a non-empty string");
  }

  /** An optional string: undefined when absent, null or empty. */
  optStr(name: string): string | undefined {
    const v = this.raw(name);
    if (v === undefined || v === null || v === "") return undefined;
    if (typeof v === "string") return v;
    throw this.#notA(name, v, "a string");
  }

  /** A required boolean. */
  bool(name: string): boolean {
    const v = this.raw(name);
    if (typeof v === "boolean") return v;
    throw this.#missingOr(name, v, "a boolean");
  }

  /** An optional finite JSON number: undefined when absent or null. */
  optNum(name: string): number | undefined {
    const v = this.raw(name);
    if (v === undefined || v === null) return undefined;
    if (typeof v === "number" && Number.isFinite(v)) return v;
    throw this.#notA(name, v, "a finite number");
  }

  /** A required finite JSON number. */
  num(name: string): number {
    const v = this.optNum(name);
    if (v === undefined) throw this.#missingOr(name, this.raw(name), "a finite number");
    return v;
  }

  /** A required RFC 3339 time (`2025-08-12T13:09:49.950641Z`), in ms since the epoch. */
  time(name: string): number {
    const v = this.raw(name);
    if (v === undefined || v === null) throw this.#missingOr(name, v, "an RFC 3339 time");
    if (typeof v !== "string") throw this.#notA(name, v, "an RFC 3339 time string");
    try {
      return parseZonedTimestamp(v);
    } catch (e) {
      throw new FieldError(this.field(name), messageOf(e));
    }
  }

  /** An optional RFC 3339 time: undefined when absent, null or empty. */
  optTime(name: string): number | undefined {
    const v = this.raw(name);
    if (v === undefined || v === null || v === "") return undefined;
    return this.time(name);
  }

  /** A required Unix time in whole seconds (a JSON integer), in ms. */
  unixSeconds(name: string): number {
    const v = this.raw(name);
    if (v === undefined || v === null) throw this.#missingOr(name, v, "Unix seconds");
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0 || v > MAX_UNIX_SECONDS) {
      throw this.#notA(name, v, "a non-negative integer of Unix seconds");
    }
    return v * 1000;
  }

  /**
   * A price in ticks, $0..$1 inclusive: the dollar string `dollars`, else (when
   * that field is absent or null) the integer cents of `cents`.
   *
   * @returns ticks, or undefined when both fields are absent.
   */
  optPrice(dollars: string, cents?: string): number | undefined {
    const v = this.raw(dollars);
    if (v !== undefined && v !== null) return this.#dollars(dollars, v);
    if (cents === undefined) return undefined;
    const c = this.raw(cents);
    if (c === undefined || c === null) return undefined;
    return centsToTicks(this.field(cents), c);
  }

  /** As {@link optPrice}, but a missing price is an error naming `dollars`. */
  price(dollars: string, cents?: string): number {
    const p = this.optPrice(dollars, cents);
    if (p === undefined) throw this.#missingOr(dollars, undefined, "a dollar price string");
    return p;
  }

  /**
   * A count in centi-contracts: the fixed-point string `fp`, else (absent or
   * null) the integer contracts of `whole`.
   *
   * @returns centi-contracts, or undefined when both fields are absent.
   */
  optCount(fp: string, whole?: string): number | undefined {
    const v = this.raw(fp);
    if (v !== undefined && v !== null) return countOf(this.field(fp), v);
    if (whole === undefined) return undefined;
    const w = this.raw(whole);
    if (w === undefined || w === null) return undefined;
    return contractsToCenti(this.field(whole), w);
  }

  /** As {@link optCount}, but a missing count is an error naming `fp`. */
  count(fp: string, whole?: string): number {
    const c = this.optCount(fp, whole);
    if (c === undefined) throw this.#missingOr(fp, undefined, "a count string");
    return c;
  }

  #dollars(name: string, v: unknown): number {
    return dollarsToTicks(this.field(name), v);
  }

  #missingOr(name: string, v: unknown, what: string): FieldError {
    if (v === undefined || v === null) {
      return new FieldError(
        this.field(name),
        `Cannot read record: missing field (expected ${what}), current value is ${showValue(v)}`,
      );
    }
    return this.#notA(name, v, what);
  }

  #notA(name: string, v: unknown, what: string): FieldError {
    return new FieldError(
      this.field(name),
      `Cannot read field: not ${what}, current value is ${showValue(v)}`,
    );
  }
}

/**
 * A Kalshi dollar string in ticks ($0..$1). A JSON number is refused: Kalshi
 * writes prices as strings, and a float cannot be trusted to a tick.
 *
 * @throws {FieldError} naming `field`.
 */
export function dollarsToTicks(field: string, v: unknown): number {
  if (typeof v !== "string") {
    throw new FieldError(
      field,
      `Cannot parse price: expected a dollar string such as "0.5600", current value is ${
        showValue(v)
      }`,
    );
  }
  try {
    return parsePrice(v);
  } catch (e) {
    throw new FieldError(field, messageOf(e));
  }
}

/**
 * Integer cents (the pre-2026 API) in ticks; 0..100.
 *
 * @throws {FieldError} naming `field`.
 */
export function centsToTicks(field: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isInteger(v)) {
    throw new FieldError(
      field,
      `Cannot parse price: expected integer cents, current value is ${showValue(v)}`,
    );
  }
  if (v < 0 || v > 100) {
    throw new FieldError(
      field,
      `Cannot parse price: outside 0..100 cents ($0..$1), current value is ${v}`,
    );
  }
  return v * TICKS_PER_CENT;
}

/**
 * A fixed-point count string in centi-contracts.
 *
 * @throws {FieldError} naming `field`.
 */
export function countOf(field: string, v: unknown): number {
  if (typeof v !== "string") {
    throw new FieldError(
      field,
      `Cannot parse count: expected a count string such as "10.00", current value is ${
        showValue(v)
      }`,
    );
  }
  try {
    return parseCount(v);
  } catch (e) {
    throw new FieldError(field, messageOf(e));
  }
}

/**
 * Whole contracts (the pre-2026 integer count fields) in centi-contracts.
 *
 * @throws {FieldError} naming `field`.
 */
export function contractsToCenti(field: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    throw new FieldError(
      field,
      `Cannot parse count: expected a non-negative integer of contracts, current value is ${
        showValue(v)
      }`,
    );
  }
  return v * CENTI_PER_CONTRACT;
}
