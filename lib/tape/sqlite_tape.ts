/**
 * The SQLite tape form (docs/COLUMNAR.md §3): one row per event in table
 * `tape_events`, with the same generic slots as the columnar form (see
 * `columnar_format.ts`), so a tape can be queried with SQL and replayed.
 *
 * {@link writeSqliteTape} writes it in batched transactions through one
 * prepared statement; {@link sqliteBlockSource} reads it back by rowid ranges
 * of `blockSize` rows (bounded memory), through the {@link TapeValidator},
 * reusing one event object per hot kind.
 *
 * @module
 */

import { DatabaseSync, type StatementSync } from "node:sqlite";
import type { BlockSource, EventBlock } from "./block.ts";
import {
  auxOf,
  DEFAULT_BLOCK_SIZE,
  eventFromAux,
  FLAG_AUX,
  FLAG_HAS_F0,
  FLAG_NO,
  show,
  statusCode,
  STATUSES,
} from "./columnar_format.ts";
import {
  EVENT_KINDS,
  K_BOOK_DELTA,
  K_LIFECYCLE,
  K_QUOTE,
  K_SETTLEMENT,
  K_TRADE,
  K_UNDERLYING,
  KIND_CODE,
  KIND_COUNT,
  type SettlementEvent,
  type TapeEvent,
} from "./events.ts";
import { TapeError } from "./errors.ts";
import { ReusedEvents } from "./reused_events.ts";
import { TapeValidator } from "./validator.ts";

/** Value of `format` in `tape_meta`. */
export const SQLITE_TAPE_FORMAT = "kx-tape-sqlite";
/** Value of `version` in `tape_meta`. */
export const SQLITE_TAPE_VERSION = 1;

const SCHEMA = `
CREATE TABLE tape_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE tape_kinds (code INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE tape_events (
  row    INTEGER PRIMARY KEY,
  ts     INTEGER NOT NULL,
  kind   INTEGER NOT NULL,
  market TEXT,
  symbol TEXT,
  i0     INTEGER,
  i1     INTEGER,
  i2     INTEGER,
  i3     INTEGER,
  f0     REAL,
  flags  INTEGER NOT NULL,
  aux    TEXT
);
`;

/** Rows per write transaction. */
const BATCH = 8192;

function isInt(v: number): boolean {
  return Number.isSafeInteger(v) && !Object.is(v, -0);
}

function finite(v: number, field: string): number {
  if (!Number.isFinite(v)) {
    throw new RangeError(
      `Cannot write field "${field}": not a finite number, current value is ${v}`,
    );
  }
  return v;
}

/**
 * Writes events to a new SQLite tape at `path` (an existing file there is
 * replaced). Values that do not fit their slot exactly go to `aux`, so every
 * event reads back equal to what was written.
 *
 * @returns How many events were written.
 * @throws {RangeError} When a number is not finite (SQLite would store NULL).
 */
export async function writeSqliteTape(
  path: string,
  events: Iterable<TapeEvent> | AsyncIterable<TapeEvent>,
): Promise<number> {
  for (const suffix of ["", "-journal", "-wal", "-shm"]) {
    try {
      await Deno.remove(path + suffix);
    } catch (e) {
      if (!(e instanceof Deno.errors.NotFound)) throw e;
    }
  }
  const db = new DatabaseSync(path);
  let count = 0;
  let inTx = false;
  try {
    db.exec("PRAGMA journal_mode = MEMORY; PRAGMA synchronous = OFF; PRAGMA page_size = 65536;");
    db.exec(SCHEMA);
    const kinds = db.prepare("INSERT INTO tape_kinds (code, name) VALUES (?, ?)");
    EVENT_KINDS.forEach((k, i) => kinds.run(i, k));
    const ins = db.prepare(
      "INSERT INTO tape_events (row, ts, kind, market, symbol, i0, i1, i2, i3, f0, flags, aux) " +
        "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
    );
    db.exec("BEGIN");
    inTx = true;
    for await (const ev of events) {
      insertEvent(ins, count + 1, ev);
      count++;
      if (count % BATCH === 0) {
        db.exec("COMMIT");
        db.exec("BEGIN");
      }
    }
    const meta = db.prepare("INSERT INTO tape_meta (key, value) VALUES (?, ?)");
    meta.run("format", SQLITE_TAPE_FORMAT);
    meta.run("version", String(SQLITE_TAPE_VERSION));
    meta.run("events", String(count));
    meta.run("statuses", JSON.stringify(STATUSES));
    db.exec("COMMIT");
    inTx = false;
  } catch (e) {
    if (inTx) {
      try {
        db.exec("ROLLBACK");
      } catch {
        // nothing to roll back
      }
    }
    throw e;
  } finally {
    db.close();
  }
  return count;
}

/** Inserts one event as row `row`. */
function insertEvent(ins: StatementSync, row: number, ev: TapeEvent): void {
  const ts = finite(ev.ts, "ts");
  const code = KIND_CODE[ev.kind];
  let market: string | null = null;
  let symbol: string | null = null;
  let i0: number | null = null, i1: number | null = null;
  let i2: number | null = null, i3: number | null = null;
  let f0: number | null = null;
  let flags = FLAG_AUX;
  switch (ev.kind) {
    case "book_delta":
      if (
        isInt(ev.price) && isInt(ev.delta) && isInt(ev.seq) &&
        (ev.side === "yes" || ev.side === "no")
      ) {
        market = ev.market;
        i0 = ev.price;
        i1 = ev.delta;
        i2 = ev.seq;
        flags = ev.side === "no" ? FLAG_NO : 0;
      }
      break;
    case "quote":
      if (isInt(ev.yesBid) && isInt(ev.yesAsk) && isInt(ev.yesBidSize) && isInt(ev.yesAskSize)) {
        market = ev.market;
        i0 = ev.yesBid;
        i1 = ev.yesAsk;
        i2 = ev.yesBidSize;
        i3 = ev.yesAskSize;
        flags = 0;
      }
      break;
    case "trade":
      if (isInt(ev.price) && isInt(ev.count) && (ev.takerSide === "yes" || ev.takerSide === "no")) {
        market = ev.market;
        i0 = ev.price;
        i1 = ev.count;
        flags = ev.takerSide === "no" ? FLAG_NO : 0;
      }
      break;
    case "underlying":
      symbol = ev.symbol;
      f0 = finite(ev.value, "value");
      flags = FLAG_HAS_F0;
      break;
    case "lifecycle": {
      const s = statusCode(ev.status);
      if (s >= 0) {
        market = ev.market;
        i0 = s;
        flags = 0;
      }
      break;
    }
    case "settlement":
      if (ev.result === "yes" || ev.result === "no") {
        market = ev.market;
        flags = ev.result === "no" ? FLAG_NO : 0;
        if (ev.expirationValue !== undefined) {
          f0 = finite(ev.expirationValue, "expiration_value");
          flags |= FLAG_HAS_F0;
        }
      }
      break;
    default:
      break;
  }
  const aux = flags === FLAG_AUX ? JSON.stringify(auxOf(ev)) : null;
  ins.run(row, ts, code, market, symbol, i0, i1, i2, i3, f0, flags, aux);
}

/** Options of {@link sqliteBlockSource}. */
export interface SqliteReadOptions {
  /** Throw on the first invalid event (default true); false counts anomalies and drops events. */
  readonly strict?: boolean;
  /** Name shown in errors (default: the path). */
  readonly name?: string;
  /** Rows per block (default 65,536). */
  readonly blockSize?: number;
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** A row as returned with `setReturnArrays(true)`, in SELECT order. */
type Row = unknown[];
const C_ROW = 0, C_TS = 1, C_KIND = 2, C_MARKET = 3, C_SYMBOL = 4;
const C_I0 = 5, C_I1 = 6, C_I2 = 7, C_I3 = 8, C_F0 = 9, C_FLAGS = 10, C_AUX = 11;

const RARE = -1;

class SqliteBlock extends ReusedEvents implements EventBlock {
  length = 0;
  rows: Row[] = [];
  /** Kept row indexes. */
  map = new Int32Array(0);
  /** Kind code per kept row (RARE for fresh objects). */
  codes = new Int8Array(0);
  /** Index into rare per kept row. */
  ref = new Int32Array(0);
  rare: TapeEvent[] = [];

  /** Fills the reused object of row index j, or returns its fresh object. */
  decode(j: number, code: number): TapeEvent {
    const r = this.rows[j];
    switch (code) {
      case K_QUOTE:
        return this.fillQuote(
          r[C_TS] as number,
          r[C_MARKET] as string,
          r[C_I0] as number,
          r[C_I1] as number,
          r[C_I2] as number,
          r[C_I3] as number,
        );
      case K_BOOK_DELTA:
        return this.fillDelta(
          r[C_TS] as number,
          r[C_MARKET] as string,
          r[C_I2] as number,
          r[C_FLAGS] as number,
          r[C_I0] as number,
          r[C_I1] as number,
        );
      case K_TRADE:
        return this.fillTrade(
          r[C_TS] as number,
          r[C_MARKET] as string,
          r[C_I0] as number,
          r[C_I1] as number,
          r[C_FLAGS] as number,
        );
      case K_UNDERLYING:
        return this.fillUnderlying(r[C_TS] as number, r[C_SYMBOL] as string, r[C_F0] as number);
      case K_LIFECYCLE:
        return this.fillLifecycle(r[C_TS] as number, r[C_MARKET] as string, r[C_I0] as number);
      default:
        return this.rare[this.ref[j]];
    }
  }

  event(i: number): TapeEvent {
    const j = this.map[i];
    return this.decode(j, this.codes[j]);
  }

  ts(i: number): number {
    return this.rows[this.map[i]][C_TS] as number;
  }

  /** The row's kind code, or -1 (RARE) for a row whose event came from its aux object. */
  kind(i: number): number {
    return this.codes[this.map[i]];
  }

  line(i: number): number {
    return this.rows[this.map[i]][C_ROW] as number;
  }
}

class SqliteBlockSource implements BlockSource {
  readonly name: string;
  readonly path: string;
  readonly blockSize: number;
  readonly #validator: TapeValidator;
  readonly #block = new SqliteBlock();
  #db: DatabaseSync | null = null;
  #select: StatementSync | null = null;
  #lastRow = 0;
  #done = false;
  #pendingError: unknown = null;

  constructor(path: string, options: SqliteReadOptions) {
    this.path = path;
    this.name = options.name ?? path;
    this.blockSize = options.blockSize ?? DEFAULT_BLOCK_SIZE;
    this.#validator = new TapeValidator(this.name, { strict: options.strict ?? true });
  }

  anomalyCount(): number {
    return this.#validator.anomalyCount;
  }

  /** The validator (its anomalies list, in lenient mode). */
  get validator(): TapeValidator {
    return this.#validator;
  }

  close(): void {
    this.#done = true;
    this.#select = null;
    if (this.#db !== null) {
      this.#db.close();
      this.#db = null;
    }
  }

  #open(): void {
    const err = (detail: string) => new TapeError({ file: this.name, line: 0 }, "(header)", detail);
    try {
      Deno.statSync(this.path);
    } catch (e) {
      if (e instanceof Deno.errors.NotFound) throw err("Cannot open SQLite tape: file not found");
      throw e;
    }
    let db: DatabaseSync;
    try {
      db = new DatabaseSync(this.path, { readOnly: true });
    } catch (e) {
      throw err(`Cannot open SQLite tape: ${(e as Error).message}`);
    }
    this.#db = db;
    let meta: Map<string, string>;
    try {
      const rows = db.prepare("SELECT key, value FROM tape_meta").all() as {
        key: string;
        value: string;
      }[];
      meta = new Map(rows.map((r) => [r.key, r.value]));
      const st = db.prepare(
        "SELECT row, ts, kind, market, symbol, i0, i1, i2, i3, f0, flags, aux FROM tape_events " +
          "WHERE row > ? ORDER BY row LIMIT ?",
      );
      (st as StatementSync & { setReturnArrays(on: boolean): void }).setReturnArrays(true);
      this.#select = st;
    } catch (e) {
      this.close();
      throw err(`Cannot read SQLite tape: not a tape database (${(e as Error).message})`);
    }
    if (meta.get("format") !== SQLITE_TAPE_FORMAT) {
      this.close();
      throw err(
        `Cannot read SQLite tape: tape_meta format is not ${SQLITE_TAPE_FORMAT}, current value is ${
          show(meta.get("format"))
        }`,
      );
    }
    if (meta.get("version") !== String(SQLITE_TAPE_VERSION)) {
      this.close();
      throw err(
        `Cannot read SQLite tape: unsupported version (this reader reads ${SQLITE_TAPE_VERSION}), current value is ${
          show(meta.get("version"))
        }`,
      );
    }
  }

  nextBlock(): Promise<EventBlock | null> {
    try {
      return Promise.resolve(this.#next());
    } catch (e) {
      return Promise.reject(e);
    }
  }

  #next(): EventBlock | null {
    const b = this.#block;
    for (;;) {
      if (this.#pendingError !== null) {
        const e = this.#pendingError;
        this.#pendingError = null;
        this.close();
        throw e;
      }
      if (this.#done) return null;
      if (this.#db === null) this.#open();
      const rows = this.#select!.all(this.#lastRow, this.blockSize) as unknown as Row[];
      if (rows.length === 0) {
        this.close();
        return null;
      }
      this.#lastRow = rows[rows.length - 1][C_ROW] as number;
      const n = rows.length;
      b.rows = rows;
      if (b.map.length < n) {
        b.map = new Int32Array(n);
        b.codes = new Int8Array(n);
        b.ref = new Int32Array(n);
      }
      b.rare.length = 0;
      const kept = this.#validate(b, rows);
      b.length = kept;
      if (kept > 0) return b;
    }
  }

  /** Type-checks each row, builds rare events, validates; errors deferred as in the columnar reader. */
  #validate(b: SqliteBlock, rows: Row[]): number {
    const v = this.#validator;
    const name = this.name;
    const codes = b.codes;
    let kept = 0;
    const fail = (row: number, field: string, detail: string): never => {
      throw new TapeError({ file: name, line: row }, field, detail);
    };
    try {
      for (let j = 0; j < rows.length; j++) {
        const r = rows[j];
        const row = r[C_ROW] as number;
        const k = r[C_KIND];
        const fl = r[C_FLAGS];
        const ts = r[C_TS];
        if (typeof ts !== "number") {
          fail(row, "ts", `Cannot read row: ts not a number, current value is ${show(ts)}`);
        }
        if (typeof k !== "number" || !Number.isInteger(k) || k < 0 || k >= KIND_COUNT) {
          fail(row, "kind", `Cannot read row: unknown kind code, current value is ${show(k)}`);
        }
        if (typeof fl !== "number" || !Number.isInteger(fl)) {
          fail(row, "flags", `Cannot read row: flags not an integer, current value is ${show(fl)}`);
        }
        const kind = k as number;
        const flags = fl as number;
        let ev: TapeEvent;
        if (flags === FLAG_AUX) {
          const text = r[C_AUX];
          if (typeof text !== "string") {
            fail(row, "aux", `Cannot read row: aux not text, current value is ${show(text)}`);
          }
          let aux: unknown;
          try {
            aux = JSON.parse(text as string);
          } catch (e) {
            fail(row, "aux", `Cannot read row: aux is not JSON (${(e as Error).message})`);
          }
          ev = eventFromAux(kind, ts as number, aux, name, row);
          codes[j] = RARE;
          b.ref[j] = b.rare.length;
          b.rare.push(ev);
        } else {
          if (kind < K_BOOK_DELTA) {
            fail(
              row,
              "flags",
              `Cannot read ${
                EVENT_KINDS[kind]
              } row: needs flags ${FLAG_AUX} (aux), current value is ${flags}`,
            );
          }
          const allowed = kind === K_UNDERLYING
            ? flags === FLAG_HAS_F0
            : kind === K_SETTLEMENT
            ? (flags & ~(FLAG_NO | FLAG_HAS_F0)) === 0
            : kind === K_BOOK_DELTA || kind === K_TRADE
            ? (flags & ~FLAG_NO) === 0
            : flags === 0;
          if (!allowed) {
            fail(
              row,
              "flags",
              `Cannot read ${EVENT_KINDS[kind]} row: flags not allowed, current value is ${flags}`,
            );
          }
          if (kind === K_UNDERLYING) {
            if (typeof r[C_SYMBOL] !== "string") this.#badType(row, "symbol", r[C_SYMBOL], "text");
            if (typeof r[C_F0] !== "number") this.#badType(row, "f0", r[C_F0], "a number");
          } else {
            if (typeof r[C_MARKET] !== "string") this.#badType(row, "market", r[C_MARKET], "text");
            const nInts = kind === K_QUOTE
              ? 4
              : kind === K_BOOK_DELTA
              ? 3
              : kind === K_TRADE
              ? 2
              : kind === K_LIFECYCLE
              ? 1
              : 0;
            for (let c = 0; c < nInts; c++) {
              const x = r[C_I0 + c];
              if (typeof x !== "number" || !Number.isSafeInteger(x)) {
                this.#badType(row, `i${c}`, x, "an integer");
              }
            }
          }
          if (kind === K_LIFECYCLE) {
            const s = r[C_I0] as number;
            if (s < 0 || s >= STATUSES.length) {
              fail(row, "status", `Cannot read row: unknown status code, current value is ${s}`);
            }
            codes[j] = kind;
            ev = b.decode(j, kind);
          } else if (kind === K_SETTLEMENT) {
            const s: Mutable<SettlementEvent> = {
              kind: "settlement",
              ts: ts as number,
              market: r[C_MARKET] as string,
              result: (flags & FLAG_NO) === 0 ? "yes" : "no",
            };
            if ((flags & FLAG_HAS_F0) !== 0) {
              if (typeof r[C_F0] !== "number") this.#badType(row, "f0", r[C_F0], "a number");
              s.expirationValue = r[C_F0] as number;
            }
            ev = s;
            codes[j] = RARE;
            b.ref[j] = b.rare.length;
            b.rare.push(ev);
          } else {
            codes[j] = kind;
            ev = b.decode(j, kind);
          }
        }
        if (v.check(ev, row)) b.map[kept++] = j;
      }
    } catch (e) {
      if (!(e instanceof TapeError)) throw e;
      this.#pendingError = e;
    }
    return kept;
  }

  #badType(row: number, field: string, v: unknown, what: string): never {
    throw new TapeError(
      { file: this.name, line: row },
      field,
      `Cannot read row: not ${what}, current value is ${show(v)}`,
    );
  }
}

/**
 * A validating block source over a SQLite tape, reading `blockSize` rows at a time.
 *
 * @param path The database file.
 * @param options Strict (default) or lenient, the name shown in errors, rows per block.
 */
export function sqliteBlockSource(
  path: string,
  options: SqliteReadOptions = {},
): BlockSource & { readonly validator: TapeValidator } {
  return new SqliteBlockSource(path, options);
}
