/**
 * An L2 order book for one binary market, kept the way Kalshi publishes it: bids
 * on the YES side and bids on the NO side. The YES ask is 1 - best NO bid.
 *
 * Sizes live in one Int32Array per side indexed by price tick (0..10000), so an
 * update is O(1) and nothing is allocated per event. A book built from quotes
 * (top of book only) keeps its two levels in fields and writes them into the
 * arrays only when the arrays are read: a quote then touches no array memory.
 * Its sizes, depth and levels are answered from those fields, so a book only
 * ever updated by quotes never allocates its arrays (80 KB per book). A
 * bitmap of non-empty levels per side (one bit per tick) finds the next best
 * level when the best one empties in a few word reads instead of a scan over
 * empty ticks. Liquidity that this run's own taker orders consumed is tracked
 * per level and subtracted from what the book shows, so one unit of recorded
 * liquidity never fills two orders.
 *
 * @module
 */

import type { BookView } from "./strategy.ts";
import type { BookDeltaEvent, BookSnapshotEvent, QuoteEvent, Side } from "../tape/events.ts";

/** Number of price slots: ticks 0..10000. */
const SLOTS = 10_001;
/** 32-bit words of a one-bit-per-tick bitmap. */
const WORDS = (SLOTS + 31) >> 5;
/** $1 in ticks. */
export const ONE_DOLLAR = 10_000;
/**
 * Stand-in for a side's sizes until the book allocates its own: every size 0.
 * Never written (every write is preceded by {@link L2Book}'s `#allocate`).
 */
const UNALLOCATED = new Int32Array(SLOTS);

/** What applying an update did. */
export type BookUpdateResult = "ok" | "gap" | "crossed" | "negative" | "ignored";

/** One market's book. Implements the read-only {@link BookView} strategies get. */
export class L2Book implements BookView {
  readonly market: string;
  /** Sizes by tick; {@link UNALLOCATED} until something writes them (`#allocate`). */
  #yes = UNALLOCATED;
  #no = UNALLOCATED;
  /**
   * Deferred quote levels. A book is "clean" when its arrays hold nothing but
   * the levels of a quote written earlier (`#shownYes` / `#shownNo`, 0 for
   * none). On a clean book a quote only records its levels (`#bestYes` /
   * `#bestNo` with sizes `#quoteYesSize` / `#quoteNoSize`) and sets
   * `#quotePending`; the first read of the arrays writes them. The arrays then
   * read exactly as if every quote had been written when it arrived. A delta
   * makes the book unclean (a quote is then shown at once, replacing the previous
   * best levels) until a quote follows a snapshot.
   */
  #clean = true;
  #quotePending = false;
  #shownYes = 0;
  #shownNo = 0;
  #quoteYesSize = 0;
  #quoteNoSize = 0;
  /** Non-empty levels per side: bit p of word p >> 5 is set when the size at p is > 0. */
  readonly #yesBits = new Uint32Array(WORDS);
  readonly #noBits = new Uint32Array(WORDS);
  /** Number of non-empty levels per side (an emptied side needs no search). */
  #yesLevels = 0;
  #noLevels = 0;
  /** Whether the bitmaps and level counts need rebuilding from the sizes (after quotes). */
  #bitsStale = false;
  /**
   * Whether either map of taken liquidity may hold an entry (false after both
   * were cleared). Checked first on every update, so the common case (nothing
   * taken) reads one field of the book instead of two maps.
   */
  #anyTaken = false;
  /** Liquidity this run took, by side and price (sparse: taker fills are rare). */
  readonly #consumed: { yes: Map<number, number>; no: Map<number, number> } = {
    yes: new Map(),
    no: new Map(),
  };
  #bestYes = 0;
  #bestNo = 0;
  #seq = 0;
  #valid = false;
  #degraded = false;
  /**
   * Declared NaN, then set to 0 in the constructor: a double field from the
   * start (see ReplayVenue.now in lib/venue/replay.ts). A field first holding
   * a small integer changes every book's layout at the first timestamp, and
   * code optimized for the old layout is thrown away in the next replay.
   */
  #updatedTs = Number.NaN;
  /** Size assumed at a quote's touch when the data carries none (degraded books). */
  readonly assumedQuoteSize: number;

  constructor(market: string, assumedQuoteSize = 0) {
    this.#updatedTs = 0;
    this.market = market;
    this.assumedQuoteSize = assumedQuoteSize;
  }

  /** Resting size (centi-contracts) of YES bids by price tick. */
  get yes(): Int32Array {
    this.#allocate();
    if (this.#quotePending) this.#showQuote();
    return this.#yes;
  }
  /** Resting size (centi-contracts) of NO bids by price tick. */
  get no(): Int32Array {
    this.#allocate();
    if (this.#quotePending) this.#showQuote();
    return this.#no;
  }

  /**
   * Whether the book has its own size arrays. A book updated only by quotes and
   * read only through its best levels, {@link sizeAt}, {@link depth},
   * {@link levelBelow} and fills never allocates them; reading {@link yes} or
   * {@link no}, a snapshot or a delta does.
   */
  get allocated(): boolean {
    return this.#yes !== UNALLOCATED;
  }

  /** Give the book its own (all-zero) size arrays, once, before their first write. */
  #allocate(): void {
    if (this.#yes !== UNALLOCATED) return;
    this.#yes = new Int32Array(SLOTS);
    this.#no = new Int32Array(SLOTS);
  }

  /** Write the latest quote's levels into the arrays (replacing the quote shown before). */
  #showQuote(): void {
    this.#allocate();
    this.#quotePending = false;
    if (this.#shownYes > 0) this.#yes[this.#shownYes] = 0;
    if (this.#shownNo > 0) this.#no[this.#shownNo] = 0;
    if (this.#bestYes > 0) this.#yes[this.#bestYes] = this.#quoteYesSize;
    if (this.#bestNo > 0) this.#no[this.#bestNo] = this.#quoteNoSize;
    this.#shownYes = this.#bestYes;
    this.#shownNo = this.#bestNo;
  }

  /** Whether the book holds usable state. */
  get valid(): boolean {
    return this.#valid;
  }
  /** Whether the book is top-of-book only (built from quotes). */
  get degraded(): boolean {
    return this.#degraded;
  }
  /** Last sequence number applied. */
  get seq(): number {
    return this.#seq;
  }
  /** Time of the last applied update (ms). */
  get updatedTs(): number {
    return this.#updatedTs;
  }
  /** Best YES bid in ticks (net of consumed liquidity), 0 when none. */
  get bestYesBid(): number {
    return this.#effectiveBest("yes");
  }
  /** Best YES ask in ticks = 10000 - best NO bid; 10000 when there is no NO bid. */
  get bestYesAsk(): number {
    return ONE_DOLLAR - this.#effectiveBest("no");
  }
  /** Size at the best YES bid, net of consumed liquidity. */
  get bestYesBidSize(): number {
    const p = this.#effectiveBest("yes");
    return p === 0 ? 0 : this.available("yes", p);
  }
  /** Size at the best YES ask (the best NO bid's size), net of consumed liquidity. */
  get bestYesAskSize(): number {
    const p = this.#effectiveBest("no");
    return p === 0 ? 0 : this.available("no", p);
  }

  /**
   * Resting size (centi-contracts) of bids at a price on one side, as recorded
   * (not net of liquidity this run took): `yes[price]` or `no[price]`. A clean
   * book answers from its quote's fields without touching the arrays.
   */
  sizeAt(side: Side, price: number): number {
    if (this.#clean) {
      // Only the latest quote's levels are in a clean book (see #clean).
      if (side === "yes") return price > 0 && price === this.#bestYes ? this.#quoteYesSize : 0;
      return price > 0 && price === this.#bestNo ? this.#quoteNoSize : 0;
    }
    return side === "yes" ? this.#yes[price] : this.#no[price];
  }

  /**
   * The highest price below `price` on a side whose recorded size is positive,
   * 0 when none: the next level a walk down the book visits.
   */
  levelBelow(side: Side, price: number): number {
    if (this.#clean) {
      const q = side === "yes" ? this.#bestYes : this.#bestNo;
      return q > 0 && q < price && this.sizeAt(side, q) > 0 ? q : 0;
    }
    if (!this.#bitsStale) return highestBelow(side === "yes" ? this.#yesBits : this.#noBits, price);
    // A quote made the bitmap stale: tick by tick.
    const sizes = side === "yes" ? this.#yes : this.#no;
    for (let p = Math.min(price, SLOTS) - 1; p > 0; p--) if (sizes[p] > 0) return p;
    return 0;
  }

  /**
   * Sum of recorded sizes on a side from `top` down to `top - window` (never
   * below tick 1); 0 when `top` is 0. Visits only non-empty levels.
   */
  depth(side: Side, top: number, window: number): number {
    if (top <= 0) return 0;
    const lo = Math.max(1, top - window);
    let sum = 0;
    for (
      let p = this.sizeAt(side, top) > 0 ? top : this.levelBelow(side, top);
      p >= lo;
      p = this.levelBelow(side, p)
    ) {
      sum += this.sizeAt(side, p);
    }
    return sum;
  }

  /** Bid size at a price on one side still available to this run's orders. */
  available(side: Side, price: number): number {
    const size = this.sizeAt(side, price);
    if (!this.#anyTaken) return size;
    const taken = this.#consumed[side].get(price);
    return taken === undefined ? size : Math.max(0, size - taken);
  }

  /** Record that this run's order took `count` at a level (never more than available). */
  consume(side: Side, price: number, count: number): void {
    const map = this.#consumed[side];
    map.set(price, (map.get(price) ?? 0) + count);
    this.#anyTaken = true;
  }

  /** Best bid price on a side whose available size is positive; 0 when none. */
  #effectiveBest(side: Side): number {
    let p = side === "yes" ? this.#bestYes : this.#bestNo;
    if (p === 0 || !this.#anyTaken) return p;
    const consumed = this.#consumed[side];
    if (consumed.size === 0) return p;
    // Walk down the levels that hold size (levelBelow: none below a quote-only
    // book's level; the bitmap when it is current, else tick by tick).
    for (; p > 0; p = this.levelBelow(side, p)) {
      if (this.sizeAt(side, p) > (consumed.get(p) ?? 0)) return p;
    }
    return 0;
  }

  /** Replace the book with a snapshot; validates it and marks the book valid. */
  applySnapshot(ev: BookSnapshotEvent): BookUpdateResult {
    this.#allocate();
    this.#yes.fill(0);
    this.#no.fill(0);
    this.#quotePending = false;
    this.#clean = false;
    this.#yesBits.fill(0);
    this.#noBits.fill(0);
    this.#yesLevels = 0;
    this.#noLevels = 0;
    this.#bitsStale = false;
    this.#consumed.yes.clear();
    this.#consumed.no.clear();
    this.#anyTaken = false;
    let bestYes = 0;
    let bestNo = 0;
    for (let i = 0; i < ev.yesPrices.length; i++) {
      const p = ev.yesPrices[i];
      const was = this.#yes[p];
      this.#yes[p] += ev.yesSizes[i];
      if (was === 0 && this.#yes[p] > 0) {
        setBit(this.#yesBits, p);
        this.#yesLevels++;
      }
      if (p > bestYes) bestYes = p;
    }
    for (let i = 0; i < ev.noPrices.length; i++) {
      const p = ev.noPrices[i];
      const was = this.#no[p];
      this.#no[p] += ev.noSizes[i];
      if (was === 0 && this.#no[p] > 0) {
        setBit(this.#noBits, p);
        this.#noLevels++;
      }
      if (p > bestNo) bestNo = p;
    }
    this.#bestYes = bestYes;
    this.#bestNo = bestNo;
    this.#seq = ev.seq;
    this.#degraded = false;
    this.#updatedTs = ev.ts;
    this.#valid = true;
    if (bestYes > 0 && bestNo > 0 && bestYes + bestNo >= ONE_DOLLAR) return "crossed";
    return "ok";
  }

  /**
   * Apply a delta. A sequence gap invalidates the book until the next snapshot
   * and is reported as "gap"; a delta on an invalid book is "ignored".
   */
  applyDelta(ev: BookDeltaEvent): BookUpdateResult {
    if (!this.#valid) return "ignored";
    if (ev.seq !== this.#seq + 1) {
      this.#valid = false;
      return "gap";
    }
    this.#seq = ev.seq;
    this.#updatedTs = ev.ts;
    this.#allocate();
    if (this.#bitsStale) this.#rebuildBits();
    this.#clean = false;
    const yes = ev.side === "yes";
    const sizes = yes ? this.#yes : this.#no;
    const bits = yes ? this.#yesBits : this.#noBits;
    const p = ev.price;
    const prev = sizes[p];
    const next = prev + ev.delta;
    if (next < 0) return "negative";
    sizes[p] = next;
    let levels = yes ? this.#yesLevels : this.#noLevels;
    if (prev === 0 && next > 0) {
      setBit(bits, p);
      levels++;
    } else if (prev > 0 && next === 0) {
      clearBit(bits, p);
      levels--;
    }
    this.#reconcileConsumed(ev.side, p, ev.delta, next);
    if (yes) {
      this.#yesLevels = levels;
      if (next > 0 && p > this.#bestYes) this.#bestYes = p;
      else if (next === 0 && p === this.#bestYes) {
        this.#bestYes = levels === 0 ? 0 : highestBelow(bits, p);
      }
    } else {
      this.#noLevels = levels;
      if (next > 0 && p > this.#bestNo) this.#bestNo = p;
      else if (next === 0 && p === this.#bestNo) {
        this.#bestNo = levels === 0 ? 0 : highestBelow(bits, p);
      }
    }
    if (this.#bestYes > 0 && this.#bestNo > 0 && this.#bestYes + this.#bestNo >= ONE_DOLLAR) {
      return "crossed";
    }
    return "ok";
  }

  /**
   * Replace the book with a top-of-book quote (a degraded book). Sizes of 0 mean
   * unknown and are replaced by {@link assumedQuoteSize}.
   */
  applyQuote(ev: QuoteEvent): BookUpdateResult {
    if (!this.#degraded) {
      if (this.allocated) {
        this.#yes.fill(0);
        this.#no.fill(0);
      }
      this.#shownYes = 0;
      this.#shownNo = 0;
      this.#clean = true;
    }
    // A quote-only book keeps no bitmap (its best levels are the quote's); a delta
    // on it rebuilds the bitmap first.
    this.#bitsStale = true;
    if (this.#anyTaken) {
      this.#consumed.yes.clear();
      this.#consumed.no.clear();
      this.#anyTaken = false;
    }
    if (!this.#clean) {
      // An unclean book shows the quote at once, replacing the previous best levels.
      this.#shownYes = this.#bestYes;
      this.#shownNo = this.#bestNo;
    }
    this.#bestYes = ev.yesBid;
    this.#bestNo = ONE_DOLLAR - ev.yesAsk;
    this.#quoteYesSize = ev.yesBidSize || this.assumedQuoteSize;
    this.#quoteNoSize = ev.yesAskSize || this.assumedQuoteSize;
    this.#quotePending = true;
    if (!this.#clean) this.#showQuote();
    this.#degraded = true;
    this.#valid = true;
    this.#updatedTs = ev.ts;
    const noBid = this.#bestNo;
    return ev.yesBid > 0 && noBid > 0 && ev.yesBid + noBid > ONE_DOLLAR ? "crossed" : "ok";
  }

  #rebuildBits(): void {
    if (this.#quotePending) this.#showQuote();
    this.#yesBits.fill(0);
    this.#noBits.fill(0);
    this.#yesLevels = 0;
    this.#noLevels = 0;
    for (let p = 1; p < SLOTS; p++) {
      if (this.#yes[p] > 0) {
        setBit(this.#yesBits, p);
        this.#yesLevels++;
      }
      if (this.#no[p] > 0) {
        setBit(this.#noBits, p);
        this.#noLevels++;
      }
    }
    this.#bitsStale = false;
  }

  /** Mark the book unusable (e.g. the market closed). */
  invalidate(): void {
    this.#valid = false;
  }

  /**
   * Others' activity at a level is assumed to eat the liquidity this run took
   * first: a decrease of the recorded size lowers the consumed amount, and an
   * emptied level forgets it. This keeps total fills at a level within what the
   * recorded market ever showed there.
   */
  #reconcileConsumed(side: Side, price: number, delta: number, next: number): void {
    if (!this.#anyTaken) return;
    const map = this.#consumed[side];
    if (map.size === 0) return;
    const taken = map.get(price);
    if (taken === undefined) return;
    if (next === 0) map.delete(price);
    else if (delta < 0) {
      const left = taken + delta;
      if (left <= 0) map.delete(price);
      else map.set(price, left);
    }
  }
}

function setBit(bits: Uint32Array, p: number): void {
  bits[p >> 5] |= 1 << (p & 31);
}

function clearBit(bits: Uint32Array, p: number): void {
  bits[p >> 5] &= ~(1 << (p & 31));
}

/** The highest price below `from` whose bit is set (price 0 is never a level), or 0. */
function highestBelow(bits: Uint32Array, from: number): number {
  if (from <= 1) return 0;
  const q = from - 1;
  let w = q >> 5;
  const b = q & 31;
  // Bits 0..b of word w: (2^(b+1) - 1); for b = 31 every bit.
  let m = bits[w] & (b === 31 ? 0xffffffff : (1 << (b + 1)) - 1);
  while (m === 0) {
    if (w === 0) return 0;
    m = bits[--w];
  }
  const p = (w << 5) + 31 - Math.clz32(m);
  return p > 0 ? p : 0;
}
