/**
 * Probability mass functions over a ladder's bins, and each market's fair YES
 * probability from them.
 *
 * @module
 */

import { binGridRanges, type Ladder } from "../market/ladder.ts";
import type { Distribution } from "./distribution.ts";

/** A CDF difference below this (a non-monotone CDF, not float noise) is an error. */
const NEGATIVE_TOLERANCE = 1e-9;

/**
 * Where the CDF is evaluated for a ladder: mass of bin b = F(at hiAt[b]) -
 * F(at loAt[b]), where an index >= 0 points into `xs` (each finite point once: a
 * boundary shared by adjacent bins appears once) and {@link AT_MINUS_INF} /
 * {@link AT_PLUS_INF} stand for F = 0 / F = 1. An unreachable bin (mass 0) has
 * loAt = {@link UNREACHABLE}. `f` receives the CDF at `xs`.
 */
interface EvaluationPlan {
  readonly xs: Float64Array;
  readonly loAt: Int32Array;
  readonly hiAt: Int32Array;
  readonly f: Float64Array;
}

const AT_MINUS_INF = -1;
const AT_PLUS_INF = -2;
const UNREACHABLE = -3;

const plans = new WeakMap<Ladder, EvaluationPlan>();

function evaluationPlan(ladder: Ladder): EvaluationPlan {
  const cached = plans.get(ladder);
  if (cached !== undefined) return cached;
  const plan = buildPlan(ladder);
  plans.set(ladder, plan);
  return plan;
}

/**
 * A ladder's plan. Kept out of {@link evaluationPlan}: the closure here would
 * make every lookup allocate a context for `xs`.
 */
function buildPlan(ladder: Ladder): EvaluationPlan {
  const n = ladder.bins.length;
  const xs: number[] = [];
  const at = (x: number): number => {
    if (x === -Infinity) return AT_MINUS_INF;
    if (x === Infinity) return AT_PLUS_INF;
    if (xs.length === 0 || xs[xs.length - 1] !== x) xs.push(x);
    return xs.length - 1;
  };
  const loAt = new Int32Array(n);
  const hiAt = new Int32Array(n);
  const step = ladder.outcomeStep;
  if (step === undefined) {
    for (let b = 0; b < n; b++) {
      loAt[b] = at(ladder.bins[b].lo);
      hiAt[b] = at(ladder.bins[b].hi);
    }
  } else {
    const { first, last } = binGridRanges(ladder);
    for (let b = 0; b < n; b++) {
      if (first[b] > last[b]) {
        loAt[b] = UNREACHABLE;
        continue;
      }
      // The reported value is X rounded to the step: grid value k is reported
      // for X in [(k - 1/2) step, (k + 1/2) step).
      loAt[b] = at(first[b] === -Infinity ? -Infinity : (first[b] - 0.5) * step);
      hiAt[b] = at(last[b] === Infinity ? Infinity : (last[b] + 0.5) * step);
    }
  }
  return { xs: Float64Array.from(xs), loAt, hiAt, f: new Float64Array(xs.length) };
}

/** The CDF value a plan index stands for. */
function planValue(f: Float64Array, at: number): number {
  return at >= 0 ? f[at] : at === AT_MINUS_INF ? 0 : 1;
}

/**
 * The probability mass of each bin of `ladder` under `dist`, from CDF differences.
 *
 * Continuous outcome: mass = F(hi) - F(lo) (an atom of `dist` exactly at a strike is
 * counted in the bin whose upper end it is, as for P(lo < X <= hi)). With
 * `ladder.outcomeStep` the outcome is reported rounded to the step, so a bin whose
 * reachable grid values are a..b gets F(b + step/2) - F(a - step/2), and a bin with
 * no reachable grid value gets 0. Tiny negative differences from float error are
 * clipped to 0 and the masses are normalized to sum to 1.
 *
 * Writes into `out` when given (it must have one entry per bin), so hot loops need
 * not allocate. The CDF is evaluated once per distinct boundary (adjacent bins
 * share one), in one call when the distribution has `cdfInto`.
 *
 * @throws {RangeError} when `out` has the wrong length, the CDF returns NaN or
 * decreases, or the distribution puts no mass on the ladder.
 *
 * @example
 * ```ts
 * // bins (-inf, -1], (-1, 1], (1, +inf)
 * const pmf = pmfFromCdf(ladder, normal(0, 1));
 * // pmf ~ [0.1587, 0.6827, 0.1587]
 * ```
 */
export function pmfFromCdf(ladder: Ladder, dist: Distribution, out?: Float64Array): Float64Array {
  const n = ladder.bins.length;
  if (out !== undefined && out.length !== n) {
    throw new RangeError(
      `Cannot compute PMF for ${ladder.event}: output length must equal the number of bins (${n}), current value is ${out.length}`,
    );
  }
  const pmf = out ?? new Float64Array(n);
  const { xs, loAt, hiAt, f } = evaluationPlan(ladder);
  if (dist.cdfInto !== undefined) dist.cdfInto(xs, xs.length, f);
  else for (let k = 0; k < xs.length; k++) f[k] = dist.cdf(xs[k]);
  let total = 0;
  for (let b = 0; b < n; b++) {
    if (loAt[b] === UNREACHABLE) {
      pmf[b] = 0;
      continue;
    }
    let m = planValue(f, hiAt[b]) - planValue(f, loAt[b]);
    if (Number.isNaN(m)) {
      throw new RangeError(
        `Cannot compute PMF for ${ladder.event}: the CDF returned NaN for bin ${b}`,
      );
    }
    if (m < 0) {
      if (m < -NEGATIVE_TOLERANCE) {
        throw new RangeError(
          `Cannot compute PMF for ${ladder.event}: the CDF decreases across bin ${b}, current mass is ${m}`,
        );
      }
      m = 0;
    }
    pmf[b] = m;
    total += m;
  }
  if (!(total > 0) || !Number.isFinite(total)) {
    throw new RangeError(
      `Cannot compute PMF for ${ladder.event}: the distribution puts no mass on the ladder, current total is ${total}`,
    );
  }
  for (let b = 0; b < n; b++) pmf[b] /= total;
  return pmf;
}

/**
 * Each market's fair YES probability: the sum of the masses of the bins it is YES
 * on, in ladder market order. Writes into `out` when given (one entry per market).
 *
 * @throws {RangeError} when `pmf` does not have one entry per bin or `out` does not
 * have one entry per market.
 *
 * @example
 * ```ts
 * const p = marketProbabilities(ladder, pmfFromCdf(ladder, normal(73100, 200)));
 * // p[i] = P(market i settles YES)
 * ```
 */
export function marketProbabilities(
  ladder: Ladder,
  pmf: ArrayLike<number>,
  out?: Float64Array,
): Float64Array {
  const nBins = ladder.bins.length;
  const n = ladder.markets.length;
  if (pmf.length !== nBins) {
    throw new RangeError(
      `Cannot compute market probabilities for ${ladder.event}: PMF length must equal the number of bins (${nBins}), current value is ${pmf.length}`,
    );
  }
  if (out !== undefined && out.length !== n) {
    throw new RangeError(
      `Cannot compute market probabilities for ${ladder.event}: output length must equal the number of markets (${n}), current value is ${out.length}`,
    );
  }
  const p = out ?? new Float64Array(n);
  const start = ladder.binStart;
  const end = ladder.binEnd;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let b = start[i], e = end[i]; b < e; b++) s += pmf[b];
    p[i] = s > 1 ? 1 : s;
  }
  return p;
}
