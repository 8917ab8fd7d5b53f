/**
 * The set of outcome values on which a market settles YES, as an interval of the
 * real line with explicit inclusivity at each end.
 *
 * Defaults follow the strike type (DOMAIN.md, Structure); a market's optional
 * `floorInclusive` / `capInclusive` override them, because whether a strike itself
 * settles YES differs by series.
 *
 * @module
 */

import type { MarketEvent } from "../tape/events.ts";

/**
 * An interval of the outcome line. `lo` may be `-Infinity` and `hi` `+Infinity`;
 * an infinite end is never inclusive.
 *
 * @example
 * ```ts
 * const iv: Interval = { lo: 45, loInclusive: true, hi: 46, hiInclusive: true }; // [45, 46]
 * ```
 */
export interface Interval {
  readonly lo: number;
  readonly loInclusive: boolean;
  readonly hi: number;
  readonly hiInclusive: boolean;
}

function requireStrike(m: MarketEvent, field: "floorStrike" | "capStrike"): number {
  const v = m[field];
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new RangeError(
      `Cannot compute the YES interval of market ${m.market}: field "${field}" must be a finite number for strike type "${m.strikeType}", current value is ${
        String(v)
      }`,
    );
  }
  return v;
}

/**
 * The interval of outcome values on which market `m` settles YES.
 *
 * Defaults: greater -> (floor, +inf), greater_or_equal -> [floor, +inf),
 * less -> (-inf, cap), less_or_equal -> (-inf, cap], between -> [floor, cap].
 * `m.floorInclusive` / `m.capInclusive`, when present, override the inclusivity of
 * a finite end. The strike the type does not use is ignored.
 *
 * @throws {RangeError} when a strike the type needs is missing or not finite, when
 * floor > cap, or when a between market's interval is empty (floor = cap with an
 * exclusive end). The message names the market ticker and the field.
 *
 * @example
 * ```ts
 * const iv = marketInterval({
 *   kind: "market", ts: 0, market: "KXBTCD-26FEB0620-T72999.99", event: "KXBTCD-26FEB0620",
 *   strikeType: "greater", floorStrike: 72999.99, openTs: 0, closeTs: 1, priceStep: 100,
 * });
 * // iv = { lo: 72999.99, loInclusive: false, hi: Infinity, hiInclusive: false }
 * ```
 */
export function marketInterval(m: MarketEvent): Interval {
  switch (m.strikeType) {
    case "greater":
    case "greater_or_equal": {
      const floor = requireStrike(m, "floorStrike");
      const loInclusive = m.floorInclusive ?? (m.strikeType === "greater_or_equal");
      return { lo: floor, loInclusive, hi: Infinity, hiInclusive: false };
    }
    case "less":
    case "less_or_equal": {
      const cap = requireStrike(m, "capStrike");
      const hiInclusive = m.capInclusive ?? (m.strikeType === "less_or_equal");
      return { lo: -Infinity, loInclusive: false, hi: cap, hiInclusive };
    }
    case "between": {
      const floor = requireStrike(m, "floorStrike");
      const cap = requireStrike(m, "capStrike");
      if (floor > cap) {
        throw new RangeError(
          `Cannot compute the YES interval of market ${m.market}: field "floorStrike" must not exceed "capStrike", current values are ${floor} > ${cap}`,
        );
      }
      const loInclusive = m.floorInclusive ?? true;
      const hiInclusive = m.capInclusive ?? true;
      if (floor === cap && !(loInclusive && hiInclusive)) {
        throw new RangeError(
          `Cannot compute the YES interval of market ${m.market}: field "floorStrike" equals "capStrike" (${floor}) with an exclusive end, so the interval is empty`,
        );
      }
      return { lo: floor, loInclusive, hi: cap, hiInclusive };
    }
    default: {
      const t: never = m.strikeType;
      throw new RangeError(
        `Cannot compute the YES interval of market ${m.market}: field "strikeType" is not supported, current value is ${
          String(t)
        }`,
      );
    }
  }
}

/**
 * Whether `x` lies in `iv`, respecting inclusivity. `NaN` is in no interval.
 *
 * @example
 * ```ts
 * const iv = { lo: 45, loInclusive: true, hi: 46, hiInclusive: false };
 * intervalContains(iv, 45); // true
 * intervalContains(iv, 46); // false
 * ```
 */
export function intervalContains(iv: Interval, x: number): boolean {
  const aboveLo = iv.loInclusive ? x >= iv.lo : x > iv.lo;
  const belowHi = iv.hiInclusive ? x <= iv.hi : x < iv.hi;
  return aboveLo && belowHi;
}

/**
 * Relative tolerance, in grid-index units, within which a value counts as lying on
 * the grid: far above the rounding error of `x / step` (about 2e-16 relative) and
 * far below a 4-decimal offset at index levels (6874.9999 on a 0.01 grid is 1e-2
 * grid units off, 1.5e-8 relative: off the grid, as Kalshi means it).
 */
const GRID_TOLERANCE = 1e-9;

/**
 * The grid index of `x` on a grid of step `step` when `x` lies on the grid (within
 * a small tolerance), otherwise `NaN`.
 */
function onGrid(x: number, step: number): number {
  const k = x / step;
  const r = Math.round(k);
  return Math.abs(k - r) <= GRID_TOLERANCE * Math.max(1, Math.abs(k)) ? r : NaN;
}

/**
 * The grid indices `first..last` (inclusive) of the values `k * step` that lie in
 * `iv`, for an outcome reported on a grid of step `step`. Ends may be
 * `-Infinity` / `+Infinity`; `first > last` means no grid value lies in the
 * interval (an unreachable interval). Uses a tolerance so that, for example, a
 * strike of 45.3 is the grid value 453 of step 0.1.
 *
 * @throws {RangeError} when `step` is not a finite positive number.
 *
 * @example
 * ```ts
 * intervalGridRange({ lo: 44.5, loInclusive: false, hi: 46, hiInclusive: true }, 1);
 * // { first: 45, last: 46 }
 * ```
 */
export function intervalGridRange(iv: Interval, step: number): { first: number; last: number } {
  if (!(step > 0) || !Number.isFinite(step)) {
    throw new RangeError(
      `Cannot compute grid range: outcome step must be a finite positive number, current value is ${step}`,
    );
  }
  let first: number;
  if (iv.lo === -Infinity) first = -Infinity;
  else if (iv.lo === Infinity) first = Infinity;
  else {
    const g = onGrid(iv.lo, step);
    first = Number.isNaN(g) ? Math.ceil(iv.lo / step) : (iv.loInclusive ? g : g + 1);
  }
  let last: number;
  if (iv.hi === Infinity) last = Infinity;
  else if (iv.hi === -Infinity) last = -Infinity;
  else {
    const g = onGrid(iv.hi, step);
    last = Number.isNaN(g) ? Math.floor(iv.hi / step) : (iv.hiInclusive ? g : g - 1);
  }
  return { first, last };
}

/**
 * The interval in conventional notation, e.g. `[45, 46]`, `(72999.99, +inf)`.
 *
 * @example
 * ```ts
 * formatInterval({ lo: -Infinity, loInclusive: false, hi: 44, hiInclusive: true }); // "(-inf, 44]"
 * ```
 */
export function formatInterval(iv: Interval): string {
  const lo = iv.lo === -Infinity ? "-inf" : String(iv.lo);
  const hi = iv.hi === Infinity ? "+inf" : String(iv.hi);
  return `${iv.loInclusive ? "[" : "("}${lo}, ${hi}${iv.hiInclusive ? "]" : ")"}`;
}

/**
 * Orders intervals by lower end (an inclusive lower end first at equal values), then
 * by upper end (an exclusive upper end first at equal values). Returns a negative
 * number, zero or a positive number, as `Array.prototype.sort` expects.
 *
 * @example
 * ```ts
 * const a = { lo: 1, loInclusive: true, hi: 2, hiInclusive: true };
 * const b = { lo: 1, loInclusive: false, hi: 2, hiInclusive: true };
 * compareIntervals(a, b) < 0; // true: [1, 2] starts before (1, 2]
 * ```
 */
export function compareIntervals(a: Interval, b: Interval): number {
  if (a.lo !== b.lo) return a.lo < b.lo ? -1 : 1;
  if (a.loInclusive !== b.loInclusive) return a.loInclusive ? -1 : 1;
  if (a.hi !== b.hi) return a.hi < b.hi ? -1 : 1;
  if (a.hiInclusive !== b.hiInclusive) return a.hiInclusive ? 1 : -1;
  return 0;
}
