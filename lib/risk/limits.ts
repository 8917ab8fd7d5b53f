/**
 * The risk limits: one configuration object, every field optional (an absent
 * field switches its rule off), in the workbench's integer units.
 *
 * | field | unit | rule |
 * | --- | --- | --- |
 * | `maxOrderCount` | centi-contracts | `order_size` |
 * | `maxOrderCost` | ticks | `order_cost` |
 * | `orderRate` | orders per `intervalMs` | `order_rate` |
 * | `marketOrderRate` | orders per market per `intervalMs` | `market_order_rate` |
 * | `maxPosition` | centi-contracts (abs. net position of a market) | `position_limit` |
 * | `kelly` | fractions of the bankroll | `kelly` |
 * | `maxStrikeLoss` | ticks (worst loss of one market) | `strike_max_loss` |
 * | `maxEventLoss` | ticks (worst loss of one event over its ladder bins) | `event_max_loss` |
 * | `maxPortfolioLoss` | ticks (worst loss over all open events) | `portfolio_max_loss` |
 * | `var` | confidence, ticks | `var` |
 * | `dailyLossCap` | ticks (realized + marked, ET day) | `daily_loss` |
 * | `weeklyLossCap` | ticks (realized + marked, ET week from Monday) | `weekly_loss` |
 *
 * A limit of 0 is allowed and means "nothing": `maxOrderCount: 0` rejects every
 * order. Unknown fields are an error, so a misspelt limit cannot silently turn a
 * rule off. docs/RISK.md describes each rule.
 *
 * @example
 * ```ts
 * import { validateRiskLimits } from "./limits.ts";
 *
 * const limits = validateRiskLimits({
 *   maxOrderCount: 10_000, // 100 contracts
 *   maxStrikeLoss: 500_000, // $50
 *   orderRate: { maxOrders: 10, intervalMs: 1_000 },
 *   var: { confidence: 0.99, maxLoss: 2_000_000 }, // $200 at 99%
 * });
 * ```
 *
 * @module
 */

/** At most `maxOrders` accepted orders in any window of `intervalMs` milliseconds. */
export interface OrderRateLimit {
  /** Accepted orders allowed per window (a non-negative integer). */
  readonly maxOrders: number;
  /** Window length in ms (a positive integer). */
  readonly intervalMs: number;
}

/** Portfolio value at risk over settled-outcome scenarios (docs/RISK.md "var"). */
export interface VarLimit {
  /** Confidence level, strictly between 0 and 1 (0.99 is the 99% VaR). */
  readonly confidence: number;
  /** Largest VaR allowed, ticks (a non-negative integer). */
  readonly maxLoss: number;
  /**
   * Most points of the loss grid used for the convolution; beyond it losses are
   * rounded up to a coarser grid (see lib/risk/var.ts). Default
   * {@link DEFAULT_VAR_GRID_POINTS}.
   */
  readonly maxGridPoints?: number;
}

/** Kelly sizing: stake at most `min(maxFraction, multiplier x f*)` of the bankroll. */
export interface KellyLimit {
  /** Fractional Kelly multiplier in (0, 1] (0.5 is "half Kelly"). */
  readonly multiplier: number;
  /** Cap on the fraction of the bankroll staked on one market and side, in (0, 1]. */
  readonly maxFraction: number;
}

/** Every risk limit; all optional. See the module documentation for the units. */
export interface RiskLimits {
  readonly maxOrderCount?: number;
  readonly maxOrderCost?: number;
  readonly orderRate?: OrderRateLimit;
  readonly marketOrderRate?: OrderRateLimit;
  readonly maxPosition?: number;
  readonly kelly?: KellyLimit;
  readonly maxStrikeLoss?: number;
  readonly maxEventLoss?: number;
  readonly maxPortfolioLoss?: number;
  readonly var?: VarLimit;
  readonly dailyLossCap?: number;
  readonly weeklyLossCap?: number;
}

/** Default most points of the VaR loss grid (2^16). */
export const DEFAULT_VAR_GRID_POINTS = 65_536;
/** Largest `maxGridPoints` accepted (2^22: 32 MiB of doubles). */
export const MAX_VAR_GRID_POINTS = 4_194_304;

const INTEGER_FIELDS: Readonly<Record<string, string>> = {
  maxOrderCount: "centi-contracts",
  maxOrderCost: "ticks",
  maxPosition: "centi-contracts",
  maxStrikeLoss: "ticks",
  maxEventLoss: "ticks",
  maxPortfolioLoss: "ticks",
  dailyLossCap: "ticks",
  weeklyLossCap: "ticks",
};
const OBJECT_FIELDS = new Set(["orderRate", "marketOrderRate", "var", "kelly"]);

function show(v: unknown): string {
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "object" && v !== null) {
    try {
      return JSON.stringify(v);
    } catch {
      return String(v);
    }
  }
  return String(v);
}

function fail(field: string, rule: string, value: unknown): never {
  throw new RangeError(
    `Cannot use risk limits: ${field} must be ${rule}, current value is ${show(value)}`,
  );
}

function nonNegativeInt(field: string, unit: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) {
    fail(field, `a non-negative integer (${unit})`, v);
  }
  return v;
}

function record(field: string, v: unknown, keys: readonly string[]): Record<string, unknown> {
  if (typeof v !== "object" || v === null || Array.isArray(v)) {
    fail(field, `an object with ${keys.join(", ")}`, v);
  }
  const r = v as Record<string, unknown>;
  for (const k of Object.keys(r)) {
    if (!keys.includes(k)) fail(`${field}.${k}`, `one of ${keys.join(", ")} (unknown field)`, r[k]);
  }
  return r;
}

function rate(field: string, v: unknown): OrderRateLimit {
  const r = record(field, v, ["maxOrders", "intervalMs"]);
  const maxOrders = nonNegativeInt(`${field}.maxOrders`, "orders", r.maxOrders);
  const intervalMs = r.intervalMs;
  if (typeof intervalMs !== "number" || !Number.isSafeInteger(intervalMs) || intervalMs <= 0) {
    fail(`${field}.intervalMs`, "a positive integer (ms)", intervalMs);
  }
  return Object.freeze({ maxOrders, intervalMs });
}

/** A number in (0, 1), or in (0, 1] when `includeOne`. */
function fraction(field: string, v: unknown, includeOne: boolean): number {
  const ok = typeof v === "number" && v > 0 && (v < 1 || (includeOne && v === 1));
  if (!ok) fail(field, includeOne ? "a number in (0, 1]" : "a number in (0, 1)", v);
  return v as number;
}

/**
 * Checks a risk-limit configuration and returns a frozen copy. Every numeric
 * field must be a non-negative safe integer in its unit (see the module table);
 * rate windows positive; the VaR confidence strictly between 0 and 1; the Kelly
 * multiplier and cap in (0, 1].
 *
 * @throws {RangeError} naming the first bad field:
 *   "Cannot use risk limits: <field> must be <rule>, current value is <v>".
 *
 * @example
 * ```ts
 * import { validateRiskLimits } from "./limits.ts";
 *
 * validateRiskLimits({ dailyLossCap: 1_000_000 }); // $100 a day
 * // validateRiskLimits({ dailyLossCap: -1 }) throws: dailyLossCap must be a non-negative integer
 * ```
 */
export function validateRiskLimits(limits: unknown): RiskLimits {
  if (typeof limits !== "object" || limits === null || Array.isArray(limits)) {
    throw new RangeError(
      `Cannot use risk limits: they must be an object, current value is ${show(limits)}`,
    );
  }
  const src = limits as Record<string, unknown>;
  const out: Record<string, unknown> = {};
  for (const key of Object.keys(src)) {
    const v = src[key];
    if (v === undefined) continue;
    if (key in INTEGER_FIELDS) {
      out[key] = nonNegativeInt(key, INTEGER_FIELDS[key], v);
    } else if (!OBJECT_FIELDS.has(key)) {
      fail(key, "a known risk limit (unknown field)", v);
    }
  }
  if (src.orderRate !== undefined) out.orderRate = rate("orderRate", src.orderRate);
  if (src.marketOrderRate !== undefined) {
    out.marketOrderRate = rate("marketOrderRate", src.marketOrderRate);
  }
  if (src.var !== undefined) {
    const r = record("var", src.var, ["confidence", "maxLoss", "maxGridPoints"]);
    const confidence = fraction("var.confidence", r.confidence, false);
    const maxLoss = nonNegativeInt("var.maxLoss", "ticks", r.maxLoss);
    const g = r.maxGridPoints ?? DEFAULT_VAR_GRID_POINTS;
    if (typeof g !== "number" || !Number.isSafeInteger(g) || g < 2 || g > MAX_VAR_GRID_POINTS) {
      fail("var.maxGridPoints", `an integer in 2..${MAX_VAR_GRID_POINTS}`, g);
    }
    out.var = Object.freeze({ confidence, maxLoss, maxGridPoints: g });
  }
  if (src.kelly !== undefined) {
    const r = record("kelly", src.kelly, ["multiplier", "maxFraction"]);
    out.kelly = Object.freeze({
      multiplier: fraction("kelly.multiplier", r.multiplier, true),
      maxFraction: fraction("kelly.maxFraction", r.maxFraction, true),
    });
  }
  return Object.freeze(out) as RiskLimits;
}
