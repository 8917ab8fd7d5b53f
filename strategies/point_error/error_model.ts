/**
 * The shared calibration step of the "point forecast + fitted error" families
 * (CPI, claims, 10-year, gas): given each past forecast (a centre, a horizon
 * multiplier) and the value that followed, fit the Student-t error by maximum
 * likelihood and report the fit statistics. At decision time the families turn
 * a centre and the fitted scale into a PMF with `pointPmf`
 * (lib/pricing/point_pmf.ts).
 *
 * The model space is the outcome itself, or its logarithm when `log` is set:
 * there the outcome is exp(centre + multiplier * scale * T(df)).
 *
 * @example
 * ```ts
 * import { fitErrorModel } from "./error_model.ts";
 * import { pointPmf } from "../../lib/pricing/point_pmf.ts";
 * const fit = fitErrorModel(
 *   [{ center: 0.2, multiplier: 1, value: 0.3 }, { center: 0.25, multiplier: 1, value: 0.2 },
 *    { center: 0.3, multiplier: 1, value: 0.1 }, { center: 0.2, multiplier: 1, value: 0.2 },
 *    { center: 0.1, multiplier: 1, value: 0.4 }],
 *   { step: 0.1, binWidth: 0.1, log: false },
 * );
 * declare const ladder: import("../../lib/market/ladder.ts").Ladder;
 * const pmf = pointPmf(ladder, { center: 0.25, scale: fit.scale, df: fit.df, log: false }, 0.1);
 * ```
 *
 * @module
 */

import type { FitStats } from "../family.ts";
import { binnedProbability } from "../../lib/pricing/point_pmf.ts";
import { fitStudentT } from "./fit_t.ts";
import { PointErrorDistribution } from "../../lib/pricing/student_t.ts";

/** One past forecast and what followed. */
export interface ForecastPoint {
  /** The forecast centre in model space (ln of the value when `log`). */
  readonly center: number;
  /** Error scale multiplier of this forecast's horizon (1 for one step). */
  readonly multiplier: number;
  /** The value that was then observed (in the outcome's units). */
  readonly value: number;
}

/** How an error model is fitted and scored. */
export interface ErrorModelOptions {
  /** Reporting precision of the outcome (0.1 for CPI m/m). */
  readonly step: number;
  /** Width of the bins of the in-sample log loss (a multiple of step). */
  readonly binWidth: number;
  /** Model the logarithm of the outcome. */
  readonly log: boolean;
  /** Fix the degrees of freedom (Infinity: the normal); fitted when absent. */
  readonly df?: number;
}

/** A fitted error model. */
export interface ErrorFit {
  readonly scale: number;
  readonly df: number;
  readonly fit: FitStats;
}

function residualOf(p: ForecastPoint, log: boolean, i: number): number {
  if (log && !(p.value > 0)) {
    throw new RangeError(
      `Cannot fit the error model: value ${i} must be > 0 in log space, current value is ${p.value}`,
    );
  }
  return (log ? Math.log(p.value) : p.value) - p.center;
}

/**
 * Fit the Student-t scale (and df unless fixed) of the errors of `points` and
 * score the fit in sample. See the module docs.
 *
 * @throws {RangeError} as `fitStudentT` does (too few points, no spread, a
 * non-finite value), or for a non-positive value in log space.
 */
export function fitErrorModel(
  points: readonly ForecastPoint[],
  options: ErrorModelOptions,
): ErrorFit {
  const n = points.length;
  const r = new Float64Array(n);
  const m = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    r[i] = residualOf(points[i], options.log, i);
    m[i] = points[i].multiplier;
  }
  const t = fitStudentT(r, m, options.df === undefined ? {} : { df: options.df });
  const dist = new PointErrorDistribution();
  let loss = 0;
  for (let i = 0; i < n; i++) {
    dist.set(points[i].center, t.scale * m[i], t.df, options.log);
    loss -= Math.log(binnedProbability(dist, points[i].value, options.binWidth, options.step));
  }
  return {
    scale: t.scale,
    df: t.df,
    fit: { n, logLikelihood: t.logLikelihood, logLoss: loss / n, binWidth: options.binWidth },
  };
}
