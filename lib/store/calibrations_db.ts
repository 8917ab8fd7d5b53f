/**
 * The calibrations table of the results database: an I/O adapter over
 * `node:sqlite` that stores each fitted parameter set with its data window, fit
 * statistics, the method and data files, and the wall-clock time of the
 * calibration. It lives in the same SQLite file as the runs (results_db.ts) but
 * owns only its own table, created if missing, so either module can open the
 * file first.
 *
 * Units (DESIGN.md §2): times are integer milliseconds since the Unix epoch
 * (UTC); log losses are REAL nats. Parameters are stored as canonical JSON (keys
 * sorted) in which the non-finite numbers JSON cannot hold (a normal's df =
 * Infinity) are written as the strings "Infinity", "-Infinity" and "NaN", and
 * read back as numbers ({@link paramsToJson}, {@link paramsFromJson}). A log loss
 * of NaN (no out-of-sample target) is stored as NULL and read back as NaN.
 *
 * @example
 * ```ts
 * import { CalibrationsDb } from "./calibrations_db.ts";
 * const db = CalibrationsDb.open(":memory:");
 * const id = db.insert({
 *   family: "cpi", params: { scale: 0.17, df: Infinity }, windowFrom: 0, windowTo: 1000,
 *   untilTs: null, n: 548, inSampleN: 536, inSampleLogLoss: 1.97, oosN: 110, oosFrom: 800,
 *   oosLogLoss: 2.04, uniformLogLoss: 2.08, method: "walk-forward", dataFiles: ["CPIAUCSL.csv"],
 *   calibratedAt: Date.UTC(2026, 0, 1),
 * });
 * db.latest("cpi")?.params; // { df: Infinity, scale: 0.17 }
 * db.close();
 * ```
 *
 * @module
 */

import { DatabaseSync, type StatementSync } from "node:sqlite";

/** One calibration, as stored. */
export interface CalibrationRecord {
  readonly family: string;
  /** Fitted parameters (plain data). */
  readonly params: unknown;
  /** ts of the first observation of the fit window (ms). */
  readonly windowFrom: number;
  /** Exclusive end of the fit window (ms). */
  readonly windowTo: number;
  /** The --until cutoff asked for (ms), or null for all data. */
  readonly untilTs: number | null;
  /** Observations in the fit window. */
  readonly n: number;
  /** Targets scored in sample. */
  readonly inSampleN: number;
  /** Mean in-sample log loss (nats). */
  readonly inSampleLogLoss: number;
  /** Targets scored out of sample. */
  readonly oosN: number;
  /** Start of the out-of-sample span (ms). */
  readonly oosFrom: number;
  /** Mean out-of-sample log loss (nats; NaN when oosN = 0). */
  readonly oosLogLoss: number;
  /** Mean log loss of a uniform PMF over the out-of-sample ladders (NaN when oosN = 0). */
  readonly uniformLogLoss: number;
  /** How the fit and scores were made. */
  readonly method: string;
  /** Data files read (relative to the data folder). */
  readonly dataFiles: readonly string[];
  /** Wall-clock time of the calibration run (ms). */
  readonly calibratedAt: number;
}

/** A stored calibration with its row id and the parameters' JSON text. */
export interface StoredCalibration extends CalibrationRecord {
  readonly id: number;
  readonly paramsJson: string;
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS calibrations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  family TEXT NOT NULL CHECK (length(family) > 0),
  params TEXT NOT NULL,
  window_from INTEGER NOT NULL,
  window_to INTEGER NOT NULL,
  until_ts INTEGER,
  n INTEGER NOT NULL CHECK (n >= 0),
  in_sample_n INTEGER NOT NULL CHECK (in_sample_n >= 0),
  in_sample_log_loss REAL,
  oos_n INTEGER NOT NULL CHECK (oos_n >= 0),
  oos_from INTEGER NOT NULL,
  oos_log_loss REAL,
  uniform_log_loss REAL,
  method TEXT NOT NULL,
  data_files TEXT NOT NULL,
  calibrated_at INTEGER NOT NULL,
  CHECK (window_from < window_to)
) STRICT;
CREATE INDEX IF NOT EXISTS calibrations_family ON calibrations(family, calibrated_at, id);
`;

type Row = Record<string, unknown>;

function shown(v: unknown): string {
  if (typeof v === "number") return String(v);
  try {
    return JSON.stringify(v) ?? String(v);
  } catch {
    return String(v);
  }
}

function fail(action: string, detail: string, value: unknown): never {
  throw new Error(`Cannot ${action}: ${detail}, current value is ${shown(value)}`);
}

/**
 * Canonical JSON of parameters: object keys sorted, non-finite numbers as the
 * strings "Infinity", "-Infinity", "NaN".
 *
 * @throws {Error} on a value JSON cannot hold (a function, a bigint, a cycle).
 */
export function paramsToJson(params: unknown): string {
  const seen = new Set<object>();
  const walk = (v: unknown): unknown => {
    if (typeof v === "number") return Number.isFinite(v) ? v : String(v);
    if (typeof v === "bigint" || typeof v === "function" || typeof v === "symbol") {
      fail("store parameters", `a ${typeof v} cannot be stored`, String(v));
    }
    if (v === null || typeof v !== "object") return v;
    if (seen.has(v)) fail("store parameters", "they contain a cycle", "[cycle]");
    seen.add(v);
    let out: unknown;
    if (Array.isArray(v) || ArrayBuffer.isView(v)) {
      out = Array.from(v as ArrayLike<unknown>, walk);
    } else {
      const o = v as Record<string, unknown>;
      const r: Record<string, unknown> = {};
      for (const k of Object.keys(o).sort()) if (o[k] !== undefined) r[k] = walk(o[k]);
      out = r;
    }
    seen.delete(v);
    return out;
  };
  return JSON.stringify(walk(params)) ?? "null";
}

/** Parameters from {@link paramsToJson} text (the strings "Infinity", "-Infinity", "NaN" become numbers). */
export function paramsFromJson(text: string): unknown {
  return JSON.parse(text, (_k, v) => {
    if (v === "Infinity") return Infinity;
    if (v === "-Infinity") return -Infinity;
    if (v === "NaN") return NaN;
    return v;
  });
}

function checkInt(action: string, field: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v)) {
    fail(action, `field "${field}" must be a safe integer`, v);
  }
  return v;
}

function checkCount(action: string, field: string, v: unknown): number {
  const n = checkInt(action, field, v);
  if (n < 0) fail(action, `field "${field}" must be >= 0`, v);
  return n;
}

/** A log loss: a number >= 0, NaN (stored as NULL) allowed. */
function checkLoss(action: string, field: string, v: unknown): number | null {
  if (typeof v !== "number") fail(action, `field "${field}" must be a number`, v);
  if (Number.isNaN(v)) return null;
  if (!(v >= 0) || !Number.isFinite(v)) {
    fail(action, `field "${field}" must be a finite log loss >= 0 or NaN`, v);
  }
  return v;
}

function checkString(action: string, field: string, v: unknown): string {
  if (typeof v !== "string") fail(action, `field "${field}" must be a string`, v);
  return v;
}

/** The calibrations table. Open with {@link CalibrationsDb.open}; close when done. */
export class CalibrationsDb {
  readonly #db: DatabaseSync;
  readonly #stmts = new Map<string, StatementSync>();

  private constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /**
   * Opens (or creates) the database at `path` (`:memory:` for a private one) and
   * creates the calibrations table if missing. The parent folder must exist.
   * Other tables in the file (the runs of results_db.ts) are left alone.
   */
  static open(path: string): CalibrationsDb {
    const db = new DatabaseSync(path);
    try {
      if (path !== ":memory:") db.exec("PRAGMA journal_mode = WAL");
      db.exec("PRAGMA busy_timeout = 5000");
      db.exec(SCHEMA);
    } catch (e) {
      db.close();
      throw e;
    }
    return new CalibrationsDb(db);
  }

  #stmt(sql: string): StatementSync {
    let s = this.#stmts.get(sql);
    if (s === undefined) {
      s = this.#db.prepare(sql);
      this.#stmts.set(sql, s);
    }
    return s;
  }

  /** Stores one calibration and returns its row id. */
  insert(r: CalibrationRecord): number {
    const action = `store the calibration of ${shown(r.family)}`;
    const family = checkString(action, "family", r.family);
    if (family.length === 0) fail(action, `field "family" must not be empty`, family);
    const windowFrom = checkInt(action, "windowFrom", r.windowFrom);
    const windowTo = checkInt(action, "windowTo", r.windowTo);
    if (!(windowFrom < windowTo)) {
      fail(action, `field "windowTo" must be after windowFrom (${windowFrom})`, windowTo);
    }
    if (r.untilTs !== null) checkInt(action, "untilTs", r.untilTs);
    if (
      !Array.isArray(r.dataFiles) || !r.dataFiles.every((f: unknown) => typeof f === "string")
    ) {
      fail(action, `field "dataFiles" must be an array of strings`, r.dataFiles);
    }
    const res = this.#stmt(
      `INSERT INTO calibrations (family, params, window_from, window_to, until_ts, n, in_sample_n,
         in_sample_log_loss, oos_n, oos_from, oos_log_loss, uniform_log_loss, method, data_files,
         calibrated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(
      family,
      paramsToJson(r.params),
      windowFrom,
      windowTo,
      r.untilTs,
      checkCount(action, "n", r.n),
      checkCount(action, "inSampleN", r.inSampleN),
      checkLoss(action, "inSampleLogLoss", r.inSampleLogLoss),
      checkCount(action, "oosN", r.oosN),
      checkInt(action, "oosFrom", r.oosFrom),
      checkLoss(action, "oosLogLoss", r.oosLogLoss),
      checkLoss(action, "uniformLogLoss", r.uniformLogLoss),
      checkString(action, "method", r.method),
      JSON.stringify(r.dataFiles),
      checkInt(action, "calibratedAt", r.calibratedAt),
    );
    return Number(res.lastInsertRowid);
  }

  /** All calibrations (of one family when given), oldest first (by calibratedAt, then id). */
  all(family?: string): StoredCalibration[] {
    const rows = family === undefined
      ? this.#stmt("SELECT * FROM calibrations ORDER BY calibrated_at, id").all() as Row[]
      : this.#stmt(
        "SELECT * FROM calibrations WHERE family = ? ORDER BY calibrated_at, id",
      ).all(family) as Row[];
    return rows.map(toStored);
  }

  /** The latest calibration of a family (by calibratedAt, then id), or undefined. */
  latest(family: string): StoredCalibration | undefined {
    const r = this.#stmt(
      "SELECT * FROM calibrations WHERE family = ? ORDER BY calibrated_at DESC, id DESC LIMIT 1",
    ).get(family) as Row | undefined;
    return r === undefined ? undefined : toStored(r);
  }

  /** Closes the database. */
  close(): void {
    this.#stmts.clear();
    this.#db.close();
  }
}

function loss(v: unknown): number {
  return v === null ? NaN : v as number;
}

function toStored(r: Row): StoredCalibration {
  return {
    id: r.id as number,
    family: r.family as string,
    paramsJson: r.params as string,
    params: paramsFromJson(r.params as string),
    windowFrom: r.window_from as number,
    windowTo: r.window_to as number,
    untilTs: r.until_ts as number | null,
    n: r.n as number,
    inSampleN: r.in_sample_n as number,
    inSampleLogLoss: loss(r.in_sample_log_loss),
    oosN: r.oos_n as number,
    oosFrom: r.oos_from as number,
    oosLogLoss: loss(r.oos_log_loss),
    uniformLogLoss: loss(r.uniform_log_loss),
    method: r.method as string,
    dataFiles: JSON.parse(r.data_files as string) as string[],
    calibratedAt: r.calibrated_at as number,
  };
}
