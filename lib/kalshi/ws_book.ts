/**
 * An aggregated order book as Kalshi's WebSocket carries it: resting bids on
 * the YES side and on the NO side, one size per price level (YES ask = $1 -
 * best NO bid). Prices in ticks of $0.0001, sizes in centi-contracts.
 *
 * Shared by the live feed (it rebuilds books from snapshots and deltas) and the
 * mock exchange (it keeps the played book and turns book changes into deltas
 * with {@link LevelBook.diff}). Pure: no I/O, no clock.
 *
 * @example Apply deltas and read the book best first
 * ```ts
 * import { LevelBook } from "./ws_book.ts";
 *
 * const b = LevelBook.fromLevels([[5500, 1000]], [[4300, 800]]);
 * b.apply("yes", 5500, -400);
 * b.apply("yes", 5600, 200);
 * b.levels("yes"); // [[5600, 200], [5500, 600]]
 * ```
 *
 * @module
 */

import type { BookSnapshotEvent, Side } from "../tape/events.ts";

/** A level change: what an `orderbook_delta` carries. */
export interface LevelChange {
  readonly side: Side;
  readonly price: number;
  readonly delta: number;
}

function checkPrice(action: string, price: number): void {
  if (!Number.isInteger(price) || price < 1 || price > 9999) {
    throw new RangeError(
      `Cannot ${action}: price must be an integer of ticks in 1..9999, current value is ${price}`,
    );
  }
}

/** A two-sided book of bid levels; see the module docs. */
export class LevelBook {
  readonly #sides: Record<Side, Map<number, number>> = { yes: new Map(), no: new Map() };

  /**
   * A book from level lists (any order).
   *
   * @throws {RangeError} for a price outside 1..9999, a size that is not a
   *   positive integer, or the same price twice on one side.
   */
  static fromLevels(
    yes: readonly (readonly [number, number])[],
    no: readonly (readonly [number, number])[],
  ): LevelBook {
    const b = new LevelBook();
    for (const [side, levels] of [["yes", yes], ["no", no]] as const) {
      const m = b.#sides[side];
      for (const [price, size] of levels) {
        checkPrice("build book", price);
        if (!Number.isSafeInteger(size) || size <= 0) {
          throw new RangeError(
            `Cannot build book: size at ${side} ${price} must be a positive integer, current value is ${size}`,
          );
        }
        if (m.has(price)) {
          throw new RangeError(
            `Cannot build book: duplicate ${side} level, current value is ${price}`,
          );
        }
        m.set(price, size);
      }
    }
    return b;
  }

  /** A book equal to a tape snapshot. */
  static fromSnapshot(s: BookSnapshotEvent): LevelBook {
    const pairs = (p: readonly number[], z: readonly number[]) =>
      p.map((x, i) => [x, z[i]] as const);
    return LevelBook.fromLevels(pairs(s.yesPrices, s.yesSizes), pairs(s.noPrices, s.noSizes));
  }

  /** Resting size at a level (0 when empty). */
  size(side: Side, price: number): number {
    return this.#sides[side].get(price) ?? 0;
  }

  /**
   * Adds a signed delta to a level and returns the new size (a level at 0 is removed).
   *
   * @throws {RangeError} for a bad price, a non-integer delta, or a result below zero
   *   (the book is left unchanged).
   */
  apply(side: Side, price: number, delta: number): number {
    checkPrice("apply delta", price);
    if (!Number.isSafeInteger(delta)) {
      throw new RangeError(`Cannot apply delta: not an integer, current value is ${delta}`);
    }
    const m = this.#sides[side];
    const next = (m.get(price) ?? 0) + delta;
    if (next < 0) {
      throw new RangeError(
        `Cannot apply delta: ${side} level ${price} would go below zero (size ${
          m.get(price) ?? 0
        }), current value is ${delta}`,
      );
    }
    if (next === 0) m.delete(price);
    else m.set(price, next);
    return next;
  }

  /** Levels of one side, best (highest price) first. */
  levels(side: Side): [number, number][] {
    return [...this.#sides[side].entries()].sort((a, b) => b[0] - a[0]);
  }

  /** Best bid price of a side, or 0 when the side is empty. */
  best(side: Side): number {
    let best = 0;
    for (const p of this.#sides[side].keys()) if (p > best) best = p;
    return best;
  }

  /** Number of levels on both sides. */
  get depth(): number {
    return this.#sides.yes.size + this.#sides.no.size;
  }

  /** Whether best YES bid + best NO bid exceeds $1 (a crossed book). */
  isCrossed(): boolean {
    const y = this.best("yes");
    const n = this.best("no");
    return y > 0 && n > 0 && y + n > 10000;
  }

  /** The book as a tape `book_snapshot` event. */
  toSnapshot(ts: number, market: string, seq: number): BookSnapshotEvent {
    const yes = this.levels("yes");
    const no = this.levels("no");
    return {
      kind: "book_snapshot",
      ts,
      market,
      seq,
      yesPrices: yes.map((l) => l[0]),
      yesSizes: yes.map((l) => l[1]),
      noPrices: no.map((l) => l[0]),
      noSizes: no.map((l) => l[1]),
    };
  }

  /**
   * The level changes that turn this book into `target`, in a fixed order
   * (YES side then NO side, highest price first).
   */
  diff(target: LevelBook): LevelChange[] {
    const out: LevelChange[] = [];
    for (const side of ["yes", "no"] as const) {
      const a = this.#sides[side];
      const b = target.#sides[side];
      const prices = [...new Set([...a.keys(), ...b.keys()])].sort((x, y) => y - x);
      for (const price of prices) {
        const delta = (b.get(price) ?? 0) - (a.get(price) ?? 0);
        if (delta !== 0) out.push({ side, price, delta });
      }
    }
    return out;
  }

  /** Whether both books hold the same levels. */
  equals(other: LevelBook): boolean {
    return this.diff(other).length === 0;
  }

  /** An independent copy. */
  clone(): LevelBook {
    const b = new LevelBook();
    for (const side of ["yes", "no"] as const) {
      for (const [p, s] of this.#sides[side]) b.#sides[side].set(p, s);
    }
    return b;
  }
}
