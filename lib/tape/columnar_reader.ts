/**
 * Reader of the columnar binary tape (`.kxc`, docs/COLUMNAR.md) as a
 * {@link BlockSource}.
 *
 * By default the work is split over two threads (docs/COLUMNAR.md §2.5): a
 * worker thread (`columnar_worker.ts`) reads the file block by block, verifies
 * each checksum, decodes every row once and runs it through a
 * {@link TapeValidator} in file order, then hands the block's buffer to the
 * main thread as a transfer (no copy) together with what it derived (the kept
 * rows, per-row slot ids, the fresh objects of rare rows, new dictionary
 * entries, anomalies). At most {@link WORKER_BUFFERS} buffers exist, so memory
 * is bounded by the block size whatever the file's length. The main thread only
 * lays typed-array views over a validated block and decodes `event(i)` lazily.
 * With `{ worker: false }` (or `KX_COLUMNAR_WORKER=0` in the environment) the
 * same pipeline runs on the calling thread with one reused buffer; both modes
 * deliver the same events and throw the same errors.
 *
 * `block.event(i)` fills and returns one REUSED object per hot kind
 * (`book_delta`, `quote`, `trade`, `underlying`, `lifecycle`): no allocation per
 * event. `series`, `event`, `market`, `book_snapshot` and `settlement` are fresh
 * objects. `block.slot(i)` is a small integer naming the row's market (or
 * symbol), stable for the whole source.
 *
 * Rows are numbered from 1 across the file; errors name the file, the row (or
 * for a damaged block, its first row) and the field.
 *
 * @module
 */

import type { BlockSource, EventBlock } from "./block.ts";
import {
  BLOCK_HEADER_BYTES,
  BLOCK_MARKER,
  blockLayout,
  CHECKSUM_SEED,
  checksumWords,
  COLUMNS,
  derivedLayout,
  eventFromAux,
  FILE_HEADER_BYTES,
  FILE_MAGIC,
  FLAG_AUX,
  FLAG_HAS_F0,
  FLAG_NO,
  FORMAT_VERSION,
  LITTLE_ENDIAN,
  MAX_BLOCK_SIZE,
  pad8,
  show,
  STATUSES,
  TRAILER_MARKER,
} from "./columnar_format.ts";
import {
  EVENT_KINDS as EVENT_KIND_NAMES,
  K_BOOK_DELTA,
  K_EVENT,
  K_LIFECYCLE,
  K_QUOTE,
  K_SERIES,
  K_SETTLEMENT,
  K_TRADE,
  K_UNDERLYING,
  KIND_COUNT,
  type SettlementEvent,
  type TapeEvent,
  type UnderlyingEvent,
} from "./events.ts";
import { TapeError } from "./errors.ts";
import { type Anomaly, TapeValidator } from "./validator.ts";
import { ReusedEvents } from "./reused_events.ts";
import { type PostedError, WorkerClient } from "./worker_pipe.ts";

export { type PostedError, postError, rebuildError } from "./worker_pipe.ts";

/** Options of {@link columnarBlockSource}. */
export interface ColumnarReadOptions {
  /** Throw on the first invalid event (default true); false counts anomalies and drops events. */
  readonly strict?: boolean;
  /** Name shown in errors (default: the path). */
  readonly name?: string;
  /**
   * Read, check and validate in a worker thread (the default); false runs
   * everything on the calling thread. When not given, the environment variable
   * `KX_COLUMNAR_WORKER` decides if it is readable: `0` means false.
   */
  readonly worker?: boolean;
}

/** Buffers (blocks) that exist at once in worker mode: one read by the main thread, the rest read ahead. */
export const WORKER_BUFFERS = 4;

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/**
 * Code written over the kind of rows held as fresh objects (aux rows,
 * settlements): `decode` returns `rare[ref[j]]` for them.
 * @internal
 */
export const RARE = 255;

/** What {@link readColumnarHeader} returns. */
export interface ColumnarHeader {
  readonly version: number;
  readonly blockSize: number;
  /** The schema JSON as stored. */
  readonly schema: Record<string, unknown>;
  /** Bytes of the file header (where the first block starts). */
  readonly headerBytes: number;
}

/** Reads exactly `len` bytes at `off` of `buf` unless the file ends; returns the count read. */
async function readFull(
  file: Deno.FsFile,
  buf: Uint8Array,
  off: number,
  len: number,
): Promise<number> {
  let got = 0;
  while (got < len) {
    const r = await file.read(buf.subarray(off + got, off + len));
    if (r === null) break;
    got += r;
  }
  return got;
}

/** {@link readFull} with blocking reads (for a worker thread, which has nothing else to do). */
function readFullSync(file: Deno.FsFile, buf: Uint8Array, off: number, len: number): number {
  let got = 0;
  while (got < len) {
    const r = file.readSync(buf.subarray(off + got, off + len));
    if (r === null) break;
    got += r;
  }
  return got;
}

function sameColumns(a: unknown): boolean {
  if (!Array.isArray(a) || a.length !== COLUMNS.length) return false;
  for (let i = 0; i < a.length; i++) {
    const c = a[i] as { name?: unknown; type?: unknown } | null;
    if (c === null || c.name !== COLUMNS[i].name || c.type !== COLUMNS[i].type) return false;
  }
  return true;
}

function isStringArray(v: unknown): v is string[] {
  return Array.isArray(v) && v.every((s) => typeof s === "string" && s.length > 0);
}

/**
 * Reads and checks the file header of an open `.kxc` file (positioned at 0).
 *
 * @throws {TapeError} On bad magic, an unsupported version or schema (row 0, field "(header)").
 */
export async function readColumnarHeader(file: Deno.FsFile, name: string): Promise<ColumnarHeader> {
  const err = (detail: string) => new TapeError({ file: name, line: 0 }, "(header)", detail);
  if (!LITTLE_ENDIAN) throw err("Cannot read .kxc: this platform is big-endian");
  const head = new Uint8Array(FILE_HEADER_BYTES);
  const got = await readFull(file, head, 0, FILE_HEADER_BYTES);
  for (let i = 0; i < FILE_MAGIC.length; i++) {
    if (got <= i || head[i] !== FILE_MAGIC[i]) {
      throw err(
        `Cannot read .kxc: bad magic bytes (not a columnar tape), current value is ${
          show(new TextDecoder().decode(head.subarray(0, Math.min(got, 8))))
        }`,
      );
    }
  }
  if (got < FILE_HEADER_BYTES) throw err("Cannot read .kxc: file header truncated");
  const dv = new DataView(head.buffer);
  const version = dv.getUint32(8, true);
  if (version !== FORMAT_VERSION) {
    throw err(
      `Cannot read .kxc: unsupported format version (this reader reads ${FORMAT_VERSION}), current value is ${version}`,
    );
  }
  const jsonLen = dv.getUint32(12, true);
  if (jsonLen > 1 << 28) throw err(`Cannot read .kxc: schema length ${jsonLen} is implausible`);
  const jbuf = new Uint8Array(pad8(jsonLen));
  if (await readFull(file, jbuf, 0, jbuf.length) < jbuf.length) {
    throw err("Cannot read .kxc: schema truncated");
  }
  let schema: Record<string, unknown>;
  try {
    schema = JSON.parse(
      new TextDecoder("utf-8", { fatal: true }).decode(jbuf.subarray(0, jsonLen)),
    );
  } catch (e) {
    throw err(`Cannot read .kxc: schema is not valid JSON (${(e as Error).message})`);
  }
  if (typeof schema !== "object" || schema === null || schema.format !== "kxc") {
    throw err(`Cannot read .kxc: schema "format" is not "kxc"`);
  }
  if (!sameColumns(schema.columns)) {
    throw err(
      `Cannot read .kxc: unsupported columns, current value is ${show(schema.columns)}`,
    );
  }
  const kinds = schema.kinds;
  const statuses = schema.statuses;
  if (JSON.stringify(kinds) !== JSON.stringify(EVENT_KIND_NAMES)) {
    throw err(`Cannot read .kxc: unsupported kind codes, current value is ${show(kinds)}`);
  }
  if (JSON.stringify(statuses) !== JSON.stringify(STATUSES)) {
    throw err(`Cannot read .kxc: unsupported status codes, current value is ${show(statuses)}`);
  }
  const d = schema.dictionaries as Record<string, unknown> | undefined;
  if (
    typeof d !== "object" || d === null || !isStringArray(d.market) || !isStringArray(d.symbol)
  ) {
    throw err(`Cannot read .kxc: "dictionaries" must hold "market" and "symbol" string arrays`);
  }
  const blockSize = schema.blockSize;
  if (typeof blockSize !== "number" || !Number.isInteger(blockSize) || blockSize < 1) {
    throw err(`Cannot read .kxc: bad blockSize, current value is ${show(blockSize)}`);
  }
  return { version, blockSize, schema, headerBytes: FILE_HEADER_BYTES + jbuf.length };
}

/**
 * Reads and checks block headers and payloads into a buffer: one reused,
 * growing buffer, or one given before each block ({@link useBuffer}).
 */
class BlockReader {
  readonly name: string;
  readonly path: string;
  /** Bytes per row reserved after the payload (for the derived arrays). */
  readonly #reserve: boolean;
  #file: Deno.FsFile | null = null;
  #header: ColumnarHeader | null = null;
  #buf = new ArrayBuffer(0);
  #bytes = new Uint8Array(0);
  readonly #head = new Uint8Array(BLOCK_HEADER_BYTES);
  readonly #headView = new DataView(this.#head.buffer);
  readonly #headWords = new Int32Array(this.#head.buffer);
  #done = false;
  /** Row number of the next block's first event. */
  nextRow = 1;
  /** Blocks read so far. */
  blocks = 0;
  /** Of the block just read: events, f0 values, JSON bytes, payload bytes, first row. */
  n = 0;
  m = 0;
  jsonLen = 0;
  payloadLen = 0;
  firstRow = 1;
  readonly markets: string[] = [];
  readonly symbols: string[] = [];

  /** Whether block reads block the thread (in the worker) instead of awaiting. */
  readonly #blocking: boolean;

  constructor(path: string, name: string, reserve: boolean, blocking = false) {
    this.path = path;
    this.name = name;
    this.#reserve = reserve;
    this.#blocking = blocking;
  }

  #read(file: Deno.FsFile, buf: Uint8Array, len: number): number | Promise<number> {
    return this.#blocking ? readFullSync(file, buf, 0, len) : readFull(file, buf, 0, len);
  }

  get buffer(): ArrayBuffer {
    return this.#buf;
  }

  /** Reads the next block into `buf` (grown when too small, as a new buffer). */
  useBuffer(buf: ArrayBuffer): void {
    this.#buf = buf;
    this.#bytes = new Uint8Array(buf);
  }

  get header(): ColumnarHeader | null {
    return this.#header;
  }

  async open(): Promise<void> {
    if (this.#file !== null || this.#done) return;
    this.#file = await Deno.open(this.path, { read: true });
    try {
      const h = await readColumnarHeader(this.#file, this.name);
      this.#header = h;
      const d = h.schema.dictionaries as { market: string[]; symbol: string[] };
      for (const m of d.market) this.markets.push(m);
      for (const s of d.symbol) this.symbols.push(s);
    } catch (e) {
      this.close();
      throw e;
    }
  }

  #error(field: string, detail: string): TapeError {
    return new TapeError({ file: this.name, line: this.nextRow }, field, detail);
  }

  /** Reads the next block into the buffer; false after the end marker. */
  async next(): Promise<boolean> {
    if (this.#done) return false;
    await this.open();
    const file = this.#file!;
    const blk = `block ${this.blocks + 1} (starting at row ${this.nextRow})`;
    const got = await this.#read(file, this.#head, BLOCK_HEADER_BYTES);
    if (got < BLOCK_HEADER_BYTES) {
      throw this.#error(
        "(block)",
        `Cannot read ${blk}: file truncated (${
          got === 0 ? "the end marker is missing" : "block header cut short"
        })`,
      );
    }
    const dv = this.#headView;
    const marker = dv.getUint32(0, true);
    const sum = checksumWords(this.#headWords, 0, 7, CHECKSUM_SEED);
    const stored = dv.getUint32(28, true);
    if (marker === TRAILER_MARKER) {
      if (sum !== stored) {
        throw this.#error("(trailer)", `Cannot read end marker: checksum mismatch`);
      }
      const total = dv.getFloat64(16, true);
      const blocks = dv.getUint32(4, true);
      if (total !== this.nextRow - 1 || blocks !== this.blocks) {
        throw this.#error(
          "(trailer)",
          `Cannot read end marker: it counts ${total} events in ${blocks} blocks, the file holds ${
            this.nextRow - 1
          } in ${this.blocks}`,
        );
      }
      this.close();
      return false;
    }
    if (marker !== BLOCK_MARKER) {
      throw this.#error(
        "(block)",
        `Cannot read ${blk}: bad block marker, current value is 0x${marker.toString(16)}`,
      );
    }
    const n = dv.getUint32(4, true);
    const payloadLen = dv.getUint32(8, true);
    const jsonLen = dv.getUint32(12, true);
    const firstRow = dv.getFloat64(16, true);
    const m = dv.getUint32(24, true);
    if (
      n < 1 || n > MAX_BLOCK_SIZE || m > n ||
      payloadLen !== blockLayout(n, m).json + pad8(jsonLen) || firstRow !== this.nextRow
    ) {
      throw this.#error(
        "(block)",
        `Cannot read ${blk}: inconsistent block header (count ${n}, f0 values ${m}, bytes ${payloadLen}, json ${jsonLen}, first row ${firstRow})`,
      );
    }
    const need = this.#reserve ? derivedLayout(n, payloadLen).end : payloadLen;
    if (this.#buf.byteLength < need) {
      // A little headroom: the next blocks are usually about as large.
      this.useBuffer(new ArrayBuffer(Math.max(pad8(need + (need >> 4)), 2 * this.#buf.byteLength)));
    }
    const pgot = await this.#read(file, this.#bytes, payloadLen);
    if (pgot < payloadLen) {
      throw this.#error(
        "(block)",
        `Cannot read ${blk}: file truncated (${pgot} of ${payloadLen} payload bytes)`,
      );
    }
    const h = checksumWords(new Int32Array(this.#buf, 0, payloadLen >> 2), 0, payloadLen >> 2, sum);
    if (h !== stored) {
      throw this.#error(
        "(block)",
        `Cannot read ${blk}: checksum mismatch (stored 0x${stored.toString(16)}, computed 0x${
          h.toString(16)
        }): the file is corrupted`,
      );
    }
    this.n = n;
    this.m = m;
    this.jsonLen = jsonLen;
    this.payloadLen = payloadLen;
    this.firstRow = firstRow;
    this.nextRow += n;
    this.blocks++;
    return true;
  }

  close(): void {
    this.#done = true;
    if (this.#file !== null) {
      try {
        this.#file.close();
      } catch {
        // already closed
      }
      this.#file = null;
    }
  }
}

/**
 * The decoded view of one block; reused from block to block. Also the
 * main-thread block of the NDJSON worker pipeline (ndjson_source.ts), which
 * lays it over buffers in the same layout.
 * @internal
 */
export class ColumnarBlock extends ReusedEvents implements EventBlock {
  length = 0;
  firstRow = 1;
  identity = true;
  /** The kept rows (lenient mode drops some), when not `identity`. */
  map = new Int32Array(0);
  /** Per row: index in `rare` (rare rows) or in `cf0` (underlying rows). */
  ref = new Int32Array(0);
  /** Per row: slot id of the market or symbol, or -1. */
  cslot = new Int32Array(0);
  rare: TapeEvent[] = [];
  cts = new Float64Array(0);
  cid = new Uint32Array(0);
  ci0 = new Int32Array(0);
  ci1 = new Int32Array(0);
  ci2 = new Int32Array(0);
  ci3 = new Int32Array(0);
  ckind = new Uint8Array(0);
  cflags = new Uint8Array(0);
  cf0 = new Float64Array(0);
  markets: string[] = [];
  symbols: string[] = [];

  /** Lays the column views and the derived arrays over a block's buffer. */
  lay(buf: ArrayBuffer, n: number, m: number, payloadLen: number, firstRow: number): void {
    const lay = blockLayout(n, m);
    const der = derivedLayout(n, payloadLen);
    this.cts = new Float64Array(buf, lay.ts, n);
    this.cid = new Uint32Array(buf, lay.id, n);
    this.ci0 = new Int32Array(buf, lay.i0, n);
    this.ci1 = new Int32Array(buf, lay.i1, n);
    this.ci2 = new Int32Array(buf, lay.i2, n);
    this.ci3 = new Int32Array(buf, lay.i3, n);
    this.ckind = new Uint8Array(buf, lay.kind, n);
    this.cflags = new Uint8Array(buf, lay.flags, n);
    this.cf0 = new Float64Array(buf, lay.f0, m);
    this.ref = new Int32Array(buf, der.ref, n);
    this.cslot = new Int32Array(buf, der.slot, n);
    this.map = new Int32Array(buf, der.map, n);
    this.firstRow = firstRow;
  }

  /** Fills the reused object of row j (a hot kind) or returns its fresh object. */
  decode(j: number): TapeEvent {
    switch (this.ckind[j]) {
      case K_QUOTE:
        return this.fillQuote(
          this.cts[j],
          this.markets[this.cid[j]],
          this.ci0[j],
          this.ci1[j],
          this.ci2[j],
          this.ci3[j],
        );
      case K_BOOK_DELTA:
        return this.fillDelta(
          this.cts[j],
          this.markets[this.cid[j]],
          this.ci2[j] >>> 0,
          this.cflags[j],
          this.ci0[j],
          this.ci1[j],
        );
      case K_TRADE:
        return this.fillTrade(
          this.cts[j],
          this.markets[this.cid[j]],
          this.ci0[j],
          this.ci1[j],
          this.cflags[j],
        );
      case K_UNDERLYING:
        return this.fillUnderlying(this.cts[j], this.symbols[this.cid[j]], this.cf0[this.ref[j]]);
      case K_LIFECYCLE:
        return this.fillLifecycle(this.cts[j], this.markets[this.cid[j]], this.ci0[j]);
      default:
        return this.rare[this.ref[j]];
    }
  }

  /** The row of kept event i (lenient mode drops rows). */
  row(i: number): number {
    return this.identity ? i : this.map[i];
  }

  event(i: number): TapeEvent {
    return this.decode(this.row(i));
  }

  ts(i: number): number {
    return this.cts[this.row(i)];
  }

  slot(i: number): number {
    return this.cslot[this.row(i)];
  }

  /** The row's kind code; RARE (not a kind code) for a row whose event came from its aux entry. */
  kind(i: number): number {
    return this.ckind[this.row(i)];
  }

  line(i: number): number {
    return this.firstRow + this.row(i);
  }
}

/**
 * What changed in a pipeline's state since the last {@link ColumnarPipeline.sync}:
 * the header (first time only), new dictionary entries, new kept anomalies and
 * the totals. The worker sends one with every message.
 * @internal
 */
export interface PipelineSync {
  readonly header: ColumnarHeader | null;
  readonly markets: readonly string[];
  readonly symbols: readonly string[];
  readonly anomalies: readonly Anomaly[];
  readonly anomalyCount: number;
  readonly blocks: number;
}

/**
 * The reading pipeline of one `.kxc` file: reads a block, verifies it, parses
 * its JSON, checks the structure of every row, decodes it and runs it through
 * the validator, and fills the block's derived arrays. Used on the calling
 * thread (`{ worker: false }`) and in the worker thread.
 * @internal
 */
export class ColumnarPipeline {
  readonly name: string;
  readonly reader: BlockReader;
  readonly validator: TapeValidator;
  readonly block: ColumnarBlock = new ColumnarBlock();
  #pendingError: unknown = null;
  readonly #decoder = new TextDecoder("utf-8", { fatal: true });
  /** Slot ids: markets and symbols share one space (distinct ids), assigned on first sight. */
  #slots = 0;
  readonly #marketSlots = new Map<string, number>();
  readonly #symbolSlots = new Map<string, number>();
  /** Slot of each dictionary id. */
  readonly #marketSlotById: number[] = [];
  readonly #symbolSlotById: number[] = [];
  // What sync() already reported.
  #syncedHeader = false;
  #syncedMarkets = 0;
  #syncedSymbols = 0;
  #syncedAnomalies = 0;

  /**
   * @param blocking Read with blocking calls (in the worker thread, where
   *   nothing else waits; the calling thread awaits its reads).
   */
  constructor(path: string, name: string, strict: boolean, blocking = false) {
    this.name = name;
    this.reader = new BlockReader(path, name, true, blocking);
    this.validator = new TapeValidator(name, { strict });
    this.block.markets = this.reader.markets;
    this.block.symbols = this.reader.symbols;
  }

  close(): void {
    this.reader.close();
  }

  /** Changes since the last call (see {@link PipelineSync}). */
  sync(): PipelineSync {
    const r = this.reader;
    const v = this.validator;
    const header = !this.#syncedHeader && r.header !== null ? r.header : null;
    if (header !== null) this.#syncedHeader = true;
    const s: PipelineSync = {
      header,
      markets: r.markets.slice(this.#syncedMarkets),
      symbols: r.symbols.slice(this.#syncedSymbols),
      anomalies: v.anomalies.slice(this.#syncedAnomalies),
      anomalyCount: v.anomalyCount,
      blocks: r.blocks,
    };
    this.#syncedMarkets = r.markets.length;
    this.#syncedSymbols = r.symbols.length;
    this.#syncedAnomalies = v.anomalies.length;
    return s;
  }

  #marketSlot(name: string): number {
    let s = this.#marketSlots.get(name);
    if (s === undefined) {
      s = this.#slots++;
      this.#marketSlots.set(name, s);
    }
    return s;
  }

  #symbolSlot(name: string): number {
    let s = this.#symbolSlots.get(name);
    if (s === undefined) {
      s = this.#slots++;
      this.#symbolSlots.set(name, s);
    }
    return s;
  }

  /** Gives slots to the dictionary entries added since the last call. */
  #slotDictionaries(): void {
    const r = this.reader;
    for (let i = this.#marketSlotById.length; i < r.markets.length; i++) {
      this.#marketSlotById.push(this.#marketSlot(r.markets[i]));
    }
    for (let i = this.#symbolSlotById.length; i < r.symbols.length; i++) {
      this.#symbolSlotById.push(this.#symbolSlot(r.symbols[i]));
    }
  }

  /**
   * Loads the next block that keeps at least one row into `block` (over
   * `reader.buffer`); false at the end. A deferred error (strict mode, or a
   * damaged row) is thrown by the call after the one that delivered the rows
   * before it. Damage to the file and I/O errors close the reader and throw.
   */
  async next(): Promise<boolean> {
    const r = this.reader;
    const b = this.block;
    for (;;) {
      if (this.#pendingError !== null) {
        const e = this.#pendingError;
        this.#pendingError = null;
        r.close();
        throw e;
      }
      try {
        if (!(await r.next())) return false;
      } catch (e) {
        r.close();
        throw e;
      }
      const n = r.n;
      b.lay(r.buffer, n, r.m, r.payloadLen, r.firstRow);
      b.rare = [];
      let aux: unknown[] = [];
      if (r.jsonLen > 0) {
        try {
          aux = this.#blockJson(
            new Uint8Array(r.buffer, blockLayout(n, r.m).json, r.jsonLen),
            r.firstRow,
          );
        } catch (e) {
          r.close();
          throw e;
        }
      }
      this.#slotDictionaries();
      const kept = this.#validate(b, n, r.m, aux);
      b.length = kept;
      b.identity = kept === n;
      // A block whose events were all dropped (lenient) or that fails at its first row
      // yields nothing: go on to the next block, or throw the deferred error.
      if (kept > 0) return true;
    }
  }

  /** Parses a block's JSON: new dictionary entries (added now) and the aux entries. */
  #blockJson(bytes: Uint8Array, firstRow: number): unknown[] {
    const r = this.reader;
    const err = (detail: string) =>
      new TapeError({ file: this.name, line: firstRow }, "(block)", detail);
    let o: Record<string, unknown>;
    try {
      o = JSON.parse(this.#decoder.decode(bytes));
    } catch (e) {
      throw err(`Cannot read block JSON: ${(e as Error).message}`);
    }
    if (typeof o !== "object" || o === null || Array.isArray(o)) {
      throw err("Cannot read block JSON: not an object");
    }
    for (const key of Object.keys(o)) {
      if (key !== "market" && key !== "symbol" && key !== "aux") {
        throw err(`Cannot read block JSON: unknown key, current value is ${show(key)}`);
      }
    }
    if (o.market !== undefined) {
      if (!isStringArray(o.market)) throw err(`Cannot read block JSON: bad "market" dictionary`);
      for (const m of o.market) r.markets.push(m);
    }
    if (o.symbol !== undefined) {
      if (!isStringArray(o.symbol)) throw err(`Cannot read block JSON: bad "symbol" dictionary`);
      for (const s of o.symbol) r.symbols.push(s);
    }
    if (o.aux !== undefined) {
      if (!Array.isArray(o.aux)) throw err(`Cannot read block JSON: "aux" is not an array`);
      return o.aux;
    }
    return [];
  }

  /** Slot of a fresh (aux) event: its market's or symbol's, or -1. */
  #auxSlot(k: number, ev: TapeEvent): number {
    if (k === K_SERIES || k === K_EVENT) return -1;
    if (k === K_UNDERLYING) {
      const s = (ev as UnderlyingEvent).symbol;
      return typeof s === "string" ? this.#symbolSlot(s) : -1;
    }
    const m = (ev as { market?: unknown }).market;
    return typeof m === "string" ? this.#marketSlot(m) : -1;
  }

  /**
   * Checks the structure of each row, builds the fresh objects of rare rows,
   * fills the slot column and runs every event through the validator. Returns
   * how many rows are kept; the kept rows are listed in `b.map`. An error
   * (strict mode, or a damaged row) is deferred to the next call so that the
   * rows before it are delivered.
   */
  #validate(b: ColumnarBlock, n: number, m: number, aux: unknown[]): number {
    const v = this.validator;
    const name = this.name;
    const kinds = b.ckind;
    const flags = b.cflags;
    const ids = b.cid;
    const nMarkets = b.markets.length;
    const nSymbols = b.symbols.length;
    const marketSlot = this.#marketSlotById;
    const symbolSlot = this.#symbolSlotById;
    const map = b.map;
    const ref = b.ref;
    const slots = b.cslot;
    const rare = b.rare;
    const row0 = b.firstRow;
    let auxNext = 0;
    let f0Next = 0;
    let kept = 0;
    const fail = (row: number, field: string, detail: string): never => {
      throw new TapeError({ file: name, line: row }, field, detail);
    };
    try {
      for (let j = 0; j < n; j++) {
        const k = kinds[j];
        const fl = flags[j];
        let ev: TapeEvent;
        let slot: number;
        if (k >= K_BOOK_DELTA && k < KIND_COUNT && fl <= (FLAG_NO | FLAG_HAS_F0)) {
          // The hot path: a column-encoded row.
          const id = ids[j];
          if (k === K_UNDERLYING) {
            if (id >= nSymbols) this.#badId(row0 + j, "symbol", id, nSymbols);
            if (fl !== FLAG_HAS_F0) {
              fail(
                row0 + j,
                "flags",
                `Cannot read underlying: f0 flag missing, current value is ${fl}`,
              );
            }
            if (f0Next >= m) {
              fail(
                row0 + j,
                "f0",
                `Cannot read underlying: f0 column exhausted, current value is ${f0Next}`,
              );
            }
            ref[j] = f0Next++;
            slot = symbolSlot[id];
          } else {
            if (id >= nMarkets) this.#badId(row0 + j, "market", id, nMarkets);
            slot = marketSlot[id];
            if (k === K_SETTLEMENT) {
              const s: Mutable<SettlementEvent> = {
                kind: "settlement",
                ts: b.cts[j],
                market: b.markets[id],
                result: (fl & FLAG_NO) === 0 ? "yes" : "no",
              };
              if ((fl & FLAG_HAS_F0) !== 0) {
                if (f0Next >= m) {
                  fail(
                    row0 + j,
                    "f0",
                    `Cannot read settlement: f0 column exhausted, current value is ${f0Next}`,
                  );
                }
                s.expirationValue = b.cf0[f0Next++];
              }
              ref[j] = rare.length;
              rare.push(s);
              kinds[j] = RARE;
            } else if (
              (fl & FLAG_HAS_F0) !== 0 || (fl !== 0 && k !== K_BOOK_DELTA && k !== K_TRADE)
            ) {
              fail(
                row0 + j,
                "flags",
                `Cannot read ${EVENT_KIND_NAMES[k]} row: flags not allowed, current value is ${fl}`,
              );
            } else if (k === K_LIFECYCLE) {
              const st = b.ci0[j];
              if (st < 0 || st >= STATUSES.length) {
                fail(
                  row0 + j,
                  "status",
                  `Cannot read row: unknown status code, current value is ${st}`,
                );
              }
            }
          }
          ev = b.decode(j);
        } else {
          if (k >= KIND_COUNT) {
            fail(row0 + j, "kind", `Cannot read row: unknown kind code, current value is ${k}`);
          }
          if (fl !== FLAG_AUX) {
            fail(
              row0 + j,
              "flags",
              `Cannot read ${
                EVENT_KIND_NAMES[k]
              } row: flags must be ${FLAG_AUX} (aux), current value is ${fl}`,
            );
          }
          if (auxNext >= aux.length) {
            fail(
              row0 + j,
              "aux",
              `Cannot read row: aux entry missing, current value is ${auxNext}`,
            );
          }
          ev = eventFromAux(k, b.cts[j], aux[auxNext++], name, row0 + j);
          slot = this.#auxSlot(k, ev);
          ref[j] = rare.length;
          rare.push(ev);
          kinds[j] = RARE;
        }
        slots[j] = slot;
        if (v.check(ev, row0 + j, slot)) map[kept++] = j;
      }
      if (auxNext !== aux.length || f0Next !== m) {
        fail(
          row0,
          "(block)",
          `Cannot read block: ${aux.length - auxNext} aux entries and ${
            m - f0Next
          } f0 values left over`,
        );
      }
    } catch (e) {
      if (!(e instanceof TapeError)) throw e;
      this.#pendingError = e;
    }
    return kept;
  }

  #badId(row: number, field: string, id: number, size: number): never {
    throw new TapeError(
      { file: this.name, line: row },
      field,
      `Cannot read row: dictionary id out of range (${size} entries), current value is ${id}`,
    );
  }
}

/** A block source over a `.kxc` file, with what it learned of the file so far. */
export interface ColumnarBlockSource extends BlockSource {
  /**
   * The validator (its anomalies list, in lenient mode). In worker mode this is
   * a mirror on the calling thread that holds the worker validator's anomalies
   * of the blocks delivered so far.
   */
  readonly validator: TapeValidator;
  /** The file header, once the first block was requested. */
  readonly header: ColumnarHeader | null;
  /** The market dictionary so far. */
  readonly markets: readonly string[];
  /** The symbol dictionary so far. */
  readonly symbols: readonly string[];
  /** Blocks read so far. */
  readonly blocks: number;
  /** Whether reading, checking and validation run in a worker thread. */
  readonly worker: boolean;
  /** Closes the file, or stops the worker thread's job; nextBlock() then returns null. */
  close(): void;
}

/** The source of `{ worker: false }`: the pipeline on the calling thread. */
class SyncColumnarSource implements ColumnarBlockSource {
  readonly name: string;
  readonly worker = false;
  readonly #p: ColumnarPipeline;

  constructor(path: string, name: string, strict: boolean) {
    this.name = name;
    this.#p = new ColumnarPipeline(path, name, strict);
  }

  anomalyCount(): number {
    return this.#p.validator.anomalyCount;
  }

  get validator(): TapeValidator {
    return this.#p.validator;
  }

  get header(): ColumnarHeader | null {
    return this.#p.reader.header;
  }

  get markets(): readonly string[] {
    return this.#p.reader.markets;
  }

  get symbols(): readonly string[] {
    return this.#p.reader.symbols;
  }

  get blocks(): number {
    return this.#p.reader.blocks;
  }

  close(): void {
    this.#p.close();
  }

  async nextBlock(): Promise<EventBlock | null> {
    return await this.#p.next() ? this.#p.block : null;
  }
}

/** What the worker posts. @internal */
export type WorkerMessage =
  | {
    readonly type: "block";
    readonly buffer: ArrayBuffer;
    readonly n: number;
    readonly m: number;
    readonly payloadLen: number;
    readonly firstRow: number;
    readonly kept: number;
    readonly rare: TapeEvent[];
    readonly sync: PipelineSync;
  }
  | { readonly type: "end"; readonly sync: PipelineSync }
  | { readonly type: "error"; readonly error: PostedError; readonly sync: PipelineSync };

/** What the worker is started with (the start data of its job, worker_pipe.ts). @internal */
export interface WorkerStart {
  readonly path: string;
  readonly name: string;
  readonly strict: boolean;
  readonly buffers: number;
}

/**
 * The default source: the pipeline runs in a worker thread (started at the
 * first nextBlock()), which posts validated blocks as transferred buffers; the
 * main thread returns each buffer when it asks for the next block. The worker
 * is unref'd except while nextBlock() waits for it, so a source that is dropped
 * without close() never keeps the process alive. When the file ends or its
 * error is posted, the thread is kept idle for the next source
 * (reader_threads.ts); close() before the end terminates it.
 */
class WorkerColumnarSource implements ColumnarBlockSource {
  readonly name: string;
  readonly worker = true;
  readonly #block = new ColumnarBlock();
  readonly #validator: TapeValidator;
  readonly #client: WorkerClient<PipelineSync, WorkerMessage>;
  #header: ColumnarHeader | null = null;
  readonly #markets: string[] = [];
  readonly #symbols: string[] = [];
  #blocks = 0;

  constructor(path: string, name: string, strict: boolean) {
    this.name = name;
    this.#validator = new TapeValidator(name, { strict });
    this.#block.markets = this.#markets;
    this.#block.symbols = this.#symbols;
    this.#client = new WorkerClient<PipelineSync, WorkerMessage>(
      new URL("./columnar_worker.ts", import.meta.url),
      name,
      (): WorkerStart => ({ path, name, strict: this.#validator.strict, buffers: WORKER_BUFFERS }),
      (s) => this.#apply(s),
    );
  }

  anomalyCount(): number {
    return this.#validator.anomalyCount;
  }

  get validator(): TapeValidator {
    return this.#validator;
  }

  get header(): ColumnarHeader | null {
    return this.#header;
  }

  get markets(): readonly string[] {
    return this.#markets;
  }

  get symbols(): readonly string[] {
    return this.#symbols;
  }

  get blocks(): number {
    return this.#blocks;
  }

  close(): void {
    this.#client.close();
  }

  #apply(s: PipelineSync): void {
    if (s.header !== null) this.#header = s.header;
    for (const m of s.markets) this.#markets.push(m);
    for (const x of s.symbols) this.#symbols.push(x);
    const more = s.anomalyCount - this.#validator.anomalyCount;
    if (more > 0 || s.anomalies.length > 0) this.#validator.absorb(s.anomalies, more);
    this.#blocks = s.blocks;
  }

  async nextBlock(): Promise<EventBlock | null> {
    const m = await this.#client.next();
    if (m === null) return null;
    const b = this.#block;
    b.lay(m.buffer, m.n, m.m, m.payloadLen, m.firstRow);
    b.rare = m.rare;
    b.length = m.kept;
    b.identity = m.kept === m.n;
    return b;
  }
}

function workerDefault(): boolean {
  try {
    const variable = "KX_COLUMNAR_WORKER";
    if (Deno.permissions.querySync({ name: "env", variable }).state !== "granted") return true;
    return Deno.env.get(variable) !== "0";
  } catch {
    return true;
  }
}

/**
 * A validating block source over a `.kxc` file.
 *
 * @param path The file.
 * @param options Strict (default) or lenient, the name shown in errors, and
 *   whether to read in a worker thread (default: yes, unless `KX_COLUMNAR_WORKER=0`).
 */
export function columnarBlockSource(
  path: string,
  options: ColumnarReadOptions = {},
): ColumnarBlockSource {
  const name = options.name ?? path;
  const strict = options.strict ?? true;
  return options.worker ?? workerDefault()
    ? new WorkerColumnarSource(path, name, strict)
    : new SyncColumnarSource(path, name, strict);
}

/** What {@link scanColumnarTs} measured. */
export interface ColumnarScan {
  readonly events: number;
  readonly blocks: number;
  /** Sum of every ts (to keep the scan from being optimized away). */
  readonly tsSum: number;
  readonly firstTs: number;
  readonly lastTs: number;
}

/**
 * The ceiling measurement: reads every block (checksums verified) and scans
 * the ts column as a typed array, decoding nothing else and validating nothing.
 */
export async function scanColumnarTs(path: string, name = path): Promise<ColumnarScan> {
  const r = new BlockReader(path, name, false);
  let events = 0;
  let sum = 0;
  let first = NaN;
  let last = NaN;
  try {
    while (await r.next()) {
      const ts = new Float64Array(r.buffer, 0, r.n);
      if (events === 0) first = ts[0];
      for (let i = 0; i < ts.length; i++) sum += ts[i];
      last = ts[ts.length - 1];
      events += r.n;
    }
  } finally {
    r.close();
  }
  return { events, blocks: r.blocks, tsSum: sum, firstTs: first, lastTs: last };
}
