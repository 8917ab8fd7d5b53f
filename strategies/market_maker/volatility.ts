/**
 * Online estimate of the variance rate sigma^2 of a market's YES mid, in
 * probability units per hour, from the mid changes it sees: an exponentially
 * weighted (in time) realized variance.
 *
 * Every observation (ts, mid) after the first adds the squared change since the
 * previous one, and the time elapsed, to two sums that decay with half-life H:
 *
 * ```
 * w  = 2^(-dt / H)
 * S2 = w * S2 + (mid - prevMid)^2
 * ST = w * ST + dt
 * sigma^2 per ms = S2 / ST
 * ```
 *
 * The ratio is a decayed sum of squared changes over a decayed sum of time, so
 * irregular spacing needs no special care (a quiet stretch adds time and no
 * variance). A prior of `priorVariancePerHour` worth `priorWeightMs` of time is in
 * both sums from the start, and decays like any observation.
 *
 * @example
 * ```ts
 * import { MidVariance } from "./volatility.ts";
 * const v = new MidVariance(600_000, 0.0025);
 * v.update(0, 0.50);
 * v.update(60_000, 0.51);
 * v.variancePerHour; // between the prior 0.0025 and the 0.006 of one 1c move a minute
 * ```
 *
 * @module
 */

const MS_PER_HOUR = 3_600_000;

function fail(detail: string, value: unknown): never {
  throw new RangeError(`Cannot update mid variance: ${detail}, current value is ${String(value)}`);
}

/** Time-decayed realized variance rate of a probability. */
export class MidVariance {
  readonly halfLifeMs: number;
  #s2: number;
  #st: number;
  #lastTs = Number.NaN;
  #lastMid = Number.NaN;
  #samples = 0;

  /**
   * @param halfLifeMs half-life of the weights, ms > 0.
   * @param priorVariancePerHour the prior sigma^2 per hour, >= 0.
   * @param priorWeightMs how much time the prior is worth, ms >= 0 (default: one half-life).
   * @throws {RangeError} on bad parameters.
   */
  constructor(halfLifeMs: number, priorVariancePerHour: number, priorWeightMs = halfLifeMs) {
    if (!(Number.isFinite(halfLifeMs) && halfLifeMs > 0)) {
      throw new RangeError(
        `Cannot create MidVariance: halfLifeMs must be > 0, current value is ${halfLifeMs}`,
      );
    }
    if (!(Number.isFinite(priorVariancePerHour) && priorVariancePerHour >= 0)) {
      throw new RangeError(
        `Cannot create MidVariance: priorVariancePerHour must be >= 0, current value is ${priorVariancePerHour}`,
      );
    }
    if (!(Number.isFinite(priorWeightMs) && priorWeightMs >= 0)) {
      throw new RangeError(
        `Cannot create MidVariance: priorWeightMs must be >= 0, current value is ${priorWeightMs}`,
      );
    }
    this.halfLifeMs = halfLifeMs;
    this.#s2 = (priorVariancePerHour / MS_PER_HOUR) * priorWeightMs;
    this.#st = priorWeightMs;
  }

  /** Number of changes seen (observations after the first). */
  get samples(): number {
    return this.#samples;
  }

  /** The last mid observed (NaN before the first). */
  get lastMid(): number {
    return this.#lastMid;
  }

  /**
   * Add an observation. Times must not go backwards; several observations at one
   * time are allowed (their changes add variance and no time).
   *
   * @throws {RangeError} on a non-finite mid or a time before the previous one.
   */
  update(ts: number, mid: number): void {
    if (!Number.isFinite(mid)) fail("mid must be finite", mid);
    if (!Number.isFinite(ts)) fail("ts must be finite", ts);
    if (Number.isNaN(this.#lastTs)) {
      this.#lastTs = ts;
      this.#lastMid = mid;
      return;
    }
    const dt = ts - this.#lastTs;
    if (dt < 0) fail(`ts must not go back from ${this.#lastTs}`, ts);
    const w = dt === 0 ? 1 : Math.pow(2, -dt / this.halfLifeMs);
    const d = mid - this.#lastMid;
    this.#s2 = w * this.#s2 + d * d;
    this.#st = w * this.#st + dt;
    this.#lastTs = ts;
    this.#lastMid = mid;
    this.#samples++;
  }

  /**
   * sigma^2 per hour. With no prior and no time observed yet: 0 when no change was
   * seen, else the changes are taken as one hour's worth (a conservative guess).
   */
  get variancePerHour(): number {
    if (this.#st > 0) return (this.#s2 / this.#st) * MS_PER_HOUR;
    return this.#s2;
  }
}
