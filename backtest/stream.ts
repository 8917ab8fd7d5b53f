/**
 * Tape streams for the replay loop and their deterministic merge.
 *
 * Streams merge by (timestamp, stream priority, sequence within the stream):
 * at equal timestamps the stream listed first goes first, and within a stream
 * the file order is kept. Nothing depends on object or map iteration order.
 *
 * @module
 */

import type { TapeEvent } from "../lib/tape/events.ts";
import type { SourcePosition } from "../lib/tape/errors.ts";
import { NdjsonTapeParser, readNdjsonFile, type ReadOptions } from "../lib/tape/ndjson_reader.ts";

/** A pull-based source of tape events that can say where its last event came from. */
export interface TapeStream {
  /** Name shown in errors (usually the file path). */
  readonly name: string;
  /** Next event, or null at the end. */
  next(): Promise<TapeEvent | null>;
  /** 1-based line (or index) of the event last returned by next(). */
  line(): number;
  /** Anomalies counted in lenient mode (0 in strict mode, which throws instead). */
  anomalyCount(): number;
}

/** A stream over events already in memory (synthetic tapes, tests). */
export function arrayStream(name: string, events: readonly TapeEvent[]): TapeStream {
  let i = 0;
  return {
    name,
    next: () => Promise.resolve(i < events.length ? events[i++] : null),
    line: () => i,
    anomalyCount: () => 0,
  };
}

/** A stream over an NDJSON tape file, read incrementally and validated. */
export function ndjsonFileStream(path: string, options: ReadOptions = {}): TapeStream {
  const parser = new NdjsonTapeParser(options.name ?? path, options);
  const it = readNdjsonFile(path, options, parser)[Symbol.asyncIterator]();
  let line = 0;
  return {
    name: options.name ?? path,
    async next() {
      const r = await it.next();
      line = parser.linesRead;
      return r.done ? null : r.value;
    },
    line: () => line,
    anomalyCount: () => parser.anomalyCount,
  };
}

/**
 * Merges streams into one time-ordered sequence. Keeps one event of lookahead
 * per stream (never visible to strategies) and remembers which stream the
 * current event came from, for error positions.
 */
export class StreamMerger {
  readonly #streams: readonly TapeStream[];
  readonly #heads: (TapeEvent | null)[];
  readonly #headLines: number[];
  #started = false;
  #current = -1;
  #currentLine = 0;

  constructor(streams: readonly TapeStream[]) {
    if (streams.length === 0) throw new RangeError("Cannot merge tapes: no tape given");
    this.#streams = streams;
    this.#heads = streams.map(() => null);
    this.#headLines = streams.map(() => 0);
  }

  /** Position of the event last returned by next(). */
  position(): SourcePosition {
    const s = this.#current >= 0 ? this.#streams[this.#current].name : this.#streams[0].name;
    return { file: s, line: this.#currentLine };
  }

  /** Sum of anomalies counted by all streams. */
  anomalyCount(): number {
    let n = 0;
    for (const s of this.#streams) n += s.anomalyCount();
    return n;
  }

  /** Next event in merge order, or null when every stream is exhausted. */
  async next(): Promise<TapeEvent | null> {
    const streams = this.#streams;
    if (streams.length === 1) {
      const ev = await streams[0].next();
      this.#current = 0;
      this.#currentLine = streams[0].line();
      return ev;
    }
    if (!this.#started) {
      for (let i = 0; i < streams.length; i++) await this.#pull(i);
      this.#started = true;
    }
    let best = -1;
    for (let i = 0; i < streams.length; i++) {
      const h = this.#heads[i];
      if (h !== null && (best < 0 || h.ts < this.#heads[best]!.ts)) best = i;
    }
    if (best < 0) return null;
    const ev = this.#heads[best]!;
    this.#current = best;
    this.#currentLine = this.#headLines[best];
    await this.#pull(best);
    return ev;
  }

  async #pull(i: number): Promise<void> {
    this.#heads[i] = await this.#streams[i].next();
    this.#headLines[i] = this.#streams[i].line();
  }
}
