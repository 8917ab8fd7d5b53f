/**
 * From a point forecast and an error distribution to probabilities: the PMF over
 * an event's ladder after rounding to the reporting precision, and the binned
 * probability behind the in-sample log loss reported with a calibration. The one
 * place the point-forecast families (CPI, claims, 10-year, gas: strategies/) and
 * their synthetic generators (lib/synth/) discretize.
 *
 * Rounding: a value reported on the grid of step s is reported as k * s for the
 * continuous outcome in [(k - 1/2) s, (k + 1/2) s) (lib/pricing/pmf.ts). So with
 * s = 0.1 a "greater than 0.2" market is YES only for a report of 0.3 or more,
 * that is a continuous outcome >= 0.25: a print of 0.2 settles NO.
 *
 * @example
 * ```ts
 * import { pointPmf } from "./point_pmf.ts";
 * declare const ladder: import("../market/ladder.ts").Ladder;
 * // CPI m/m: centre 0.27, Student-t error of scale 0.15 with 5 df, reported to 0.1.
 * const pmf = pointPmf(ladder, { center: 0.27, scale: 0.15, df: 5, log: false }, 0.1);
 * ```
 *
 * @module
 */

import type { Ladder } from "../market/ladder.ts";
import { pmfFromCdf } from "./pmf.ts";
import type { Distribution } from "./distribution.ts";
import { LOG_LOSS_FLOOR } from "../scoring/binary.ts";
import { PointErrorDistribution } from "./student_t.ts";

/**
 * A point forecast with a Student-t error, in model space: the outcome is
 * `center + scale * T(df)`, or `exp(center + scale * T(df))` when `log` is set.
 */
export interface PointForecast {
  readonly center: number;
  /** Error scale, already multiplied for the forecast's horizon; 0 is a point mass. */
  readonly scale: number;
  /** Degrees of freedom (Infinity: the normal). */
  readonly df: number;
  readonly log: boolean;
}

const stepped = new WeakMap<Ladder, Map<number, Ladder>>();

function checkStep(action: string, name: string, step: number): void {
  if (typeof step !== "number" || !(step > 0) || !Number.isFinite(step)) {
    throw new RangeError(
      `Cannot ${action}: ${name} must be finite and > 0, current value is ${step}`,
    );
  }
}

/**
 * The ladder with a reporting precision: the ladder itself when it carries an
 * `outcomeStep` (the tape's metadata wins), else a copy with `defaultStep`
 * (cached, so repeated calls return the same object and the PMF's per-ladder
 * caches keep working).
 *
 * @throws {RangeError} when defaultStep is not finite and > 0.
 */
export function withOutcomeStep(ladder: Ladder, defaultStep: number): Ladder {
  checkStep(`set the outcome step of ${ladder.event}`, "defaultStep", defaultStep);
  if (ladder.outcomeStep !== undefined) return ladder;
  let byStep = stepped.get(ladder);
  if (byStep === undefined) {
    byStep = new Map();
    stepped.set(ladder, byStep);
  }
  let l = byStep.get(defaultStep);
  if (l === undefined) {
    l = { ...ladder, outcomeStep: defaultStep };
    byStep.set(defaultStep, l);
  }
  return l;
}

/**
 * PMF over `ladder.bins` of the outcome with distribution `dist`, reported on the
 * ladder's grid (or `defaultStep` when the ladder has none). Sums to 1; bins with
 * no reportable value get exactly 0. Writes into `out` when given.
 *
 * @throws {RangeError} as `pmfFromCdf` does, or for a bad defaultStep.
 */
export function pointErrorPmf(
  ladder: Ladder,
  dist: Distribution,
  defaultStep: number,
  out?: Float64Array,
): Float64Array {
  return pmfFromCdf(withOutcomeStep(ladder, defaultStep), dist, out);
}

/**
 * The probability `dist` gives to the bin of width `binWidth` holding `value` as
 * reported on the grid of step `step`: bins hold the reported values
 * [j * binWidth, (j + 1) * binWidth), so the continuous outcome must lie in
 * [j * binWidth - step / 2, (j + 1) * binWidth - step / 2). Floored at
 * LOG_LOSS_FLOOR.
 *
 * @throws {RangeError} when value is not finite or binWidth / step are not
 * finite and > 0, or binWidth < step.
 */
export function binnedProbability(
  dist: Distribution,
  value: number,
  binWidth: number,
  step: number,
): number {
  if (typeof value !== "number" || !Number.isFinite(value)) {
    throw new RangeError(
      `Cannot compute a binned probability: value must be finite, current value is ${value}`,
    );
  }
  checkStep("compute a binned probability", "step", step);
  checkStep("compute a binned probability", "binWidth", binWidth);
  if (binWidth < step * (1 - 1e-9)) {
    throw new RangeError(
      `Cannot compute a binned probability: binWidth must be at least the step ${step}, current value is ${binWidth}`,
    );
  }
  const reported = Math.round(value / step) * step;
  const j = Math.floor(reported / binWidth + 1e-9);
  const lo = j * binWidth - step / 2;
  const hi = (j + 1) * binWidth - step / 2;
  const p = dist.cdf(hi) - dist.cdf(lo);
  return p > LOG_LOSS_FLOOR ? p : LOG_LOSS_FLOOR;
}

const shared = new PointErrorDistribution();

/**
 * The PMF over `ladder.bins` of a point forecast, reported on the ladder's grid
 * (or `defaultStep`). Writes into `out` when given.
 *
 * @throws {RangeError} for an invalid forecast (non-finite centre, negative
 * scale, df not > 0) or as `pointErrorPmf` does.
 */
export function pointPmf(
  ladder: Ladder,
  f: PointForecast,
  defaultStep: number,
  out?: Float64Array,
): Float64Array {
  return pointErrorPmf(ladder, shared.set(f.center, f.scale, f.df, f.log), defaultStep, out);
}
