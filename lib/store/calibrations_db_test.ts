import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type CalibrationRecord,
  CalibrationsDb,
  paramsFromJson,
  paramsToJson,
} from "./calibrations_db.ts";
import { ResultsDb } from "./results_db.ts";

function record(over: Partial<CalibrationRecord> = {}): CalibrationRecord {
  return {
    family: "cpi",
    params: { window: 6, trend: { scale: 0.17, df: Infinity, fit: { n: 540 } } },
    windowFrom: Date.UTC(1980, 1, 15),
    windowTo: Date.UTC(2025, 11, 16),
    untilTs: null,
    n: 548,
    inSampleN: 536,
    inSampleLogLoss: 1.97,
    oosN: 110,
    oosFrom: Date.UTC(2016, 0, 1),
    oosLogLoss: 2.04,
    uniformLogLoss: Math.log(8),
    method: "walk-forward over the last 20%",
    dataFiles: ["fred_macro_mm/CPIAUCSL.csv"],
    calibratedAt: Date.UTC(2026, 0, 2, 3, 4, 5),
    ...over,
  };
}

Deno.test("paramsToJson: sorted keys, non-finite numbers as strings, round trip", () => {
  const p = { b: [1, Infinity, -Infinity], a: { df: NaN, s: 0.5 }, skip: undefined };
  const text = paramsToJson(p);
  assert.equal(text, '{"a":{"df":"NaN","s":0.5},"b":[1,"Infinity","-Infinity"]}');
  assert.deepEqual(paramsFromJson(text), { a: { df: NaN, s: 0.5 }, b: [1, Infinity, -Infinity] });
  assert.equal(paramsToJson(Float64Array.of(1, 2)), "[1,2]");
  const cyc: Record<string, unknown> = {};
  cyc.self = cyc;
  assert.throws(() => paramsToJson(cyc), /Cannot store parameters: they contain a cycle/);
  assert.throws(() => paramsToJson({ f: () => 1 }), /Cannot store parameters: a function/);
});

Deno.test("CalibrationsDb: insert, read back, latest by calibratedAt", () => {
  const db = CalibrationsDb.open(":memory:");
  const a = db.insert(record());
  const b = db.insert(record({ family: "btc", params: { lambda: 0.95 }, untilTs: 123 }));
  const c = db.insert(record({ calibratedAt: Date.UTC(2026, 0, 3), oosN: 0, oosLogLoss: NaN }));
  assert.deepEqual([a, b, c], [1, 2, 3]);
  const all = db.all();
  assert.equal(all.length, 3);
  const first = all[0];
  assert.equal(first.id, 1);
  assert.deepEqual(first.params, record().params); // df: Infinity survives
  assert.equal(first.paramsJson, paramsToJson(record().params));
  assert.deepEqual(first.dataFiles, ["fred_macro_mm/CPIAUCSL.csv"]);
  const { id: _id, paramsJson: _j, ...rest } = first;
  assert.deepEqual(rest, record());
  assert.equal(db.all("btc")[0].untilTs, 123);
  const latest = db.latest("cpi")!;
  assert.equal(latest.id, 3);
  assert.ok(Number.isNaN(latest.oosLogLoss));
  assert.equal(db.latest("weather"), undefined);
  db.close();
});

Deno.test("CalibrationsDb rejects bad records with clear errors", () => {
  const db = CalibrationsDb.open(":memory:");
  const bad: [Partial<CalibrationRecord>, RegExp][] = [
    [{ family: "" }, /Cannot store the calibration of "": field "family" must not be empty/],
    [
      { windowTo: 0, windowFrom: 5 },
      /field "windowTo" must be after windowFrom \(5\), current value is 0/,
    ],
    [{ n: 1.5 }, /field "n" must be a safe integer, current value is 1.5/],
    [{ oosN: -1 }, /field "oosN" must be >= 0, current value is -1/],
    [
      { oosLogLoss: -0.1 },
      /field "oosLogLoss" must be a finite log loss >= 0 or NaN, current value is -0.1/,
    ],
    [{ uniformLogLoss: Infinity }, /field "uniformLogLoss" must be a finite log loss/],
    [{ calibratedAt: NaN }, /field "calibratedAt" must be a safe integer, current value is NaN/],
    [{ dataFiles: [1] as unknown as string[] }, /field "dataFiles" must be an array of strings/],
    [{ untilTs: 0.5 }, /field "untilTs" must be a safe integer/],
  ];
  for (const [over, re] of bad) assert.throws(() => db.insert(record(over)), re);
  assert.equal(db.all().length, 0);
  db.close();
});

Deno.test("CalibrationsDb shares a file with ResultsDb, either opened first, and reopens", () => {
  const dir = Deno.makeTempDirSync();
  try {
    const path = join(dir, "results.sqlite");
    const cal = CalibrationsDb.open(path);
    cal.insert(record());
    cal.close();
    const results = ResultsDb.open(path);
    const run = results.beginRun({
      strategy: "btc",
      config: {},
      seed: 1,
      codeVersion: "x",
      tapes: [],
      startedAt: "2026-01-01T00:00:00.000Z",
    });
    const again = CalibrationsDb.open(path);
    again.insert(record({ family: "gas" }));
    assert.deepEqual(again.all().map((r) => r.family), ["cpi", "gas"]);
    again.close();
    assert.equal(results.run(run)?.strategy, "btc");
    results.close();
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});
