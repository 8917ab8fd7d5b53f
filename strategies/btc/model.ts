/**
 * The BTC price model: geometric Brownian motion (zero drift) with an EWMA
 * estimate of the variance rate, and the distribution of Kalshi's settlement
 * value, the 60-second average of the CF Benchmarks BRTI before close.
 *
 * Pure: no I/O, no clock, no randomness. Time is in milliseconds, variance is
 * per millisecond of log price.
 *
 * @example
 * ```ts
 * import { EwmaVariance, MS_PER_YEAR, settlementDistribution } from "./model.ts";
 * const ewma = new EwmaVariance(0.94, 0.25 / MS_PER_YEAR);
 * ewma.update(0, 100000);
 * ewma.update(1000, 100010);
 * const dist = settlementDistribution(ewma.last, ewma.varPerMs, 3_600_000, 60_000, ewma.last, 0);
 * const pAbove = 1 - dist.cdf(100500);
 * ```
 *
 * @module
 */

import { type Distribution, lognormal } from "../../lib/pricing/distribution.ts";

/** Milliseconds in a year of 365.25 days (for annualized volatilities). */
export const MS_PER_YEAR = 365.25 * 24 * 3600 * 1000;

/** Variance per millisecond of log price for an annualized volatility. */
export function varPerMsFromAnnualVol(annualVol: number): number {
  return (annualVol * annualVol) / MS_PER_YEAR;
}

/**
 * Exponentially weighted moving average of the variance rate of log returns.
 *
 * For each new observation with dt = ts - lastTs > 0 and r = ln(S_t / S_prev):
 *   varRate = lambda * varRate + (1 - lambda) * r^2 / dt   (variance per ms).
 * Dividing by dt makes irregularly spaced ticks comparable. An observation with
 * dt <= 0 (same or earlier timestamp) is ignored entirely.
 */
export class EwmaVariance {
  readonly lambda: number;
  #varRate: number;
  #last = Number.NaN;
  #lastTs = Number.NaN;
  #samples = 0;

  constructor(lambda: number, initialVarPerMs: number) {
    if (!(lambda > 0 && lambda < 1)) {
      throw new RangeError(
        `Cannot create EwmaVariance: lambda must be in (0, 1), current value is ${lambda}`,
      );
    }
    if (!(initialVarPerMs >= 0 && Number.isFinite(initialVarPerMs))) {
      throw new RangeError(
        `Cannot create EwmaVariance: initialVarPerMs must be finite and >= 0, current value is ${initialVarPerMs}`,
      );
    }
    this.lambda = lambda;
    this.#varRate = initialVarPerMs;
  }

  /** Fold in one price observation. Throws on a non-positive or non-finite price. */
  update(ts: number, price: number): void {
    if (!(price > 0 && Number.isFinite(price))) {
      throw new RangeError(
        `Cannot update EwmaVariance: price must be finite and > 0, current value is ${price}`,
      );
    }
    if (!Number.isFinite(ts)) {
      throw new RangeError(
        `Cannot update EwmaVariance: ts must be finite, current value is ${ts}`,
      );
    }
    if (Number.isNaN(this.#lastTs)) {
      this.#last = price;
      this.#lastTs = ts;
      return;
    }
    const dt = ts - this.#lastTs;
    if (dt <= 0) return;
    const r = Math.log(price / this.#last);
    this.#varRate = this.lambda * this.#varRate + (1 - this.lambda) * (r * r) / dt;
    this.#last = price;
    this.#lastTs = ts;
    this.#samples++;
  }

  /** Current variance rate of log price, per millisecond. */
  get varPerMs(): number {
    return this.#varRate;
  }

  /** Last accepted price, or NaN before the first. */
  get last(): number {
    return this.#last;
  }

  /** Timestamp of the last accepted price, or NaN before the first. */
  get lastTs(): number {
    return this.#lastTs;
  }

  /** Number of returns folded into the estimate (prices accepted minus one). */
  get samples(): number {
    return this.#samples;
  }
}

/** A point mass at `at`: cdf(x) = 1 when x >= at, else 0. */
export function pointMass(at: number): Distribution {
  return {
    cdf(x: number): number {
      return x >= at ? 1 : 0;
    },
  };
}

/**
 * The distribution of `offset + scale * X` for X with distribution `base`
 * (scale > 0): cdf(x) = base.cdf((x - offset) / scale).
 */
export function affine(base: Distribution, offset: number, scale: number): Distribution {
  if (!(scale > 0 && Number.isFinite(scale))) {
    throw new RangeError(
      `Cannot build an affine distribution: scale must be finite and > 0, current value is ${scale}`,
    );
  }
  return {
    cdf(x: number): number {
      return base.cdf((x - offset) / scale);
    },
  };
}

/**
 * A lognormal with mean `mean` and log-variance `logVar` (mu = ln(mean) - logVar/2),
 * or a point mass at `mean` when the variance is zero.
 */
function meanMatchedLognormal(mean: number, logVar: number): Distribution {
  if (!(logVar > 0)) return pointMass(mean);
  return lognormal(Math.log(mean) - logVar / 2, Math.sqrt(logVar));
}

/**
 * The distribution of the settlement value: the average of the price over the
 * `windowMs` before close, seen `tauMs` before close, under zero-drift GBM with
 * variance rate `varPerMs`.
 *
 * Approximation (moment matching): the arithmetic average A of a GBM over a window
 * of length W has mean S (zero drift, a martingale) and, with k = sigma^2 W,
 * E[A^2] / S^2 = 2 (e^k - 1 - k) / k^2; a lognormal with the same two moments has
 * log-variance ln(2 (e^k - 1 - k) / k^2) = k/3 + k^2/36 + O(k^3). For BTC over 60 s,
 * k is about 1e-6, so k^2/36 is far below double rounding and the model keeps the
 * first-order term sigma^2 W / 3. Every lognormal here is mean-matched:
 * mu = ln(mean) - v/2.
 *
 * - tauMs >= windowMs: the window lies wholly in the future. ln A is taken normal
 *   with variance varPerMs * (tau - W) (the walk up to the window's start) plus
 *   varPerMs * W / 3 (the averaging inside it), mean S.
 * - 0 < tauMs < windowMs: part of the window has elapsed with average `knownAvg`
 *   over `knownMs` (normally W - tau). The settlement is
 *   (knownAvg * knownMs + F * tau) / (knownMs + tau), where F, the average of the
 *   rest, is lognormal with mean S and log-variance varPerMs * tau / 3; the result
 *   is F shifted and scaled. The denominator equals W when knownMs = W - tau; using
 *   knownMs + tau keeps the mean right when the caller knows less of the window.
 * - tauMs <= 0: the average is known; a point mass at `knownAvg`.
 */
export function settlementDistribution(
  spot: number,
  varPerMs: number,
  tauMs: number,
  windowMs: number,
  knownAvg: number,
  knownMs: number,
): Distribution {
  if (tauMs <= 0) {
    if (!(knownAvg > 0 && Number.isFinite(knownAvg))) {
      throw new RangeError(
        `Cannot build the settlement distribution: knownAvg must be finite and > 0 at close, current value is ${knownAvg}`,
      );
    }
    return pointMass(knownAvg);
  }
  if (!(spot > 0 && Number.isFinite(spot))) {
    throw new RangeError(
      `Cannot build the settlement distribution: spot must be finite and > 0, current value is ${spot}`,
    );
  }
  if (!(varPerMs >= 0 && Number.isFinite(varPerMs))) {
    throw new RangeError(
      `Cannot build the settlement distribution: varPerMs must be finite and >= 0, current value is ${varPerMs}`,
    );
  }
  if (!(windowMs >= 0 && Number.isFinite(windowMs))) {
    throw new RangeError(
      `Cannot build the settlement distribution: windowMs must be finite and >= 0, current value is ${windowMs}`,
    );
  }
  if (tauMs >= windowMs) {
    const v = varPerMs * (tauMs - windowMs) + (varPerMs * windowMs) / 3;
    return meanMatchedLognormal(spot, v);
  }
  const future = meanMatchedLognormal(spot, (varPerMs * tauMs) / 3);
  if (!(knownMs > 0)) return future;
  if (!(knownAvg > 0 && Number.isFinite(knownAvg))) {
    throw new RangeError(
      `Cannot build the settlement distribution: knownAvg must be finite and > 0, current value is ${knownAvg}`,
    );
  }
  const total = knownMs + tauMs;
  return affine(future, (knownAvg * knownMs) / total, tauMs / total);
}

/**
 * P(S_T > K) under zero-drift GBM: N(d2), d2 = (ln(S/K) - sigma^2 tau / 2) / (sigma sqrt(tau)),
 * with sigma^2 tau = varPerMs * tauMs. With tau or the variance zero it is 1 when
 * S > K, else 0.
 */
export function probAbove(spot: number, strike: number, varPerMs: number, tauMs: number): number {
  const v = varPerMs * tauMs;
  if (!(v > 0)) return spot > strike ? 1 : 0;
  // 1 - cdf of the mean-matched lognormal at K is exactly N(d2).
  return 1 - lognormal(Math.log(spot) - v / 2, Math.sqrt(v)).cdf(strike);
}
