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
import { INDEX_HISTORY_FILES } from "./index/calibration.ts";
import { thresholdLadder } from "./research_ladders.ts";
import { dayNumber, formatIsoDay } from "../lib/time/eastern.ts";
import { WEATHER_HISTORY_FILE } from "./weather/calibration.ts";

function reader(files: Map<string, string>): ReadDataFile {
  return (file) => {
    const text = files.get(file);
    if (text === undefined) throw new Deno.errors.NotFound(`no such file: ${file}`);
    return text;
  };
}

/** The column of each file whose value the invariance test alters. */
const VALUE_COLUMN: Record<string, number> = { btc: 2 };

/** Central Park-style `DATE,TMAX` for `days` days from 2015-01-01: a seasonal cycle plus noise. */
function tmaxCsv(days: number, seed = 23): string {
  let s = seed;
  const u = () => (s = (s * 16807) % 2147483647) / 2147483647;
  const lines = ["DATE,TMAX"];
  for (let i = 0; i < days; i++) {
    const t = 60 - 22 * Math.cos((2 * Math.PI * i) / 365.25) + 10 * (u() + u() - 1);
    lines.push(`${formatIsoDay(dayNumber(2015, 1, 1) + i)},${Math.round(t)}`);
  }
  return lines.join("\n") + "\n";
}

/** The text files of every text job: the shared fixtures plus the weather history. */
function textFixtures(): Map<string, string> {
  return new Map([...fixtureDataFiles(), [WEATHER_HISTORY_FILE, tmaxCsv(3 * 365)]]);
}

/** Adds `delta` to every TMAX dated on or after `fromDate` (whole degrees stay whole). */
function shiftTmaxFrom(text: string, fromDate: string, delta: number): string {
  return text.split("\n").map((line, i) => {
    const f = line.split(",");
    return i === 0 || line === "" || f[0] < fromDate ? line : `${f[0]},${Number(f[1]) + delta}`;
  }).join("\n");
}

Deno.test("CALIBRATION_JOBS: one job per family with history, by registry name", () => {
  assert.deepEqual(Object.keys(CALIBRATION_JOBS), [
    "cpi",
    "claims",
    "tnote",
    "gas",
    "btc",
    "weather",
    "index",
  ]);
  for (const [name, job] of Object.entries(CALIBRATION_JOBS)) {
    assert.equal(job.family, name);
    assert.ok(job.files.length > 0 && job.method.length > 0 && job.description.length > 0);
    assert.equal(job.binary, name === "index", name);
  }
  assert.equal(calibrationJob("btc").files[0], BTC_HISTORY_FILE);
  assert.equal(calibrationJob("weather").files[0], WEATHER_HISTORY_FILE);
  assert.deepEqual(calibrationJob("index").files, INDEX_HISTORY_FILES);
  assert.throws(
    () => calibrationJob("weather-x"),
    /Cannot find a calibration job: unknown family \(known: cpi, claims, tnote, gas, btc, weather, index\), current value is "weather-x"/,
  );
  assert.throws(() => calibrationJob("toString"), /unknown family/);
});

Deno.test("every text job runs on small fixture files and reports a complete result", () => {
  const read = reader(textFixtures());
  for (const job of Object.values(CALIBRATION_JOBS).filter((j) => !j.binary)) {
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
    // Every ladder has at least 6 bins (weather: 6, ln 6 = 1.79; the others 8 or more).
    assert.ok(r.oos.uniformLogLoss >= Math.log(6) - 1e-12, job.family);
    assert.ok(r.summary.length > 0 && typeof r.params === "object");
    assert.match(lines.join("\n"), /read \d+ observations[\s\S]*out of sample: \d+ targets/);
    // Notes reach the progress lines too.
    for (const note of r.notes) assert.ok(lines.includes(`note: ${note}`), job.family);
    assert.equal(r.notes.length, job.family === "weather" ? 2 : 0, job.family);
  }
});

Deno.test("a binary job (index) needs a byte reader, and polars needs its permissions", () => {
  const job = calibrationJob("index");
  assert.throws(
    () => job.run(reader(new Map())),
    /Cannot read the data of index: its files are binary \(kalshi_sys_mb\/spx_ndx_minute_days\/I_SPX_2025-10-31\.parquet, \.\.\.\) and no byte reader was given/,
  );
  assert.throws(
    () => job.loadHistory(reader(new Map()), () => new Uint8Array(0)),
    // Without --allow-ffi the addon is refused before it loads; with it, 0 bytes are no Parquet.
    /Cannot read kalshi_sys_mb\/spx_ndx_minute_days\/I_SPX_2025-10-31\.parquet: (Parquet is read by nodejs-polars, a native addon, which needs --allow-ffi|not a readable Parquet file)/,
  );
  assert.throws(
    () =>
      job.run(reader(new Map()), {
        readBytes: (f) => {
          throw new Deno.errors.NotFound(f);
        },
      }),
    Deno.errors.NotFound,
  );
});

Deno.test("walk-forward: a job's result at cutoff t ignores data published at or after t", () => {
  const base = textFixtures();
  const fromDate: Record<string, string> = {
    cpi: "1997-06-01",
    claims: "2003-01-01",
    tnote: "2021-03-01",
    gas: "2020-11-01",
    btc: "2018-11-01",
    weather: "2017-05-01",
  };
  // The index job's invariance is tested in strategies/index/calibration_test.ts (no Parquet here).
  for (const job of Object.values(CALIBRATION_JOBS).filter((j) => !j.binary)) {
    const file = job.files[0];
    const altered = new Map(base);
    altered.set(
      file,
      job.family === "weather"
        ? shiftTmaxFrom(base.get(file)!, fromDate.weather, 3)
        : alterFrom(base.get(file)!, fromDate[job.family], VALUE_COLUMN[job.family] ?? 1, 1.1),
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
  assert.deepEqual(r.notes, []);
  assert.equal(job.binary, false);
});

Deno.test("defineJob: a binary job reads bytes; load and loadBytes are exclusive; notes", () => {
  const parts = {
    family: "toyb",
    description: "toy",
    files: ["toy.bin"],
    method: "toy",
    task: (history: readonly Observation[]) => ({
      family: "toyb",
      history,
      value: (o: Observation) => o.value,
      decisionTs: (o: Observation) => o.ts - 1,
      fit: () => ({}),
      forecast: (_p: unknown, known: readonly Observation[]) => ({
        ladder: thresholdLadder("TOY-X", "greater", known[known.length - 1].value, 1, 1, 1, 0),
        pmf: Float64Array.of(0.25, 0.75),
      }),
      refitEvery: 1,
      minKnown: 1,
    }),
    summary: () => "none",
  };
  const job = defineJob({
    ...parts,
    loadBytes: ([f]) => [...f.bytes].map((v, i) => ({ ts: (i + 1) * 1000, value: v })),
    notes: (h, r) => [`${h.length} observations, ${r.oos.n} OOS`],
  });
  assert.equal(job.binary, true);
  const said: string[] = [];
  const r = job.run(() => "unused", {
    readBytes: () => Uint8Array.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10),
    progress: (m) => said.push(m),
  });
  assert.equal(r.n, 10);
  assert.deepEqual(r.notes, ["10 observations, 2 OOS"]);
  assert.ok(said.includes("note: 10 observations, 2 OOS"));
  assert.throws(
    () => defineJob(parts),
    /Cannot define the calibration job toyb: give exactly one of load and loadBytes, current value is neither/,
  );
  assert.throws(
    () => defineJob({ ...parts, load: () => [], loadBytes: () => [] }),
    /give exactly one of load and loadBytes, current value is both/,
  );
});
