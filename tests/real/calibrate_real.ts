/**
 * Real data: `deno task calibrate`'s job for every family, run on the history
 * files in ../shared/data, scored against a uniform PMF over the same realistic
 * ladders out of sample (walk-forward over the last 20% of each window; the
 * method is in strategies/walk_forward.ts). Also runs the task itself, end to
 * end, into a temporary results database.
 *
 * - cpi, claims, tnote, gas, btc: beat uniform out of sample (asserted).
 * - weather (Central Park TMAX, climatology only): beats uniform on ladders
 *   centred on the climatology median (asserted; that placement favours the
 *   model), and loses to uniform on Kalshi-like ladders centred on the observed
 *   value plus a seeded offset in -3..3 (asserted as a loss: climatology alone
 *   is a baseline, not a signal against forecast-centred ladders).
 * - index (Parquet minute bars, read with nodejs-polars: needs --allow-ffi and
 *   --allow-sys; without them the test fails saying so): 12 session days, 48
 *   targets, 8 of them out of sample. Beats uniform (asserted; uniform over 11
 *   bins is weak for a 15-minute horizon); the fitted curve against the
 *   strategy's unfitted flat curve is reported, not asserted (on this little
 *   data it does not beat it).
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { CalibrationsDb } from "../../lib/store/calibrations_db.ts";
import { CALIBRATION_JOBS, calibrationJob } from "../../strategies/calibration_jobs.ts";
import { DEFAULT_INDEX_PAIR, indexForecastTask } from "../../strategies/index/calibration.ts";
import type { IndexTarget } from "../../strategies/index/calibration.ts";
import { scoreWalkForward } from "../../strategies/walk_forward.ts";
import { weatherForecastTask } from "../../strategies/weather/calibration.ts";
import type { WeatherDay } from "../../strategies/weather/model.ts";
import { beatsUniform, formatTable, main } from "../../tasks/calibrate.ts";
import { realDataTest, requireShared, SHARED_DATA } from "./shared_data.ts";

const readText = (file: string) => Deno.readTextFileSync(requireShared(...file.split("/")));
const readBytes = (file: string) => Deno.readFileSync(requireShared(...file.split("/")));

/** The families with their own tests below. */
const OWN_TESTS = new Set(["weather", "index"]);

for (const job of Object.values(CALIBRATION_JOBS).filter((j) => !OWN_TESTS.has(j.family))) {
  Deno.test(
    `real data: calibrate ${job.family} beats uniform out of sample (${job.files.join(", ")})`,
    realDataTest(...job.files[0].split("/")),
    () => {
      const r = job.run(readText);
      console.log(formatTable([r]));
      assert.ok(r.n >= 500, `${job.family}: n ${r.n}`);
      assert.ok(r.oos.n >= 100, `${job.family}: OOS n ${r.oos.n}`);
      assert.ok(r.inSample.logLoss < r.oos.uniformLogLoss, `${job.family}: in sample`);
      assert.ok(
        r.oos.logLoss < r.oos.uniformLogLoss,
        `${job.family}: OOS ${r.oos.logLoss} must beat uniform ${r.oos.uniformLogLoss}`,
      );
    },
  );
}

Deno.test(
  "real data: calibrate weather (Central Park TMAX) beats uniform on climatology-centred ladders only",
  realDataTest("nyc_centralpark_ts", "central_park_weather.csv"),
  () => {
    const job = calibrationJob("weather");
    const r = job.run(readText, { progress: (m) => console.log(`[weather] ${m}`) });
    console.log(formatTable([r]));
    assert.equal(r.n, 3927);
    assert.equal(r.oos.n, 786);
    assert.ok(beatsUniform(r), `OOS ${r.oos.logLoss} vs uniform ${r.oos.uniformLogLoss}`);
    assert.match(formatTable([r]).split("\n")[2], /\| yes +\|$/);
    // The Kalshi-like placement on the same OOS span: climatology loses to uniform.
    const history = job.loadHistory(readText) as readonly WeatherDay[];
    const b = scoreWalkForward(
      weatherForecastTask(history, { placement: "kalshi-like" }),
      r.oosFrom,
      r.windowTo,
    );
    assert.equal(b.n, r.oos.n);
    assert.ok(b.logLoss > b.uniformLogLoss, `Kalshi-like ${b.logLoss} vs ${b.uniformLogLoss}`);
    assert.ok(r.notes[1].includes(`log loss ${b.logLoss.toFixed(4)}`) && /loses/.test(r.notes[1]));
  },
);

Deno.test(
  "real data: calibrate index (Parquet minute bars): 48 targets, 8 OOS, beats uniform, flat curve reported",
  realDataTest("kalshi_sys_mb", "spx_ndx_minute_days"),
  () => {
    const job = calibrationJob("index");
    const r = job.run(readText, {
      readBytes,
      progress: (m) => console.log(`[index] ${m}`),
    });
    console.log(formatTable([r]));
    assert.equal(r.n, 48, "48 blocks: 12 days x 2 indices x 2 windows");
    assert.equal(r.inSample.n, 40, "the first 2 days are skipped (minKnown)");
    assert.equal(r.oos.n, 8, "the last 20% of the span: the 2 full sessions of 2025");
    assert.ok(Math.abs(r.oos.uniformLogLoss - Math.log(11)) < 1e-12);
    assert.ok(beatsUniform(r), `OOS ${r.oos.logLoss} vs uniform ${r.oos.uniformLogLoss}`);
    assert.match(r.notes[0], /12 session days \(2 full sessions;.*8 OOS targets: far too few/);
    // Reported, not asserted: the fitted curve against the strategy's flat 1%/day curve.
    const history = job.loadHistory(readText, readBytes) as readonly IndexTarget[];
    const fitted = scoreWalkForward(indexForecastTask(history), r.windowFrom, r.windowTo);
    const flat = scoreWalkForward(
      indexForecastTask(history, { fixed: DEFAULT_INDEX_PAIR }),
      r.windowFrom,
      r.windowTo,
    );
    assert.equal(fitted.n, 40);
    assert.equal(flat.n, 40);
    console.log(
      `index, every target with 2 earlier days: fitted ${fitted.logLoss.toFixed(4)}, flat ` +
        `1%/day ${flat.logLoss.toFixed(4)}, uniform ${fitted.uniformLogLoss.toFixed(4)} (n 40)`,
    );
  },
);

Deno.test(
  "real data: deno task calibrate --strategy weather prints and stores its row",
  realDataTest("nyc_centralpark_ts", "central_park_weather.csv"),
  () => {
    const dir = Deno.makeTempDirSync();
    try {
      const db = join(dir, "results.sqlite");
      const out: string[] = [];
      const err: string[] = [];
      const code = main(["--strategy", "weather", "--db", db], {
        now: () => Date.UTC(2026, 0, 1),
        stdout: (t) => out.push(t),
        stderr: (t) => err.push(t),
        defaultDataDir: SHARED_DATA,
      });
      assert.equal(code, 0, err.join("\n"));
      console.log(out.join("\n"));
      assert.match(
        out[0].split("\n")[2],
        /^\| weather \| climatology bandwidth \d\.\d\d F, window \+\/-15 d \| 2013-07-02\.\.2024-04-01 \| 3927 \|.*\| yes +\|$/,
      );
      assert.match(err.join("\n"), /\[weather\] note: with Kalshi-like centring .*: loses/);
      const store = CalibrationsDb.open(db);
      const [row] = store.all("weather");
      store.close();
      assert.equal(row.n, 3927);
      assert.ok(row.oosLogLoss < row.uniformLogLoss);
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
);

Deno.test(
  "real data: deno task calibrate --strategy btc --until 2024-01-01 stores its row",
  realDataTest("btc_daily_mz", "BTCUSD_1d_candles_full.csv"),
  () => {
    const dir = Deno.makeTempDirSync();
    try {
      const db = join(dir, "results.sqlite");
      const out: string[] = [];
      const err: string[] = [];
      const code = main(["--strategy", "btc", "--until", "2024-01-01", "--db", db], {
        now: () => Date.UTC(2026, 0, 1),
        stdout: (t) => out.push(t),
        stderr: (t) => err.push(t),
        defaultDataDir: SHARED_DATA,
      });
      assert.equal(code, 0, err.join("\n"));
      console.log(out.join("\n"));
      assert.match(out[0], /\| btc +\| lambda 0\.\d{3}\/day/);
      const store = CalibrationsDb.open(db);
      const [row] = store.all("btc");
      store.close();
      assert.equal(row.windowTo, Date.UTC(2024, 0, 1) + 1); // the close of 2023-12-31
      assert.equal(row.untilTs, Date.UTC(2024, 0, 1, 5)); // 00:00 New York
      assert.ok(row.oosLogLoss < row.uniformLogLoss);
      assert.equal(row.calibratedAt, Date.UTC(2026, 0, 1));
    } finally {
      Deno.removeSync(dir, { recursive: true });
    }
  },
);
