/**
 * Forecast members of a daily maximum, bias-corrected and kernel-smoothed: the
 * outcome is modelled as the mixture (1/M) sum_i N(m_i - bias, h^2) of the M
 * members m_i (a point forecast is one member), reported in whole degrees.
 * `bias` is the members' mean excess over the observed value (degrees F) and
 * `h` the kernel bandwidth.
 *
 * Fit: maximum likelihood of the whole-degree observations, P(report = k) =
 * (1/M) sum_i [Phi((k + 1/2 - m_i + bias) / h) - Phi((k - 1/2 - m_i + bias) / h)],
 * by coordinate ascent (golden-section search on ln h in [ln 0.2, ln 30], then
 * on the bias within 15 degrees of the mean residual, repeated until both move
 * less than 1e-4, at most 8 rounds). Started from the mean residual and the
 * RMS residual around it.
 *
 * @example
 * ```ts
 * import { ensembleMixture, fitEnsembleError } from "./ensemble.ts";
 * declare const days: { members: number[]; value: number }[];
 * const fit = fitEnsembleError(days, {});
 * const dist = ensembleMixture([71, 73, 74], fit.bias, fit.bandwidth);
 * ```
 *
 * @module
 */

import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { LOG_LOSS_FLOOR } from "../../lib/scoring/binary.ts";
import type { FitStats } from "../family.ts";
import { goldenMax } from "../point_error/golden.ts";
import { checkBandwidth, KernelMixture } from "./kernel.ts";

/** One past forecast batch and the whole-degree value observed. */
export interface ForecastDay {
  readonly members: readonly number[];
  readonly value: number;
}

/** Options of {@link fitEnsembleError}. */
export interface EnsembleFitOptions {
  /** Fix the bias instead of fitting it. */
  readonly bias?: number;
  /** Fix the bandwidth instead of fitting it. */
  readonly bandwidth?: number;
}

/** A fitted ensemble error model. */
export interface EnsembleFit {
  readonly bias: number;
  readonly bandwidth: number;
  readonly fit: FitStats;
}

/** Fewest forecast days for a fit. */
export const MIN_FORECAST_DAYS = 5;

function fail(detail: string, value: unknown): never {
  throw new RangeError(`Cannot fit the ensemble error: ${detail}, current value is ${value}`);
}

/**
 * The bias-corrected, kernel-smoothed distribution of the outcome given the
 * members (written into `into` when given).
 *
 * @throws {RangeError} when there are no members, a member or the bias is not
 * finite, or the bandwidth is not finite and > 0.
 */
export function ensembleMixture(
  members: readonly number[],
  bias: number,
  bandwidth: number,
  into: KernelMixture = new KernelMixture(),
): KernelMixture {
  if (typeof bias !== "number" || !Number.isFinite(bias)) {
    throw new RangeError(
      `Cannot build the ensemble distribution: bias must be finite, current value is ${bias}`,
    );
  }
  const c = new Float64Array(members.length);
  for (let i = 0; i < members.length; i++) c[i] = members[i] - bias;
  return into.set(c, undefined, bandwidth);
}

/** P(report = k) under the mixture of `members` (already validated). */
function reportProb(members: readonly number[], k: number, bias: number, h: number): number {
  let s = 0;
  for (let i = 0; i < members.length; i++) {
    const c = members[i] - bias;
    // Lower-tail evaluation keeps tiny probabilities accurate.
    const d = k >= c ? c - k : k - c;
    s += normalCdf(d + 0.5, 0, h) - normalCdf(d - 0.5, 0, h);
  }
  return s / members.length;
}

/**
 * Fit bias and bandwidth by maximum likelihood (module docs). The log loss of
 * the fit stats is on KXHIGHNY-style 2-degree bins {odd, odd + 1}.
 *
 * @throws {RangeError} with fewer than {@link MIN_FORECAST_DAYS} days, a day
 * without members, a non-finite member, a value that is not a whole degree, or
 * a fixed bias / bandwidth that is invalid.
 */
export function fitEnsembleError(
  days: readonly ForecastDay[],
  options: EnsembleFitOptions,
): EnsembleFit {
  const n = days.length;
  if (n < MIN_FORECAST_DAYS) fail(`at least ${MIN_FORECAST_DAYS} forecast days are needed`, n);
  let sumR = 0;
  for (let i = 0; i < n; i++) {
    const { members, value } = days[i];
    if (members.length === 0) fail(`day ${i} has no members`, 0);
    let mean = 0;
    for (const m of members) {
      if (typeof m !== "number" || !Number.isFinite(m)) fail(`day ${i} has a non-finite member`, m);
      mean += m;
    }
    if (!Number.isInteger(value)) fail(`value ${i} must be a whole degree`, value);
    sumR += mean / members.length - value;
  }
  const r0 = sumR / n;
  let ss = 0;
  for (const { members, value } of days) {
    let mean = 0;
    for (const m of members) mean += m;
    ss += (mean / members.length - value - r0) ** 2;
  }
  const logLik = (bias: number, h: number): number => {
    let ll = 0;
    for (const d of days) {
      const p = reportProb(d.members, d.value, bias, h);
      ll += Math.log(p > 0 ? p : Number.MIN_VALUE);
    }
    return ll;
  };
  const fixedB = options.bias;
  const fixedH = options.bandwidth;
  if (fixedB !== undefined && (typeof fixedB !== "number" || !Number.isFinite(fixedB))) {
    fail("a fixed bias must be finite", fixedB);
  }
  if (fixedH !== undefined) checkBandwidth("fit the ensemble error", fixedH);
  let bias = fixedB ?? r0;
  let h = fixedH ?? Math.min(30, Math.max(0.5, Math.sqrt(ss / n)));
  for (let round = 0; round < 8; round++) {
    const oldB = bias;
    const oldH = h;
    if (fixedH === undefined) {
      h = Math.exp(
        goldenMax((lh) => logLik(bias, Math.exp(lh)), Math.log(0.2), Math.log(30), 1e-5).x,
      );
    }
    if (fixedB === undefined) {
      bias = goldenMax((b) => logLik(b, h), r0 - 15, r0 + 15, 1e-5).x;
    }
    if (Math.abs(bias - oldB) < 1e-4 && Math.abs(h - oldH) < 1e-4) break;
  }
  let loss = 0;
  for (const d of days) {
    const lo = d.value % 2 === 0 ? d.value - 1 : d.value;
    const p = reportProb(d.members, lo, bias, h) + reportProb(d.members, lo + 1, bias, h);
    loss -= Math.log(p > LOG_LOSS_FLOOR ? p : LOG_LOSS_FLOOR);
  }
  return {
    bias,
    bandwidth: h,
    fit: { n, logLikelihood: logLik(bias, h), logLoss: loss / n, binWidth: 2 },
  };
}
