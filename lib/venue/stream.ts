/**
 * Tape sources for the replay loop and their deterministic merge.
 *
 * Sources deliver blocks of events (see lib/tape/block.ts); the merger walks
 * them synchronously and awaits only when a block runs out. Streams merge by
 * (timestamp, stream priority, order within the stream): at equal timestamps the
 * stream listed first goes first. Nothing depends on map iteration order.
 *
 * Events may be reused objects: the merger hands each one out once and never
 * touches it again after moving on.
 *
 * @module
 */

import type { TapeEvent } from "../tape/events.ts";
import type { SourcePosition } from "../tape/errors.ts";
import { arrayBlockSource, type BlockSource, type EventBlock } from "../tape/block.ts";
import type { ReadOptions } from "../tape/ndjson_reader.ts";
import { ndjsonBlockSource } from "../tape/ndjson_source.ts";

import { columnarBlockSource } from "../tape/columnar_reader.ts";
import { sqliteBlockSource } from "../tape/sqlite_tape.ts";
import { tapeFormOf } from "../tape/tape_file.ts";
export type { BlockSource, EventBlock } from "../tape/block.ts";

/** A source over events already in memory (synthetic tapes, tests). */
export function arrayStream(
  name: string,
  events: readonly TapeEvent[],
  blockSize?: number,
): BlockSource {
  return arrayBlockSource(name, events, blockSize);
}

/** A source over an NDJSON tape file, read in chunks and validated. */
export function ndjsonFileStream(path: string, options: ReadOptions = {}): BlockSource {
  return ndjsonBlockSource(path, options);
}

/**
 * A source over a tape file of any form, chosen by its extension: `.kxc`
 * (columnar), `.sqlite` / `.db` (SQLite tape), anything else NDJSON.
 * `worker: false` reads a columnar or NDJSON file on the calling thread
 * (default: a reader thread).
 */
export function tapeFileStream(
  path: string,
  options: { strict?: boolean; worker?: boolean } = {},
): BlockSource {
  const form = tapeFormOf(path);
  if (form === "kxc") {
    return columnarBlockSource(path, { strict: options.strict, worker: options.worker });
  }
  if (form === "sqlite") return sqliteBlockSource(path, { strict: options.strict });
  return ndjsonBlockSource(path, options);
}

/** One stream's read position. */
interface Head {
  readonly source: BlockSource;
  /** Position of this source in the merge (0-based). */
  readonly index0: number;
  block: EventBlock | null;
  /** Whether the loaded block gives slots (EventBlock.slot). */
  slots: boolean;
  /** Whether the loaded block gives kind codes (EventBlock.kind). */
  kinds: boolean;
  index: number;
  ts: number;
  done: boolean;
}

/**
 * Merges block sources into one time-ordered sequence. Call {@link next} until
 * it returns null; {@link position} names the source and line of the event
 * last returned (for error messages).
 */
export class StreamMerger {
  readonly #heads: Head[];
  #current: Head | null = null;
  #currentIndex = 0;
  /**
   * Timestamp, source and slot of the event last returned (set by {@link take}).
   * The timestamp is declared NaN and set to 0 in the constructor, so the field
   * holds doubles from the start (see ReusedEvents).
   */
  #currentTs = Number.NaN;
  #currentSource = 0;
  #currentSlot = -1;
  #currentKind = -1;

  constructor(sources: readonly BlockSource[]) {
    if (sources.length === 0) throw new RangeError("Cannot merge tapes: no tape given");
    this.#currentTs = 0;
    this.#heads = sources.map((source, index0) => ({
      source,
      index0,
      block: null,
      slots: false,
      kinds: false,
      index: 0,
      // A double from the start (timestamps are): see ReusedEvents.
      ts: Number.NaN,
      done: false,
    }));
  }

  /** Number of merged sources. */
  get size(): number {
    return this.#heads.length;
  }

  /** Position of the event last returned by next(). */
  position(): SourcePosition {
    const h = this.#current ?? this.#heads[0];
    const line = h.block === null ? 0 : h.block.line(this.#currentIndex);
    return { file: h.source.name, line };
  }

  /**
   * Timestamp of the event last returned by {@link take}, read from the block
   * (a typed-array read; loading `ts` from event objects of many shapes costs
   * more, and allocates a boxed number each time).
   */
  get currentTs(): number {
    return this.#currentTs;
  }

  /** Which source (0-based) the event last returned came from. */
  currentSource(): number {
    return this.#currentSource;
  }

  /**
   * The source's slot (small integer id) of the market or symbol of the event
   * last returned, or -1 when the source does not provide slots.
   */
  currentSlot(): number {
    return this.#currentSlot;
  }

  /**
   * The kind code the source's block stored for the event last returned
   * (EventBlock.kind: `K_*` of lib/tape/events.ts), or -1 when the source does
   * not provide codes. A value that is not a kind code means: read the event's
   * `kind`.
   */
  currentKind(): number {
    return this.#currentKind;
  }

  /** Sum of anomalies counted by all sources. */
  anomalyCount(): number {
    let n = 0;
    for (const h of this.#heads) n += h.source.anomalyCount();
    return n;
  }

  /**
   * Load the next block of every source that needs one. Returns false when all
   * sources are exhausted. Call before walking with {@link take}.
   */
  async refill(): Promise<boolean> {
    let any = false;
    for (const h of this.#heads) {
      if (!h.done && (h.block === null || h.index >= h.block.length)) {
        // Keep the block of the current event alive until it was delivered.
        h.block = await h.source.nextBlock();
        h.index = 0;
        if (h.block === null || h.block.length === 0) {
          if (h.block === null) h.done = true;
          else h.block = null;
          continue;
        }
        h.slots = typeof h.block.slot === "function";
        h.kinds = typeof h.block.kind === "function";
        h.ts = h.block.ts(0);
      }
      if (!h.done) any = true;
    }
    return any;
  }

  /**
   * The next event in merge order from the loaded blocks, or null when some
   * source's block is exhausted (call {@link refill}, then take again).
   */
  take(): TapeEvent | null {
    const heads = this.#heads;
    if (heads.length === 1) {
      const h = heads[0];
      const b = h.block;
      if (b === null || h.index >= b.length) return null;
      const i = h.index++;
      this.#current = h;
      this.#currentIndex = i;
      this.#currentTs = b.ts(i);
      this.#currentSlot = h.slots ? b.slot!(i) : -1;
      this.#currentKind = h.kinds ? b.kind!(i) : -1;
      return b.event(i);
    }
    let best: Head | null = null;
    for (const h of heads) {
      if (h.done) continue;
      if (h.block === null || h.index >= h.block.length) return null; // needs a refill
      if (best === null || h.ts < best.ts) best = h;
    }
    if (best === null) return null;
    const b = best.block!;
    const i = best.index++;
    this.#current = best;
    this.#currentIndex = i;
    this.#currentTs = best.ts;
    this.#currentSource = best.index0;
    this.#currentSlot = best.slots ? b.slot!(i) : -1;
    this.#currentKind = best.kinds ? b.kind!(i) : -1;
    if (best.index < b.length) best.ts = b.ts(best.index);
    return b.event(i);
  }
}
