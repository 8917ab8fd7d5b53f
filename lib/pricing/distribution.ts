/**
 * Outcome distributions, described by their cumulative distribution function. A
 * ladder's PMF is computed from CDF differences (see `pmf.ts`).
 *
 * @module
 */

import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { normalCdfInto } from "./normal_cdf.ts";

/**
 * A distribution of a real-valued outcome X.
 *
 * @example
 * ```ts
 * const d: Distribution = { cdf: (x) => (x < 0 ? 0 : x > 1 ? 1 : x) }; // uniform on [0, 1]
 * ```
 */
export interface Distribution {
  /** P(X <= x); 0 at -Infinity, 1 at +Infinity, non-decreasing. */
  cdf(x: number): number;
  /**
   * Optional: `out[i] = cdf(xs[i])` for i < n, the same values in one call
   * (hot loops such as `pmfFromCdf` use it when present).
   */
  cdfInto?(xs: ArrayLike<number>, n: number, out: Float64Array): void;
}

function requireFinite(action: string, name: string, v: number): void {
  if (typeof v !== "number" || !Number.isFinite(v)) {
    throw new RangeError(
      `Cannot create ${action}: ${name} must be a finite number, current value is ${v}`,
    );
  }
}

function requireNonNegative(action: string, name: string, v: number): void {
  requireFinite(action, name, v);
  if (v < 0) {
    throw new RangeError(
      `Cannot create ${action}: ${name} must not be negative, current value is ${v}`,
    );
  }
}

/**
 * The normal distribution N(mean, sd^2). `sd = 0` gives a point mass at `mean`.
 *
 * @throws {RangeError} when `mean` is not finite or `sd` is negative or not finite.
 *
 * @example
 * ```ts
 * normal(0, 1).cdf(0); // 0.5
 * normal(0, 1).cdf(1.96); // ~0.975
 * ```
 */
export function normal(mean: number, sd: number): Distribution {
  requireFinite("normal distribution", "mean", mean);
  requireNonNegative("normal distribution", "sd", sd);
  return {
    cdf: (x: number) => normalCdf(x, mean, sd),
    cdfInto: (xs, n, out) => normalCdfInto(xs, n, mean, sd, out),
  };
}

/**
 * A normal distribution whose parameters can be changed in place: hot loops that
 * reprice on every tick reuse one instance instead of allocating a closure per
 * call. Same CDF as {@link normal}.
 *
 * @example
 * ```ts
 * const d = new MutableNormal();
 * d.set(100, 2).cdf(100); // 0.5
 * ```
 */
export class MutableNormal implements Distribution {
  // Declared NaN, then set in the constructor: the fields are double fields
  // from the start, so an instance made after others took doubles has their
  // layout (and code optimized for them stays valid).
  mean = Number.NaN;
  sd = Number.NaN;

  /** The standard normal N(0, 1) until {@link set}. */
  constructor() {
    this.mean = 0;
    this.sd = 1;
  }

  /** Set mean and standard deviation (validated as in {@link normal}); returns this. */
  set(mean: number, sd: number): this {
    requireFinite("normal distribution", "mean", mean);
    requireNonNegative("normal distribution", "sd", sd);
    this.mean = mean;
    this.sd = sd;
    return this;
  }
  cdf(x: number): number {
    return normalCdf(x, this.mean, this.sd);
  }
  /** The CDF at `xs[0..n)` into `out`: the values of {@link cdf}, bit for bit (normal_cdf.ts). */
  cdfInto(xs: ArrayLike<number>, n: number, out: Float64Array): void {
    normalCdfInto(xs, n, this.mean, this.sd, out);
  }
}

/**
 * The lognormal distribution: ln X ~ N(mu, sigma^2). The CDF is 0 for x <= 0.
 *
 * @throws {RangeError} when `mu` is not finite or `sigma` is negative or not finite.
 *
 * @example
 * ```ts
 * lognormal(Math.log(73000), 0.01).cdf(73000); // 0.5 (the median is e^mu)
 * ```
 */
export function lognormal(mu: number, sigma: number): Distribution {
  requireFinite("lognormal distribution", "mu", mu);
  requireNonNegative("lognormal distribution", "sigma", sigma);
  return {
    cdf: (x: number) => (x <= 0 ? 0 : normalCdf(Math.log(x), mu, sigma)),
  };
}

/**
 * The empirical distribution of `samples`: a right-continuous step CDF,
 * P(X <= x) = (number of samples <= x) / n. The samples are copied and sorted.
 *
 * @throws {RangeError} when there are no samples or a sample is not finite.
 *
 * @example
 * ```ts
 * const d = empirical([3, 1, 2, 2]);
 * d.cdf(2); // 0.75
 * d.cdf(1.5); // 0.25
 * ```
 */
export function empirical(samples: readonly number[]): Distribution {
  const n = samples.length;
  if (n === 0) {
    throw new RangeError("Cannot create empirical distribution: no samples");
  }
  const sorted = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const v = samples[i];
    if (typeof v !== "number" || !Number.isFinite(v)) {
      throw new RangeError(
        `Cannot create empirical distribution: sample ${i} must be a finite number, current value is ${v}`,
      );
    }
    sorted[i] = v;
  }
  sorted.sort();
  return {
    cdf(x: number): number {
      if (Number.isNaN(x)) return NaN;
      // Number of samples <= x: first index with sorted[i] > x.
      let lo = 0;
      let hi = n;
      while (lo < hi) {
        const mid = (lo + hi) >>> 1;
        if (sorted[mid] <= x) lo = mid + 1;
        else hi = mid;
      }
      return lo / n;
    },
  };
}
