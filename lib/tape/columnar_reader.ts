/**
 * Reader of the columnar binary tape (`.kxc`, docs/COLUMNAR.md) as a
 * {@link BlockSource}: one file block at a time is read into a reused buffer
 * (grown only when a block needs more), its checksum verified, and typed-array
 * views laid over it without copying. Memory is bounded by the block size,
 * whatever the file's length.
 *
 * Every event goes through a {@link TapeValidator} (the same semantic rules as
 * the NDJSON reader) when its block is loaded. `block.event(i)` then fills and
 * returns one REUSED object per hot kind (`book_delta`, `quote`, `trade`,
 * `underlying`, `lifecycle`): no allocation per event. `series`, `event`,
 * `market`, `book_snapshot` and `settlement` are fresh objects.
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
  eventFromAux,
  FILE_HEADER_BYTES,
  FILE_MAGIC,
  FLAG_AUX,
  FLAG_HAS_F0,
  FLAG_NO,
  FORMAT_VERSION,
  K_BOOK_DELTA,
  K_LIFECYCLE,
  K_QUOTE,
  K_SETTLEMENT,
  K_TRADE,
  K_UNDERLYING,
  KIND_COUNT,
  LITTLE_ENDIAN,
  MAX_BLOCK_SIZE,
  pad8,
  show,
  STATUSES,
  TRAILER_MARKER,
} from "./columnar_format.ts";
import { TapeError } from "./errors.ts";
import { EVENT_KINDS as EVENT_KIND_NAMES } from "./events.ts";
import type {
  BookDeltaEvent,
  LifecycleEvent,
  QuoteEvent,
  SettlementEvent,
  TapeEvent,
  TradeEvent,
  UnderlyingEvent,
} from "./events.ts";
import { TapeValidator } from "./validator.ts";

/** Options of {@link columnarBlockSource}. */
export interface ColumnarReadOptions {
  /** Throw on the first invalid event (default true); false counts anomalies and drops events. */
  readonly strict?: boolean;
  /** Name shown in errors (default: the path). */
  readonly name?: string;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Code written over the kind of rows held as fresh objects (aux rows, settlements). */
const RARE = 255;

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

/** Reads and checks block headers and payloads into a reused, growing buffer. */
class BlockReader {
  readonly name: string;
  readonly path: string;
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
  /** Of the block just read: events, f0 values, JSON bytes, first row. */
  n = 0;
  m = 0;
  jsonLen = 0;
  firstRow = 1;
  readonly markets: string[] = [];
  readonly symbols: string[] = [];

  constructor(path: string, name: string) {
    this.path = path;
    this.name = name;
  }

  get buffer(): ArrayBuffer {
    return this.#buf;
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
    const got = await readFull(file, this.#head, 0, BLOCK_HEADER_BYTES);
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
    if (this.#buf.byteLength < payloadLen) {
      this.#buf = new ArrayBuffer(Math.max(payloadLen, 2 * this.#buf.byteLength));
      this.#bytes = new Uint8Array(this.#buf);
    }
    const pgot = await readFull(file, this.#bytes, 0, payloadLen);
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

/** The decoded view of one block; reused from block to block. */
class ColumnarBlock implements EventBlock {
  length = 0;
  firstRow = 1;
  identity = true;
  /** The kept rows (lenient mode drops some), when not `identity`. */
  map = new Int32Array(0);
  /** Per row: index in `rare` (rare rows) or in `cf0` (underlying rows). */
  slot = new Int32Array(0);
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
  readonly delta: Mutable<BookDeltaEvent> = {
    kind: "book_delta",
    ts: 0,
    market: "",
    seq: 0,
    side: "yes",
    price: 0,
    delta: 0,
  };
  readonly quote: Mutable<QuoteEvent> = {
    kind: "quote",
    ts: 0,
    market: "",
    yesBid: 0,
    yesAsk: 0,
    yesBidSize: 0,
    yesAskSize: 0,
  };
  readonly trade: Mutable<TradeEvent> = {
    kind: "trade",
    ts: 0,
    market: "",
    price: 0,
    count: 0,
    takerSide: "yes",
  };
  readonly underlying: Mutable<UnderlyingEvent> = {
    kind: "underlying",
    ts: 0,
    symbol: "",
    value: 0,
  };
  readonly lifecycle: Mutable<LifecycleEvent> = {
    kind: "lifecycle",
    ts: 0,
    market: "",
    status: "open",
  };

  /** Fills the reused object of row j (a hot kind) or returns its fresh object. */
  decode(j: number): TapeEvent {
    switch (this.ckind[j]) {
      case K_QUOTE: {
        const o = this.quote;
        o.ts = this.cts[j];
        o.market = this.markets[this.cid[j]];
        o.yesBid = this.ci0[j];
        o.yesAsk = this.ci1[j];
        o.yesBidSize = this.ci2[j];
        o.yesAskSize = this.ci3[j];
        return o;
      }
      case K_BOOK_DELTA: {
        const o = this.delta;
        o.ts = this.cts[j];
        o.market = this.markets[this.cid[j]];
        o.seq = this.ci2[j] >>> 0;
        o.side = (this.cflags[j] & FLAG_NO) === 0 ? "yes" : "no";
        o.price = this.ci0[j];
        o.delta = this.ci1[j];
        return o;
      }
      case K_TRADE: {
        const o = this.trade;
        o.ts = this.cts[j];
        o.market = this.markets[this.cid[j]];
        o.price = this.ci0[j];
        o.count = this.ci1[j];
        o.takerSide = (this.cflags[j] & FLAG_NO) === 0 ? "yes" : "no";
        return o;
      }
      case K_UNDERLYING: {
        const o = this.underlying;
        o.ts = this.cts[j];
        o.symbol = this.symbols[this.cid[j]];
        o.value = this.cf0[this.slot[j]];
        return o;
      }
      case K_LIFECYCLE: {
        const o = this.lifecycle;
        o.ts = this.cts[j];
        o.market = this.markets[this.cid[j]];
        o.status = STATUSES[this.ci0[j]];
        return o;
      }
      default:
        return this.rare[this.slot[j]];
    }
  }

  event(i: number): TapeEvent {
    return this.decode(this.identity ? i : this.map[i]);
  }

  ts(i: number): number {
    return this.cts[this.identity ? i : this.map[i]];
  }

  line(i: number): number {
    return this.firstRow + (this.identity ? i : this.map[i]);
  }
}

/** A block source over a `.kxc` file, with what it learned of the file so far. */
export interface ColumnarBlockSource extends BlockSource {
  /** The validator (its anomalies list, in lenient mode). */
  readonly validator: TapeValidator;
  /** The file header, once the first block was requested. */
  readonly header: ColumnarHeader | null;
  /** The market dictionary so far. */
  readonly markets: readonly string[];
  /** The symbol dictionary so far. */
  readonly symbols: readonly string[];
  /** Blocks read so far. */
  readonly blocks: number;
}

class ColumnarSource implements ColumnarBlockSource {
  readonly name: string;
  readonly #reader: BlockReader;
  readonly #validator: TapeValidator;
  readonly #block = new ColumnarBlock();
  #pendingError: unknown = null;
  readonly #decoder = new TextDecoder("utf-8", { fatal: true });

  constructor(path: string, options: ColumnarReadOptions) {
    this.name = options.name ?? path;
    this.#reader = new BlockReader(path, this.name);
    this.#validator = new TapeValidator(this.name, { strict: options.strict ?? true });
    this.#block.markets = this.#reader.markets;
    this.#block.symbols = this.#reader.symbols;
  }

  anomalyCount(): number {
    return this.#validator.anomalyCount;
  }

  get validator(): TapeValidator {
    return this.#validator;
  }

  get header(): ColumnarHeader | null {
    return this.#reader.header;
  }

  get markets(): readonly string[] {
    return this.#reader.markets;
  }

  get symbols(): readonly string[] {
    return this.#reader.symbols;
  }

  get blocks(): number {
    return this.#reader.blocks;
  }

  close(): void {
    this.#reader.close();
  }

  async nextBlock(): Promise<EventBlock | null> {
    const r = this.#reader;
    const b = this.#block;
    for (;;) {
      if (this.#pendingError !== null) {
        const e = this.#pendingError;
        this.#pendingError = null;
        r.close();
        throw e;
      }
      try {
        if (!(await r.next())) return null;
      } catch (e) {
        r.close();
        throw e;
      }
      const n = r.n;
      const buf = r.buffer;
      const lay = blockLayout(n, r.m);
      b.cts = new Float64Array(buf, lay.ts, n);
      b.cid = new Uint32Array(buf, lay.id, n);
      b.ci0 = new Int32Array(buf, lay.i0, n);
      b.ci1 = new Int32Array(buf, lay.i1, n);
      b.ci2 = new Int32Array(buf, lay.i2, n);
      b.ci3 = new Int32Array(buf, lay.i3, n);
      b.ckind = new Uint8Array(buf, lay.kind, n);
      b.cflags = new Uint8Array(buf, lay.flags, n);
      b.cf0 = new Float64Array(buf, lay.f0, r.m);
      b.firstRow = r.firstRow;
      if (b.map.length < n) {
        b.map = new Int32Array(n);
        b.slot = new Int32Array(n);
      }
      b.rare.length = 0;
      let aux: unknown[] = [];
      if (r.jsonLen > 0) {
        try {
          aux = this.#blockJson(new Uint8Array(buf, lay.json, r.jsonLen), r.firstRow);
        } catch (e) {
          r.close();
          throw e;
        }
      }
      const kept = this.#validate(b, n, r.m, aux);
      b.length = kept;
      b.identity = kept === n;
      // A block whose events were all dropped (lenient) or that fails at its first row
      // yields nothing: go on to the next block, or throw the deferred error.
      if (kept > 0) return b;
    }
  }

  /** Parses a block's JSON: new dictionary entries (added now) and the aux entries. */
  #blockJson(bytes: Uint8Array, firstRow: number): unknown[] {
    const r = this.#reader;
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

  /**
   * Checks the structure of each row, builds the fresh objects of rare rows and
   * runs every event through the validator. Returns how many rows are kept;
   * the kept rows are listed in `b.map`. An error (strict mode, or a damaged
   * row) is deferred to the next call so that the rows before it are delivered.
   */
  #validate(b: ColumnarBlock, n: number, m: number, aux: unknown[]): number {
    const v = this.#validator;
    const name = this.name;
    const kinds = b.ckind;
    const flags = b.cflags;
    const ids = b.cid;
    const nMarkets = b.markets.length;
    const nSymbols = b.symbols.length;
    const map = b.map;
    const slot = b.slot;
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
            slot[j] = f0Next++;
          } else {
            if (id >= nMarkets) this.#badId(row0 + j, "market", id, nMarkets);
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
              slot[j] = rare.length;
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
          slot[j] = rare.length;
          rare.push(ev);
          kinds[j] = RARE;
        }
        if (v.check(ev, row0 + j)) map[kept++] = j;
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

/**
 * A validating block source over a `.kxc` file.
 *
 * @param path The file.
 * @param options Strict (default) or lenient, and the name shown in errors.
 */
export function columnarBlockSource(
  path: string,
  options: ColumnarReadOptions = {},
): ColumnarBlockSource {
  return new ColumnarSource(path, options);
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
  const r = new BlockReader(path, name);
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
