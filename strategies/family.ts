/**
 * The family port: what every strategy family's model exposes, so that research
 * code (walk-forward tests, calibration tasks, notebooks) can treat CPI, jobless
 * claims, the 10-year yield, gas, weather, index ladders and BTC alike.
 *
 * - `calibrate(history, options)` fits the family's parameters on observations
 *   known strictly before `options.cutoffTs` (walk-forward: nothing at or after the
 *   cutoff may change the result).
 * - `pmf(state, params, ladder)` is the model's probability mass over the bins of
 *   an event's ladder, from what is known at decision time.
 *
 * An {@link Observation} is a value with the time it became known (its publication
 * time), not the period it refers to: each family states how it derives the
 * publication time of data dated by reference period (FRED dates a monthly value
 * by the first day of its month, for example).
 *
 * @example
 * ```ts
 * import type { FamilyModel, Observation } from "./family.ts";
 * declare const cpi: FamilyModel<{ scale: number }, { now: number }>;
 * declare const history: Observation[];
 * const params = cpi.calibrate(history, { cutoffTs: Date.UTC(2025, 0, 1) });
 * ```
 *
 * @module
 */

import type { Ladder } from "../lib/market/ladder.ts";

/** A value and the time it became known (ms since epoch, UTC). */
export interface Observation {
  /** Publication time: the first instant the value could have been used. */
  readonly ts: number;
  readonly value: number;
}

/** Options every calibration takes. Families extend it with their own. */
export interface CalibrateOptions {
  /** Only observations with `ts < cutoffTs` are used (walk-forward). */
  readonly cutoffTs: number;
}

/** Fit statistics reported with calibrated parameters. */
export interface FitStats {
  /** Number of residuals (forecast errors) the fit used. */
  readonly n: number;
  /** Log-likelihood of those residuals under the fitted error density (nats). */
  readonly logLikelihood: number;
  /**
   * Mean in-sample log loss (nats) of the binned outcome: the probability the
   * fitted model gave, one step ahead, to the bin of width `binWidth` (on the
   * reporting grid) that each value fell in. Probabilities are floored at
   * `LOG_LOSS_FLOOR` (lib/scoring/binary.ts).
   */
  readonly logLoss: number;
  /** Width of the bins of `logLoss`, in the outcome's units. */
  readonly binWidth: number;
}

/**
 * A family's model: calibration on history and a PMF over an event's ladder.
 *
 * `Params` are the fitted (or hand-set) parameters, `State` what is known at
 * decision time, `History` one past observation.
 */
export interface FamilyModel<Params, State, History = Observation> {
  /** Short name, as in the strategy registry (for example "cpi"). */
  readonly name: string;
  /** Fit the parameters on `history` entries with `ts < options.cutoffTs`. */
  calibrate(history: readonly History[], options: CalibrateOptions): Params;
  /**
   * Probability mass over `ladder.bins` (sums to 1, zero on bins the outcome
   * cannot reach). Writes into `out` when given (one entry per bin).
   */
  pmf(state: State, params: Params, ladder: Ladder, out?: Float64Array): Float64Array;
}

/**
 * The observations of `history` with `ts < cutoffTs`, after checking that the
 * history is usable: every ts an integer, every value finite, ts non-decreasing.
 * Returns a new array (the input is not modified).
 *
 * @throws {RangeError} on a non-integer ts, a non-finite value, a ts going
 * backwards, or a non-finite cutoff. `action` names what was being done.
 *
 * @example
 * ```ts
 * observationsBefore([{ ts: 1, value: 0.2 }, { ts: 5, value: 0.3 }], 5, "calibrate CPI");
 * // [{ ts: 1, value: 0.2 }]
 * ```
 */
export function observationsBefore(
  history: readonly Observation[],
  cutoffTs: number,
  action: string,
): Observation[] {
  if (typeof cutoffTs !== "number" || Number.isNaN(cutoffTs)) {
    throw new RangeError(
      `Cannot ${action}: cutoffTs must be a number, current value is ${cutoffTs}`,
    );
  }
  const out: Observation[] = [];
  let prev = -Infinity;
  for (let i = 0; i < history.length; i++) {
    const o = history[i];
    if (!Number.isSafeInteger(o.ts)) {
      throw new RangeError(
        `Cannot ${action}: history[${i}].ts must be an integer ms timestamp, current value is ${o.ts}`,
      );
    }
    if (typeof o.value !== "number" || !Number.isFinite(o.value)) {
      throw new RangeError(
        `Cannot ${action}: history[${i}].value must be a finite number, current value is ${o.value}`,
      );
    }
    if (o.ts < prev) {
      throw new RangeError(
        `Cannot ${action}: history must be in time order, history[${i}].ts goes back to ${o.ts} after ${prev}`,
      );
    }
    prev = o.ts;
    if (o.ts < cutoffTs) out.push(o);
  }
  return out;
}

/**
 * The last `count` observations with `ts < cutoffTs` (fewer when there are
 * fewer), found by binary search and checked as {@link observationsBefore} checks
 * (only the returned ones and their order): the cheap form for decision-time
 * forecasts that need only the recent past of a long history.
 *
 * @throws {RangeError} as observationsBefore, for the entries examined, or when
 * count is not an integer >= 1.
 *
 * @example
 * ```ts
 * latestBefore([{ ts: 1, value: 1 }, { ts: 2, value: 2 }, { ts: 3, value: 3 }], 3, 1, "x");
 * // [{ ts: 2, value: 2 }]
 * ```
 */
export function latestBefore(
  history: readonly Observation[],
  cutoffTs: number,
  count: number,
  action: string,
): Observation[] {
  if (!Number.isInteger(count) || count < 1) {
    throw new RangeError(
      `Cannot ${action}: count must be an integer >= 1, current value is ${count}`,
    );
  }
  if (typeof cutoffTs !== "number" || Number.isNaN(cutoffTs)) {
    throw new RangeError(
      `Cannot ${action}: cutoffTs must be a number, current value is ${cutoffTs}`,
    );
  }
  let lo = 0;
  let hi = history.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (history[mid].ts < cutoffTs) lo = mid + 1;
    else hi = mid;
  }
  const from = Math.max(0, lo - count);
  // Check one entry past the end too, so a ts going backwards right after the cut is seen.
  const checked = observationsBefore(
    history.slice(from, Math.min(history.length, lo + 1)),
    Infinity,
    action,
  );
  return checked.slice(0, lo - from);
}
