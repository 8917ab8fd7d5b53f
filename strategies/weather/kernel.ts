/**
 * Gaussian kernel mixtures for the NYC high-temperature family: a weighted set
 * of centres (ensemble members after bias correction, or past daily maxima of a
 * climatology), each smoothed by a normal kernel of one bandwidth. The outcome
 * is reported in whole degrees: a value X is reported as k for X in
 * [k - 1/2, k + 1/2) (the rounding lib/pricing/pmf.ts applies on a ladder with
 * `outcomeStep` 1).
 *
 * @example
 * ```ts
 * import { KernelMixture, reportProbability } from "./kernel.ts";
 * const d = new KernelMixture().set([70, 72, 75], undefined, 2);
 * d.cdf(72); // P(X <= 72)
 * reportProbability(72, 71.3, 2); // P(a N(71.3, 2^2) value is reported as 72)
 * ```
 *
 * @module
 */

import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import type { Distribution } from "../../lib/pricing/distribution.ts";

function fail(detail: string, value: unknown): never {
  throw new RangeError(`Cannot build the kernel mixture: ${detail}, current value is ${value}`);
}

/** Throws unless `h` is a finite bandwidth > 0 (`action` names what was being done). */
export function checkBandwidth(action: string, h: number): void {
  if (typeof h !== "number" || !(h > 0) || !Number.isFinite(h)) {
    throw new RangeError(
      `Cannot ${action}: bandwidth must be finite and > 0, current value is ${h}`,
    );
  }
}

/**
 * A mixture of normals N(c_i, h^2) with weights w_i (normalized to sum to 1),
 * changed in place by {@link KernelMixture.set} so hot loops need not allocate.
 */
export class KernelMixture implements Distribution {
  #centres = new Float64Array(0);
  #weights = new Float64Array(0);
  #h = 1;

  /** Number of centres. */
  get size(): number {
    return this.#centres.length;
  }

  /** The bandwidth in use. */
  get bandwidth(): number {
    return this.#h;
  }

  /**
   * Set the centres, weights (equal when undefined) and bandwidth; returns this.
   *
   * @throws {RangeError} when there are no centres, a centre is not finite, the
   * weights do not match the centres in number, a weight is negative or not
   * finite, all weights are 0, or the bandwidth is not finite and > 0.
   */
  set(centres: ArrayLike<number>, weights: ArrayLike<number> | undefined, bandwidth: number): this {
    const n = centres.length;
    if (n === 0) fail("at least one centre is needed", 0);
    checkBandwidth("build the kernel mixture", bandwidth);
    if (weights !== undefined && weights.length !== n) {
      fail(`weights must have one entry per centre (${n})`, weights.length);
    }
    const c = this.#centres.length === n ? this.#centres : new Float64Array(n);
    const w = this.#weights.length === n ? this.#weights : new Float64Array(n);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const x = centres[i];
      if (typeof x !== "number" || !Number.isFinite(x)) fail(`centre ${i} must be finite`, x);
      const wi = weights === undefined ? 1 : weights[i];
      if (typeof wi !== "number" || !(wi >= 0) || !Number.isFinite(wi)) {
        fail(`weight ${i} must be finite and >= 0`, wi);
      }
      c[i] = x;
      w[i] = wi;
      total += wi;
    }
    if (!(total > 0)) fail("the weights sum to 0", total);
    for (let i = 0; i < n; i++) w[i] /= total;
    this.#centres = c;
    this.#weights = w;
    this.#h = bandwidth;
    return this;
  }

  /** P(X <= x). */
  cdf(x: number): number {
    if (Number.isNaN(x)) return NaN;
    const c = this.#centres;
    const w = this.#weights;
    const h = this.#h;
    let s = 0;
    for (let i = 0; i < c.length; i++) s += w[i] * normalCdf(x, c[i], h);
    return s;
  }

  /** Mean of the mixture. */
  mean(): number {
    let s = 0;
    for (let i = 0; i < this.#centres.length; i++) s += this.#weights[i] * this.#centres[i];
    return s;
  }
}

/**
 * P(a value drawn from N(centre, h^2) is reported as the whole number k):
 * Phi((k + 1/2 - centre) / h) - Phi((k - 1/2 - centre) / h).
 *
 * @throws {RangeError} when h is not finite and > 0.
 */
export function reportProbability(k: number, centre: number, h: number): number {
  checkBandwidth("compute a report probability", h);
  // Evaluate in the lower tail (accurate when the probability is tiny).
  const d = k >= centre ? centre - k : k - centre;
  return normalCdf(d + 0.5, 0, h) - normalCdf(d - 0.5, 0, h);
}

/**
 * The table `t[d + radius]` = P(an N(c, h^2) value with integer c is reported
 * as c + d), for d = -radius..radius: the kernel of a whole-degree sample on
 * the whole-degree grid. Writes into `out` when it has 2 radius + 1 entries.
 *
 * @throws {RangeError} when h is not finite and > 0 or radius is not an integer >= 0.
 */
export function roundedKernelTable(h: number, radius: number, out?: Float64Array): Float64Array {
  checkBandwidth("build a rounded kernel table", h);
  if (!Number.isInteger(radius) || radius < 0) {
    throw new RangeError(
      `Cannot build a rounded kernel table: radius must be an integer >= 0, current value is ${radius}`,
    );
  }
  const t = out !== undefined && out.length === 2 * radius + 1
    ? out
    : new Float64Array(2 * radius + 1);
  // Symmetric: compute d >= 0 in the lower tail (accurate when tiny) and mirror.
  let upper = normalCdf(0.5, 0, h);
  for (let d = 0; d <= radius; d++) {
    const lower = normalCdf(-d - 0.5, 0, h);
    const p = upper - lower;
    t[radius + d] = p;
    t[radius - d] = p;
    upper = lower;
  }
  return t;
}
