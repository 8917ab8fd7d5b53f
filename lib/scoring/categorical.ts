/**
 * Scores for a forecast PMF over the ordered bins of a ladder event (for
 * example the 2-degree temperature bins plus tails): ranked probability score
 * and categorical log loss.
 *
 * A PMF here is an array of K >= 1 finite probabilities in [0, 1] summing to 1
 * within {@link PMF_SUM_TOLERANCE}; the outcome is the 0-based index of the bin
 * that settled.
 *
 * @module
 */

import { LOG_LOSS_FLOOR } from "./binary.ts";
import { NeumaierAccumulator } from "./neumaier.ts";

/**
 * How far a PMF's (compensated) sum may be from 1 and still be accepted: 1e-9.
 *
 * @example
 * ```ts
 * rankedProbabilityScore([0.5, 0.5 + 1e-12], 0); // accepted
 * rankedProbabilityScore([0.5, 0.4], 0); // RangeError: sum is 0.9
 * ```
 */
export const PMF_SUM_TOLERANCE = 1e-9;

function assertPmf(what: string, pmf: ArrayLike<number>, outcomeBin: number): void {
  const k = pmf.length;
  if (k === 0) {
    throw new RangeError(
      `Cannot compute ${what}: the PMF needs at least one bin, current value is 0 bins`,
    );
  }
  const acc = new NeumaierAccumulator();
  for (let i = 0; i < k; i++) {
    const pi = pmf[i];
    if (typeof pi !== "number" || !(pi >= 0 && pi <= 1)) {
      throw new RangeError(
        `Cannot compute ${what}: pmf[${i}] must be a finite probability in [0, 1], current value is ${
          String(pi)
        }`,
      );
    }
    acc.add(pi);
  }
  const sum = acc.value;
  if (!(Math.abs(sum - 1) <= PMF_SUM_TOLERANCE)) {
    throw new RangeError(
      `Cannot compute ${what}: the PMF must sum to 1 (within ${PMF_SUM_TOLERANCE}), current value is ${sum}`,
    );
  }
  if (!Number.isInteger(outcomeBin) || outcomeBin < 0 || outcomeBin >= k) {
    throw new RangeError(
      `Cannot compute ${what}: outcomeBin must be an integer bin index in [0, ${
        k - 1
      }], current value is ${String(outcomeBin)}`,
    );
  }
}

/**
 * Ranked probability score of a PMF over K ordered bins, normalized to [0, 1]:
 *
 *   RPS = (1 / (K - 1)) * sum_{k=1}^{K-1} (F_k - O_k)^2
 *
 * where F_k = pmf[0] + ... + pmf[k-1] is the forecast cumulative probability of
 * the first k bins and O_k = 1 if the outcome is among the first k bins, else 0.
 * The last cumulative term (k = K, always 1 - 1 = 0) is left out. Dividing by
 * K - 1 makes a certain forecast of the opposite extreme bin score 1 for any K,
 * so scores over ladders with different bin counts are comparable; for K = 2 the
 * RPS equals the Brier score of the second bin's probability. K = 1 gives 0
 * (nothing to forecast). 0 is perfect. Cumulative sums use Neumaier summation.
 *
 * @param pmf Probabilities of the K ordered bins (lowest first), summing to 1.
 * @param outcomeBin 0-based index of the bin that settled.
 * @throws RangeError for an empty or invalid PMF or an out-of-range outcome.
 *
 * @example
 * ```ts
 * // K = 3, outcome in bin 1: F = [0.2, 0.7], O = [0, 1]
 * rankedProbabilityScore([0.2, 0.5, 0.3], 1); // (0.04 + 0.09) / 2 = 0.065
 * rankedProbabilityScore([1, 0, 0, 0], 3); // 1
 * ```
 */
export function rankedProbabilityScore(pmf: ArrayLike<number>, outcomeBin: number): number {
  assertPmf("ranked probability score", pmf, outcomeBin);
  const k = pmf.length;
  if (k === 1) return 0;
  const cum = new NeumaierAccumulator();
  const total = new NeumaierAccumulator();
  for (let i = 0; i < k - 1; i++) {
    cum.add(pmf[i]);
    const d = cum.value - (i >= outcomeBin ? 1 : 0);
    total.add(d * d);
  }
  return total.value / (k - 1);
}

/**
 * Categorical log loss of a PMF: -ln(max(pmf[outcomeBin], floor)). With the
 * default floor ({@link LOG_LOSS_FLOOR}, 2.22e-16) a zero-probability outcome
 * costs 36.04 instead of Infinity; with floor 0 it costs Infinity.
 *
 * @param pmf Probabilities of the K bins, summing to 1.
 * @param outcomeBin 0-based index of the bin that settled.
 * @param floor Probability floor in [0, 1]; default {@link LOG_LOSS_FLOOR}.
 * @throws RangeError for an empty or invalid PMF, an out-of-range outcome or a bad floor.
 *
 * @example
 * ```ts
 * categoricalLogLoss([0.2, 0.5, 0.3], 1); // -ln 0.5 = 0.6931471805599453
 * categoricalLogLoss([1, 0], 1); // -ln(2.220446049250313e-16) = 36.04365338911715
 * ```
 */
export function categoricalLogLoss(
  pmf: ArrayLike<number>,
  outcomeBin: number,
  floor: number = LOG_LOSS_FLOOR,
): number {
  if (typeof floor !== "number" || !(floor >= 0 && floor <= 1)) {
    throw new RangeError(
      `Cannot compute categorical log loss: floor must be in [0, 1], current value is ${
        String(floor)
      }`,
    );
  }
  assertPmf("categorical log loss", pmf, outcomeBin);
  return 0 - Math.log(Math.max(pmf[outcomeBin], floor)); // 0 - ln 1 is +0, not -0
}
