/**
 * A fixed factor condition, such as `skew >= 0.6`, used by the gate and by
 * factor stacking.
 *
 * @module
 */

import { assertFactorName, factorValue, type Signal } from "./signal.ts";

/** A comparison of a factor value with a threshold. */
export type Comparison = ">=" | ">" | "<=" | "<";

/** A condition on one factor: `factors[factor] <op> threshold`. */
export interface FactorCondition {
  /** The factor name. */
  factor: string;
  /** How the value is compared with the threshold. */
  op: Comparison;
  /** The threshold, finite. */
  threshold: number;
}

/**
 * Check a comparison operator; throws a RangeError for anything else.
 *
 * @example
 * ```ts
 * assertComparison("gate signals", ">="); // passes
 * ```
 */
export function assertComparison(action: string, op: Comparison): void {
  if (op !== ">=" && op !== ">" && op !== "<=" && op !== "<") {
    throw new RangeError(
      `Cannot ${action}: op must be ">=", ">", "<=" or "<", current value is ${JSON.stringify(op)}`,
    );
  }
}

/**
 * Check a {@link FactorCondition}: a factor name, an operator and a finite threshold.
 *
 * @example
 * ```ts
 * assertCondition("stack factors", { factor: "skew", op: ">=", threshold: 0.6 }); // passes
 * ```
 */
export function assertCondition(action: string, c: FactorCondition): void {
  if (c === null || typeof c !== "object") {
    throw new TypeError(`Cannot ${action}: condition must be an object, current value is ${c}`);
  }
  assertFactorName(action, c.factor);
  assertComparison(action, c.op);
  if (typeof c.threshold !== "number" || !Number.isFinite(c.threshold)) {
    throw new RangeError(
      `Cannot ${action}: threshold of ${c.factor} must be a finite number, current value is ${
        String(c.threshold)
      }`,
    );
  }
}

/**
 * `value <op> threshold`.
 *
 * @example
 * ```ts
 * compare(0.6, ">=", 0.6); // true
 * compare(0.6, ">", 0.6); // false
 * ```
 */
export function compare(value: number, op: Comparison, threshold: number): boolean {
  switch (op) {
    case ">=":
      return value >= threshold;
    case ">":
      return value > threshold;
    case "<=":
      return value <= threshold;
    case "<":
      return value < threshold;
  }
}

/**
 * Whether a signal meets a condition. The factor must be present and finite
 * (a missing or NaN factor is an error, not a "no").
 *
 * @param action What the caller is doing, for messages.
 * @param s The signal.
 * @param c The condition (assumed checked by {@link assertCondition}).
 * @param index The signal's index, for messages.
 *
 * @example
 * ```ts
 * const s = { ts: 0, market: "M", side: "yes" as const, clv: 1, factors: { skew: 0.7 } };
 * meetsCondition("stack factors", s, { factor: "skew", op: ">=", threshold: 0.6 }, 0); // true
 * ```
 */
export function meetsCondition(
  action: string,
  s: Signal,
  c: FactorCondition,
  index: number,
): boolean {
  return compare(factorValue(action, s, c.factor, index), c.op, c.threshold);
}

/**
 * A short text form of a condition, for labels: `skew >= 0.6`.
 *
 * @example
 * ```ts
 * formatCondition({ factor: "skew", op: "<", threshold: 0.25 }); // "skew < 0.25"
 * ```
 */
export function formatCondition(c: FactorCondition): string {
  return `${c.factor} ${c.op} ${c.threshold}`;
}
