/**
 * Writer of the columnar binary tape (`.kxc`, docs/COLUMNAR.md): streams events
 * in one pass into blocks of up to `blockSize` events, holding one block in
 * memory. Tickers and symbols are dictionary-encoded; a block declares the
 * dictionary entries it uses first.
 *
 * The writer stores exactly what it is given (it does not validate; the reader
 * does): values that do not fit a column exactly go to the row's aux JSON, so
 * every event reads back equal to what was written.
 *
 * @example Write two events
 * ```ts
 * import { ColumnarTapeWriter } from "./columnar_writer.ts";
 *
 * const path = await Deno.makeTempFile({ suffix: ".kxc" });
 * const w = await ColumnarTapeWriter.create(path);
 * await w.write({ kind: "underlying", ts: 1, symbol: "BTC", value: 97000.5 });
 * await w.write({ kind: "underlying", ts: 2, symbol: "BTC", value: 97001 });
 * await w.close();
 * ```
 *
 * @module
 */

import {
  auxOf,
  BLOCK_HEADER_BYTES,
  BLOCK_MARKER,
  blockLayout,
  CHECKSUM_SEED,
  checksumWords,
  DEFAULT_BLOCK_SIZE,
  FILE_HEADER_BYTES,
  FILE_MAGIC,
  FLAG_AUX,
  FLAG_HAS_F0,
  FLAG_NO,
  FORMAT_VERSION,
  LITTLE_ENDIAN,
  MAX_BLOCK_SIZE,
  newSchema,
  pad8,
  statusCode,
  TRAILER_MARKER,
} from "./columnar_format.ts";
import { KIND_CODE, type TapeEvent } from "./events.ts";
import { BlockColumns, isI32, isU32 } from "./block_columns.ts";

/** Options of {@link ColumnarTapeWriter.create}. */
export interface ColumnarWriteOptions {
  /** Events per block (default 65,536; 1 .. 4,194,304). */
  readonly blockSize?: number;
}

async function writeAll(file: Deno.FsFile, data: Uint8Array): Promise<void> {
  let off = 0;
  while (off < data.length) off += await file.write(data.subarray(off));
}

/** Most events in the file's first and second blocks (see ColumnarTapeWriter's block limit). */
export const FIRST_BLOCKS: readonly number[] = [4096, 16_384];

/** Streaming writer of a `.kxc` file. */
export class ColumnarTapeWriter {
  readonly path: string;
  readonly blockSize: number;
  #file: Deno.FsFile;
  #n = 0;
  /** Values in the (sparse) f0 column of the block in memory. */
  #m = 0;
  #rows = 0;
  #blocks = 0;
  #closed = false;
  #pending: Promise<void> = Promise.resolve();
  readonly #cols: BlockColumns;
  #aux: unknown[] = [];
  readonly #marketIds = new Map<string, number>();
  readonly #symbolIds = new Map<string, number>();
  #newMarkets: string[] = [];
  #newSymbols: string[] = [];

  private constructor(path: string, file: Deno.FsFile, blockSize: number) {
    this.path = path;
    this.#file = file;
    this.blockSize = blockSize;
    this.#cols = new BlockColumns(blockSize);
  }

  /**
   * Creates (or truncates) `path` and writes the file header.
   *
   * @throws {RangeError} When blockSize is not an integer in 1 .. 4,194,304.
   */
  static async create(
    path: string,
    options: ColumnarWriteOptions = {},
  ): Promise<ColumnarTapeWriter> {
    if (!LITTLE_ENDIAN) throw new Error("Cannot write .kxc: this platform is big-endian");
    const blockSize = options.blockSize ?? DEFAULT_BLOCK_SIZE;
    if (!Number.isInteger(blockSize) || blockSize < 1 || blockSize > MAX_BLOCK_SIZE) {
      throw new RangeError(
        `Cannot write .kxc: blockSize must be an integer in 1..${MAX_BLOCK_SIZE}, current value is ${blockSize}`,
      );
    }
    const file = await Deno.open(path, { write: true, create: true, truncate: true });
    const w = new ColumnarTapeWriter(path, file, blockSize);
    try {
      const json = new TextEncoder().encode(JSON.stringify(newSchema(blockSize)));
      const head = new Uint8Array(FILE_HEADER_BYTES + pad8(json.length));
      head.fill(0x20, FILE_HEADER_BYTES);
      head.set(FILE_MAGIC, 0);
      const dv = new DataView(head.buffer);
      dv.setUint32(8, FORMAT_VERSION, true);
      dv.setUint32(12, json.length, true);
      head.set(json, FILE_HEADER_BYTES);
      await writeAll(file, head);
    } catch (e) {
      file.close();
      throw e;
    }
    return w;
  }

  /** Events written so far. */
  get eventsWritten(): number {
    return this.#rows + this.#n;
  }

  /** Blocks written so far (the block in memory not included). */
  get blocksWritten(): number {
    return this.#blocks;
  }

  /**
   * Adds one event. Returns a promise when the event completed a block that is
   * being written; await it before writing more to keep memory bounded.
   *
   * @throws {RangeError} When a value of an aux-stored field is not finite.
   */
  write(ev: TapeEvent): Promise<void> | void {
    if (this.#closed) throw new Error(`Cannot write to ${this.path}: writer is closed`);
    const j = this.#n;
    const c = this.#cols;
    c.ts[j] = ev.ts;
    const code = KIND_CODE[ev.kind];
    let flags = 0;
    let id = 0, i0 = 0, i1 = 0, i2 = 0, i3 = 0;
    switch (ev.kind) {
      case "book_delta":
        if (
          isI32(ev.price) && isI32(ev.delta) && isU32(ev.seq) &&
          (ev.side === "yes" || ev.side === "no")
        ) {
          id = this.#market(ev.market);
          i0 = ev.price;
          i1 = ev.delta;
          i2 = ev.seq | 0;
          if (ev.side === "no") flags = FLAG_NO;
        } else flags = FLAG_AUX;
        break;
      case "quote":
        if (
          isI32(ev.yesBid) && isI32(ev.yesAsk) && isI32(ev.yesBidSize) && isI32(ev.yesAskSize)
        ) {
          id = this.#market(ev.market);
          i0 = ev.yesBid;
          i1 = ev.yesAsk;
          i2 = ev.yesBidSize;
          i3 = ev.yesAskSize;
        } else flags = FLAG_AUX;
        break;
      case "trade":
        if (
          isI32(ev.price) && isI32(ev.count) && (ev.takerSide === "yes" || ev.takerSide === "no")
        ) {
          id = this.#market(ev.market);
          i0 = ev.price;
          i1 = ev.count;
          if (ev.takerSide === "no") flags = FLAG_NO;
        } else flags = FLAG_AUX;
        break;
      case "underlying":
        if (typeof ev.value === "number") {
          id = this.#symbol(ev.symbol);
          flags = FLAG_HAS_F0;
          c.f0[this.#m++] = ev.value;
        } else flags = FLAG_AUX;
        break;
      case "lifecycle": {
        const s = statusCode(ev.status);
        if (s >= 0) {
          id = this.#market(ev.market);
          i0 = s;
        } else flags = FLAG_AUX;
        break;
      }
      case "settlement":
        if (
          (ev.result === "yes" || ev.result === "no") &&
          (ev.expirationValue === undefined || typeof ev.expirationValue === "number")
        ) {
          id = this.#market(ev.market);
          if (ev.result === "no") flags = FLAG_NO;
          if (ev.expirationValue !== undefined) {
            flags |= FLAG_HAS_F0;
            c.f0[this.#m++] = ev.expirationValue;
          }
        } else flags = FLAG_AUX;
        break;
      default:
        flags = FLAG_AUX;
    }
    if (flags === FLAG_AUX) this.#aux.push(auxOf(ev));
    c.setRow(j, code, flags, id, i0, i1, i2, i3);
    this.#n = j + 1;
    if (this.#n === this.#blockLimit()) return this.#flush();
  }

  /**
   * Events in the block being filled: `blockSize`, except that the first two
   * blocks hold at most {@link FIRST_BLOCKS} events. A reader's first events
   * then arrive after a small block is decoded, while it decodes the larger
   * ones behind it.
   */
  #blockLimit(): number {
    return this.#blocks < FIRST_BLOCKS.length
      ? Math.min(this.blockSize, FIRST_BLOCKS[this.#blocks])
      : this.blockSize;
  }

  /** Writes the last block and the trailer, and closes the file. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      if (this.#n > 0) await this.#flush();
      await this.#pending;
      const t = new Uint8Array(BLOCK_HEADER_BYTES);
      const dv = new DataView(t.buffer);
      dv.setUint32(0, TRAILER_MARKER, true);
      dv.setUint32(4, this.#blocks, true);
      dv.setFloat64(16, this.#rows, true);
      dv.setUint32(28, checksumWords(new Int32Array(t.buffer), 0, 7, CHECKSUM_SEED), true);
      await writeAll(this.#file, t);
    } finally {
      this.#file.close();
    }
  }

  /** Closes the file without writing the trailer (the file is left incomplete). */
  abort(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#file.close();
  }

  #market(m: string): number {
    let id = this.#marketIds.get(m);
    if (id === undefined) {
      id = this.#marketIds.size;
      this.#marketIds.set(m, id);
      this.#newMarkets.push(m);
    }
    return id;
  }

  #symbol(s: string): number {
    let id = this.#symbolIds.get(s);
    if (id === undefined) {
      id = this.#symbolIds.size;
      this.#symbolIds.set(s, id);
      this.#newSymbols.push(s);
    }
    return id;
  }

  #flush(): Promise<void> {
    const n = this.#n;
    const m = this.#m;
    const lay = blockLayout(n, m);
    let jsonBytes: Uint8Array | null = null;
    if (this.#newMarkets.length > 0 || this.#newSymbols.length > 0 || this.#aux.length > 0) {
      const o: Record<string, unknown> = {};
      if (this.#newMarkets.length > 0) o.market = this.#newMarkets;
      if (this.#newSymbols.length > 0) o.symbol = this.#newSymbols;
      if (this.#aux.length > 0) o.aux = this.#aux;
      jsonBytes = new TextEncoder().encode(JSON.stringify(o));
    }
    const jsonLen = jsonBytes === null ? 0 : jsonBytes.length;
    const payloadLen = lay.json + pad8(jsonLen);
    const out = new Uint8Array(BLOCK_HEADER_BYTES + payloadLen);
    const buf = out.buffer;
    const p = BLOCK_HEADER_BYTES;
    this.#cols.write(buf, p, n, m);
    if (jsonBytes !== null) {
      out.set(jsonBytes, p + lay.json);
      out.fill(0x20, p + lay.json + jsonLen);
    }
    const dv = new DataView(buf);
    dv.setUint32(0, BLOCK_MARKER, true);
    dv.setUint32(4, n, true);
    dv.setUint32(8, payloadLen, true);
    dv.setUint32(12, jsonLen, true);
    dv.setFloat64(16, this.#rows + 1, true);
    dv.setUint32(24, m, true);
    const words = new Int32Array(buf);
    let h = checksumWords(words, 0, 7, CHECKSUM_SEED);
    h = checksumWords(words, BLOCK_HEADER_BYTES / 4, words.length, h);
    dv.setUint32(28, h, true);
    this.#rows += n;
    this.#blocks++;
    this.#n = 0;
    this.#m = 0;
    this.#aux = [];
    this.#newMarkets = [];
    this.#newSymbols = [];
    const file = this.#file;
    this.#pending = this.#pending.then(() => writeAll(file, out));
    return this.#pending;
  }
}
