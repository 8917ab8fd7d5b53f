/**
 * Random draws the SYNTHETIC generators need beyond the PRNG's uniform, normal and
 * exponential: gamma (Marsaglia and Tsang, 2000) and Student-t. Every draw comes
 * from the {@link Prng} passed in, so results are a pure function of the seed.
 *
 * @example
 * ```ts
 * import { Prng } from "../random/prng.ts";
 * import { studentTDraw } from "./draws.ts";
 * const rng = new Prng(1);
 * const e = 0.15 * studentTDraw(rng, 5); // a CPI surprise with scale 0.15, 5 df
 * ```
 *
 * @module
 */

import type { Prng } from "../random/prng.ts";

/**
 * A Gamma(shape, 1) draw (Marsaglia-Tsang squeeze; for shape < 1 the boost
 * Gamma(shape + 1) * U^(1/shape)).
 *
 * @throws {RangeError} when shape is not finite and > 0.
 */
export function gammaDraw(rng: Prng, shape: number): number {
  if (!(shape > 0) || !Number.isFinite(shape)) {
    throw new RangeError(
      `Cannot draw a gamma: shape must be finite and > 0, current value is ${shape}`,
    );
  }
  if (shape < 1) {
    const u = 1 - rng.next(); // (0, 1]
    return gammaDraw(rng, shape + 1) * Math.pow(u, 1 / shape);
  }
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = rng.normal();
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = rng.next();
    if (u < 1 - 0.0331 * x * x * x * x) return d * v;
    if (u > 0 && Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/**
 * A standard Student-t draw with `df` degrees of freedom: Z / sqrt(V / df) with
 * V ~ chi-square(df) = 2 Gamma(df / 2). `df = Infinity` gives a standard normal.
 *
 * @throws {RangeError} when df is not > 0.
 */
export function studentTDraw(rng: Prng, df: number): number {
  if (!(df > 0)) {
    throw new RangeError(`Cannot draw a Student-t: df must be > 0, current value is ${df}`);
  }
  const z = rng.normal();
  if (df === Infinity) return z;
  const v = 2 * gammaDraw(rng, df / 2);
  return z / Math.sqrt(v / df);
}
