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
 * Where the CDF is evaluated for each bin: mass = F(hi[b]) - F(lo[b]); NaN marks
 * an unreachable bin (mass 0). For distributions with `cdfInto`, the finite
 * points once each in `xs` (a boundary shared by adjacent bins appears once),
 * and per bin the index in `xs` of its ends, or {@link AT_MINUS_INF} /
 * {@link AT_PLUS_INF}; `f` receives the CDF at `xs`.
 */
interface EvaluationPlan {
  readonly lo: Float64Array;
  readonly hi: Float64Array;
  readonly xs: Float64Array;
  readonly loAt: Int32Array;
  readonly hiAt: Int32Array;
  readonly f: Float64Array;
}

const AT_MINUS_INF = -1;
const AT_PLUS_INF = -2;

const plans = new WeakMap<Ladder, EvaluationPlan>();

function evaluationPlan(ladder: Ladder): EvaluationPlan {
  const cached = plans.get(ladder);
  if (cached !== undefined) return cached;
  const n = ladder.bins.length;
  const p = { lo: new Float64Array(n), hi: new Float64Array(n) };
  const step = ladder.outcomeStep;
  if (step === undefined) {
    for (let b = 0; b < n; b++) {
      p.lo[b] = ladder.bins[b].lo;
      p.hi[b] = ladder.bins[b].hi;
    }
  } else {
    const { first, last } = binGridRanges(ladder);
    for (let b = 0; b < n; b++) {
      if (first[b] > last[b]) {
        p.lo[b] = NaN;
        p.hi[b] = NaN;
      } else {
        // The reported value is X rounded to the step: grid value k is reported
        // for X in [(k - 1/2) step, (k + 1/2) step).
        p.lo[b] = first[b] === -Infinity ? -Infinity : (first[b] - 0.5) * step;
        p.hi[b] = last[b] === Infinity ? Infinity : (last[b] + 0.5) * step;
      }
    }
  }
  const xs: number[] = [];
  const at = (x: number): number => {
    if (x === -Infinity) return AT_MINUS_INF;
    if (x === Infinity) return AT_PLUS_INF;
    if (xs.length === 0 || xs[xs.length - 1] !== x) xs.push(x);
    return xs.length - 1;
  };
  const loAt = new Int32Array(n);
  const hiAt = new Int32Array(n);
  for (let b = 0; b < n; b++) {
    if (Number.isNaN(p.lo[b])) continue;
    loAt[b] = at(p.lo[b]);
    hiAt[b] = at(p.hi[b]);
  }
  const plan: EvaluationPlan = {
    ...p,
    xs: Float64Array.from(xs),
    loAt,
    hiAt,
    f: new Float64Array(xs.length),
  };
  plans.set(ladder, plan);
  return plan;
}

/** The CDF value a plan index stands for. */
function planValue(f: Float64Array, at: number): number {
  return at >= 0 ? f[at] : at === AT_MINUS_INF ? 0 : 1;
}

function cdfAt(dist: Distribution, x: number): number {
  if (x === -Infinity) return 0;
  if (x === Infinity) return 1;
  return dist.cdf(x);
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
 * not allocate. A distribution with `cdfInto` is evaluated at all the ladder's
 * boundaries in one call (same values, fewer calls).
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
  const plan = evaluationPlan(ladder);
  const { lo, hi } = plan;
  let total = 0;
  if (dist.cdfInto !== undefined) {
    const f = plan.f;
    dist.cdfInto(plan.xs, plan.xs.length, f);
    for (let b = 0; b < n; b++) {
      if (Number.isNaN(lo[b])) {
        pmf[b] = 0;
        continue;
      }
      const m = binMass(ladder, b, planValue(f, plan.hiAt[b]) - planValue(f, plan.loAt[b]));
      pmf[b] = m;
      total += m;
    }
    return normalized(ladder, pmf, total);
  }
  // Adjacent bins share a boundary: reuse F there instead of evaluating it twice
  // (the same x gives the same F, so results are unchanged).
  let prevX = Number.NaN;
  let prevF = Number.NaN;
  for (let b = 0; b < n; b++) {
    if (Number.isNaN(lo[b])) {
      pmf[b] = 0;
      continue;
    }
    const fLo = lo[b] === prevX ? prevF : cdfAt(dist, lo[b]);
    prevX = hi[b];
    prevF = cdfAt(dist, prevX);
    const m = binMass(ladder, b, prevF - fLo);
    pmf[b] = m;
    total += m;
  }
  return normalized(ladder, pmf, total);
}

/** A bin's mass from its CDF difference: NaN and real decreases are errors, float noise is 0. */
function binMass(ladder: Ladder, b: number, m: number): number {
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
    return 0;
  }
  return m;
}

/** Divide the masses by their total (which must be positive and finite). */
function normalized(ladder: Ladder, pmf: Float64Array, total: number): Float64Array {
  if (!(total > 0) || !Number.isFinite(total)) {
    throw new RangeError(
      `Cannot compute PMF for ${ladder.event}: the distribution puts no mass on the ladder, current total is ${total}`,
    );
  }
  for (let b = 0; b < pmf.length; b++) pmf[b] /= total;
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
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let b = ladder.binStart[i]; b < ladder.binEnd[i]; b++) s += pmf[b];
    p[i] = s > 1 ? 1 : s;
  }
  return p;
}
