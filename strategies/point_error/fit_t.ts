/**
 * Maximum-likelihood fit of a zero-centred Student-t error model: residual i is
 * `m_i * scale * T(df)`, with a known multiplier `m_i > 0` per residual (the
 * square-root-of-horizon factor of a random walk, for example; 1 by default).
 *
 * The scale is profiled out by golden-section search over its logarithm for each
 * df (the likelihood in the scale has a single maximum); df is searched on a
 * log-spaced grid and refined by golden-section search between the neighbours of
 * the best grid point, and the normal (df = Infinity) wins when it fits at least
 * as well. Densities come from `@stdlib/stats-base-dists-t-logpdf` (its value at
 * 0 is the constant term; see `student_t.ts`).
 *
 * @example
 * ```ts
 * import { fitStudentT } from "./fit_t.ts";
 * const fit = fitStudentT([0.12, -0.3, 0.05, 0.21, -0.08, 0.9, -0.11]);
 * // fit.scale, fit.df, fit.logLikelihood, fit.n
 * ```
 *
 * @module
 */

import { goldenMax } from "./golden.ts";
import { NORMAL_DF, tLogDensityAtZero } from "../../lib/pricing/student_t.ts";

/** A fitted Student-t error model. */
export interface TFit {
  /** Scale of a residual with multiplier 1. */
  readonly scale: number;
  /** Degrees of freedom (Infinity: the normal). */
  readonly df: number;
  /** Log-likelihood of the residuals at the fit (nats). */
  readonly logLikelihood: number;
  /** Number of residuals. */
  readonly n: number;
}

/** Options of {@link fitStudentT}. */
export interface TFitOptions {
  /** Fix df instead of fitting it (Infinity: the normal, scale = RMS). */
  readonly df?: number;
  /** Lower bound of the df search (default 1). */
  readonly dfMin?: number;
  /** Upper bound of the finite df search (default 500); the normal is tried too. */
  readonly dfMax?: number;
}

/** Smallest number of residuals for a fit with free df (2 with df fixed). */
export const MIN_RESIDUALS_FREE_DF = 5;

const DF_GRID_POINTS = 13;

function fail(detail: string, value: unknown): never {
  throw new RangeError(
    `Cannot fit the Student-t error model: ${detail}, current value is ${value}`,
  );
}

/**
 * Log-likelihood of residuals `r_i ~ m_i * scale * T(df)`. `u` holds the
 * standardized residuals r_i / m_i and `sumLogM` the sum of ln m_i.
 */
function logLik(u: Float64Array, sumLogM: number, scale: number, df: number): number {
  const n = u.length;
  const c = tLogDensityAtZero(df);
  let s = 0;
  if (df >= NORMAL_DF) {
    const inv = 1 / (scale * scale);
    for (let i = 0; i < n; i++) s += u[i] * u[i];
    return n * c - 0.5 * s * inv - n * Math.log(scale) - sumLogM;
  }
  const k = 1 / (scale * scale * df);
  for (let i = 0; i < n; i++) s += Math.log1p(u[i] * u[i] * k);
  return n * c - 0.5 * (df + 1) * s - n * Math.log(scale) - sumLogM;
}

/**
 * The log-likelihood of `residuals` under `m_i * scale * T(df)` (multipliers
 * default to 1).
 *
 * @throws {RangeError} on mismatched lengths, non-finite residuals, multipliers
 * not > 0, scale not > 0 or df not > 0.
 */
export function tLogLikelihood(
  residuals: ArrayLike<number>,
  scale: number,
  df: number,
  multipliers?: ArrayLike<number>,
): number {
  const { u, sumLogM } = standardize(residuals, multipliers);
  if (!(scale > 0) || !Number.isFinite(scale)) fail("scale must be finite and > 0", scale);
  if (!(df > 0)) fail("df must be > 0", df);
  return logLik(u, sumLogM, scale, df);
}

function standardize(
  residuals: ArrayLike<number>,
  multipliers?: ArrayLike<number>,
): { u: Float64Array; sumLogM: number } {
  const n = residuals.length;
  if (multipliers !== undefined && multipliers.length !== n) {
    fail(`multipliers must have one entry per residual (${n})`, multipliers.length);
  }
  const u = new Float64Array(n);
  let sumLogM = 0;
  for (let i = 0; i < n; i++) {
    const r = residuals[i];
    if (typeof r !== "number" || !Number.isFinite(r)) fail(`residual ${i} must be finite`, r);
    const m = multipliers === undefined ? 1 : multipliers[i];
    if (!(m > 0) || !Number.isFinite(m)) fail(`multiplier ${i} must be finite and > 0`, m);
    u[i] = r / m;
    sumLogM += Math.log(m);
  }
  return { u, sumLogM };
}

/**
 * Fit scale (and df, unless fixed) by maximum likelihood. See the module docs.
 *
 * @throws {RangeError} with fewer than {@link MIN_RESIDUALS_FREE_DF} residuals
 * (2 with df fixed), non-finite residuals, multipliers not > 0, all residuals 0,
 * or invalid df bounds.
 */
export function fitStudentT(
  residuals: ArrayLike<number>,
  multipliers?: ArrayLike<number>,
  options: TFitOptions = {},
): TFit {
  const fixedDf = options.df;
  const dfMin = options.dfMin ?? 1;
  const dfMax = options.dfMax ?? 500;
  if (fixedDf !== undefined && !(fixedDf > 0)) fail("df must be > 0", fixedDf);
  if (!(dfMin > 0) || !(dfMax > dfMin) || !Number.isFinite(dfMax)) {
    fail("df bounds must satisfy 0 < dfMin < dfMax < Infinity", `[${dfMin}, ${dfMax}]`);
  }
  const n = residuals.length;
  const minN = fixedDf === undefined ? MIN_RESIDUALS_FREE_DF : 2;
  if (n < minN) fail(`at least ${minN} residuals are needed`, n);
  const { u, sumLogM } = standardize(residuals, multipliers);
  let ss = 0;
  for (let i = 0; i < n; i++) ss += u[i] * u[i];
  const rms = Math.sqrt(ss / n);
  if (!(rms > 0)) fail("the residuals have no spread (all are 0)", rms);

  const lnRms = Math.log(rms);
  /** Best scale for one df: the normal in closed form, else golden section on ln scale. */
  const profile = (df: number): { scale: number; ll: number } => {
    if (df >= NORMAL_DF) return { scale: rms, ll: logLik(u, sumLogM, rms, df) };
    const r = goldenMax((ls) => logLik(u, sumLogM, Math.exp(ls), df), lnRms - 9, lnRms + 1, 1e-7);
    return { scale: Math.exp(r.x), ll: r.fx };
  };

  if (fixedDf !== undefined) {
    const p = profile(fixedDf);
    return { scale: p.scale, df: fixedDf, logLikelihood: p.ll, n };
  }

  const lo = Math.log(dfMin);
  const hi = Math.log(dfMax);
  let bestK = 0;
  let bestLl = -Infinity;
  for (let k = 0; k < DF_GRID_POINTS; k++) {
    const ll = profile(Math.exp(lo + ((hi - lo) * k) / (DF_GRID_POINTS - 1))).ll;
    if (ll > bestLl) {
      bestLl = ll;
      bestK = k;
    }
  }
  const step = (hi - lo) / (DF_GRID_POINTS - 1);
  const a = Math.max(lo, lo + (bestK - 1) * step);
  const b = Math.min(hi, lo + (bestK + 1) * step);
  const refined = goldenMax((ld) => profile(Math.exp(ld)).ll, a, b, 1e-4);
  const df = Math.exp(refined.x);
  const best = profile(df);
  const normal = profile(Infinity);
  if (normal.ll >= best.ll) {
    return { scale: normal.scale, df: Infinity, logLikelihood: normal.ll, n };
  }
  return { scale: best.scale, df, logLikelihood: best.ll, n };
}
