/**
 * SYNTHETIC BTC reference path for the synthetic tape generator: a geometric
 * Brownian motion of the log price whose volatility switches between two regimes
 * (a 2-state Markov chain: low = 0.6 x and high = 1.6 x the annual volatility), so
 * that an EWMA volatility estimator has something to find. Not market data.
 *
 * @module
 */

import type { Prng } from "../random/prng.ts";

/** Milliseconds in a year of 365 days (BTC trades around the clock). */
export const YEAR_MS = 365 * 86_400_000;

/** Volatility multipliers of the low and high regimes. */
export const REGIME_MULTIPLIERS: readonly [number, number] = [0.6, 1.6];

/** Mean time spent in one volatility regime before switching (3 hours). */
export const MEAN_REGIME_MS = 3 * 3_600_000;

/** Half-life of the synthetic market maker's (slow, lagged) EWMA volatility estimate. */
export const MM_EWMA_HALF_LIFE_MS = 2 * 3_600_000;

/** Lag of the market maker's volatility estimate behind the tape. */
export const MM_VOL_LAG_MS = 10 * 60_000;

/** Window of the settlement average (the BRTI 60-second average). */
export const SETTLEMENT_WINDOW_MS = 60_000;

/** A sampled synthetic BTC path: tick k is at startTs + k * tickMs. */
export interface BtcPath {
  readonly startTs: number;
  readonly tickMs: number;
  /** Observed values, rounded to 0.01. */
  readonly values: Float64Array;
  /** The true annualized volatility of the regime in force after each tick. */
  readonly trueVol: Float64Array;
  /** The market maker's annualized EWMA volatility estimate, lagged by MM_VOL_LAG_MS. */
  readonly mmVol: Float64Array;
}

/** Options of {@link generateBtcPath}. */
export interface BtcPathOptions {
  readonly startTs: number;
  readonly tickMs: number;
  /** Number of ticks (the path covers startTs .. startTs + (ticks - 1) * tickMs). */
  readonly ticks: number;
  readonly startPrice: number;
  readonly annualVol: number;
}

/** Round to the cent (0.01). */
export function round2(x: number): number {
  return Math.round(x * 100) / 100;
}

/** Generate the regime-switching GBM path (zero drift in price). */
export function generateBtcPath(rng: Prng, o: BtcPathOptions): BtcPath {
  const n = o.ticks;
  const values = new Float64Array(n);
  const trueVol = new Float64Array(n);
  const ewma = new Float64Array(n);
  const dtYears = o.tickMs / YEAR_MS;
  const pSwitch = Math.min(1, o.tickMs / MEAN_REGIME_MS);
  const lambda = Math.pow(0.5, o.tickMs / MM_EWMA_HALF_LIFE_MS);
  let regime = rng.int(2);
  let logS = Math.log(o.startPrice);
  let variance = o.annualVol * o.annualVol * dtYears; // per-tick variance, prior
  values[0] = round2(o.startPrice);
  trueVol[0] = o.annualVol * REGIME_MULTIPLIERS[regime];
  ewma[0] = variance;
  for (let k = 1; k < n; k++) {
    if (rng.next() < pSwitch) regime = 1 - regime;
    const sigma = o.annualVol * REGIME_MULTIPLIERS[regime] * Math.sqrt(dtYears);
    logS += -0.5 * sigma * sigma + sigma * rng.normal();
    values[k] = round2(Math.exp(logS));
    trueVol[k] = o.annualVol * REGIME_MULTIPLIERS[regime];
    const r = Math.log(values[k] / values[k - 1]);
    variance = lambda * variance + (1 - lambda) * r * r;
    ewma[k] = variance;
  }
  const lagTicks = Math.round(MM_VOL_LAG_MS / o.tickMs);
  const mmVol = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    mmVol[k] = Math.sqrt(ewma[Math.max(0, k - lagTicks)] / dtYears);
  }
  return { startTs: o.startTs, tickMs: o.tickMs, values, trueVol, mmVol };
}

/** Index of the last tick at or before ts (clamped to the path). */
export function tickIndexAt(path: BtcPath, ts: number): number {
  const k = Math.floor((ts - path.startTs) / path.tickMs);
  return Math.max(0, Math.min(path.values.length - 1, k));
}

/**
 * The settlement value: the mean of the ticks in (closeTs - 60 s, closeTs], rounded
 * half up to 0.01, computed exactly in integer cents (the last tick at or before
 * closeTs if the window holds none).
 */
export function settlementAverage(path: BtcPath, closeTs: number): number {
  const last = tickIndexAt(path, closeTs);
  let sumCents = 0; // exact: integers well below 2^53
  let count = 0;
  for (let k = last; k >= 0; k--) {
    const ts = path.startTs + k * path.tickMs;
    if (ts <= closeTs - SETTLEMENT_WINDOW_MS) break;
    if (ts <= closeTs) {
      sumCents += Math.round(path.values[k] * 100);
      count++;
    }
  }
  return count > 0 ? Math.round(sumCents / count) / 100 : path.values[last];
}
