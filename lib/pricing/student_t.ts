/**
 * The error distribution of the point-forecast families: a location-scale
 * Student-t (the normal as df = Infinity), on the outcome itself or on its
 * logarithm (claims and gas are modelled in log space, so the outcome is
 * `exp(center + scale * T)`).
 *
 * @example
 * ```ts
 * import { PointErrorDistribution } from "./student_t.ts";
 * const d = new PointErrorDistribution().set(0.3, 0.15, 5); // CPI m/m: 0.3 +/- t5 * 0.15
 * d.cdf(0.25); // P(X <= 0.25)
 * const g = new PointErrorDistribution().set(Math.log(3.1), 0.004, 6, true); // gas, log space
 * g.cdf(3.1); // 0.5
 * ```
 *
 * @module
 */

import tCdf from "@stdlib/stats-base-dists-t-cdf";
import tLogPdf from "@stdlib/stats-base-dists-t-logpdf";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import type { Distribution } from "./distribution.ts";

/** Degrees of freedom at and above which the t is treated as the normal. */
export const NORMAL_DF = 1e6;

const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

function checkDf(action: string, df: number): void {
  if (typeof df !== "number" || !(df > 0)) {
    throw new RangeError(
      `Cannot ${action}: df must be > 0 (Infinity for the normal), current value is ${df}`,
    );
  }
}

/**
 * CDF of the standard Student-t with `df` degrees of freedom (the standard normal
 * when `df >= NORMAL_DF`, including Infinity).
 *
 * @throws {RangeError} when df is not > 0.
 *
 * @example
 * ```ts
 * standardTCdf(0, 3); // 0.5
 * standardTCdf(1.96, Infinity); // ~0.975
 * ```
 */
export function standardTCdf(z: number, df: number): number {
  checkDf("evaluate the t CDF", df);
  return df >= NORMAL_DF ? normalCdf(z, 0, 1) : tCdf(z, df);
}

/**
 * The log-density of the standard Student-t at 0: the constant term of
 * {@link standardTLogPdf} (from `@stdlib/stats-base-dists-t-logpdf`).
 *
 * @throws {RangeError} when df is not > 0.
 */
export function tLogDensityAtZero(df: number): number {
  checkDf("evaluate the t log-density", df);
  return df >= NORMAL_DF ? -HALF_LOG_2PI : tLogPdf(0, df);
}

/**
 * Log-density of the standard Student-t: `c(df) - (df + 1) / 2 * log1p(z^2 / df)`,
 * with `c(df)` = {@link tLogDensityAtZero}; the normal `-z^2/2 - ln(2 pi)/2` when
 * `df >= NORMAL_DF`. Pass `c` when calling in a loop with one df.
 *
 * @example
 * ```ts
 * standardTLogPdf(1, 3); // equals @stdlib t-logpdf(1, 3) = -1.5763
 * ```
 */
export function standardTLogPdf(z: number, df: number, c = tLogDensityAtZero(df)): number {
  if (df >= NORMAL_DF) return c - 0.5 * z * z;
  return c - 0.5 * (df + 1) * Math.log1p((z * z) / df);
}

/**
 * A location-scale Student-t, mutable so hot loops reuse one instance:
 * X = center + scale * T(df), or ln X = center + scale * T(df) when `log` is set
 * (then the CDF is 0 for x <= 0). `scale = 0` is a point mass at the center
 * (at exp(center) in log space).
 */
export class PointErrorDistribution implements Distribution {
  center = 0;
  scale = 1;
  df = Infinity;
  log = false;

  /**
   * Set the parameters (validated); returns this.
   *
   * @throws {RangeError} when center is not finite, scale is negative or not
   * finite, or df is not > 0.
   */
  set(center: number, scale: number, df: number, log = false): this {
    if (typeof center !== "number" || !Number.isFinite(center)) {
      throw new RangeError(
        `Cannot set the error distribution: center must be finite, current value is ${center}`,
      );
    }
    if (typeof scale !== "number" || !(scale >= 0) || !Number.isFinite(scale)) {
      throw new RangeError(
        `Cannot set the error distribution: scale must be finite and >= 0, current value is ${scale}`,
      );
    }
    checkDf("set the error distribution", df);
    this.center = center;
    this.scale = scale;
    this.df = df;
    this.log = log;
    return this;
  }

  cdf(x: number): number {
    if (Number.isNaN(x)) return NaN;
    let y = x;
    if (this.log) {
      if (x <= 0) return 0;
      y = Math.log(x);
    }
    if (this.scale === 0) return y >= this.center ? 1 : 0;
    return standardTCdf((y - this.center) / this.scale, this.df);
  }
}
