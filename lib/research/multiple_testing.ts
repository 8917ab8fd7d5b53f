/**
 * Multiple-comparison adjustments of p-values: Holm (family-wise error rate)
 * and Benjamini-Hochberg (false discovery rate), as statsmodels
 * `multipletests(p, method="holm")` and `multipletests(p, method="fdr_bh")`.
 *
 * @module
 */

/**
 * How a family of p-values is adjusted: `"holm"` (Holm's step-down
 * Bonferroni, controls the family-wise error rate), `"bh"` (Benjamini-Hochberg
 * step-up, controls the false discovery rate under independence or positive
 * dependence) or `"none"` (the raw p-values, for reference only).
 */
export type Adjustment = "holm" | "bh" | "none";

function checkPValues(action: string, p: ArrayLike<number>): void {
  for (let i = 0; i < p.length; i++) {
    const x = p[i];
    if (typeof x !== "number" || !(x >= 0 && x <= 1)) {
      throw new RangeError(
        `Cannot ${action}: p[${i}] must be a p-value in [0, 1], current value is ${String(x)}`,
      );
    }
  }
}

/** Indices of p in ascending order of p; ties keep their input order. */
function ascendingOrder(p: ArrayLike<number>): number[] {
  const order = Array.from({ length: p.length }, (_, i) => i);
  order.sort((a, b) => p[a] - p[b] || a - b);
  return order;
}

/**
 * Holm step-down adjusted p-values. With the m p-values sorted ascending,
 * p_(1) <= ... <= p_(m), the adjusted value of p_(i) is
 *
 *   max over j <= i of min(1, (m - j + 1) p_(j)),
 *
 * returned in the input order. Reject H_i at level alpha when the adjusted
 * value is <= alpha. Ties get equal adjusted values whatever their order. The
 * arithmetic is statsmodels 0.13.5's and agrees with it within 1e-12 (checked
 * by `tests/research_oracle_test.ts`).
 *
 * @param p The raw p-values, each in [0, 1]; may be empty (returns []).
 * @throws RangeError for a NaN or out-of-range p-value.
 *
 * @example
 * ```ts
 * holmAdjust([0.01, 0.04, 0.03]); // [0.03, 0.06, 0.06]
 * holmAdjust([0.5, 1]); // [1, 1]
 * ```
 */
export function holmAdjust(p: ArrayLike<number>): number[] {
  checkPValues("compute Holm adjustment", p);
  const m = p.length;
  const order = ascendingOrder(p);
  const out = new Array<number>(m);
  let running = 0;
  for (let i = 0; i < m; i++) {
    const k = order[i];
    running = Math.max(running, p[k] * (m - i));
    out[k] = Math.min(1, running);
  }
  return out;
}

/**
 * Benjamini-Hochberg step-up adjusted p-values (the "q-values" of the BH
 * procedure). With the m p-values sorted ascending, the adjusted value of
 * p_(i) is
 *
 *   min over j >= i of min(1, p_(j) / (j / m)),
 *
 * returned in the input order. Reject H_i at false discovery rate q when the
 * adjusted value is <= q. Ties get equal adjusted values. The arithmetic is
 * statsmodels 0.13.5's (`fdrcorrection`, dividing by the empirical CDF j / m)
 * and agrees with it within 1e-12 (checked by `tests/research_oracle_test.ts`).
 *
 * @param p The raw p-values, each in [0, 1]; may be empty (returns []).
 * @throws RangeError for a NaN or out-of-range p-value.
 *
 * @example
 * ```ts
 * bhAdjust([0.01, 0.04, 0.03]); // [0.030000000000000002, 0.04, 0.04]
 * bhAdjust([0.5, 1]); // [1, 1]
 * ```
 */
export function bhAdjust(p: ArrayLike<number>): number[] {
  checkPValues("compute Benjamini-Hochberg adjustment", p);
  const m = p.length;
  const order = ascendingOrder(p);
  const out = new Array<number>(m);
  let running = Infinity;
  for (let i = m - 1; i >= 0; i--) {
    const k = order[i];
    running = Math.min(running, p[k] / ((i + 1) / m));
    out[k] = Math.min(1, running);
  }
  return out;
}

/**
 * Adjust a family of p-values by the named method ({@link holmAdjust},
 * {@link bhAdjust}, or a copy of the raw values for `"none"`).
 *
 * @throws RangeError for an unknown method or a bad p-value.
 *
 * @example
 * ```ts
 * adjustPValues([0.01, 0.04, 0.03], "holm"); // [0.03, 0.06, 0.06]
 * ```
 */
export function adjustPValues(p: ArrayLike<number>, method: Adjustment): number[] {
  assertAdjustment("adjust p-values", method);
  if (method === "holm") return holmAdjust(p);
  if (method === "bh") return bhAdjust(p);
  checkPValues("adjust p-values", p);
  return Array.from(p);
}

/**
 * Check an adjustment method name; throws a RangeError for anything else.
 *
 * @example
 * ```ts
 * assertAdjustment("analyze buckets", "holm"); // passes
 * ```
 */
export function assertAdjustment(action: string, method: Adjustment): void {
  if (method !== "holm" && method !== "bh" && method !== "none") {
    throw new RangeError(
      `Cannot ${action}: adjustment must be "holm", "bh" or "none", current value is ${
        JSON.stringify(method)
      }`,
    );
  }
}
