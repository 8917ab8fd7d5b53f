/**
 * Skill of a model over a reference forecast (for the workbench: the
 * market-implied baseline), for negatively oriented scores such as Brier score,
 * log loss and ranked probability score (lower is better, 0 is perfect).
 *
 * @module
 */

/**
 * Skill score: 1 - model / reference. 1 is a perfect model, 0 is no better than
 * the reference, negative is worse than the reference.
 *
 * When the reference score is 0 (the reference was already perfect) the skill is
 * undefined and NaN is returned, whatever the model scored; callers should report
 * it as "n/a" rather than treat it as a number.
 *
 * @param model The model's score (finite, >= 0; lower is better).
 * @param reference The reference's score (finite, >= 0; lower is better).
 * @returns 1 - model / reference, or NaN when reference is 0.
 * @throws RangeError when either score is negative, NaN or infinite.
 *
 * @example
 * ```ts
 * skillScore(0.18, 0.24); // 0.25 (25% lower Brier score than the market)
 * skillScore(0.3, 0.24); // -0.25
 * skillScore(0.1, 0); // NaN
 * ```
 */
export function skillScore(model: number, reference: number): number {
  if (typeof model !== "number" || !(model >= 0 && model < Infinity)) {
    throw new RangeError(
      `Cannot compute skill score: model score must be finite and >= 0, current value is ${
        String(model)
      }`,
    );
  }
  if (typeof reference !== "number" || !(reference >= 0 && reference < Infinity)) {
    throw new RangeError(
      `Cannot compute skill score: reference score must be finite and >= 0, current value is ${
        String(reference)
      }`,
    );
  }
  if (reference === 0) return NaN;
  return 1 - model / reference;
}
