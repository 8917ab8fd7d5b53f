/**
 * The results database: an I/O adapter over `node:sqlite` (built into Deno; see
 * DESIGN.md §6) that stores runs (strategy, config, seed, code version, tapes,
 * status, digest) and what each run produced: forecasts, orders, fills,
 * settlements and metrics.
 *
 * Units (DESIGN.md §2): prices and money are integer ticks of $0.0001, counts are
 * integer centi-contracts, times are integer milliseconds since the Unix epoch
 * (UTC). These are stored as `INTEGER` in `STRICT` tables, probabilities and
 * metric values as `REAL`. Rows come back in the order they were inserted, so a
 * digest computed from rows read back equals the digest of the rows as produced.
 *
 * A metric value of `NaN` is stored as `NULL` and read back as `NaN` (SQLite has
 * no NaN).
 *
 * @example
 * ```ts
 * import { ResultsDb } from "./results_db.ts";
 * const db = ResultsDb.open(":memory:");
 * const id = db.beginRun({
 *   strategy: "demo", config: { k: 1 }, seed: 7, codeVersion: "abc123",
 *   tapes: ["fixtures/a.ndjson"], startedAt: new Date(0).toISOString(),
 * });
 * db.insertMetrics(id, [{ name: "brier", value: 0.21 }]);
 * db.completeRun(id, "0".repeat(64), new Date(1000).toISOString());
 * console.log(db.run(id)?.status); // "complete"
 * db.close();
 * ```
 *
 * @module
 */

import { DatabaseSync, type StatementSync } from "node:sqlite";

/** What identifies a run; stored when it begins. */
export interface RunInfo {
  readonly strategy: string;
  /** Strategy configuration; stored as canonical JSON (object keys sorted). */
  readonly config: unknown;
  readonly seed: number;
  readonly codeVersion: string;
  readonly tapes: readonly string[];
  /** ISO timestamp; informational, never part of the digest. */
  readonly startedAt: string;
}

/** One forecast of one market at a decision time. */
export interface ForecastRow {
  readonly ts: number;
  readonly event: string;
  readonly market: string;
  /** Model probability of YES. */
  readonly pModel: number;
  /** Market-implied probability of YES (de-vigged mid), or null when there was no book. */
  readonly pMarket: number | null;
  /** 1 if the market settled YES, 0 if NO, null if unknown. */
  readonly outcome: 0 | 1 | null;
}

/** One order as the run left it. */
export interface OrderRow {
  readonly id: number;
  readonly ts: number;
  readonly market: string;
  readonly side: "yes" | "no";
  /** Limit price in ticks. */
  readonly limitPrice: number;
  /** Ordered quantity in centi-contracts. */
  readonly count: number;
  /** Filled quantity in centi-contracts. */
  readonly filled: number;
  readonly status: string;
  readonly reason: string;
}

/** One fill. */
export interface FillRow {
  readonly orderId: number;
  readonly ts: number;
  readonly market: string;
  readonly side: "yes" | "no";
  /** Price in ticks. */
  readonly price: number;
  /** Quantity in centi-contracts. */
  readonly count: number;
  /** Fee in ticks. */
  readonly feeTicks: number;
  readonly role: "taker" | "maker";
}

/** One position resolved at settlement. */
export interface SettlementRow {
  readonly ts: number;
  readonly market: string;
  readonly result: "yes" | "no";
  /** Position in centi-contracts (positive: long YES). */
  readonly position: number;
  readonly payoutTicks: number;
  readonly pnlTicks: number;
}

/** One named scalar result of a run. */
export interface MetricRow {
  readonly name: string;
  readonly value: number;
}

/** A run as stored. */
export interface RunRow {
  id: number;
  strategy: string;
  /** Canonical JSON of the configuration. */
  config: string;
  seed: number;
  codeVersion: string;
  /** JSON array of tape names. */
  tapes: string;
  status: "running" | "complete" | "failed";
  digest: string | null;
  error: string | null;
  startedAt: string;
  finishedAt: string | null;
}

/** Schema version this module writes and reads. */
export const SCHEMA_VERSION = 1;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS schema_version (
  version INTEGER NOT NULL
) STRICT;
CREATE TABLE IF NOT EXISTS runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  strategy TEXT NOT NULL,
  config TEXT NOT NULL,
  seed INTEGER NOT NULL,
  code_version TEXT NOT NULL,
  tapes TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('running', 'complete', 'failed')),
  digest TEXT,
  error TEXT,
  started_at TEXT NOT NULL,
  finished_at TEXT
) STRICT;
CREATE TABLE IF NOT EXISTS forecasts (
  row_id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  ts INTEGER NOT NULL,
  event TEXT NOT NULL,
  market TEXT NOT NULL,
  p_model REAL NOT NULL,
  p_market REAL,
  outcome INTEGER CHECK (outcome IN (0, 1))
) STRICT;
CREATE INDEX IF NOT EXISTS forecasts_run ON forecasts(run_id, row_id);
CREATE TABLE IF NOT EXISTS orders (
  row_id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  order_id INTEGER NOT NULL,
  ts INTEGER NOT NULL,
  market TEXT NOT NULL,
  side TEXT NOT NULL CHECK (side IN ('yes', 'no')),
  limit_price INTEGER NOT NULL,
  count INTEGER NOT NULL,
  filled INTEGER NOT NULL,
  status TEXT NOT NULL,
  reason TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS orders_run ON orders(run_id, row_id);
CREATE TABLE IF NOT EXISTS fills (
  row_id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  order_id INTEGER NOT NULL,
  ts INTEGER NOT NULL,
  market TEXT NOT NULL,
  side TEXT NOT NULL CHECK (side IN ('yes', 'no')),
  price INTEGER NOT NULL,
  count INTEGER NOT NULL,
  fee_ticks INTEGER NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('taker', 'maker'))
) STRICT;
CREATE INDEX IF NOT EXISTS fills_run ON fills(run_id, row_id);
CREATE TABLE IF NOT EXISTS settlements (
  row_id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  ts INTEGER NOT NULL,
  market TEXT NOT NULL,
  result TEXT NOT NULL CHECK (result IN ('yes', 'no')),
  position INTEGER NOT NULL,
  payout_ticks INTEGER NOT NULL,
  pnl_ticks INTEGER NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS settlements_run ON settlements(run_id, row_id);
CREATE TABLE IF NOT EXISTS records (
  row_id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  body TEXT NOT NULL
) STRICT;
CREATE INDEX IF NOT EXISTS records_run ON records(run_id, kind, row_id);
CREATE TABLE IF NOT EXISTS metrics (
  row_id INTEGER PRIMARY KEY,
  run_id INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
  name TEXT NOT NULL,
  value REAL,
  UNIQUE (run_id, name)
) STRICT;
`;

type Row = Record<string, unknown>;

/** JSON with object keys sorted recursively, so equal configs store equal text. */
function canonicalJson(value: unknown): string {
  const sort = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(sort);
    if (v !== null && typeof v === "object") {
      const o = v as Record<string, unknown>;
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(o).sort()) out[k] = sort(o[k]);
      return out;
    }
    return v;
  };
  return JSON.stringify(sort(value)) ?? "null";
}

function fail(action: string, detail: string, value: unknown): never {
  let shown: string;
  try {
    shown = typeof value === "number" ? String(value) : JSON.stringify(value) ?? String(value);
  } catch {
    shown = String(value);
  }
  throw new Error(`Cannot ${action}: ${detail}, current value is ${shown}`);
}

function checkInt(action: string, row: number, field: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isSafeInteger(v)) {
    fail(action, `field "${field}" of row ${row} must be a safe integer`, v);
  }
  return v;
}

function checkString(action: string, row: number, field: string, v: unknown): string {
  if (typeof v !== "string") fail(action, `field "${field}" of row ${row} must be a string`, v);
  return v;
}

function checkEnum<T extends string>(
  action: string,
  row: number,
  field: string,
  v: unknown,
  allowed: readonly T[],
): T {
  if (typeof v !== "string" || !(allowed as readonly string[]).includes(v)) {
    fail(action, `field "${field}" of row ${row} must be one of ${allowed.join(", ")}`, v);
  }
  return v as T;
}

function checkProbability(
  action: string,
  row: number,
  field: string,
  v: unknown,
): number {
  if (typeof v !== "number" || !(v >= 0 && v <= 1)) {
    fail(action, `field "${field}" of row ${row} must be a probability in [0, 1]`, v);
  }
  return v;
}

const SIDES = ["yes", "no"] as const;
const ROLES = ["taker", "maker"] as const;

/** The results database. Open with {@link ResultsDb.open}; close when done. */
export class ResultsDb {
  readonly #db: DatabaseSync;
  readonly #stmts = new Map<string, StatementSync>();

  private constructor(db: DatabaseSync) {
    this.#db = db;
  }

  /**
   * Opens (or creates) the database at `path` (`:memory:` for a private in-memory
   * one). The parent folder must exist. Creates the schema if missing, turns on
   * WAL journaling and foreign keys. Opening an existing database is idempotent;
   * a database written by another schema version is refused.
   */
  static open(path: string): ResultsDb {
    const db = new DatabaseSync(path);
    try {
      db.exec("PRAGMA journal_mode = WAL");
      db.exec("PRAGMA foreign_keys = ON");
      db.exec("PRAGMA busy_timeout = 5000");
      db.exec("BEGIN IMMEDIATE");
      try {
        db.exec(SCHEMA);
        const versions = db.prepare("SELECT version FROM schema_version").all() as Row[];
        if (versions.length === 0) {
          db.prepare("INSERT INTO schema_version (version) VALUES (?)").run(SCHEMA_VERSION);
        } else if (versions.length !== 1 || versions[0].version !== SCHEMA_VERSION) {
          fail(
            `open results database ${path}`,
            `schema version must be ${SCHEMA_VERSION}`,
            versions.map((v) => v.version),
          );
        }
        db.exec("COMMIT");
      } catch (e) {
        db.exec("ROLLBACK");
        throw e;
      }
    } catch (e) {
      db.close();
      throw e;
    }
    return new ResultsDb(db);
  }

  #stmt(sql: string): StatementSync {
    let s = this.#stmts.get(sql);
    if (s === undefined) {
      s = this.#db.prepare(sql);
      this.#stmts.set(sql, s);
    }
    return s;
  }

  #transaction(body: () => void): void {
    this.#db.exec("BEGIN IMMEDIATE");
    try {
      body();
      this.#db.exec("COMMIT");
    } catch (e) {
      this.#db.exec("ROLLBACK");
      throw e;
    }
  }

  #requireRunning(action: string, runId: number): void {
    const row = this.#stmt("SELECT status FROM runs WHERE id = ?").get(runId) as Row | undefined;
    if (row === undefined) fail(action, `run ${runId} does not exist`, runId);
    if (row.status !== "running") {
      fail(action, `run ${runId} is not running`, row.status);
    }
  }

  /** Records the start of a run (status `running`) and returns its id. */
  beginRun(info: RunInfo): number {
    const action = "begin run";
    checkString(action, 0, "strategy", info.strategy);
    checkInt(action, 0, "seed", info.seed);
    checkString(action, 0, "codeVersion", info.codeVersion);
    checkString(action, 0, "startedAt", info.startedAt);
    if (!Array.isArray(info.tapes) || !info.tapes.every((t) => typeof t === "string")) {
      fail(action, `field "tapes" must be an array of strings`, info.tapes);
    }
    const r = this.#stmt(
      `INSERT INTO runs (strategy, config, seed, code_version, tapes, status, started_at)
       VALUES (?, ?, ?, ?, ?, 'running', ?)`,
    ).run(
      info.strategy,
      canonicalJson(info.config),
      info.seed,
      info.codeVersion,
      JSON.stringify(info.tapes),
      info.startedAt,
    );
    return Number(r.lastInsertRowid);
  }

  /** Appends forecasts to a running run, in one transaction. */
  insertForecasts(runId: number, rows: readonly ForecastRow[]): void {
    const action = `insert forecasts of run ${runId}`;
    this.#transaction(() => {
      this.#requireRunning(action, runId);
      const s = this.#stmt(
        `INSERT INTO forecasts (run_id, ts, event, market, p_model, p_market, outcome)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      );
      rows.forEach((r, i) => {
        if (r.outcome !== null && r.outcome !== 0 && r.outcome !== 1) {
          fail(action, `field "outcome" of row ${i} must be 0, 1 or null`, r.outcome);
        }
        s.run(
          runId,
          checkInt(action, i, "ts", r.ts),
          checkString(action, i, "event", r.event),
          checkString(action, i, "market", r.market),
          checkProbability(action, i, "pModel", r.pModel),
          r.pMarket === null ? null : checkProbability(action, i, "pMarket", r.pMarket),
          r.outcome,
        );
      });
    });
  }

  /** Appends orders to a running run, in one transaction. */
  insertOrders(runId: number, rows: readonly OrderRow[]): void {
    const action = `insert orders of run ${runId}`;
    this.#transaction(() => {
      this.#requireRunning(action, runId);
      const s = this.#stmt(
        `INSERT INTO orders
           (run_id, order_id, ts, market, side, limit_price, count, filled, status, reason)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      rows.forEach((r, i) => {
        s.run(
          runId,
          checkInt(action, i, "id", r.id),
          checkInt(action, i, "ts", r.ts),
          checkString(action, i, "market", r.market),
          checkEnum(action, i, "side", r.side, SIDES),
          checkInt(action, i, "limitPrice", r.limitPrice),
          checkInt(action, i, "count", r.count),
          checkInt(action, i, "filled", r.filled),
          checkString(action, i, "status", r.status),
          checkString(action, i, "reason", r.reason),
        );
      });
    });
  }

  /** Appends fills to a running run, in one transaction. */
  insertFills(runId: number, rows: readonly FillRow[]): void {
    const action = `insert fills of run ${runId}`;
    this.#transaction(() => {
      this.#requireRunning(action, runId);
      const s = this.#stmt(
        `INSERT INTO fills (run_id, order_id, ts, market, side, price, count, fee_ticks, role)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      rows.forEach((r, i) => {
        s.run(
          runId,
          checkInt(action, i, "orderId", r.orderId),
          checkInt(action, i, "ts", r.ts),
          checkString(action, i, "market", r.market),
          checkEnum(action, i, "side", r.side, SIDES),
          checkInt(action, i, "price", r.price),
          checkInt(action, i, "count", r.count),
          checkInt(action, i, "feeTicks", r.feeTicks),
          checkEnum(action, i, "role", r.role, ROLES),
        );
      });
    });
  }

  /** Appends settlements to a running run, in one transaction. */
  insertSettlements(runId: number, rows: readonly SettlementRow[]): void {
    const action = `insert settlements of run ${runId}`;
    this.#transaction(() => {
      this.#requireRunning(action, runId);
      const s = this.#stmt(
        `INSERT INTO settlements (run_id, ts, market, result, position, payout_ticks, pnl_ticks)
         VALUES (?, ?, ?, ?, ?, ?, ?)`,
      );
      rows.forEach((r, i) => {
        s.run(
          runId,
          checkInt(action, i, "ts", r.ts),
          checkString(action, i, "market", r.market),
          checkEnum(action, i, "result", r.result, SIDES),
          checkInt(action, i, "position", r.position),
          checkInt(action, i, "payoutTicks", r.payoutTicks),
          checkInt(action, i, "pnlTicks", r.pnlTicks),
        );
      });
    });
  }

  /** Appends metrics to a running run, in one transaction. Names are unique per run. */
  insertMetrics(runId: number, rows: readonly MetricRow[]): void {
    const action = `insert metrics of run ${runId}`;
    this.#transaction(() => {
      this.#requireRunning(action, runId);
      const s = this.#stmt(`INSERT INTO metrics (run_id, name, value) VALUES (?, ?, ?)`);
      rows.forEach((r, i) => {
        const name = checkString(action, i, "name", r.name);
        if (typeof r.value !== "number") {
          fail(action, `field "value" of row ${i} must be a number`, r.value);
        }
        const existing = this.#stmt("SELECT 1 FROM metrics WHERE run_id = ? AND name = ?")
          .get(runId, name);
        if (existing !== undefined) {
          fail(action, `metric names must be unique within a run`, name);
        }
        s.run(runId, name, Number.isNaN(r.value) ? null : r.value);
      });
    });
  }

  #finish(
    action: string,
    runId: number,
    status: "complete" | "failed",
    digest: string | null,
    error: string | null,
    finishedAt: string,
  ): void {
    checkString(action, 0, "finishedAt", finishedAt);
    this.#transaction(() => {
      this.#requireRunning(action, runId);
      this.#stmt(
        "UPDATE runs SET status = ?, digest = ?, error = ?, finished_at = ? WHERE id = ?",
      ).run(status, digest, error, finishedAt, runId);
    });
  }

  /** Marks a running run complete with the digest of its results. */
  completeRun(runId: number, digest: string, finishedAt: string): void {
    const action = `complete run ${runId}`;
    if (typeof digest !== "string" || !/^[0-9a-f]{64}$/.test(digest)) {
      fail(action, "digest must be 64 lowercase hex characters", digest);
    }
    this.#finish(action, runId, "complete", digest, null, finishedAt);
  }

  /** Marks a running run failed with an error message. */
  failRun(runId: number, error: string, finishedAt: string): void {
    const action = `fail run ${runId}`;
    checkString(action, 0, "error", error);
    this.#finish(action, runId, "failed", null, error, finishedAt);
  }

  /** One run, or undefined if there is none with that id. */
  run(runId: number): RunRow | undefined {
    const r = this.#stmt("SELECT * FROM runs WHERE id = ?").get(runId) as Row | undefined;
    return r === undefined ? undefined : toRunRow(r);
  }

  /** All runs in id order. */
  runs(): RunRow[] {
    return (this.#stmt("SELECT * FROM runs ORDER BY id").all() as Row[]).map(toRunRow);
  }

  /** Forecasts of a run in insertion order. */
  forecasts(runId: number): ForecastRow[] {
    const rows = this.#stmt(
      `SELECT ts, event, market, p_model, p_market, outcome FROM forecasts
       WHERE run_id = ? ORDER BY row_id`,
    ).all(runId) as Row[];
    return rows.map((r) => ({
      ts: r.ts as number,
      event: r.event as string,
      market: r.market as string,
      pModel: r.p_model as number,
      pMarket: r.p_market as number | null,
      outcome: r.outcome as 0 | 1 | null,
    }));
  }

  /** Orders of a run in insertion order. */
  orders(runId: number): OrderRow[] {
    const rows = this.#stmt(
      `SELECT order_id, ts, market, side, limit_price, count, filled, status, reason
       FROM orders WHERE run_id = ? ORDER BY row_id`,
    ).all(runId) as Row[];
    return rows.map((r) => ({
      id: r.order_id as number,
      ts: r.ts as number,
      market: r.market as string,
      side: r.side as "yes" | "no",
      limitPrice: r.limit_price as number,
      count: r.count as number,
      filled: r.filled as number,
      status: r.status as string,
      reason: r.reason as string,
    }));
  }

  /** Fills of a run in insertion order. */
  fills(runId: number): FillRow[] {
    const rows = this.#stmt(
      `SELECT order_id, ts, market, side, price, count, fee_ticks, role
       FROM fills WHERE run_id = ? ORDER BY row_id`,
    ).all(runId) as Row[];
    return rows.map((r) => ({
      orderId: r.order_id as number,
      ts: r.ts as number,
      market: r.market as string,
      side: r.side as "yes" | "no",
      price: r.price as number,
      count: r.count as number,
      feeTicks: r.fee_ticks as number,
      role: r.role as "taker" | "maker",
    }));
  }

  /** Settlements of a run in insertion order. */
  settlements(runId: number): SettlementRow[] {
    const rows = this.#stmt(
      `SELECT ts, market, result, position, payout_ticks, pnl_ticks
       FROM settlements WHERE run_id = ? ORDER BY row_id`,
    ).all(runId) as Row[];
    return rows.map((r) => ({
      ts: r.ts as number,
      market: r.market as string,
      result: r.result as "yes" | "no",
      position: r.position as number,
      payoutTicks: r.payout_ticks as number,
      pnlTicks: r.pnl_ticks as number,
    }));
  }

  /** Metrics of a run in insertion order (a stored NULL reads back as NaN). */
  metrics(runId: number): MetricRow[] {
    const rows = this.#stmt(
      "SELECT name, value FROM metrics WHERE run_id = ? ORDER BY row_id",
    ).all(runId) as Row[];
    return rows.map((r) => ({
      name: r.name as string,
      value: r.value === null ? NaN : r.value as number,
    }));
  }

  /**
   * Appends research records of one kind to a running run (decision rows, fill
   * observations, gate decisions): plain objects stored as JSON, NaN as null.
   * They are not part of the run's digest.
   */
  insertRecords(runId: number, kind: string, rows: readonly object[]): void {
    const action = `insert ${kind} records of run ${runId}`;
    if (!/^[a-z_]+$/.test(kind)) fail(action, "kind must be lower-case letters and _", kind);
    this.#transaction(() => {
      this.#requireRunning(action, runId);
      const s = this.#stmt("INSERT INTO records (run_id, kind, body) VALUES (?, ?, ?)");
      for (const r of rows) s.run(runId, kind, JSON.stringify(r));
    });
  }

  /** Research records of one kind, in insertion order; JSON null reads back as NaN. */
  records<T>(runId: number, kind: string): T[] {
    const rows = this.#stmt(
      "SELECT body FROM records WHERE run_id = ? AND kind = ? ORDER BY row_id",
    ).all(runId, kind) as Row[];
    return rows.map((r) => JSON.parse(r.body as string, (_k, v) => (v === null ? NaN : v)) as T);
  }

  /** Closes the database. */
  close(): void {
    this.#stmts.clear();
    this.#db.close();
  }
}

function toRunRow(r: Row): RunRow {
  return {
    id: r.id as number,
    strategy: r.strategy as string,
    config: r.config as string,
    seed: r.seed as number,
    codeVersion: r.code_version as string,
    tapes: r.tapes as string,
    status: r.status as RunRow["status"],
    digest: r.digest as string | null,
    error: r.error as string | null,
    startedAt: r.started_at as string,
    finishedAt: r.finished_at as string | null,
  };
}
