/**
 * Portfolio value at risk on settled-outcome scenarios.
 *
 * Each open event contributes a {@link ScenarioSet}: its loss (integer ticks) in
 * every outcome scenario with that scenario's probability (the model PMF over the
 * ladder bins, or uniform). Events are taken as independent, so the portfolio loss
 * is the sum of one draw per event and its distribution is the convolution of the
 * per-event distributions.
 *
 * Method: a dense convolution on an integer grid of step `w` ticks. Each event's
 * losses are shifted by its smallest loss and rounded UP to the grid; `w` is the
 * smallest step for which the grid of the total has at most `maxGridPoints`
 * points. When the total range fits (`w = 1`) the result is exact, and the
 * distribution is the exact one (tests compare it with brute-force enumeration).
 * Otherwise every grid loss is at least the exact loss and at most `E x (w - 1)`
 * ticks above it (E events with more than one loss), so the VaR found is an upper
 * bound of the exact VaR, by at most that much. Scenarios of probability 0 are
 * left out of the distribution, but {@link worstCaseLoss} counts them.
 *
 * VaR at confidence c is the smallest loss x on the grid with P(L <= x) >= c
 * (the lower c-quantile of the loss), comparing with a tolerance of 1e-12 for
 * floating-point sums of probabilities. A negative VaR means a gain even at that
 * confidence.
 *
 * @example
 * ```ts
 * import { portfolioVar } from "./var.ts";
 *
 * // Two independent coin-flip events: lose 100 or win 100 each.
 * const coin = { losses: [100, -100], probs: [0.5, 0.5] };
 * portfolioVar([coin, coin], 0.7);
 * // { valueAtRisk: 0, worstCase: 200, step: 1, exact: true }: P(L <= 0) = 0.75
 * ```
 *
 * @module
 */

import { DEFAULT_VAR_GRID_POINTS } from "./limits.ts";

/** One event's loss per outcome scenario and the scenarios' probabilities. */
export interface ScenarioSet {
  /** Loss per scenario, integer ticks (negative: a gain). */
  readonly losses: ArrayLike<number>;
  /** Probability per scenario: non-negative, summing to 1 within 1e-6 (renormalized). */
  readonly probs: ArrayLike<number>;
}

/** A loss distribution on the grid `min + k x step`, k = 0 .. probs.length - 1. */
export interface LossDistribution {
  /** Loss at grid index 0, ticks. */
  readonly min: number;
  /** Grid step, ticks (1: exact). */
  readonly step: number;
  /** `probs[k]` = P(grid loss = min + k x step). */
  readonly probs: Float64Array;
  /** Whether the grid step is 1 tick, so the distribution is exact. */
  readonly exact: boolean;
}

/** VaR and worst case of a portfolio. */
export interface VarResult {
  /** Value at risk at the confidence asked, ticks (an upper bound unless `exact`). */
  readonly valueAtRisk: number;
  /** Largest total loss over all scenarios, including those of probability 0, exact, ticks. */
  readonly worstCase: number;
  /** Grid step used, ticks. */
  readonly step: number;
  /** Whether the VaR is exact (step 1). */
  readonly exact: boolean;
}

/** Tolerance when comparing a cumulative probability with the confidence. */
export const CONFIDENCE_TOLERANCE = 1e-12;

interface Prepared {
  readonly losses: number[];
  readonly probs: number[];
  /** Smallest and largest loss among scenarios of positive probability. */
  readonly lo: number;
  readonly hi: number;
}

function prepare(set: ScenarioSet, index: number): Prepared {
  const n = set.losses.length;
  if (n === 0 || set.probs.length !== n) {
    throw new RangeError(
      `Cannot compute VaR: scenario set ${index} needs as many probabilities as losses (at least one), current value is ${n} losses and ${set.probs.length} probabilities`,
    );
  }
  let sum = 0;
  for (let s = 0; s < n; s++) {
    const l = set.losses[s];
    if (!Number.isSafeInteger(l)) {
      throw new RangeError(
        `Cannot compute VaR: losses must be integer ticks, scenario set ${index} scenario ${s}, current value is ${l}`,
      );
    }
    const p = set.probs[s];
    if (!(p >= 0) || !Number.isFinite(p)) {
      throw new RangeError(
        `Cannot compute VaR: probabilities must be finite and non-negative, scenario set ${index} scenario ${s}, current value is ${p}`,
      );
    }
    sum += p;
  }
  if (!(Math.abs(sum - 1) <= 1e-6)) {
    throw new RangeError(
      `Cannot compute VaR: probabilities of scenario set ${index} must sum to 1, current value is ${sum}`,
    );
  }
  const losses: number[] = [];
  const probs: number[] = [];
  let lo = Infinity;
  let hi = -Infinity;
  for (let s = 0; s < n; s++) {
    const p = set.probs[s] / sum;
    if (p === 0) continue;
    const l = set.losses[s];
    losses.push(l);
    probs.push(p);
    if (l < lo) lo = l;
    if (l > hi) hi = l;
  }
  return { losses, probs, lo, hi };
}

function gridPoints(prepared: readonly Prepared[], step: number): number {
  let k = 1;
  for (const p of prepared) k += Math.ceil((p.hi - p.lo) / step);
  return k;
}

function stepFor(prepared: readonly Prepared[], maxGridPoints: number): number {
  let widest = 0;
  for (const p of prepared) widest = Math.max(widest, p.hi - p.lo);
  if (gridPoints(prepared, 1) <= maxGridPoints) return 1;
  const spread = prepared.filter((p) => p.hi > p.lo).length;
  if (spread + 1 > maxGridPoints) {
    throw new RangeError(
      `Cannot compute VaR: ${spread} events with more than one loss need a grid of at least ${
        spread + 1
      } points, current value is ${maxGridPoints}`,
    );
  }
  // Smallest step that fits: points decrease as the step grows; step = widest fits.
  let lo = 1;
  let hi = widest;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (gridPoints(prepared, mid) <= maxGridPoints) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

function checkGridPoints(maxGridPoints: number): void {
  if (!Number.isSafeInteger(maxGridPoints) || maxGridPoints < 2) {
    throw new RangeError(
      `Cannot compute VaR: maxGridPoints must be an integer >= 2, current value is ${maxGridPoints}`,
    );
  }
}

/**
 * The grid step (ticks) {@link lossDistribution} would use for these scenario
 * sets: 1 when the total range fits in `maxGridPoints`, else the smallest step
 * that fits. Use the larger step of two portfolios to compare them on one grid.
 *
 * @throws {RangeError} for invalid sets or `maxGridPoints`.
 *
 * @example
 * ```ts
 * import { varGridStep } from "./var.ts";
 *
 * varGridStep([{ losses: [0, 1000], probs: [0.5, 0.5] }], 11); // 100
 * ```
 */
export function varGridStep(
  sets: readonly ScenarioSet[],
  maxGridPoints: number = DEFAULT_VAR_GRID_POINTS,
): number {
  checkGridPoints(maxGridPoints);
  return stepFor(sets.map(prepare), maxGridPoints);
}

/**
 * The distribution of the total loss of independent events (see the module
 * documentation for the grid). No sets: a point mass at 0.
 *
 * @param step grid step in ticks; default the smallest that fits `maxGridPoints`.
 * @throws {RangeError} for invalid sets, a non-positive step or a grid that does
 *   not fit.
 *
 * @example
 * ```ts
 * import { lossDistribution } from "./var.ts";
 *
 * const d = lossDistribution([{ losses: [-50, 30], probs: [0.25, 0.75] }]);
 * // d.min = -50, d.step = 1, d.probs[0] = 0.25, d.probs[80] = 0.75
 * ```
 */
export function lossDistribution(
  sets: readonly ScenarioSet[],
  maxGridPoints: number = DEFAULT_VAR_GRID_POINTS,
  step?: number,
): LossDistribution {
  checkGridPoints(maxGridPoints);
  const prepared = sets.map(prepare);
  const w = step ?? stepFor(prepared, maxGridPoints);
  if (!Number.isSafeInteger(w) || w < 1) {
    throw new RangeError(
      `Cannot compute VaR: grid step must be a positive integer of ticks, current value is ${w}`,
    );
  }
  const size = gridPoints(prepared, w);
  if (size > maxGridPoints) {
    throw new RangeError(
      `Cannot compute VaR: step ${w} needs ${size} grid points, more than maxGridPoints, current value is ${maxGridPoints}`,
    );
  }
  let cur = new Float64Array(size);
  let next = new Float64Array(size);
  cur[0] = 1;
  let used = 1; // indices 0 .. used - 1 may be non-zero
  let min = 0;
  for (const p of prepared) {
    min += p.lo;
    const width = Math.ceil((p.hi - p.lo) / w);
    if (width === 0) continue; // one loss: a shift only
    const pk = new Float64Array(width + 1);
    for (let s = 0; s < p.losses.length; s++) {
      pk[Math.ceil((p.losses[s] - p.lo) / w)] += p.probs[s];
    }
    next.fill(0, 0, used + width);
    for (let i = 0; i < used; i++) {
      const c = cur[i];
      if (c === 0) continue;
      for (let k = 0; k <= width; k++) {
        const q = pk[k];
        if (q !== 0) next[i + k] += c * q;
      }
    }
    used += width;
    const t = cur;
    cur = next;
    next = t;
  }
  if (!Number.isSafeInteger(min) || !Number.isSafeInteger(min + (size - 1) * w)) {
    throw new RangeError(
      `Cannot compute VaR: total loss exceeds a safe integer, current value is ${min}`,
    );
  }
  return { min, step: w, probs: cur.slice(0, used), exact: w === 1 };
}

/**
 * The value at risk of a loss distribution: the smallest grid loss x with
 * P(L <= x) >= confidence (within {@link CONFIDENCE_TOLERANCE}).
 *
 * @throws {RangeError} when `confidence` is not in (0, 1).
 *
 * @example
 * ```ts
 * import { lossDistribution, valueAtRisk } from "./var.ts";
 *
 * const d = lossDistribution([{ losses: [-50, 30], probs: [0.25, 0.75] }]);
 * valueAtRisk(d, 0.2); // -50
 * valueAtRisk(d, 0.25); // -50 (P(L <= -50) = 0.25)
 * valueAtRisk(d, 0.3); // 30
 * ```
 */
export function valueAtRisk(dist: LossDistribution, confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(
      `Cannot compute VaR: confidence must be in (0, 1), current value is ${confidence}`,
    );
  }
  const target = confidence - CONFIDENCE_TOLERANCE;
  let cum = 0;
  let last = 0;
  for (let k = 0; k < dist.probs.length; k++) {
    if (dist.probs[k] === 0) continue;
    cum += dist.probs[k];
    last = k;
    if (cum >= target) return dist.min + k * dist.step;
  }
  return dist.min + last * dist.step; // rounding left cum a hair below the target
}

/**
 * The largest total loss over every combination of scenarios, probability-0
 * scenarios included: the sum of each set's largest loss (exact, ticks; 0 for no
 * sets).
 *
 * @throws {RangeError} for a set with no losses or a non-integer loss.
 *
 * @example
 * ```ts
 * import { worstCaseLoss } from "./var.ts";
 *
 * worstCaseLoss([{ losses: [100, -100], probs: [0, 1] }]); // 100
 * ```
 */
export function worstCaseLoss(sets: readonly ScenarioSet[]): number {
  let total = 0;
  for (let e = 0; e < sets.length; e++) {
    const losses = sets[e].losses;
    if (losses.length === 0) {
      throw new RangeError(
        `Cannot compute worst case: scenario set ${e} has no scenarios, current value is 0`,
      );
    }
    let worst = -Infinity;
    for (let s = 0; s < losses.length; s++) {
      const l = losses[s];
      if (!Number.isSafeInteger(l)) {
        throw new RangeError(
          `Cannot compute worst case: losses must be integer ticks, scenario set ${e} scenario ${s}, current value is ${l}`,
        );
      }
      if (l > worst) worst = l;
    }
    total += worst;
  }
  return total;
}

/**
 * VaR at `confidence` and the worst case of independent events (see the module
 * documentation for the method and its exactness).
 *
 * @throws {RangeError} for invalid sets, confidence or grid size.
 *
 * @example
 * ```ts
 * import { portfolioVar } from "./var.ts";
 *
 * const bet = { losses: [4000, -6000], probs: [0.3, 0.7] }; // lose $0.40 or win $0.60
 * portfolioVar([bet], 0.95).valueAtRisk; // 4000
 * portfolioVar([bet], 0.25).valueAtRisk; // -6000
 * ```
 */
export function portfolioVar(
  sets: readonly ScenarioSet[],
  confidence: number,
  maxGridPoints: number = DEFAULT_VAR_GRID_POINTS,
): VarResult {
  const dist = lossDistribution(sets, maxGridPoints);
  return {
    valueAtRisk: valueAtRisk(dist, confidence),
    worstCase: worstCaseLoss(sets),
    step: dist.step,
    exact: dist.exact,
  };
}
