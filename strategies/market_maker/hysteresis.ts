/**
 * A throttle with hysteresis: it closes when a measure crosses a stop level and
 * opens again only when the measure is back past a separate, stricter resume
 * level, so a measure that hovers around one threshold does not switch quoting
 * on and off at every event.
 *
 * Two directions:
 * - `HysteresisGate.above(stop, resume)`: closes when x > stop, opens when
 *   x < resume (resume <= stop). For "too wide" and "too much adverse selection".
 * - `HysteresisGate.below(stop, resume)`: closes when x < stop, opens when
 *   x > resume (resume >= stop). For "too thin".
 *
 * A NaN measure leaves the gate as it is (nothing is known).
 *
 * @example
 * ```ts
 * import { HysteresisGate } from "./hysteresis.ts";
 * const wide = HysteresisGate.above(1000, 600); // stop above 10c, resume below 6c
 * wide.update(1200); // true: blocked
 * wide.update(800); // true: still blocked (not yet below 6c)
 * wide.update(500); // false: open again
 * ```
 *
 * @module
 */

/** A two-threshold throttle. */
export class HysteresisGate {
  readonly stop: number;
  readonly resume: number;
  /** True when the gate closes on high values (x > stop), false on low values. */
  readonly high: boolean;
  #blocked = false;
  #lastValue = Number.NaN;

  private constructor(high: boolean, stop: number, resume: number) {
    const rule = high ? "resume <= stop" : "resume >= stop";
    const ok = !Number.isNaN(stop) && !Number.isNaN(resume) &&
      (high ? resume <= stop : resume >= stop);
    if (!ok) {
      throw new RangeError(
        `Cannot create hysteresis gate: need ${rule}, current value is stop=${stop} resume=${resume}`,
      );
    }
    this.high = high;
    this.stop = stop;
    this.resume = resume;
  }

  /** Closes when x > stop, opens when x < resume. */
  static above(stop: number, resume: number): HysteresisGate {
    return new HysteresisGate(true, stop, resume);
  }

  /** Closes when x < stop, opens when x > resume. */
  static below(stop: number, resume: number): HysteresisGate {
    return new HysteresisGate(false, stop, resume);
  }

  /** Whether the gate is closed (quoting stopped). */
  get blocked(): boolean {
    return this.#blocked;
  }

  /** The last value given (NaN before the first). */
  get lastValue(): number {
    return this.#lastValue;
  }

  /**
   * Whether the last value lies between the two thresholds (or at one) while the
   * gate is open: the caution zone, where the market maker widens its quotes.
   */
  get caution(): boolean {
    const x = this.#lastValue;
    if (this.#blocked || Number.isNaN(x)) return false;
    return this.high ? x >= this.resume : x <= this.resume;
  }

  /** Feed a value; returns whether the gate is closed afterwards. */
  update(x: number): boolean {
    if (Number.isNaN(x)) return this.#blocked;
    this.#lastValue = x;
    if (this.high) {
      if (this.#blocked) {
        if (x < this.resume) this.#blocked = false;
      } else if (x > this.stop) this.#blocked = true;
    } else if (this.#blocked) {
      if (x > this.resume) this.#blocked = false;
    } else if (x < this.stop) this.#blocked = true;
    return this.#blocked;
  }

  /** Open the gate and forget the last value. */
  reset(): void {
    this.#blocked = false;
    this.#lastValue = Number.NaN;
  }
}
