/**
 * Shared definitions of the two binary tape forms (docs/COLUMNAR.md): the
 * columnar `.kxc` file and the SQLite tape. Both map every event onto the same
 * generic row: `ts`, a kind code, a market or symbol, four integer slots
 * `i0..i3`, one float slot `f0`, a flags byte and, for rare kinds, an "aux"
 * JSON object holding the event's fields.
 *
 * | kind         | market/symbol | i0          | i1     | i2         | i3         | f0              | flags                        |
 * | ------------ | ------------- | ----------- | ------ | ---------- | ---------- | --------------- | ---------------------------- |
 * | `book_delta` | market        | price       | delta  | seq        | 0          | -               | bit 0: side (1 = no)         |
 * | `quote`      | market        | yesBid      | yesAsk | yesBidSize | yesAskSize | -               | 0                            |
 * | `trade`      | market        | price       | count  | 0          | 0          | -               | bit 0: takerSide (1 = no)    |
 * | `underlying` | symbol        | 0           | 0      | 0          | 0          | value           | bit 1                        |
 * | `lifecycle`  | market        | status code | 0      | 0          | 0          | -               | 0                            |
 * | `settlement` | market        | 0           | 0      | 0          | 0          | expirationValue | bit 0: result; bit 1 if f0   |
 * | aux rows     | -             | 0           | 0      | 0          | 0          | -               | bit 7 ({@link FLAG_AUX})     |
 *
 * Rows of `series`, `event`, `market` and `book_snapshot`, and any row whose
 * values do not fit its slots exactly (a non-integer price, a seq above
 * 2^32 - 1, an unknown status), carry {@link FLAG_AUX}: all their fields except
 * `kind` and `ts` are in the aux object, under their in-memory names.
 *
 * @module
 */

import { TapeError } from "./errors.ts";
import {
  EVENT_KINDS,
  MARKET_STATUSES,
  type MarketStatus,
  type TapeEvent,
  type TapeEventKind,
} from "./events.ts";

/** Bit 0: the side (`side`, `takerSide`, `result`) is "no". */
export const FLAG_NO = 1;
/** Bit 1: the row has an f0 value (every underlying; a settlement with an expirationValue). */
export const FLAG_HAS_F0 = 2;
/** Bit 7: the row's fields are in its aux object. */
export const FLAG_AUX = 128;
/** All flag bits defined by format version 1. */
export const FLAG_MASK = FLAG_NO | FLAG_HAS_F0 | FLAG_AUX;

/** Lifecycle status codes: the index in this list. */
export const STATUSES: readonly MarketStatus[] = MARKET_STATUSES;

const STATUS_CODE: ReadonlyMap<string, number> = new Map(STATUSES.map((s, i) => [s, i]));

/** Code of a lifecycle status, or -1 when it is not one of {@link STATUSES}. */
export function statusCode(status: string): number {
  return STATUS_CODE.get(status) ?? -1;
}

// ------------------------------------------------------------------ aux codec

/** Type of an aux field: string, number, boolean, array of numbers. */
type FieldType = "s" | "n" | "b" | "a";

interface FieldSpec {
  readonly name: string;
  readonly type: FieldType;
  readonly optional: boolean;
}

function f(name: string, type: FieldType, optional = false): FieldSpec {
  return { name, type, optional };
}

/** Fields of the aux object of each kind, in the canonical (events.ts) order. */
export const AUX_FIELDS: Readonly<Record<TapeEventKind, readonly FieldSpec[]>> = {
  series: [f("series", "s"), f("feeType", "s"), f("feeMultiplier", "n")],
  event: [
    f("event", "s"),
    f("series", "s"),
    f("mutuallyExclusive", "b"),
    f("outcomeStep", "n", true),
  ],
  market: [
    f("market", "s"),
    f("event", "s"),
    f("strikeType", "s"),
    f("floorStrike", "n", true),
    f("capStrike", "n", true),
    f("floorInclusive", "b", true),
    f("capInclusive", "b", true),
    f("openTs", "n"),
    f("closeTs", "n"),
    f("priceStep", "n"),
  ],
  book_snapshot: [
    f("market", "s"),
    f("seq", "n"),
    f("yesPrices", "a"),
    f("yesSizes", "a"),
    f("noPrices", "a"),
    f("noSizes", "a"),
  ],
  book_delta: [f("market", "s"), f("seq", "n"), f("side", "s"), f("price", "n"), f("delta", "n")],
  quote: [
    f("market", "s"),
    f("yesBid", "n"),
    f("yesAsk", "n"),
    f("yesBidSize", "n"),
    f("yesAskSize", "n"),
  ],
  trade: [f("market", "s"), f("price", "n"), f("count", "n"), f("takerSide", "s")],
  underlying: [f("symbol", "s"), f("value", "n")],
  lifecycle: [f("market", "s"), f("status", "s")],
  settlement: [f("market", "s"), f("result", "s"), f("expirationValue", "n", true)],
};

/** A JSON object. */
type Obj = Record<string, unknown>;

/**
 * The aux object of an event: its fields except `kind` and `ts`, in canonical
 * order, optional fields left out when undefined.
 *
 * @throws {RangeError} When a number is not finite (JSON cannot hold it).
 */
export function auxOf(ev: TapeEvent): Obj {
  const o: Obj = {};
  const src = ev as unknown as Obj;
  for (const spec of AUX_FIELDS[ev.kind]) {
    const v = src[spec.name];
    if (v === undefined) continue;
    if (spec.type === "n" && !Number.isFinite(v)) {
      throw new RangeError(
        `Cannot write field "${spec.name}": not a finite number, current value is ${v}`,
      );
    }
    if (spec.type === "a") {
      for (const x of v as readonly number[]) {
        if (!Number.isFinite(x)) {
          throw new RangeError(
            `Cannot write field "${spec.name}": not a finite number, current value is ${x}`,
          );
        }
      }
    }
    o[spec.name] = v;
  }
  return o;
}

/**
 * Rebuilds a fresh event from its kind, ts and aux object, checking the JSON
 * types of the fields (semantic rules are the validator's).
 *
 * @throws {TapeError} Naming `file`, `row` and the field, when the aux entry is
 * not an object, lacks a required field, has one of the wrong type or an unknown one.
 */
export function eventFromAux(
  kindCode: number,
  ts: number,
  aux: unknown,
  file: string,
  row: number,
): TapeEvent {
  const kind = EVENT_KINDS[kindCode];
  if (typeof aux !== "object" || aux === null || Array.isArray(aux)) {
    throw new TapeError(
      { file, line: row },
      "aux",
      `Cannot read ${kind} row: aux entry is not a JSON object, current value is ${show(aux)}`,
    );
  }
  const o = aux as Obj;
  const ev: Obj = { kind, ts };
  let n = 0;
  for (const spec of AUX_FIELDS[kind]) {
    const v = o[spec.name];
    if (v === undefined) {
      if (spec.optional) continue;
      throw new TapeError({ file, line: row }, spec.name, `Cannot read ${kind}: missing field`);
    }
    n++;
    if (!hasType(v, spec.type)) {
      throw new TapeError(
        { file, line: row },
        spec.name,
        `Cannot read ${kind}: not ${TYPE_NAMES[spec.type]}, current value is ${show(v)}`,
      );
    }
    ev[spec.name] = v;
  }
  if (Object.keys(o).length !== n) {
    for (const key of Object.keys(o)) {
      if (!AUX_FIELDS[kind].some((s) => s.name === key)) {
        throw new TapeError(
          { file, line: row },
          key,
          `Cannot read ${kind}: unknown field, current value is ${show(o[key])}`,
        );
      }
    }
  }
  return ev as unknown as TapeEvent;
}

const TYPE_NAMES: Readonly<Record<FieldType, string>> = {
  s: "a non-empty string",
  n: "a finite number",
  b: "a boolean",
  a: "an array of finite numbers",
};

function hasType(v: unknown, t: FieldType): boolean {
  switch (t) {
    case "s":
      return typeof v === "string" && v.length > 0;
    case "n":
      return typeof v === "number" && Number.isFinite(v);
    case "b":
      return typeof v === "boolean";
    case "a":
      return Array.isArray(v) && v.every((x) => typeof x === "number" && Number.isFinite(x));
  }
}

/** A short rendering of a value for error messages. */
export function show(v: unknown): string {
  let s: string;
  try {
    s = v === undefined ? "undefined" : JSON.stringify(v);
  } catch {
    s = String(v);
  }
  return s.length > 80 ? s.slice(0, 77) + "..." : s;
}

// ------------------------------------------------------------ columnar layout

/** First 8 bytes of a `.kxc` file. */
export const FILE_MAGIC: Uint8Array = new TextEncoder().encode("KXCTAPE\0");
/** Format version written and read. */
export const FORMAT_VERSION = 1;
/** Bytes of the fixed file header before the schema JSON. */
export const FILE_HEADER_BYTES = 16;
/** Bytes of a block header and of the trailer. */
export const BLOCK_HEADER_BYTES = 32;
/** Marker of a block ("KXCB" little-endian u32). */
export const BLOCK_MARKER = 0x4243584b;
/** Marker of the trailer ("KXCE" little-endian u32). */
export const TRAILER_MARKER = 0x4543584b;
/** Default events per block. */
export const DEFAULT_BLOCK_SIZE = 65_536;
/** Largest events per block a reader accepts. */
export const MAX_BLOCK_SIZE = 1 << 22;

/**
 * The columns, in payload order: name and element type. `f0` is sparse: it
 * holds one value per row that has {@link FLAG_HAS_F0}, in row order.
 */
export const COLUMNS: readonly { readonly name: string; readonly type: string }[] = [
  { name: "ts", type: "f64" },
  { name: "id", type: "u32" },
  { name: "i0", type: "i32" },
  { name: "i1", type: "i32" },
  { name: "i2", type: "i32" },
  { name: "i3", type: "i32" },
  { name: "kind", type: "u8" },
  { name: "flags", type: "u8" },
  { name: "f0", type: "f64 sparse" },
];

/** `n` rounded up to a multiple of 8. */
export function pad8(n: number): number {
  return (n + 7) & ~7;
}

/** Byte offsets of each column in the payload of a block. */
export interface BlockLayout {
  readonly ts: number;
  readonly id: number;
  readonly i0: number;
  readonly i1: number;
  readonly i2: number;
  readonly i3: number;
  readonly kind: number;
  readonly flags: number;
  readonly f0: number;
  /** Where the block JSON starts (its length is in the block header). */
  readonly json: number;
}

/**
 * The payload layout of a block of `n` rows of which `m` have an f0 value:
 * every column starts 8-byte aligned.
 */
export function blockLayout(n: number, m: number): BlockLayout {
  const w4 = pad8(4 * n);
  const w1 = pad8(n);
  const ts = 0;
  const id = ts + 8 * n;
  const i0 = id + w4;
  const i1 = i0 + w4;
  const i2 = i1 + w4;
  const i3 = i2 + w4;
  const kind = i3 + w4;
  const flags = kind + w1;
  const f0 = flags + w1;
  const json = f0 + 8 * m;
  return { ts, id, i0, i1, i2, i3, kind, flags, f0, json };
}

/** Byte offsets of a reader's per-row arrays, kept in its buffer after a block's payload. */
export interface DerivedLayout {
  /** i32 per row: index of the row's fresh object (rare rows) or of its f0 value (underlying). */
  readonly ref: number;
  /** i32 per row: the slot id of the row's market or symbol, or -1. */
  readonly slot: number;
  /** i32 per kept row: its row index in the block (when rows were dropped). */
  readonly map: number;
  /** Bytes needed in all: payload and the three arrays. */
  readonly end: number;
}

/**
 * Where a reader lays its per-row arrays for a block of `n` rows whose payload
 * takes `payloadLen` bytes (a multiple of 8). Not part of the file format: it
 * lets the reader's worker thread hand a block and what it derived from it to
 * the main thread as one transferred buffer.
 */
export function derivedLayout(n: number, payloadLen: number): DerivedLayout {
  const w4 = pad8(4 * n);
  const ref = payloadLen;
  const slot = ref + w4;
  const map = slot + w4;
  return { ref, slot, map, end: map + w4 };
}

/** FNV-1a offset basis. */
export const CHECKSUM_SEED = 0x811c9dc5 | 0;

/**
 * Word-wise FNV-1a: for each little-endian u32 word w, `h = (h ^ w) * 16777619`
 * (mod 2^32). Every step is a bijection of h, so changing any single word
 * always changes the result.
 */
export function checksumWords(words: Int32Array, start: number, end: number, h: number): number {
  for (let i = start; i < end; i++) h = Math.imul(h ^ words[i], 0x01000193);
  // Unsigned, without `h >>> 0`: V8 speculated that shift's result to be a
  // small integer, and a hash >= 2^31 deoptimized the function (tens of times
  // per 10M-event file in the reader thread).
  return h < 0 ? h + 4294967296 : h;
}

/** Whether this platform stores typed arrays little-endian (the file's byte order). */
export const LITTLE_ENDIAN: boolean = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** The schema JSON written into a file header. */
export interface ColumnarSchema {
  readonly format: "kxc";
  readonly version: number;
  readonly blockSize: number;
  readonly byteOrder: "little";
  readonly columns: readonly { readonly name: string; readonly type: string }[];
  readonly kinds: readonly string[];
  readonly statuses: readonly string[];
  readonly dictionaries: { readonly market: readonly string[]; readonly symbol: readonly string[] };
}

/** The schema of a new file. */
export function newSchema(blockSize: number): ColumnarSchema {
  return {
    format: "kxc",
    version: FORMAT_VERSION,
    blockSize,
    byteOrder: "little",
    columns: COLUMNS,
    kinds: EVENT_KINDS,
    statuses: STATUSES,
    dictionaries: { market: [], symbol: [] },
  };
}
