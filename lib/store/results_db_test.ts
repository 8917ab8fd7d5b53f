import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type FillRow,
  type ForecastRow,
  type MetricRow,
  type OrderRow,
  ResultsDb,
  type RunInfo,
  SCHEMA_VERSION,
  type SettlementRow,
} from "./results_db.ts";
import { resultsDigest } from "./digest.ts";

const info: RunInfo = {
  strategy: "ladder-fair-value",
  config: { z: 1, a: { y: [1, 2], b: "x" } },
  seed: 42,
  codeVersion: "abc1234",
  tapes: ["fixtures/cpi.ndjson", "fixtures/claims.ndjson"],
  startedAt: "2026-01-02T03:04:05.000Z",
};

const forecasts: ForecastRow[] = [
  {
    ts: 1_700_000_000_000,
    event: "KXCPI-26JAN",
    market: "KXCPI-26JAN-T0.2",
    pModel: 0.1,
    pMarket: 0.15,
    outcome: 1,
  },
  {
    ts: 1_700_000_000_001,
    event: "KXCPI-26JAN",
    market: "KXCPI-26JAN-T0.3",
    pModel: 1 / 3,
    pMarket: null,
    outcome: null,
  },
  {
    ts: 1_700_000_000_002,
    event: "KXCPI-26JAN",
    market: "KXCPI-26JAN-T0.4",
    pModel: 0,
    pMarket: 1,
    outcome: 0,
  },
];

const orders: OrderRow[] = [
  {
    id: 1,
    ts: 1_700_000_000_005,
    market: "KXCPI-26JAN-T0.2",
    side: "yes",
    limitPrice: 1500,
    count: 1000,
    filled: 700,
    status: "partially_filled",
    reason: "edge 0.05",
  },
  {
    id: 2,
    ts: 1_700_000_000_006,
    market: "KXCPI-26JAN-T0.4",
    side: "no",
    limitPrice: 9_999,
    count: 100,
    filled: 0,
    status: "cancelled",
    reason: "",
  },
];

const fills: FillRow[] = [
  {
    orderId: 1,
    ts: 1_700_000_000_007,
    market: "KXCPI-26JAN-T0.2",
    side: "yes",
    price: 1500,
    count: 400,
    feeTicks: 358,
    role: "taker",
  },
  {
    orderId: 1,
    ts: 1_700_000_000_008,
    market: "KXCPI-26JAN-T0.2",
    side: "yes",
    price: 1499,
    count: 300,
    feeTicks: 67,
    role: "maker",
  },
];

const settlements: SettlementRow[] = [
  {
    ts: 1_700_000_100_000,
    market: "KXCPI-26JAN-T0.2",
    result: "yes",
    position: 700,
    payoutTicks: 70_000,
    pnlTicks: 59_078,
  },
  {
    ts: 1_700_000_100_000,
    market: "KXCPI-26JAN-T0.4",
    result: "no",
    position: -100,
    payoutTicks: 0,
    pnlTicks: -1,
  },
];

const metrics: MetricRow[] = [
  { name: "brier_model", value: 0.123456789 },
  { name: "sharpe", value: NaN },
  { name: "max_drawdown_ticks", value: -4200 },
  { name: "inf", value: Infinity },
];

Deno.test("ResultsDb round-trips every table and the run row", () => {
  const db = ResultsDb.open(":memory:");
  try {
    const id = db.beginRun(info);
    assert.equal(id, 1);
    db.insertForecasts(id, forecasts);
    db.insertOrders(id, orders);
    db.insertFills(id, fills);
    db.insertSettlements(id, settlements);
    db.insertMetrics(id, metrics);
    const digest = resultsDigest({ forecasts, orders, fills, settlements, metrics });
    db.completeRun(id, digest, "2026-01-02T03:05:00.000Z");

    assert.deepEqual(db.forecasts(id), forecasts);
    assert.deepEqual(db.orders(id), orders);
    assert.deepEqual(db.fills(id), fills);
    assert.deepEqual(db.settlements(id), settlements);
    assert.deepEqual(db.metrics(id), metrics);

    const run = db.run(id);
    assert.deepEqual(run, {
      id,
      strategy: info.strategy,
      config: '{"a":{"b":"x","y":[1,2]},"z":1}',
      seed: 42,
      codeVersion: "abc1234",
      tapes: '["fixtures/cpi.ndjson","fixtures/claims.ndjson"]',
      status: "complete",
      digest,
      error: null,
      startedAt: info.startedAt,
      finishedAt: "2026-01-02T03:05:00.000Z",
    });
    assert.deepEqual(JSON.parse(run!.config), info.config);

    // The digest of the rows read back equals the digest of the rows produced.
    assert.equal(
      resultsDigest({
        forecasts: db.forecasts(id),
        orders: db.orders(id),
        fills: db.fills(id),
        settlements: db.settlements(id),
        metrics: db.metrics(id),
      }),
      digest,
    );
  } finally {
    db.close();
  }
});

Deno.test("ResultsDb keeps insertion order across batches and separates runs", () => {
  const db = ResultsDb.open(":memory:");
  try {
    const a = db.beginRun(info);
    const b = db.beginRun({ ...info, seed: 43 });
    db.insertForecasts(a, forecasts.slice(0, 2));
    db.insertForecasts(b, forecasts.slice(2));
    db.insertForecasts(a, forecasts.slice(2));
    assert.deepEqual(db.forecasts(a), forecasts);
    assert.deepEqual(db.forecasts(b), forecasts.slice(2));
    assert.deepEqual(db.fills(b), []);
    assert.equal(db.run(999), undefined);
  } finally {
    db.close();
  }
});

Deno.test("ResultsDb records a failed run with its error", () => {
  const db = ResultsDb.open(":memory:");
  try {
    const id = db.beginRun(info);
    assert.equal(db.run(id)!.status, "running");
    db.failRun(id, 'TapeError: a.ndjson:3: field "ts": out of order', "2026-01-02T03:06:00.000Z");
    const run = db.run(id)!;
    assert.equal(run.status, "failed");
    assert.equal(run.error, 'TapeError: a.ndjson:3: field "ts": out of order');
    assert.equal(run.digest, null);
    assert.equal(run.finishedAt, "2026-01-02T03:06:00.000Z");
    // A finished run takes no more results and cannot be finished again.
    assert.throws(() => db.insertMetrics(id, [{ name: "x", value: 1 }]), /run 1 is not running/);
    assert.throws(() => db.completeRun(id, "a".repeat(64), "t"), /run 1 is not running/);
  } finally {
    db.close();
  }
});

Deno.test("ResultsDb lists runs in id order", () => {
  const db = ResultsDb.open(":memory:");
  try {
    const ids = [1, 2, 3].map((seed) => db.beginRun({ ...info, seed }));
    db.failRun(ids[1], "boom", "t1");
    db.completeRun(ids[2], "b".repeat(64), "t2");
    const runs = db.runs();
    assert.deepEqual(runs.map((r) => r.id), ids);
    assert.deepEqual(runs.map((r) => r.seed), [1, 2, 3]);
    assert.deepEqual(runs.map((r) => r.status), ["running", "failed", "complete"]);
  } finally {
    db.close();
  }
});

Deno.test("ResultsDb.open is idempotent on an existing file and uses WAL", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const path = join(dir, "results.sqlite");
    const db1 = ResultsDb.open(path);
    const id = db1.beginRun(info);
    db1.insertMetrics(id, [{ name: "m", value: 1.5 }]);
    db1.close();

    const db2 = ResultsDb.open(path);
    const db3 = ResultsDb.open(path); // concurrent open of the same file
    try {
      assert.deepEqual(db2.runs().map((r) => r.id), [id]);
      assert.deepEqual(db3.metrics(id), [{ name: "m", value: 1.5 }]);
      assert.equal(db2.beginRun(info), id + 1);
    } finally {
      db3.close();
      db2.close();
    }
    // WAL journaling leaves the -wal/-shm files or at least the WAL header mode.
    const header = Deno.readFileSync(path).subarray(18, 20);
    assert.deepEqual([...header], [2, 2], "file format bytes 18-19 are 2 in WAL mode");
    assert.equal(SCHEMA_VERSION, 1);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("ResultsDb rejects malformed rows with the field named, atomically", () => {
  const db = ResultsDb.open(":memory:");
  try {
    const id = db.beginRun(info);
    assert.throws(
      () => db.insertFills(id, [fills[0], { ...fills[1], price: 1499.5 }]),
      /Cannot insert fills of run 1: field "price" of row 1 must be a safe integer, current value is 1499.5/,
    );
    assert.deepEqual(db.fills(id), [], "the whole batch rolled back");
    assert.throws(
      () => db.insertForecasts(id, [{ ...forecasts[0], pModel: NaN }]),
      /field "pModel" of row 0 must be a probability/,
    );
    assert.throws(
      () => db.insertOrders(id, [{ ...orders[0], side: "maybe" as "yes" }]),
      /field "side" of row 0 must be one of yes, no/,
    );
    assert.throws(
      () => db.insertMetrics(id, [{ name: "a", value: 1 }, { name: "a", value: 2 }]),
      /metric names must be unique/,
    );
    assert.throws(() => db.insertMetrics(99, []), /run 99 does not exist/);
    assert.throws(() => db.completeRun(id, "not-hex", "t"), /digest must be 64 lowercase hex/);
    assert.throws(() => db.beginRun({ ...info, seed: 1.5 }), /field "seed"/);
  } finally {
    db.close();
  }
});

Deno.test("research records round-trip as JSON with NaN kept, per kind, only while running", () => {
  const db = ResultsDb.open(":memory:");
  const id = db.beginRun(info);
  db.insertRecords(id, "decisions", [{ orderId: 1, skew: NaN, market: "M" }, { orderId: 2 }]);
  db.insertRecords(id, "gate", [{ pass: true }]);
  const back = db.records<{ orderId: number; skew?: number }>(id, "decisions");
  assert.equal(back.length, 2);
  assert.ok(Number.isNaN(back[0].skew));
  assert.equal(db.records(id, "gate").length, 1);
  assert.throws(() => db.insertRecords(id, "Bad Kind", []), /kind must be/);
  db.completeRun(id, "0".repeat(64), "2026-01-01T00:00:01.000Z");
  assert.throws(() => db.insertRecords(id, "decisions", [{}]), /running/);
  db.close();
});
