/**
 * Golden-section search for the maximum of a function of one variable on a
 * bounded interval. Used by the calibrations for a profile likelihood over a
 * scale, a degrees of freedom or a smoothing weight.
 *
 * @example
 * ```ts
 * import { goldenMax } from "./golden.ts";
 * const { x } = goldenMax((t) => -(t - 2) * (t - 2), 0, 5); // x ~ 2
 * ```
 *
 * @module
 */

const INV_PHI = (Math.sqrt(5) - 1) / 2;

/** Result of {@link goldenMax}. */
export interface GoldenResult {
  /** The argument of the best value found. */
  readonly x: number;
  /** f(x). */
  readonly fx: number;
  /** Function evaluations used. */
  readonly evaluations: number;
}

/**
 * Maximize `f` on `[lo, hi]` by golden-section search until the bracket is
 * narrower than `tol` (absolute) or `maxIter` iterations ran. For a unimodal `f`
 * the result is within `tol` of the maximizer; otherwise it is a local maximum.
 * The ends themselves are evaluated too, so a maximum at a bound is found.
 * NaN values count as -Infinity.
 *
 * @throws {RangeError} when the bounds are not finite with lo <= hi, or tol is
 * not > 0.
 */
export function goldenMax(
  f: (x: number) => number,
  lo: number,
  hi: number,
  tol = 1e-6,
  maxIter = 200,
): GoldenResult {
  if (!Number.isFinite(lo) || !Number.isFinite(hi) || lo > hi) {
    throw new RangeError(
      `Cannot run golden-section search: bounds must be finite with lo <= hi, current value is [${lo}, ${hi}]`,
    );
  }
  if (!(tol > 0)) {
    throw new RangeError(
      `Cannot run golden-section search: tol must be > 0, current value is ${tol}`,
    );
  }
  const g = (x: number) => {
    const v = f(x);
    return Number.isNaN(v) ? -Infinity : v;
  };
  let evaluations = 0;
  let bestX = lo;
  let bestF = g(lo);
  evaluations++;
  const consider = (x: number, fx: number) => {
    if (fx > bestF) {
      bestF = fx;
      bestX = x;
    }
  };
  if (hi === lo) return { x: bestX, fx: bestF, evaluations };
  consider(hi, g(hi));
  evaluations++;
  let a = lo;
  let b = hi;
  let c = b - INV_PHI * (b - a);
  let d = a + INV_PHI * (b - a);
  let fc = g(c);
  let fd = g(d);
  evaluations += 2;
  consider(c, fc);
  consider(d, fd);
  for (let i = 0; i < maxIter && b - a > tol; i++) {
    if (fc >= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - INV_PHI * (b - a);
      fc = g(c);
      consider(c, fc);
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + INV_PHI * (b - a);
      fd = g(d);
      consider(d, fd);
    }
    evaluations++;
  }
  return { x: bestX, fx: bestF, evaluations };
}
