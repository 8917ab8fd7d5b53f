/**
 * Block-wise tape sources: the replay loop pulls a block of decoded events at a
 * time (one promise per block, not per event) and walks it synchronously.
 *
 * Readers may hand out REUSED event objects: the object returned by
 * `block.event(i)` is valid only until the next call to `event()` or
 * `nextBlock()`. Consumers copy what they keep. Metadata kinds (`series`,
 * `event`, `market`) and `book_snapshot` are always fresh objects, because the
 * venue keeps them.
 *
 * @module
 */

import type { TapeEvent } from "./events.ts";

/** A batch of decoded, validated events. */
export interface EventBlock {
  /** Number of events in the block. */
  readonly length: number;
  /** The i-th event (0-based); possibly a reused object, see the module docs. */
  event(i: number): TapeEvent;
  /** Timestamp of the i-th event without decoding it (the merge peeks with it). */
  ts(i: number): number;
  /**
   * Optional: a small integer naming the market (or underlying symbol) of the
   * i-th event, stable for the whole source (e.g. its dictionary id), or -1. The
   * replay loop uses it to find a market's state without a string lookup.
   */
  slot?(i: number): number;
  /**
   * Optional: the kind code of the i-th event (`K_*` in events.ts,
   * e.g. K_QUOTE) as the block stored it, so the replay loop can dispatch on
   * a small integer instead of comparing `kind` strings of events of several
   * shapes. -1, or a value of at least KIND_COUNT, when the block has no code
   * for the event: the caller then reads the event's `kind`. A code given
   * must be the code of `event(i).kind`.
   */
  kind?(i: number): number;
  /** 1-based line (NDJSON) or row number (columnar, SQLite) of the i-th event, for errors. */
  line(i: number): number;
}

/** A source of event blocks in file order. */
export interface BlockSource {
  /** Name shown in errors (usually the path). */
  readonly name: string;
  /** The next block, or null at the end. The previous block is invalid afterwards. */
  nextBlock(): Promise<EventBlock | null>;
  /** Anomalies counted in lenient mode (strict mode throws TapeError instead). */
  anomalyCount(): number;
  /** Release files or statements early (optional). */
  close?(): void;
}

/** A block over an array of events (in-memory tapes, tests). */
export class ArrayBlock implements EventBlock {
  events: readonly TapeEvent[];
  firstLine: number;
  constructor(events: readonly TapeEvent[], firstLine = 1) {
    this.events = events;
    this.firstLine = firstLine;
  }
  get length(): number {
    return this.events.length;
  }
  event(i: number): TapeEvent {
    return this.events[i];
  }
  ts(i: number): number {
    return this.events[i].ts;
  }
  line(i: number): number {
    return this.firstLine + i;
  }
}

/** A block source over events already in memory, in blocks of `blockSize`. */
export function arrayBlockSource(
  name: string,
  events: readonly TapeEvent[],
  blockSize = 65_536,
): BlockSource {
  let next = 0;
  return {
    name,
    nextBlock() {
      if (next >= events.length) return Promise.resolve(null);
      const start = next;
      next = Math.min(events.length, start + blockSize);
      return Promise.resolve(new ArrayBlock(events.slice(start, next), start + 1));
    },
    anomalyCount: () => 0,
  };
}
