/**
 * A block source over an NDJSON tape file (docs/TAPE.md): the file is read in
 * chunks into one reused buffer, each chunk is decoded as UTF-8 and its complete
 * lines are parsed and validated synchronously through one
 * {@link NdjsonTapeParser} into a block. One await per chunk, not per line;
 * memory holds one chunk, one block and the partial line carried between chunks.
 *
 * Errors are those of {@link readNdjsonFile}: in strict mode the first invalid
 * line throws a {@link TapeError} naming the file, the 1-based line and the
 * field. The events before it in the same chunk are delivered first, as one
 * block; the error is thrown by the following `nextBlock()`.
 *
 * @example Count the events of a tape
 * ```ts
 * import { ndjsonBlockSource } from "./ndjson_source.ts";
 *
 * const path = await Deno.makeTempFile({ suffix: ".ndjson" });
 * await Deno.writeTextFile(path, '{"ts":1,"type":"underlying","symbol":"BTC","value":97000}\n');
 * const src = ndjsonBlockSource(path);
 * let n = 0;
 * for (let b = await src.nextBlock(); b !== null; b = await src.nextBlock()) n += b.length;
 * console.log(n); // 1
 * await Deno.remove(path);
 * ```
 *
 * @module
 */

import { ArrayBlock, type BlockSource, type EventBlock } from "./block.ts";
import { TapeError } from "./errors.ts";
import type { TapeEvent } from "./events.ts";
import { NdjsonTapeParser, type ReadOptions } from "./ndjson_reader.ts";

/** Options of {@link ndjsonBlockSource}. */
export interface NdjsonSourceOptions extends ReadOptions {
  /** Bytes read per chunk (default 1 MiB); each chunk's complete lines make one block. */
  readonly blockBytes?: number;
}

/** Default chunk size: 1 MiB. */
const DEFAULT_BLOCK_BYTES = 1 << 20;

/** An array block whose events carry their own line numbers (blank and skipped lines leave gaps). */
class NdjsonBlock extends ArrayBlock {
  lines: Int32Array = new Int32Array(1024);

  override line(i: number): number {
    return this.lines[i];
  }
}

/**
 * An NDJSON tape file as a {@link BlockSource}. Built by {@link ndjsonBlockSource}.
 */
export class NdjsonBlockSource implements BlockSource {
  /** Name shown in errors (the path unless `options.name` says otherwise). */
  readonly name: string;
  /** The parser: counts (`linesRead`, `eventsRead`) and lenient-mode `anomalies`. */
  readonly parser: NdjsonTapeParser;

  readonly #path: string;
  readonly #buf: Uint8Array;
  readonly #decoder = new TextDecoder("utf-8", { fatal: true });
  readonly #block = new NdjsonBlock([]);
  readonly #events: TapeEvent[] = [];
  #file: Deno.FsFile | null = null;
  #rest = "";
  #lineNo = 0;
  #done = false;
  #pending: unknown = null;

  constructor(path: string, options: NdjsonSourceOptions = {}) {
    const blockBytes = options.blockBytes ?? DEFAULT_BLOCK_BYTES;
    if (!Number.isSafeInteger(blockBytes) || blockBytes < 1) {
      throw new RangeError(
        `Cannot read NDJSON in blocks: blockBytes not a positive integer, current value is ${blockBytes}`,
      );
    }
    this.#path = path;
    this.name = options.name ?? path;
    this.parser = new NdjsonTapeParser(this.name, options);
    this.#buf = new Uint8Array(blockBytes);
    this.#block.events = this.#events;
  }

  /** Anomalies counted in lenient mode. */
  anomalyCount(): number {
    return this.parser.anomalyCount;
  }

  /** Closes the file (also done at the end of the tape and on an error). */
  close(): void {
    if (this.#file !== null) {
      this.#file.close();
      this.#file = null;
    }
    this.#done = true;
  }

  /** The next block of events, or null at the end. The previous block is invalid afterwards. */
  async nextBlock(): Promise<EventBlock | null> {
    if (this.#pending !== null) {
      const e = this.#pending;
      this.#pending = null;
      throw e;
    }
    const events = this.#events;
    events.length = 0;
    try {
      while (!this.#done) {
        if (this.#file === null) this.#file = await Deno.open(this.#path, { read: true });
        const n = await this.#file.read(this.#buf);
        if (n === null) {
          this.#finish();
        } else {
          const text = this.#rest + this.#decode(this.#buf.subarray(0, n));
          this.#rest = this.#parseLines(text);
        }
        if (events.length > 0) return this.#block;
      }
    } catch (e) {
      this.close();
      if (events.length > 0) {
        // Deliver the good events before the bad line, as readNdjsonFile does.
        this.#pending = e;
        return this.#block;
      }
      throw e;
    }
    return events.length > 0 ? this.#block : null;
  }

  /** Parses the complete lines of `text` into the block; returns the partial last line. */
  #parseLines(text: string): string {
    const parser = this.parser;
    let start = 0;
    let end = text.indexOf("\n");
    while (end >= 0) {
      const lineNo = ++this.#lineNo;
      const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      const ev = parser.parseLine(text.slice(start, stop), lineNo);
      if (ev !== null) this.#push(ev, lineNo);
      start = end + 1;
      end = text.indexOf("\n", start);
    }
    return start === 0 ? text : text.slice(start);
  }

  /** End of file: the decoder's tail and a final line without a terminator. */
  #finish(): void {
    const rest = this.#rest + this.#decode(undefined);
    this.#rest = "";
    this.close();
    if (rest.length > 0) {
      const lineNo = ++this.#lineNo;
      const stop = rest.charCodeAt(rest.length - 1) === 13 ? rest.length - 1 : rest.length;
      const ev = this.parser.parseLine(rest.slice(0, stop), lineNo);
      if (ev !== null) this.#push(ev, lineNo);
    }
  }

  #push(ev: TapeEvent, lineNo: number): void {
    const block = this.#block;
    const i = this.#events.length;
    if (i === block.lines.length) {
      const grown = new Int32Array(i * 2);
      grown.set(block.lines);
      block.lines = grown;
    }
    block.lines[i] = lineNo;
    this.#events.push(ev);
  }

  /** Decodes a chunk of UTF-8 (or flushes the decoder); invalid bytes are a TapeError. */
  #decode(chunk: Uint8Array | undefined): string {
    try {
      return chunk === undefined
        ? this.#decoder.decode()
        : this.#decoder.decode(chunk, { stream: true });
    } catch (e) {
      throw new TapeError(
        { file: this.name, line: this.#lineNo + 1 },
        "(line)",
        `Cannot decode text: invalid UTF-8 at or after this line (${(e as Error).message})`,
      );
    }
  }
}

/**
 * Reads an NDJSON tape file as blocks of validated events (see the module docs).
 *
 * @param path The file.
 * @param options Strict (default) or lenient, the name shown in errors (default:
 *   `path`), and `blockBytes`, the chunk size (default 1 MiB).
 * @throws {TapeError} From `nextBlock()`, in strict mode, at the first invalid line.
 */
export function ndjsonBlockSource(
  path: string,
  options: NdjsonSourceOptions = {},
): NdjsonBlockSource {
  return new NdjsonBlockSource(path, options);
}
