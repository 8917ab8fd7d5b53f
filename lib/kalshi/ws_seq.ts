/**
 * Sequence checking of one WebSocket subscription. Kalshi numbers the
 * `orderbook_snapshot` / `orderbook_delta` messages of a subscription (`sid`)
 * 1, 2, 3, ... across all of its markets. A tracker classifies each arriving
 * `seq`:
 *
 * - `next`: the expected one (`last + 1`), or the first when no start is set;
 * - `gap`: beyond the expected one; the skipped numbers are remembered as
 *   missing and `last` moves to the new seq (the caller resyncs the books);
 * - `out_of_order`: a number that was missing arrives late (it is forgotten);
 * - `duplicate`: a number already received.
 *
 * At most `maxMissing` missing numbers are remembered (the oldest are
 * forgotten first), so a late arrival after a huge gap may read as a duplicate.
 * Pure: no I/O, no clock.
 *
 * @example
 * ```ts
 * import { SeqTracker } from "./ws_seq.ts";
 *
 * const t = new SeqTracker(1);
 * [1, 2, 4, 3, 4].map((s) => t.check(s).verdict);
 * // ["next", "next", "gap", "out_of_order", "duplicate"]
 * ```
 *
 * @module
 */

/** How a seq relates to what came before; see the module docs. */
export type SeqVerdict = "next" | "gap" | "duplicate" | "out_of_order";

/** The verdict and, for a gap, the seq that was expected. */
export interface SeqCheck {
  readonly verdict: SeqVerdict;
  readonly expected?: number;
}

/** Classifies the seqs of one subscription; see the module docs. */
export class SeqTracker {
  #last: number;
  readonly #missing = new Set<number>();
  readonly #maxMissing: number;

  /**
   * @param first The seq the subscription starts at (Kalshi: 1); undefined takes
   *   the first seq seen as the start.
   * @param maxMissing How many missing numbers to remember (default 4096).
   */
  constructor(first?: number, maxMissing = 4096) {
    if (first !== undefined && (!Number.isSafeInteger(first) || first < 0)) {
      throw new RangeError(
        `Cannot create seq tracker: first must be an integer >= 0, current value is ${first}`,
      );
    }
    if (!Number.isInteger(maxMissing) || maxMissing < 0) {
      throw new RangeError(
        `Cannot create seq tracker: maxMissing must be an integer >= 0, current value is ${maxMissing}`,
      );
    }
    this.#last = first === undefined ? Number.NaN : first - 1;
    this.#maxMissing = maxMissing;
  }

  /** The highest seq received (NaN before the first when no start was set). */
  get last(): number {
    return this.#last;
  }

  /** Numbers skipped by gaps that have not arrived yet. */
  get missingCount(): number {
    return this.#missing.size;
  }

  /**
   * Classifies one seq and updates the state.
   *
   * @throws {RangeError} when `seq` is not a non-negative safe integer.
   */
  check(seq: number): SeqCheck {
    if (!Number.isSafeInteger(seq) || seq < 0) {
      throw new RangeError(
        `Cannot check seq: not an integer >= 0, current value is ${seq}`,
      );
    }
    if (Number.isNaN(this.#last)) {
      this.#last = seq;
      return { verdict: "next" };
    }
    const expected = this.#last + 1;
    if (seq === expected) {
      this.#last = seq;
      return { verdict: "next" };
    }
    if (seq > expected) {
      // Remember at most maxMissing of the skipped numbers (the newest ones).
      const from = Math.max(expected, seq - this.#maxMissing);
      for (let s = from; s < seq; s++) this.#remember(s);
      this.#last = seq;
      return { verdict: "gap", expected };
    }
    if (this.#missing.delete(seq)) return { verdict: "out_of_order" };
    return { verdict: "duplicate" };
  }

  #remember(s: number): void {
    if (this.#maxMissing === 0) return;
    if (this.#missing.size >= this.#maxMissing) {
      const oldest = this.#missing.values().next().value as number;
      this.#missing.delete(oldest);
    }
    this.#missing.add(s);
  }
}
