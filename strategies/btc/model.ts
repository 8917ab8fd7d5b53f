/**
 * The BTC price model: geometric Brownian motion (zero drift) with an EWMA
 * estimate of the variance rate, and the distribution of Kalshi's settlement
 * value, the 60-second average of the CF Benchmarks BRTI before close.
 *
 * Pure: no I/O, no clock, no randomness. Time is in milliseconds, variance is
 * per millisecond of log price.
 *
 * Calibration (`btcModel`, the family port of strategies/family.ts): the EWMA
 * decay and a drift fitted by maximum likelihood on daily closes (Gaussian daily
 * log returns with the EWMA variance forecast), walk-forward. The fitted lambda
 * decays per daily return; {@link lambdaForInterval} converts it to the per-tick
 * decay of the strategy's EWMA.
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

import type { Ladder } from "../../lib/market/ladder.ts";
import { type Distribution, lognormal } from "../../lib/pricing/distribution.ts";
import { pmfFromCdf } from "../../lib/pricing/pmf.ts";
import {
  type CalibrateOptions,
  type FamilyModel,
  type Observation,
  observationsBefore,
} from "../family.ts";
import { goldenMax } from "../point_error/golden.ts";

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

// ---------------------------------------------------------------------------
// Calibration on daily closes: the BTC family model (FamilyModel port).
// ---------------------------------------------------------------------------

/** Milliseconds in a day (not exported: mod.ts re-exports this module beside lib/research's). */
const MS_PER_DAY = 86_400_000;

/** Floor of the daily variance used in the likelihood and forecasts: (0.1% a day)^2. */
export const MIN_DAILY_VARIANCE = 1e-6;

/** Fit statistics of {@link btcModel}.calibrate. */
export interface BtcFitStats {
  /** Returns scored by the likelihood (all but the burn-in). */
  readonly n: number;
  /** Gaussian log-likelihood of those returns at the fit (nats). */
  readonly logLikelihood: number;
}

/**
 * Parameters of the daily BTC model: log returns over dt are normal with
 * variance v dt, v the EWMA variance rate before the return (per ms, floored at
 * {@link MIN_DAILY_VARIANCE} a day), and mean (driftPerDay - v DAY / 2) dt / DAY.
 * With driftPerDay = 0 the price is a martingale, the zero-drift GBM the
 * strategy prices with.
 */
export interface BtcModelParams {
  /** EWMA decay per daily return (weight of the previous variance). */
  readonly lambda: number;
  /** Drift of the price per day (a log rate; 0: the martingale). */
  readonly driftPerDay: number;
  /** The first `burnIn` returns only seed the variance (their mean r^2 / dt). */
  readonly burnIn: number;
  readonly fit?: BtcFitStats;
}

/** Hand-set defaults: RiskMetrics' 0.94 per day, no drift, 20 seeding returns. */
export const DEFAULT_BTC_MODEL_PARAMS: BtcModelParams = Object.freeze({
  lambda: 0.94,
  driftPerDay: 0,
  burnIn: 20,
});

/** What is known at decision time. */
export interface BtcModelState {
  readonly now: number;
  /** When the settlement window ends (the event's close). */
  readonly closeTs: number;
  /** Closes (ts = when each became known), in time order; those after `now` are ignored. */
  readonly closes: readonly Observation[];
  /** Settlement averaging window before close (default 60 s). */
  readonly settleWindowMs?: number;
}

/** Options of {@link btcModel}.calibrate. */
export interface BtcCalibrateOptions extends CalibrateOptions {
  /** Fix lambda instead of fitting it. */
  readonly lambda?: number;
  /** Fit the drift (default true); false fixes it at 0. */
  readonly drift?: boolean;
  /** Seeding returns (default 20). */
  readonly burnIn?: number;
}

/** Half-life, in periods, of an EWMA with decay `lambda`: ln(1/2) / ln(lambda). */
export function ewmaHalfLife(lambda: number): number {
  return Math.log(0.5) / Math.log(lambda);
}

/**
 * The decay per observation, for observations `intervalMs` apart, with the same
 * memory in time as `lambdaPerDay` on daily returns: lambdaPerDay^(intervalMs /
 * day). For `--param lambda=...` of the BTC strategy, whose EWMA decays per tick.
 *
 * @throws {RangeError} when lambdaPerDay is not in (0, 1) or intervalMs not > 0.
 *
 * @example
 * ```ts
 * lambdaForInterval(0.94, 60_000); // ~0.99996 per 1-minute tick
 * ```
 */
export function lambdaForInterval(lambdaPerDay: number, intervalMs: number): number {
  if (!(lambdaPerDay > 0 && lambdaPerDay < 1)) {
    throw new RangeError(
      `Cannot convert lambda: lambdaPerDay must be in (0, 1), current value is ${lambdaPerDay}`,
    );
  }
  if (!(intervalMs > 0) || !Number.isFinite(intervalMs)) {
    throw new RangeError(
      `Cannot convert lambda: intervalMs must be finite and > 0, current value is ${intervalMs}`,
    );
  }
  return Math.pow(lambdaPerDay, intervalMs / MS_PER_DAY);
}

function checkBtcParams(action: string, lambda: number, burnIn: number): void {
  if (!(lambda > 0 && lambda < 1)) {
    throw new RangeError(`Cannot ${action}: lambda must be in (0, 1), current value is ${lambda}`);
  }
  if (!Number.isInteger(burnIn) || burnIn < 1) {
    throw new RangeError(
      `Cannot ${action}: burnIn must be an integer >= 1, current value is ${burnIn}`,
    );
  }
}

/**
 * Run the EWMA over `closes` (strictly increasing ts, prices > 0): the variance
 * starts at the mean r^2 / dt of the first `burnIn` returns, then for every later
 * return `onReturn(r, dt, v)` sees the variance rate v (per ms, floored) known
 * before it. Returns the estimator after the last close.
 */
function ewmaPass(
  action: string,
  closes: readonly Observation[],
  lambda: number,
  burnIn: number,
  onReturn?: (r: number, dt: number, v: number) => void,
): EwmaVariance {
  const n = closes.length;
  if (n < burnIn + 2) {
    throw new RangeError(
      `Cannot ${action}: at least ${burnIn + 2} closes are needed, current value is ${n}`,
    );
  }
  for (let j = 0; j < n; j++) {
    const p = closes[j].value;
    if (!(p > 0)) {
      throw new RangeError(`Cannot ${action}: close ${j} must be > 0, current value is ${p}`);
    }
    if (j > 0 && !(closes[j].ts > closes[j - 1].ts)) {
      throw new RangeError(
        `Cannot ${action}: closes must have increasing ts, close ${j} has ${closes[j].ts} after ${
          closes[j - 1].ts
        }`,
      );
    }
  }
  const floor = MIN_DAILY_VARIANCE / MS_PER_DAY;
  let seed = 0;
  for (let j = 1; j <= burnIn; j++) {
    const r = Math.log(closes[j].value / closes[j - 1].value);
    seed += (r * r) / (closes[j].ts - closes[j - 1].ts);
  }
  const e = new EwmaVariance(lambda, Math.max(seed / burnIn, floor));
  e.update(closes[burnIn].ts, closes[burnIn].value);
  for (let j = burnIn + 1; j < n; j++) {
    if (onReturn !== undefined) {
      const dt = closes[j].ts - closes[j - 1].ts;
      onReturn(Math.log(closes[j].value / closes[j - 1].value), dt, Math.max(e.varPerMs, floor));
    }
    e.update(closes[j].ts, closes[j].value);
  }
  return e;
}

/**
 * Gaussian log-likelihood of the returns of `closes` after the burn-in under the
 * EWMA variance with decay `lambda` (see {@link BtcModelParams}), with the drift
 * fixed (a number) or at its maximum-likelihood value ("fit": the
 * precision-weighted mean, in closed form).
 *
 * @throws {RangeError} on too few closes, a non-positive price, ts not
 * increasing, or a bad lambda / burnIn.
 */
export function ewmaLogLikelihood(
  closes: readonly Observation[],
  lambda: number,
  burnIn: number,
  drift: number | "fit",
): { logLikelihood: number; driftPerDay: number; n: number } {
  const action = "compute the BTC likelihood";
  checkBtcParams(action, lambda, burnIn);
  // Sufficient statistics of x = r + v dt / 2 ~ N(mu a, s2), a = dt / day, s2 = v dt.
  let sLn = 0;
  let sxx = 0;
  let sxa = 0;
  let saa = 0;
  let n = 0;
  ewmaPass(action, closes, lambda, burnIn, (r, dt, v) => {
    const s2 = v * dt;
    const x = r + s2 / 2;
    const a = dt / MS_PER_DAY;
    sLn += Math.log(2 * Math.PI * s2);
    sxx += (x * x) / s2;
    sxa += (x * a) / s2;
    saa += (a * a) / s2;
    n++;
  });
  const mu = drift === "fit" ? sxa / saa : drift;
  if (!Number.isFinite(mu)) {
    throw new RangeError(`Cannot ${action}: drift must be finite, current value is ${mu}`);
  }
  return { logLikelihood: -0.5 * (sLn + sxx - 2 * mu * sxa + mu * mu * saa), driftPerDay: mu, n };
}

/**
 * The EWMA variance rate (per ms) and last close after `closes`, from the closes
 * of the last 40 half-lives (at least burnIn + 2): older ones weigh less than
 * 2^-40 and are skipped to keep forecasts cheap.
 */
export function ewmaStateAt(
  closes: readonly Observation[],
  lambda: number,
  burnIn: number,
): { varPerMs: number; last: number; lastTs: number } {
  const action = "forecast BTC";
  checkBtcParams(action, lambda, burnIn);
  const n = closes.length;
  if (n === 0) throw new RangeError(`Cannot ${action}: no close is known, current value is 0`);
  const horizon = 40 * ewmaHalfLife(lambda) * MS_PER_DAY;
  const since = closes[n - 1].ts - horizon;
  let lo = 0;
  let hi = n;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (closes[mid].ts < since) lo = mid + 1;
    else hi = mid;
  }
  const from = Math.max(0, Math.min(lo, n - burnIn - 2));
  const e = ewmaPass(action, closes.slice(from), lambda, burnIn);
  return {
    varPerMs: Math.max(e.varPerMs, MIN_DAILY_VARIANCE / MS_PER_DAY),
    last: e.last,
    lastTs: e.lastTs,
  };
}

const HALF_LIFE_MIN = 0.5;
const HALF_LIFE_MAX = 1000;
const HALF_LIFE_GRID = 13;

/**
 * Fit lambda (and the drift) by maximum likelihood on the closes with
 * ts < cutoff: the profile likelihood over the half-life, on a log-spaced grid
 * of 13 half-lives from 0.5 to 1,000 days, refined by golden-section search
 * between the neighbours of the best grid point; the drift at each lambda in
 * closed form.
 */
function calibrateBtc(
  history: readonly Observation[],
  options: BtcCalibrateOptions,
): BtcModelParams {
  const action = "calibrate BTC";
  const closes = observationsBefore(history, options.cutoffTs, action);
  const burnIn = options.burnIn ?? DEFAULT_BTC_MODEL_PARAMS.burnIn;
  const drift = options.drift === false ? 0 : "fit";
  if (closes.length < burnIn + 12) {
    throw new RangeError(
      `Cannot ${action}: at least ${
        burnIn + 12
      } closes are needed before the cutoff, current value is ${closes.length}`,
    );
  }
  const at = (lambda: number) => ewmaLogLikelihood(closes, lambda, burnIn, drift);
  let lambda = options.lambda;
  if (lambda === undefined) {
    const lo = Math.log(HALF_LIFE_MIN);
    const hi = Math.log(HALF_LIFE_MAX);
    const step = (hi - lo) / (HALF_LIFE_GRID - 1);
    const ll = (lnH: number) => at(Math.pow(0.5, 1 / Math.exp(lnH))).logLikelihood;
    let bestK = 0;
    let best = -Infinity;
    for (let k = 0; k < HALF_LIFE_GRID; k++) {
      const v = ll(lo + k * step);
      if (v > best) {
        best = v;
        bestK = k;
      }
    }
    const r = goldenMax(
      ll,
      Math.max(lo, lo + (bestK - 1) * step),
      Math.min(hi, lo + (bestK + 1) * step),
      1e-4,
    );
    lambda = Math.pow(0.5, 1 / Math.exp(r.x));
  }
  checkBtcParams(action, lambda, burnIn);
  const f = at(lambda);
  return {
    lambda,
    driftPerDay: f.driftPerDay,
    burnIn,
    fit: { n: f.n, logLikelihood: f.logLikelihood },
  };
}

/**
 * The distribution of the settlement value at `state.closeTs`: the last known
 * close moved by the drift and spread by the EWMA variance over the time from
 * that close (not from `now`: the spot is as old as the last close) to the
 * close, against the settlement average of {@link settlementDistribution}.
 *
 * @throws {RangeError} when no close is known at `now`, or as ewmaStateAt.
 */
export function btcSettlementDistribution(
  state: BtcModelState,
  params: BtcModelParams,
): Distribution {
  const closes = observationsBefore(
    state.closes.slice(0, countKnown(state.closes, state.now)),
    Infinity,
    "forecast BTC",
  );
  const s = ewmaStateAt(closes, params.lambda, params.burnIn);
  const tau = Math.max(0, state.closeTs - s.lastTs);
  const mean = s.last * Math.exp((params.driftPerDay * tau) / MS_PER_DAY);
  return settlementDistribution(mean, s.varPerMs, tau, state.settleWindowMs ?? 60_000, mean, 0);
}

function countKnown(xs: readonly Observation[], now: number): number {
  let lo = 0;
  let hi = xs.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (xs[mid].ts <= now) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * The BTC family model on daily closes: `calibrate` fits the EWMA lambda and the
 * drift (walk-forward: closes with ts < cutoff only), `pmf` discretizes
 * {@link btcSettlementDistribution} onto a ladder. The strategy (strategy.ts) is
 * unchanged by it: its lambda decays per tick (see {@link lambdaForInterval}).
 */
export const btcModel: FamilyModel<BtcModelParams, BtcModelState> & {
  calibrate(history: readonly Observation[], options: BtcCalibrateOptions): BtcModelParams;
} = {
  name: "btc",
  calibrate: calibrateBtc,
  pmf(state: BtcModelState, params: BtcModelParams, ladder: Ladder, out?: Float64Array) {
    return pmfFromCdf(ladder, btcSettlementDistribution(state, params), out);
  },
};
