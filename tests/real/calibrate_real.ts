/**
 * Real data: `deno task calibrate`'s job for every family, run on the history
 * files in ../shared/data, beats a uniform PMF over the same realistic ladders
 * out of sample (walk-forward over the last 20% of each window; the method is in
 * strategies/walk_forward.ts). Also runs the task itself once, end to end, into
 * a temporary results database.
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { CalibrationsDb } from "../../lib/store/calibrations_db.ts";
import { CALIBRATION_JOBS } from "../../strategies/calibration_jobs.ts";
import { formatTable, main } from "../../tasks/calibrate.ts";
import { realDataTest, requireShared, SHARED_DATA } from "./shared_data.ts";

for (const job of Object.values(CALIBRATION_JOBS)) {
  Deno.test(
    `real data: calibrate ${job.family} beats uniform out of sample (${job.files.join(", ")})`,
    realDataTest(...job.files[0].split("/")),
    () => {
      const r = job.run((file) => Deno.readTextFileSync(requireShared(...file.split("/"))));
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
