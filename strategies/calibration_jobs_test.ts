import assert from "node:assert/strict";
import { BTC_HISTORY_FILE } from "./btc/calibration.ts";
import {
  CALIBRATION_JOBS,
  calibrationJob,
  type CalibrationResult,
  defineJob,
  type ReadDataFile,
} from "./calibration_jobs.ts";
import { alterFrom, fixtureDataFiles } from "./calibration_fixtures.ts";
import { CPI_HISTORY_FILE } from "./cpi/calibration.ts";
import type { Observation } from "./family.ts";
import { thresholdLadder } from "./research_ladders.ts";

function reader(files: Map<string, string>): ReadDataFile {
  return (file) => {
    const text = files.get(file);
    if (text === undefined) throw new Deno.errors.NotFound(`no such file: ${file}`);
    return text;
  };
}

/** The column of each file whose value the invariance test alters. */
const VALUE_COLUMN: Record<string, number> = { btc: 2 };

Deno.test("CALIBRATION_JOBS: one job per point-forecast family and BTC, by registry name", () => {
  assert.deepEqual(Object.keys(CALIBRATION_JOBS), ["cpi", "claims", "tnote", "gas", "btc"]);
  for (const [name, job] of Object.entries(CALIBRATION_JOBS)) {
    assert.equal(job.family, name);
    assert.ok(job.files.length > 0 && job.method.length > 0 && job.description.length > 0);
  }
  assert.equal(calibrationJob("btc").files[0], BTC_HISTORY_FILE);
  assert.throws(
    () => calibrationJob("weather-x"),
    /Cannot find a calibration job: unknown family \(known: cpi, claims, tnote, gas, btc\), current value is "weather-x"/,
  );
  assert.throws(() => calibrationJob("toString"), /unknown family/);
});

Deno.test("every job runs on small fixture files and reports a complete result", () => {
  const read = reader(fixtureDataFiles());
  for (const job of Object.values(CALIBRATION_JOBS)) {
    const lines: string[] = [];
    const r = job.run(read, { progress: (m) => lines.push(m) });
    assert.equal(r.family, job.family);
    assert.deepEqual(r.dataFiles, job.files);
    assert.equal(r.untilTs, null);
    assert.equal(r.oosFraction, 0.2);
    assert.ok(r.windowFrom < r.oosFrom && r.oosFrom < r.windowTo, job.family);
    assert.ok(r.n > 0 && r.inSample.n > r.oos.n && r.oos.n > 0, `${job.family}: ${r.oos.n}`);
    assert.ok(r.oos.refits >= 1, job.family);
    for (const x of [r.inSample.logLoss, r.oos.logLoss]) assert.ok(x > 0 && Number.isFinite(x));
    assert.ok(r.oos.uniformLogLoss > 2);
    assert.ok(r.summary.length > 0 && typeof r.params === "object");
    assert.match(lines.join("\n"), /read \d+ observations[\s\S]*out of sample: \d+ targets/);
  }
});

Deno.test("walk-forward: a job's result at cutoff t ignores data published at or after t", () => {
  const base = fixtureDataFiles();
  const fromDate: Record<string, string> = {
    cpi: "1997-06-01",
    claims: "2003-01-01",
    tnote: "2021-03-01",
    gas: "2020-11-01",
    btc: "2018-11-01",
  };
  for (const job of Object.values(CALIBRATION_JOBS)) {
    const file = job.files[0];
    const altered = new Map(base);
    altered.set(
      file,
      alterFrom(base.get(file)!, fromDate[job.family], VALUE_COLUMN[job.family] ?? 1, 1.1),
    );
    const a = job.loadHistory(reader(base)) as readonly Observation[];
    const b = job.loadHistory(reader(altered)) as readonly Observation[];
    let i = 0;
    while (i < a.length && a[i].ts === b[i].ts && a[i].value === b[i].value) i++;
    assert.ok(i > 50 && i < a.length, `${job.family}: histories differ from index ${i}`);
    const t = a[i].ts; // the first changed observation is published at t
    const run = (files: Map<string, string>, untilTs: number): CalibrationResult =>
      job.run(reader(files), { untilTs });
    assert.deepEqual(run(base, t), run(altered, t), job.family);
    // ... and the check can fail: once the change is published before the cutoff, it counts.
    assert.notDeepEqual(run(base, t + 1).params, run(altered, t + 1).params, job.family);
  }
});

Deno.test("jobs: missing and unreadable files, no observations, --until before the data", () => {
  const job = calibrationJob("cpi");
  assert.throws(() => job.run(reader(new Map())), /no such file: fred_macro_mm\/CPIAUCSL\.csv/);
  assert.throws(
    () =>
      job.run(reader(new Map([[CPI_HISTORY_FILE, "date,value\n1990-01-01,1\n1990-02-01,zz\n"]]))),
    /CPIAUCSL\.csv:3: field "value": Cannot read value: not a finite number, current value is "zz"/,
  );
  assert.throws(
    () => job.run(reader(new Map([[CPI_HISTORY_FILE, "date,value\n"]]))),
    /Cannot calibrate cpi: no observations in fred_macro_mm\/CPIAUCSL\.csv, current value is 0/,
  );
  assert.throws(
    () => job.run(reader(fixtureDataFiles()), { untilTs: Date.UTC(1980, 0, 1) }),
    /Cannot calibrate cpi: no observation is published before 1980-01-01T00:00:00\.000Z/,
  );
});

Deno.test("defineJob: a new family plugs in with a history reader and a task", () => {
  const job = defineJob({
    family: "toy",
    description: "toy",
    files: ["toy.csv"],
    method: "toy",
    load: ([f]) =>
      f.text.trim().split("\n").map((v, i) => ({ ts: (i + 1) * 1000, value: Number(v) })),
    task: (history) => ({
      family: "toy",
      history,
      value: (o: Observation) => o.value,
      decisionTs: (o: Observation) => o.ts - 1,
      fit: () => ({}),
      forecast: (_p: unknown, known: readonly Observation[]) => ({
        ladder: thresholdLadder("TOY-X", "greater", known[known.length - 1].value, 1, 1, 1, 0),
        pmf: Float64Array.of(0.5, 0.5),
      }),
      refitEvery: 1,
      minKnown: 1,
    }),
    summary: () => "none",
  });
  const r = job.run(() => "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n");
  assert.equal(r.oos.n, 2);
  assert.ok(Math.abs(r.oos.logLoss - Math.log(2)) < 1e-12);
  assert.equal(r.summary, "none");
});
