/**
 * A block source over an NDJSON tape file (docs/TAPE.md): the file is read in
 * chunks, each chunk is decoded as UTF-8 and its complete lines are parsed and
 * validated through one {@link NdjsonTapeParser} (which runs the shared
 * `TapeValidator`) into a block: each chunk that keeps events is one block.
 *
 * By default the work is split over two threads, as for the columnar reader
 * (docs/COLUMNAR.md §2.5): a worker thread (`ndjson_worker.ts`) reads, parses
 * and validates every line, encodes the accepted events into a buffer in the
 * layout of a validated columnar block (the columns of `blockLayout`, the
 * derived arrays of `derivedLayout`, then one f64 per row: its NDJSON line
 * number) and hands the buffer to the main thread as a transfer (no copy),
 * with the fresh objects of metadata and snapshot rows, the new dictionary
 * entries, the parser's new anomalies and its counts. The main thread lays the
 * columnar reader's block views over it and decodes `event(i)` lazily into
 * reused objects (so, as the `BlockSource` contract allows, hot kinds are
 * reused objects in this mode), and `slot(i)` names each market and symbol.
 * At most {@link NDJSON_WORKER_BUFFERS} buffers exist, so memory is bounded by
 * the chunk size whatever the file's length. With `{ worker: false }` (or
 * `KX_NDJSON_WORKER=0` in the environment) the chunks are parsed on the calling
 * thread into arrays of fresh events. Both modes deliver the same events, line
 * numbers, anomalies, counts and errors, in blocks cut at the same places.
 *
 * Both modes decode UTF-8 with {@link Utf8StreamDecoder}: a replacing decoder
 * (several times faster than a fatal one on ASCII), whose chunks are checked
 * again by a fatal decoder only when their text holds U+FFFD, so that invalid
 * bytes fail at the same chunk, with the same message, as with a fatal decoder.
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
import {
  blockLayout,
  derivedLayout,
  FLAG_HAS_F0,
  FLAG_NO,
  pad8,
  statusCode,
} from "./columnar_format.ts";
import {
  K_BOOK_DELTA,
  K_LIFECYCLE,
  K_QUOTE,
  K_TRADE,
  K_UNDERLYING,
  type TapeEvent,
} from "./events.ts";
import { BlockColumns, isI32, isU32 } from "./block_columns.ts";
import { ColumnarBlock, RARE } from "./columnar_reader.ts";
import { TapeError } from "./errors.ts";
import { NdjsonTapeParser, type ReadOptions } from "./ndjson_reader.ts";
import type { Anomaly } from "./validator.ts";
import { type PostedError, WorkerClient } from "./worker_pipe.ts";

/** Options of {@link ndjsonBlockSource}. */
export interface NdjsonSourceOptions extends ReadOptions {
  /** Bytes read per chunk (default 1 MiB); each chunk's complete lines make one block. */
  readonly blockBytes?: number;
  /**
   * Read, parse and validate in a worker thread (the default); false runs
   * everything on the calling thread. When not given, the environment variable
   * `KX_NDJSON_WORKER` decides if it is readable: `0` means false.
   */
  readonly worker?: boolean;
}

/** Default chunk size: 1 MiB. */
const DEFAULT_BLOCK_BYTES = 1 << 20;

/** Buffers (blocks) that exist at once in worker mode: one read by the main thread, the rest read ahead. */
export const NDJSON_WORKER_BUFFERS = 4;

/** What a source tells of its parser: its counts and lenient-mode anomalies. */
export interface NdjsonParserState {
  /** File (or source) name shown in errors and anomalies. */
  readonly name: string;
  /** Whether the first invalid line throws. */
  readonly strict: boolean;
  /** The first 1000 anomalies found in lenient mode. */
  readonly anomalies: readonly Anomaly[];
  /** Anomalies found in lenient mode (all of them). */
  readonly anomalyCount: number;
  /** Lines read, blank ones included. */
  readonly linesRead: number;
  /** Lines read in place, without `JSON.parse` (hot lines in the writer's canonical form). */
  readonly linesInPlace: number;
  /** Events accepted. */
  readonly eventsRead: number;
}

/** An NDJSON tape file as a {@link BlockSource}. Built by {@link ndjsonBlockSource}. */
export interface NdjsonBlockSource extends BlockSource {
  /** Name shown in errors (the path unless `options.name` says otherwise). */
  readonly name: string;
  /**
   * The parser's counts (`linesRead`, `eventsRead`) and lenient-mode
   * `anomalies`, as of the blocks delivered so far. In worker mode this is a
   * mirror on the calling thread of the worker's parser.
   */
  readonly parser: NdjsonParserState;
  /** Whether reading, parsing and validation run in a worker thread. */
  readonly worker: boolean;
  /** Closes the file, or stops the worker thread's job; nextBlock() then returns null. */
  close(): void;
}

// ------------------------------------------------------------- line feeding

/** Where a {@link LineFeeder} puts the events the parser accepts. @internal */
export interface EventSink {
  push(ev: TapeEvent, lineNo: number): void;
}

/**
 * The bytes at the end of a valid UTF-8 prefix that start a character not yet
 * complete (what a streaming decoder holds back), given the prefix's last 3
 * bytes (or fewer, when the prefix is shorter).
 */
function pendingBytes(tail: Uint8Array): Uint8Array {
  let i = tail.length - 1;
  while (i >= 0 && (tail[i] & 0xc0) === 0x80) i--;
  if (i < 0) return tail.subarray(0, 0);
  const b = tail[i];
  const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : b >= 0xc0 ? 2 : 1;
  return tail.length - i < need ? tail.subarray(i) : tail.subarray(0, 0);
}

/**
 * Streaming UTF-8 decoder that fails exactly as a fatal streaming
 * `TextDecoder` does (same chunk, same exception), at the speed of the
 * replacing one: chunks are decoded in replacement mode, and only a chunk whose
 * text holds U+FFFD (from bad bytes, or written in the file) is decoded again in
 * fatal mode, from the state the fatal decoder would have had, to tell which.
 * (A fatal decoder throws on the very call at which a replacing one emits its
 * first U+FFFD: the WHATWG decoder signals the error at that point in both modes.)
 * @internal
 */
export class Utf8StreamDecoder {
  /**
   * Replacement mode. It keeps every U+FEFF (the BOM is stripped below): Deno's
   * replacing stream decoder would strip the first U+FEFF that starts any
   * call's output, not only at the start of the stream.
   */
  readonly #fast = new TextDecoder("utf-8", { ignoreBOM: true });
  /** Whether text was produced yet (a BOM is stripped only at the very start). */
  #started = false;
  /** The last (up to) 3 bytes of the input so far. */
  readonly #tail = new Uint8Array(3);
  #tailLen = 0;

  /**
   * Decodes the next chunk (stream mode), or flushes at the end (`undefined`).
   *
   * @throws {TypeError} As `new TextDecoder("utf-8", { fatal: true })` would.
   */
  decode(chunk: Uint8Array | undefined): string {
    let text = chunk === undefined
      ? this.#fast.decode()
      : this.#fast.decode(chunk, { stream: true });
    if (text.indexOf("\uFFFD") >= 0) this.#verify(chunk);
    if (chunk !== undefined) {
      this.#keepTail(chunk);
      // At a character boundary the replacing decoder holds nothing: flushing
      // it brings it back to its fast path for ASCII chunks, which it leaves
      // for good once a chunk was not ASCII.
      if (pendingBytes(this.#tail.subarray(0, this.#tailLen)).length === 0) {
        text += this.#fast.decode();
      }
    }
    if (!this.#started && text.length > 0) {
      this.#started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    return text;
  }

  /** Replays the chunk through a fatal decoder in the state of the stream so far. */
  #verify(chunk: Uint8Array | undefined): void {
    const d = new TextDecoder("utf-8", { fatal: true });
    // The input so far is valid (or this would have thrown before): the fatal
    // decoder's state is the incomplete character it ends with.
    const pending = pendingBytes(this.#tail.subarray(0, this.#tailLen));
    if (pending.length > 0) d.decode(pending, { stream: true });
    if (chunk === undefined) d.decode();
    else d.decode(chunk, { stream: true });
  }

  #keepTail(chunk: Uint8Array): void {
    const t = this.#tail;
    const n = chunk.length;
    if (n >= 3) {
      t[0] = chunk[n - 3];
      t[1] = chunk[n - 2];
      t[2] = chunk[n - 1];
      this.#tailLen = 3;
      return;
    }
    for (let i = 0; i < n; i++) {
      if (this.#tailLen === 3) {
        t[0] = t[1];
        t[1] = t[2];
        this.#tailLen = 2;
      }
      t[this.#tailLen++] = chunk[i];
    }
  }
}

/**
 * Decodes chunks of UTF-8, splits them into lines (LF or CRLF; a partial last
 * line is carried to the next chunk) and parses each line through the parser,
 * handing accepted events with their 1-based line numbers to a sink. Shared by
 * both modes, so they see the same lines.
 * @internal
 */
export class LineFeeder {
  readonly parser: NdjsonTapeParser;
  readonly #sink: EventSink;
  readonly #decoder = new Utf8StreamDecoder();
  #rest = "";
  #lineNo = 0;

  constructor(parser: NdjsonTapeParser, sink: EventSink) {
    this.parser = parser;
    this.#sink = sink;
  }

  /** Parses the complete lines of the text read so far and of `chunk`. */
  feed(chunk: Uint8Array): void {
    const text = this.#decode(chunk);
    let start = 0;
    if (this.#rest.length > 0) {
      // The carried partial line and the chunk's first line, without copying the
      // whole chunk into one string with the partial line.
      const nl = text.indexOf("\n");
      if (nl < 0) {
        this.#rest += text;
        return;
      }
      this.#parseLines(this.#rest + text.slice(0, nl + 1), 0);
      start = nl + 1;
    }
    this.#rest = this.#parseLines(text, start);
  }

  /** End of file: the decoder's tail and a final line without a terminator. */
  end(): void {
    const rest = this.#rest + this.#decode(undefined);
    this.#rest = "";
    if (rest.length > 0) {
      const lineNo = ++this.#lineNo;
      const stop = rest.charCodeAt(rest.length - 1) === 13 ? rest.length - 1 : rest.length;
      const ev = this.parser.parseLine(rest.slice(0, stop), lineNo);
      if (ev !== null) this.#sink.push(ev, lineNo);
    }
  }

  /** Parses the complete lines of `text` from `start`; returns the partial last line. */
  #parseLines(text: string, start: number): string {
    const parser = this.parser;
    const sink = this.#sink;
    let end = text.indexOf("\n", start);
    while (end >= 0) {
      const lineNo = ++this.#lineNo;
      const stop = end > start && text.charCodeAt(end - 1) === 13 ? end - 1 : end;
      const ev = parser.parseLineIn(text, start, stop, lineNo);
      if (ev !== null) sink.push(ev, lineNo);
      start = end + 1;
      end = text.indexOf("\n", start);
    }
    return start === 0 ? text : start === text.length ? "" : text.slice(start);
  }

  /** Decodes a chunk of UTF-8 (or flushes the decoder); invalid bytes are a TapeError. */
  #decode(chunk: Uint8Array | undefined): string {
    try {
      return this.#decoder.decode(chunk);
    } catch (e) {
      throw new TapeError(
        { file: this.parser.name, line: this.#lineNo + 1 },
        "(line)",
        `Cannot decode text: invalid UTF-8 at or after this line (${(e as Error).message})`,
      );
    }
  }
}

function checkBlockBytes(blockBytes: number): void {
  if (!Number.isSafeInteger(blockBytes) || blockBytes < 1) {
    throw new RangeError(
      `Cannot read NDJSON in blocks: blockBytes not a positive integer, current value is ${blockBytes}`,
    );
  }
}

// ------------------------------------------------------ calling-thread mode

/** An array block whose events carry their own line numbers (blank and skipped lines leave gaps). */
class NdjsonBlock extends ArrayBlock implements EventSink {
  lines: Int32Array = new Int32Array(1024);
  readonly list: TapeEvent[] = [];

  constructor() {
    super([]);
    this.events = this.list;
  }

  override line(i: number): number {
    return this.lines[i];
  }

  push(ev: TapeEvent, lineNo: number): void {
    const i = this.list.length;
    if (i === this.lines.length) {
      const grown = new Int32Array(i * 2);
      grown.set(this.lines);
      this.lines = grown;
    }
    this.lines[i] = lineNo;
    this.list.push(ev);
  }
}

/** The source of `{ worker: false }`: chunks parsed on the calling thread. */
class SyncNdjsonSource implements NdjsonBlockSource {
  readonly name: string;
  readonly parser: NdjsonTapeParser;
  readonly worker = false;

  readonly #path: string;
  readonly #buf: Uint8Array;
  readonly #block = new NdjsonBlock();
  readonly #feeder: LineFeeder;
  #file: Deno.FsFile | null = null;
  #done = false;
  #pending: unknown = null;

  constructor(path: string, name: string, options: NdjsonSourceOptions, blockBytes: number) {
    this.#path = path;
    this.name = name;
    this.parser = new NdjsonTapeParser(name, options);
    this.#feeder = new LineFeeder(this.parser, this.#block);
    this.#buf = new Uint8Array(blockBytes);
  }

  anomalyCount(): number {
    return this.parser.anomalyCount;
  }

  close(): void {
    if (this.#file !== null) {
      this.#file.close();
      this.#file = null;
    }
    this.#done = true;
  }

  async nextBlock(): Promise<EventBlock | null> {
    if (this.#pending !== null) {
      const e = this.#pending;
      this.#pending = null;
      throw e;
    }
    const events = this.#block.list;
    events.length = 0;
    try {
      while (!this.#done) {
        if (this.#file === null) this.#file = await Deno.open(this.#path, { read: true });
        const n = await this.#file.read(this.#buf);
        if (n === null) {
          this.close();
          this.#feeder.end();
        } else {
          this.#feeder.feed(this.#buf.subarray(0, n));
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
}

// -------------------------------------------------------- worker-thread mode

/**
 * Where the parts of a block of `n` events (`m` of them with an f0 value) lie
 * in a transferred buffer: the columnar payload (`blockLayout`, no JSON), the
 * derived arrays (`derivedLayout`), then one f64 per row, its line number.
 * @internal
 */
export function ndjsonBlockLayout(
  n: number,
  m: number,
): { readonly payloadLen: number; readonly lines: number; readonly end: number } {
  const payloadLen = blockLayout(n, m).json;
  const lines = derivedLayout(n, payloadLen).end;
  return { payloadLen, lines, end: lines + 8 * n };
}

/**
 * Encodes validated events into the columns of a columnar block (as the
 * `.kxc` writer does, without the file's JSON): hot kinds whose values fit
 * their columns exactly go to the columns; every other event (metadata,
 * snapshots, settlements, values that do not fit) is kept as its object in
 * `rare`, its row coded {@link RARE}. Markets and symbols get dictionary ids
 * and slot ids (one space, distinct ids) on first sight. Runs in the worker.
 * @internal
 */
export class NdjsonBlockEncoder implements EventSink {
  /** Rows (events) and f0 values of the block being built. */
  n = 0;
  m = 0;
  rare: TapeEvent[] = [];
  readonly markets: string[] = [];
  readonly symbols: string[] = [];
  #cap = 0;
  readonly #cols = new BlockColumns(0);
  #line = new Float64Array(0);
  #ref = new Int32Array(0);
  #slot = new Int32Array(0);
  readonly #marketIds = new Map<string, number>();
  readonly #symbolIds = new Map<string, number>();
  readonly #marketSlot: number[] = [];
  readonly #symbolSlot: number[] = [];
  #slots = 0;
  #syncedMarkets = 0;
  #syncedSymbols = 0;

  constructor(capacity = 1024) {
    this.#grow(Math.max(1, capacity));
  }

  #grow(cap: number): void {
    const n = this.n;
    this.#cols.grow(cap, n, this.m);
    const line = new Float64Array(cap);
    line.set(this.#line.subarray(0, n));
    this.#line = line;
    const ref = new Int32Array(cap);
    ref.set(this.#ref.subarray(0, n));
    this.#ref = ref;
    const slot = new Int32Array(cap);
    slot.set(this.#slot.subarray(0, n));
    this.#slot = slot;
    this.#cap = cap;
  }

  #market(name: string): number {
    let id = this.#marketIds.get(name);
    if (id === undefined) {
      id = this.markets.length;
      this.#marketIds.set(name, id);
      this.markets.push(name);
      this.#marketSlot.push(this.#slots++);
    }
    return id;
  }

  #symbol(name: string): number {
    let id = this.#symbolIds.get(name);
    if (id === undefined) {
      id = this.symbols.length;
      this.#symbolIds.set(name, id);
      this.symbols.push(name);
      this.#symbolSlot.push(this.#slots++);
    }
    return id;
  }

  /** Adds one validated event and its line number to the block being built. */
  push(ev: TapeEvent, lineNo: number): void {
    const j = this.n;
    if (j === this.#cap) this.#grow(2 * j);
    this.#cols.ts[j] = ev.ts;
    this.#line[j] = lineNo;
    switch (ev.kind) {
      case "quote": {
        const bid = ev.yesBid, ask = ev.yesAsk, bs = ev.yesBidSize, as = ev.yesAskSize;
        if (!(isI32(bid) && isI32(ask) && isI32(bs) && isI32(as))) break;
        const id = this.#market(ev.market);
        this.#row(j, K_QUOTE, 0, id, bid, ask, bs, as, 0, this.#marketSlot[id]);
        return;
      }
      case "trade": {
        const price = ev.price, count = ev.count, side = ev.takerSide;
        if (!(isI32(price) && isI32(count) && (side === "yes" || side === "no"))) break;
        const id = this.#market(ev.market);
        const flags = side === "no" ? FLAG_NO : 0;
        this.#row(j, K_TRADE, flags, id, price, count, 0, 0, 0, this.#marketSlot[id]);
        return;
      }
      case "book_delta": {
        const price = ev.price, delta = ev.delta, seq = ev.seq, side = ev.side;
        if (!(isI32(price) && isI32(delta) && isU32(seq) && (side === "yes" || side === "no"))) {
          break;
        }
        const id = this.#market(ev.market);
        const flags = side === "no" ? FLAG_NO : 0;
        this.#row(j, K_BOOK_DELTA, flags, id, price, delta, seq | 0, 0, 0, this.#marketSlot[id]);
        return;
      }
      case "underlying": {
        if (typeof ev.value !== "number") break;
        const id = this.#symbol(ev.symbol);
        const ref = this.m++;
        this.#cols.f0[ref] = ev.value;
        this.#row(j, K_UNDERLYING, FLAG_HAS_F0, id, 0, 0, 0, 0, ref, this.#symbolSlot[id]);
        return;
      }
      case "lifecycle": {
        const status = statusCode(ev.status);
        if (status < 0) break;
        const id = this.#market(ev.market);
        this.#row(j, K_LIFECYCLE, 0, id, status, 0, 0, 0, 0, this.#marketSlot[id]);
        return;
      }
    }
    // Everything else is kept as its object (metadata, snapshots, settlements,
    // values that do not fit a column).
    let slot = -1;
    if (ev.kind === "underlying") {
      if (typeof ev.symbol === "string") slot = this.#symbolSlot[this.#symbol(ev.symbol)];
    } else if ("market" in ev && typeof ev.market === "string") {
      slot = this.#marketSlot[this.#market(ev.market)];
    }
    this.#row(j, RARE, 0, 0, 0, 0, 0, 0, this.rare.length, slot);
    this.rare.push(ev);
  }

  #row(
    j: number,
    kind: number,
    flags: number,
    id: number,
    i0: number,
    i1: number,
    i2: number,
    i3: number,
    ref: number,
    slot: number,
  ): void {
    this.#cols.setRow(j, kind, flags, id, i0, i1, i2, i3);
    this.#ref[j] = ref;
    this.#slot[j] = slot;
    this.n = j + 1;
  }

  /**
   * Writes the block built so far into `buf` (or into a larger new buffer when
   * it is too small) in the {@link ndjsonBlockLayout}, and returns that buffer.
   * The block is not reset (see {@link reset}).
   */
  fill(buf: ArrayBuffer): ArrayBuffer {
    const n = this.n;
    const m = this.m;
    const nl = ndjsonBlockLayout(n, m);
    if (buf.byteLength < nl.end) {
      // A little headroom: the next blocks are usually about as large.
      buf = new ArrayBuffer(Math.max(pad8(nl.end + (nl.end >> 4)), 2 * buf.byteLength));
    }
    const der = derivedLayout(n, nl.payloadLen);
    this.#cols.write(buf, 0, n, m);
    new Int32Array(buf, der.ref, n).set(this.#ref.subarray(0, n));
    new Int32Array(buf, der.slot, n).set(this.#slot.subarray(0, n));
    new Float64Array(buf, nl.lines, n).set(this.#line.subarray(0, n));
    return buf;
  }

  /** Starts a new block (the dictionaries and slots stay). */
  reset(): void {
    this.n = 0;
    this.m = 0;
    this.rare = [];
  }

  /** Dictionary entries added since the last call. */
  newEntries(): { markets: string[]; symbols: string[] } {
    const markets = this.markets.slice(this.#syncedMarkets);
    const symbols = this.symbols.slice(this.#syncedSymbols);
    this.#syncedMarkets = this.markets.length;
    this.#syncedSymbols = this.symbols.length;
    return { markets, symbols };
  }
}

/** What changed in the worker's state since its last message. @internal */
export interface NdjsonSync {
  readonly markets: readonly string[];
  readonly symbols: readonly string[];
  readonly anomalies: readonly Anomaly[];
  readonly anomalyCount: number;
  readonly linesRead: number;
  readonly linesInPlace: number;
  readonly eventsRead: number;
}

/** What the NDJSON worker posts. @internal */
export type NdjsonWorkerMessage =
  | {
    readonly type: "block";
    readonly buffer: ArrayBuffer;
    readonly n: number;
    readonly m: number;
    readonly rare: TapeEvent[];
    readonly sync: NdjsonSync;
  }
  | { readonly type: "end"; readonly sync: NdjsonSync }
  | { readonly type: "error"; readonly error: PostedError; readonly sync: NdjsonSync };

/** What the NDJSON worker is started with (the start data of its job, worker_pipe.ts). @internal */
export interface NdjsonWorkerStart {
  readonly path: string;
  readonly name: string;
  readonly strict: boolean;
  readonly blockBytes: number;
  readonly buffers: number;
}

/** The calling thread's copy of the worker parser's counts and anomalies. */
class ParserMirror implements NdjsonParserState {
  readonly name: string;
  readonly strict: boolean;
  readonly anomalies: Anomaly[] = [];
  anomalyCount = 0;
  linesRead = 0;
  linesInPlace = 0;
  eventsRead = 0;

  constructor(name: string, strict: boolean) {
    this.name = name;
    this.strict = strict;
  }
}

/** The main-thread block: the columnar block's views, plus the line column. */
class NdjsonColumnarBlock extends ColumnarBlock {
  lines: Float64Array = new Float64Array(0);

  override line(i: number): number {
    return this.lines[this.identity ? i : this.map[i]];
  }
}

/**
 * The default source: parsing and validation run in a worker thread (started
 * at the first nextBlock()), which posts blocks as transferred buffers; the
 * main thread returns each buffer when it asks for the next block. The worker
 * is unref'd except while nextBlock() waits for it, so a source dropped
 * without close() never keeps the process alive. When the file ends or its
 * error is posted, the thread is kept idle for the next source
 * (reader_threads.ts); close() before the end terminates it.
 */
class WorkerNdjsonSource implements NdjsonBlockSource {
  readonly name: string;
  readonly worker = true;
  readonly #block = new NdjsonColumnarBlock();
  readonly #parser: ParserMirror;
  readonly #client: WorkerClient<NdjsonSync, NdjsonWorkerMessage>;
  readonly #markets: string[] = [];
  readonly #symbols: string[] = [];

  constructor(path: string, name: string, strict: boolean, blockBytes: number) {
    this.name = name;
    this.#parser = new ParserMirror(name, strict);
    this.#block.markets = this.#markets;
    this.#block.symbols = this.#symbols;
    this.#client = new WorkerClient<NdjsonSync, NdjsonWorkerMessage>(
      new URL("./ndjson_worker.ts", import.meta.url),
      name,
      (): NdjsonWorkerStart => ({
        path,
        name,
        strict: this.#parser.strict,
        blockBytes,
        buffers: NDJSON_WORKER_BUFFERS,
      }),
      (s) => this.#apply(s),
    );
  }

  get parser(): NdjsonParserState {
    return this.#parser;
  }

  anomalyCount(): number {
    return this.#parser.anomalyCount;
  }

  close(): void {
    this.#client.close();
  }

  #apply(s: NdjsonSync): void {
    for (const m of s.markets) this.#markets.push(m);
    for (const x of s.symbols) this.#symbols.push(x);
    const p = this.#parser;
    for (const a of s.anomalies) p.anomalies.push(a);
    p.anomalyCount = s.anomalyCount;
    p.linesRead = s.linesRead;
    p.linesInPlace = s.linesInPlace;
    p.eventsRead = s.eventsRead;
  }

  async nextBlock(): Promise<EventBlock | null> {
    const m = await this.#client.next();
    if (m === null) return null;
    const b = this.#block;
    const n = m.n;
    const nl = ndjsonBlockLayout(n, m.m);
    b.lay(m.buffer, n, m.m, nl.payloadLen, 1);
    b.lines = new Float64Array(m.buffer, nl.lines, n);
    b.rare = m.rare;
    b.length = n;
    b.identity = true;
    return b;
  }
}

/**
 * Files smaller than this are parsed on the calling thread by default: starting
 * and warming a worker costs more than it saves on a small tape (measured: a
 * 126k-line file read at 0.89M lines/s with the worker, 1.46M without).
 */
export const WORKER_MIN_BYTES = 16 * 1024 * 1024;

function atLeastBytes(path: string, bytes: number): boolean {
  try {
    return Deno.statSync(path).size >= bytes;
  } catch {
    return false; // the calling-thread path reports the error
  }
}

function workerDefault(): boolean {
  try {
    const variable = "KX_NDJSON_WORKER";
    if (Deno.permissions.querySync({ name: "env", variable }).state !== "granted") return true;
    return Deno.env.get(variable) !== "0";
  } catch {
    return true;
  }
}

/**
 * Reads an NDJSON tape file as blocks of validated events (see the module docs).
 *
 * @param path The file.
 * @param options Strict (default) or lenient, the name shown in errors (default:
 *   `path`), `blockBytes`, the chunk size (default 1 MiB), and whether to parse
 *   in a worker thread (default: for files of {@link WORKER_MIN_BYTES} or more,
 *   unless `KX_NDJSON_WORKER=0`).
 * @throws {RangeError} When `blockBytes` is not a positive integer.
 * @throws {TapeError} From `nextBlock()`, in strict mode, at the first invalid line.
 */
export function ndjsonBlockSource(
  path: string,
  options: NdjsonSourceOptions = {},
): NdjsonBlockSource {
  const blockBytes = options.blockBytes ?? DEFAULT_BLOCK_BYTES;
  checkBlockBytes(blockBytes);
  const name = options.name ?? path;
  return options.worker ?? (workerDefault() && atLeastBytes(path, WORKER_MIN_BYTES))
    ? new WorkerNdjsonSource(path, name, options.strict ?? true, blockBytes)
    : new SyncNdjsonSource(path, name, options, blockBytes);
}
