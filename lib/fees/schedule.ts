/**
 * Fee terms over time. Kalshi changes a series' fee type and multiplier from time
 * to time (`GET /series/fee_changes`, `GET /events/fee_changes`); a backtest must
 * charge each fill the fee in force at the fill's time (DOMAIN.md "Fees").
 *
 * @example
 * ```ts
 * import { FeeSchedule } from "./schedule.ts";
 *
 * const schedule = new FeeSchedule();
 * schedule.set(0, { feeType: "quadratic", multiplier: 10_000 });
 * schedule.set(1_000, { feeType: "quadratic", multiplier: 5_000 });
 * schedule.at(999)?.multiplier; // 10000
 * schedule.at(1_000)?.multiplier; // 5000
 * ```
 *
 * @module
 */

import { type FeeParams, validateFeeParams } from "./fees.ts";

interface Entry {
  readonly fromTs: number;
  readonly params: FeeParams;
}

/**
 * The fee terms of one series (or event) over time: a list of (fromTs, params)
 * entries in time order, each in force from its `fromTs` until the next.
 *
 * @example
 * ```ts
 * import { FeeSchedule } from "./schedule.ts";
 *
 * const schedule = new FeeSchedule();
 * schedule.set(1_700_000_000_000, { feeType: "quadratic_with_maker_fees", multiplier: 10_000 });
 * schedule.at(1_600_000_000_000); // undefined: no fee known yet
 * schedule.at(1_800_000_000_000)?.feeType; // "quadratic_with_maker_fees"
 * ```
 */
export class FeeSchedule {
  readonly #entries: Entry[] = [];

  /**
   * Adds the fee terms in force from `fromTs` (ms since the Unix epoch). Entries
   * must come in time order; an entry with the same `fromTs` as the last one
   * supersedes it for lookups.
   *
   * @throws {RangeError} when `fromTs` is not a safe integer or is earlier than the
   *   last entry's, or when `params` is invalid.
   */
  set(fromTs: number, params: FeeParams): void {
    if (!Number.isSafeInteger(fromTs)) {
      throw new RangeError(
        `Cannot set fee schedule entry: fromTs must be an integer (ms), current value is ${
          String(fromTs)
        }`,
      );
    }
    const last = this.#entries.at(-1);
    if (last !== undefined && fromTs < last.fromTs) {
      throw new RangeError(
        `Cannot set fee schedule entry: fromTs is earlier than the last entry (${last.fromTs}), current value is ${fromTs}`,
      );
    }
    validateFeeParams(params);
    const copy: FeeParams = Object.freeze({
      feeType: params.feeType,
      multiplier: params.multiplier,
    });
    this.#entries.push({ fromTs, params: copy });
  }

  /**
   * The fee terms in force at `ts`: the last entry with `fromTs <= ts`, found by
   * binary search; undefined when `ts` is before the first entry.
   *
   * @example
   * ```ts
   * import { FeeSchedule } from "./schedule.ts";
   *
   * const schedule = new FeeSchedule();
   * schedule.set(100, { feeType: "quadratic", multiplier: 10_000 });
   * schedule.at(99); // undefined
   * schedule.at(100)?.multiplier; // 10000
   * ```
   */
  at(ts: number): FeeParams | undefined {
    const entries = this.#entries;
    // Find the first index whose fromTs > ts; the entry before it is in force.
    let lo = 0;
    let hi = entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (entries[mid].fromTs <= ts) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? undefined : entries[lo - 1].params;
  }

  /** The number of entries. */
  get size(): number {
    return this.#entries.length;
  }
}
