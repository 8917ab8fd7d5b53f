/**
 * Scores for binary forecasts: Brier score and log loss. Both are means over
 * forecasts, accumulated with Neumaier compensated summation, and agree with
 * scikit-learn 1.2 `brier_score_loss` and `log_loss(labels=[0, 1])` to about
 * 1e-15 relative (checked by `tests/sklearn_oracle_test.ts`).
 *
 * @module
 */

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
 * Brier score: the mean of (p - y)^2 over binary forecasts, with compensated
 * (Neumaier) summation. Equals sklearn's `brier_score_loss` (tested to 1e-12).
 *
 * @example
 * ```ts
 * brierScore([0.9, 0.2], [1, 0]); // (0.01 + 0.04) / 2 = 0.025
 * ```
 */
export function brierScore(p: ArrayLike<number>, y: ArrayLike<number>): number {
  return binaryScores(p, y, LOG_LOSS_FLOOR, false).brier;
}

/**
 * Log loss: the mean of -[y ln p + (1 - y) ln(1 - p)] with p clipped to
 * [floor, 1 - floor] (default {@link LOG_LOSS_FLOOR}, the clip sklearn applies).
 * Equals sklearn's `log_loss(labels=[0, 1])` (tested to 1e-12).
 *
 * @example
 * ```ts
 * logLoss([0.5], [1]); // ln 2
 * ```
 */
export function logLoss(
  p: ArrayLike<number>,
  y: ArrayLike<number>,
  floor: number = LOG_LOSS_FLOOR,
): number {
  return binaryScores(p, y, floor, true).logLoss;
}

/** Brier score and log loss of the same forecasts. */
export interface BinaryScores {
  readonly n: number;
  readonly brier: number;
  /** NaN when not computed (`withLogLoss` false). */
  readonly logLoss: number;
}

/**
 * Probabilities given to what happened at or above this are multiplied into a
 * running product whose logarithm is taken once per run of them (see
 * {@link binaryScores}); smaller ones get a logarithm each.
 */
const PRODUCT_MIN = 1e-200;
/** The running product is logged and restarted once below this, so it stays a normal number. */
const PRODUCT_FLUSH = 1e-30;

/**
 * Brier score and log loss in one pass over the forecasts (validation included),
 * each with compensated (Neumaier) summation. This is the scoring hot path: the
 * same numbers as {@link brierScore} and {@link logLoss}.
 *
 * The log loss sums -ln q over the probabilities q given to what happened. One
 * logarithm per forecast would cost half the pass, so runs of them are
 * multiplied first and one logarithm is taken per run (ln(q1 ... qk) = sum of
 * ln qi): factors are >= {@link PRODUCT_MIN} and a run ends once its product
 * falls below {@link PRODUCT_FLUSH}, so the product stays a normal number with
 * a relative error of at most k ulp, and a run of k forecasts adds at most about
 * k * 1.1e-16 to the sum (k is about 70 / -ln q: 100 to a few thousand). The
 * result stays within about 1e-15 relative of a logarithm per forecast, far
 * inside the 1e-12 agreement with sklearn. Smaller probabilities (only with a
 * floor below 1e-200) get their own logarithm; q = 0 (floor 0 and a certain
 * miss) makes the loss infinite.
 *
 * @throws {RangeError} on unequal lengths, no forecasts, p outside [0, 1] or NaN,
 * y not 0 or 1, or a floor outside [0, 0.5].
 *
 * @example
 * ```ts
 * const { brier, logLoss } = binaryScores(p, y);
 * ```
 */
export function binaryScores(
  p: ArrayLike<number>,
  y: ArrayLike<number>,
  floor: number = LOG_LOSS_FLOOR,
  withLogLoss = true,
): BinaryScores {
  if (typeof floor !== "number" || !(floor >= 0 && floor <= 0.5)) {
    throw new RangeError(
      `Cannot compute log loss: floor must be in [0, 0.5], current value is ${String(floor)}`,
    );
  }
  const n = p.length;
  const what = withLogLoss ? "log loss" : "Brier score";
  if (n !== y.length) {
    throw new RangeError(
      `Cannot compute ${what}: lengths differ, current value is ${n} vs ${y.length}`,
    );
  }
  if (n === 0) {
    throw new RangeError(
      `Cannot compute ${what}: need at least one forecast, current value is 0 forecasts`,
    );
  }
  const ceil = 1 - floor;
  // Neumaier sums kept in locals: s + c is the compensated total.
  let bs = 0;
  let bc = 0;
  let ls = 0;
  let lc = 0;
  /** Product of the current run of probabilities given to what happened. */
  let prod = 1;
  for (let i = 0; i < n; i++) {
    const pi = p[i];
    const yi = y[i];
    // p in [0, 1] and y in {0, 1} (NaN fails both), each tested with one product
    // (cheaper than four comparisons), and both numbers.
    if (
      !(pi * (1 - pi) >= 0) || yi * (1 - yi) !== 0 || typeof pi !== "number" ||
      typeof yi !== "number"
    ) {
      assertBinaryForecasts(what, p, y); // throws, naming the first bad entry
    }
    const d = pi - yi;
    const b = d * d;
    let t = bs + b;
    bc += Math.abs(bs) >= b ? (bs - t) + b : (b - t) + bs;
    bs = t;
    if (withLogLoss) {
      const pc = pi < floor ? floor : pi > ceil ? ceil : pi;
      // The probability given to what happened, p or 1 - p as sklearn computes it,
      // selected by arithmetic (exact: y is 0 or 1) instead of a branch on y.
      const q = yi * pc + (1 - yi) * (1 - pc);
      let l = -1;
      if (q >= PRODUCT_MIN) {
        prod *= q;
        if (prod < PRODUCT_FLUSH) {
          l = -Math.log(prod);
          prod = 1;
        }
      } else l = -Math.log(q);
      if (l >= 0) {
        t = ls + l;
        lc += Math.abs(ls) >= l ? (ls - t) + l : (l - t) + ls;
        ls = t;
      }
    }
  }
  if (withLogLoss && prod !== 1) {
    const l = -Math.log(prod);
    const t = ls + l;
    lc += Math.abs(ls) >= l ? (ls - t) + l : (l - t) + ls;
    ls = t;
  }
  // An infinite term (floor 0 and a certain miss) makes the compensation NaN: keep the infinity.
  const logSum = Number.isFinite(ls) ? ls + lc : ls;
  return { n, brier: (bs + bc) / n, logLoss: withLogLoss ? logSum / n : Number.NaN };
}
