/**
 * Scores for binary forecasts: Brier score and log loss. Both are means over
 * forecasts, accumulated with Neumaier compensated summation, and agree with
 * scikit-learn 1.2 `brier_score_loss` and `log_loss(labels=[0, 1])` to about
 * 1e-15 relative (checked by `tests/sklearn_oracle_test.ts`).
 *
 * @module
 */

import { NeumaierAccumulator } from "./neumaier.ts";

/**
 * The probability floor of {@link logLoss}: `Number.EPSILON`
 * (2.220446049250313e-16), the clip scikit-learn 1.2 `log_loss` applies by
 * default (`eps="auto"` = `np.finfo(float64).eps`): p is clipped to
 * [LOG_LOSS_FLOOR, 1 - LOG_LOSS_FLOOR], so a confident wrong forecast costs at
 * most -ln(2.22e-16) = 36.04 instead of Infinity.
 *
 * @example
 * ```ts
 * logLoss([0], [1]) === -Math.log(LOG_LOSS_FLOOR); // true, 36.04365338911715
 * ```
 */
export const LOG_LOSS_FLOOR: number = Number.EPSILON;

/**
 * Check a set of binary forecasts and outcomes; throws a RangeError naming the
 * score, and the index and value of the first bad entry.
 *
 * Requires equal lengths, at least one forecast, every `p[i]` finite in [0, 1]
 * and every `y[i]` exactly 0 or 1.
 *
 * @param what The score being computed, used in messages ("Brier score").
 *
 * @example
 * ```ts
 * assertBinaryForecasts("Brier score", [0.2, 0.7], [0, 1]); // passes
 * assertBinaryForecasts("Brier score", [0.2, 1.5], [0, 1]);
 * // RangeError: Cannot compute Brier score: p[1] must be a finite probability in [0, 1], current value is 1.5
 * ```
 */
export function assertBinaryForecasts(
  what: string,
  p: ArrayLike<number>,
  y: ArrayLike<number>,
): void {
  if (p.length !== y.length) {
    throw new RangeError(
      `Cannot compute ${what}: lengths differ, current value is ${p.length} vs ${y.length}`,
    );
  }
  if (p.length === 0) {
    throw new RangeError(
      `Cannot compute ${what}: need at least one forecast, current value is 0 forecasts`,
    );
  }
  for (let i = 0; i < p.length; i++) {
    const pi = p[i];
    if (typeof pi !== "number" || !(pi >= 0 && pi <= 1)) {
      throw new RangeError(
        `Cannot compute ${what}: p[${i}] must be a finite probability in [0, 1], current value is ${
          String(pi)
        }`,
      );
    }
    const yi = y[i];
    if (yi !== 0 && yi !== 1) {
      throw new RangeError(
        `Cannot compute ${what}: y[${i}] must be 0 or 1, current value is ${String(yi)}`,
      );
    }
  }
}

/**
 * Brier score of binary forecasts: the mean of (p[i] - y[i])^2. 0 is perfect,
 * 0.25 is a constant 0.5 forecast, 1 is certain and always wrong.
 *
 * @param p Forecast probabilities of the outcome 1, each finite in [0, 1].
 * @param y Outcomes, each 0 or 1, same length as `p` (at least one).
 * @throws RangeError on different lengths, no forecasts, or a bad entry.
 *
 * @example
 * ```ts
 * brierScore([0.9, 0.2, 0.5], [1, 0, 1]); // (0.01 + 0.04 + 0.25) / 3 = 0.1
 * ```
 */
export function brierScore(p: ArrayLike<number>, y: ArrayLike<number>): number {
  assertBinaryForecasts("Brier score", p, y);
  const acc = new NeumaierAccumulator();
  for (let i = 0; i < p.length; i++) {
    const d = p[i] - y[i];
    acc.add(d * d);
  }
  return acc.value / p.length;
}

/**
 * Log loss (cross-entropy) of binary forecasts: the mean of
 * -[y ln p + (1 - y) ln(1 - p)], with p first clipped to [floor, 1 - floor] so
 * a certain and wrong forecast costs -ln(floor) rather than Infinity.
 *
 * With the default floor this equals scikit-learn 1.2
 * `log_loss(y, p, labels=[0, 1])`.
 *
 * @param p Forecast probabilities of the outcome 1, each finite in [0, 1].
 * @param y Outcomes, each 0 or 1, same length as `p` (at least one).
 * @param floor Probability floor in [0, 0.5]; default {@link LOG_LOSS_FLOOR}.
 * With floor 0 a certain wrong forecast gives Infinity.
 * @throws RangeError on different lengths, no forecasts, a bad entry or a bad floor.
 *
 * @example
 * ```ts
 * logLoss([0.9, 0.2], [1, 0]); // -(ln 0.9 + ln 0.8) / 2 = 0.164252033486018
 * logLoss([0], [1]); // -ln(2.220446049250313e-16) = 36.04365338911715
 * ```
 */
export function logLoss(
  p: ArrayLike<number>,
  y: ArrayLike<number>,
  floor: number = LOG_LOSS_FLOOR,
): number {
  if (typeof floor !== "number" || !(floor >= 0 && floor <= 0.5)) {
    throw new RangeError(
      `Cannot compute log loss: floor must be in [0, 0.5], current value is ${String(floor)}`,
    );
  }
  assertBinaryForecasts("log loss", p, y);
  const ceil = 1 - floor;
  const acc = new NeumaierAccumulator();
  for (let i = 0; i < p.length; i++) {
    const pc = Math.min(Math.max(p[i], floor), ceil);
    acc.add(y[i] === 1 ? -Math.log(pc) : -Math.log1p(-pc));
  }
  return acc.value / p.length;
}
