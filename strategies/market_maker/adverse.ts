/**
 * Adverse-selection pressure of one market: how much the mid moved against the
 * market maker after its recent fills.
 *
 * Each fill schedules a look at the YES mid `horizonMs` later. At the first
 * observation at or after that time, the move from the side bought's view is
 * `after - atFill` for a YES buy and `atFill - after` for a NO buy (ticks); a
 * negative move is adverse (we bought and the price fell), and its size is added
 * to a pressure that decays with half-life `halfLifeMs`:
 *
 * ```
 * pressure(t) = sum over looked-at fills of max(0, -move_i) * 2^(-(t - t_i) / halfLife)
 * ```
 *
 * The market maker stops quoting a market when its pressure rises above a stop
 * level and resumes when it has decayed below a resume level (a
 * {@link HysteresisGate}). Fills whose mid at fill or later is unknown (NaN)
 * are dropped and counted.
 *
 * @example
 * ```ts
 * import { AdverseMonitor } from "./adverse.ts";
 * const m = new AdverseMonitor(30_000, 300_000);
 * m.onFill(0, "yes", 5000); // bought YES at mid 50c
 * m.observe(30_000, 4700); // 30 s later the mid is 47c: 300 ticks adverse
 * m.pressure(30_000); // 300
 * m.pressure(330_000); // 150 after one half-life
 * ```
 *
 * @module
 */

import type { Side } from "../../lib/tape/events.ts";

interface Look {
  readonly due: number;
  readonly side: Side;
  readonly midAtFill: number;
}

/** Decayed sum of adverse mid moves after fills. */
export class AdverseMonitor {
  readonly horizonMs: number;
  readonly halfLifeMs: number;
  readonly #looks: Look[] = [];
  #value = 0;
  #ts = Number.NaN;
  /** Looks taken. */
  looked = 0;
  /** Looks that found the price had moved against the fill. */
  adverse = 0;
  /** Fills dropped because a mid was unknown. */
  dropped = 0;

  /**
   * @param horizonMs how long after a fill to look at the mid, ms >= 0.
   * @param halfLifeMs half-life of the pressure, ms > 0.
   * @throws {RangeError} on bad parameters.
   */
  constructor(horizonMs: number, halfLifeMs: number) {
    if (!(Number.isFinite(horizonMs) && horizonMs >= 0)) {
      throw new RangeError(
        `Cannot create AdverseMonitor: horizonMs must be >= 0, current value is ${horizonMs}`,
      );
    }
    if (!(Number.isFinite(halfLifeMs) && halfLifeMs > 0)) {
      throw new RangeError(
        `Cannot create AdverseMonitor: halfLifeMs must be > 0, current value is ${halfLifeMs}`,
      );
    }
    this.horizonMs = horizonMs;
    this.halfLifeMs = halfLifeMs;
  }

  /** Looks still waiting for their time. */
  get pending(): number {
    return this.#looks.length;
  }

  /** A fill at `ts` buying `side`, with the YES mid then (ticks, NaN if unknown). */
  onFill(ts: number, side: Side, midAtFill: number): void {
    if (!Number.isFinite(ts)) {
      throw new RangeError(`Cannot record fill: ts must be finite, current value is ${ts}`);
    }
    if (Number.isNaN(midAtFill)) {
      this.dropped++;
      return;
    }
    const due = ts + this.horizonMs;
    const looks = this.#looks;
    let i = looks.length;
    while (i > 0 && looks[i - 1].due > due) i--;
    looks.splice(i, 0, { due, side, midAtFill });
  }

  /**
   * The YES mid at `ts` (ticks, NaN if unknown): takes every look due at or
   * before `ts`.
   */
  observe(ts: number, mid: number): void {
    const looks = this.#looks;
    while (looks.length > 0 && looks[0].due <= ts) {
      const l = looks.shift()!;
      if (Number.isNaN(mid)) {
        this.dropped++;
        continue;
      }
      const move = l.side === "yes" ? mid - l.midAtFill : l.midAtFill - mid;
      this.looked++;
      if (move < 0) {
        this.adverse++;
        this.#decayTo(ts);
        this.#value += -move;
      }
    }
  }

  /** The pressure at `ts` (ticks), decayed from the last addition. */
  pressure(ts: number): number {
    if (Number.isNaN(this.#ts) || this.#value === 0) return 0;
    const dt = ts - this.#ts;
    return dt <= 0 ? this.#value : this.#value * Math.pow(2, -dt / this.halfLifeMs);
  }

  #decayTo(ts: number): void {
    if (!Number.isNaN(this.#ts) && ts > this.#ts) {
      this.#value *= Math.pow(2, -(ts - this.#ts) / this.halfLifeMs);
    }
    if (Number.isNaN(this.#ts) || ts > this.#ts) this.#ts = ts;
  }
}
