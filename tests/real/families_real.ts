/**
 * Real data: each point-forecast family (CPI, jobless claims, 10-year, gas) fitted
 * walk-forward on its real history in ../shared/data beats a naive uniform PMF
 * over the bins of realistic ladders, out of sample, on log loss.
 *
 * Walk-forward: for every target, the decision time is before the target's
 * publication; the model sees only values published by then, and is
 * recalibrated (every `refitEvery` targets) with the cutoff at the decision
 * time. Publication times of data dated by reference period follow each
 * family's stated rule (see the model modules).
 *
 * The history readers, the ladders and the walk-forward loop are the ones
 * `deno task calibrate` uses (strategies/<family>/calibration.ts,
 * strategies/walk_forward.ts); this file scores longer spans than the task's
 * last 20% and adds checks the task does not make (Kalshi's first-release CPI
 * outcomes, gas 7 days ahead, EIA weekly gas). tests/real/calibrate_real.ts runs
 * the task's own jobs.
 *
 * FRED values are the current vintage (revised), not first releases; CPI is also
 * scored against Kalshi's first-release outcomes (kalshi_cpi_yf).
 *
 * @module
 */

import assert from "node:assert/strict";
import { parse } from "csv-parse/sync";
import { binOfValue } from "../../lib/market/ladder.ts";
import { LOG_LOSS_FLOOR } from "../../lib/scoring/binary.ts";
import { dayNumber, monthIndex } from "../../lib/time/eastern.ts";
import type { Observation } from "../../strategies/family.ts";
import {
  CPI_HISTORY_FILE,
  cpiForecastTask,
  cpiHistoryFromCsv,
  cpiLadder,
  cpiParamsSummary,
} from "../../strategies/cpi/calibration.ts";
import { cpiModel, cpiReleaseTs } from "../../strategies/cpi/model.ts";
import {
  CLAIMS_HISTORY_FILE,
  claimsForecastTask,
  claimsHistoryFromCsv,
  claimsParamsSummary,
} from "../../strategies/claims/calibration.ts";
import { claimsReleaseTs } from "../../strategies/claims/model.ts";
import {
  TNOTE_HISTORY_FILE,
  tnoteForecastTask,
  tnoteHistoryFromCsv,
  tnoteParamsSummary,
} from "../../strategies/tnote/calibration.ts";
import { tnotePublishTs } from "../../strategies/tnote/model.ts";
import {
  GAS_EIA_HISTORY_FILE,
  GAS_HISTORY_FILE,
  gasAaaHistoryFromCsv,
  gasEiaHistoryFromCsv,
  gasForecastTask,
  gasParamsSummary,
} from "../../strategies/gas/calibration.ts";
import { gasPublishTs } from "../../strategies/gas/model.ts";
import {
  type ForecastTask,
  scoreWalkForward,
  type WalkScore,
} from "../../strategies/walk_forward.ts";
import { realDataTest, requireShared } from "./shared_data.ts";

const MIN = 60_000;
const DAY = 86_400_000;

/** The text of a file under ../shared/data, given as "folder/name". */
function readShared(file: string): string {
  return Deno.readTextFileSync(requireShared(...file.split("/")));
}

function report(name: string, s: WalkScore, extra = ""): void {
  console.log(
    `${name}: n=${s.n} log loss model ${s.logLoss.toFixed(4)} vs uniform ${
      s.uniformLogLoss.toFixed(4)
    } (skill ${(1 - s.logLoss / s.uniformLogLoss).toFixed(3)})${extra}`,
  );
  assert.ok(s.n > 0);
  assert.ok(s.logLoss < s.uniformLogLoss, `${name}: model ${s.logLoss} must beat uniform`);
}

/** Walk-forward from `fromTs` to the end; the last fitted parameters with the score. */
function walk<P>(task: ForecastTask<P, Observation>, fromTs: number) {
  const s = scoreWalkForward(task, fromTs, Infinity);
  assert.ok(s.lastParams !== undefined);
  return { ...s, params: s.lastParams };
}

Deno.test(
  "real data: CPI m/m (FRED CPIAUCSL) walk-forward beats uniform over 8 bins",
  realDataTest("fred_macro_mm", "CPIAUCSL.csv"),
  () => {
    const prints = cpiHistoryFromCsv(CPI_HISTORY_FILE, readShared(CPI_HISTORY_FILE));
    const s = walk(cpiForecastTask(prints), cpiReleaseTs(monthIndex(2000, 1)));
    report(
      "CPI (FRED, revised)",
      s,
      `; last fit ${cpiParamsSummary(s.params)}, logLoss(in-sample, 0.1 bins) ${
        s.params.trend.fit!.logLoss.toFixed(3)
      }`,
    );
  },
);

Deno.test(
  "real data: CPI against Kalshi's first-release outcomes (kalshi_cpi_yf) beats uniform",
  realDataTest("kalshi_cpi_yf", "events_table.csv"),
  () => {
    const prints = cpiHistoryFromCsv(CPI_HISTORY_FILE, readShared(CPI_HISTORY_FILE));
    const months = "JAN FEB MAR APR MAY JUN JUL AUG SEP OCT NOV DEC".split(" ");
    const rows = parse(readShared("kalshi_cpi_yf/events_table.csv"), {
      columns: true,
      skip_empty_lines: true,
      trim: true,
    }) as Record<string, string>[];
    let n = 0;
    let model = 0;
    let uniform = 0;
    for (const r of rows) {
      if (r.settled !== "True" || r.actual_cpi_mom === "") continue;
      const m = /-(\d\d)([A-Z]{3})$/.exec(r.event_ticker);
      assert.ok(m !== null, r.event_ticker);
      const ref = monthIndex(2000 + Number(m[1]), months.indexOf(m[2]) + 1);
      // Decide a day before the assumed release of the reference month, on data released by then.
      const now = cpiReleaseTs(ref) - DAY;
      const known = prints.filter((p) => p.ts <= now);
      const params = cpiModel.calibrate(prints, { cutoffTs: now });
      const ladder = cpiLadder(known[known.length - 1].value);
      const pmf = cpiModel.pmf(
        { now, closeTs: cpiReleaseTs(ref) - MIN, prints: known },
        params,
        ladder,
      );
      const bin = binOfValue(ladder, Number(r.actual_cpi_mom));
      assert.ok(bin >= 0);
      n++;
      model -= Math.log(Math.max(pmf[bin], LOG_LOSS_FLOOR));
      uniform += Math.log(ladder.bins.length);
    }
    report("CPI (Kalshi first release)", {
      n,
      logLoss: model / n,
      uniformLogLoss: uniform / n,
      refits: n,
    });
  },
);

Deno.test(
  "real data: jobless claims (FRED ICSA) walk-forward beats uniform over 8 bins",
  realDataTest("fred_macro_mm", "ICSA.csv"),
  () => {
    const prints = claimsHistoryFromCsv(CLAIMS_HISTORY_FILE, readShared(CLAIMS_HISTORY_FILE));
    const s = walk(claimsForecastTask(prints), claimsReleaseTs(dayNumber(1990, 1, 6)));
    report("claims", s, `; last fit ${claimsParamsSummary(s.params)}`);
  },
);

Deno.test(
  "real data: 10-year (FRED DGS10) walk-forward beats uniform over 8 bins",
  realDataTest("fred_macro_mm", "DGS10.csv"),
  () => {
    const yields = tnoteHistoryFromCsv(TNOTE_HISTORY_FILE, readShared(TNOTE_HISTORY_FILE));
    const s = walk(tnoteForecastTask(yields), tnotePublishTs(dayNumber(2000, 1, 3)));
    report("10-year", s, `; last fit ${tnoteParamsSummary(s.params)}`);
  },
);

Deno.test(
  "real data: gas (AAA daily 2004-2025) walk-forward beats uniform, 1-day and 7-day horizons",
  realDataTest("kalshi_sys_mb", "aaa_daily_2004_2025.csv"),
  () => {
    // 1-day: thresholds 1 cent apart; 7-day: 5 cents apart. Calibrated quarterly on 1,500 values.
    const prices = gasAaaHistoryFromCsv(GAS_HISTORY_FILE, readShared(GAS_HISTORY_FILE));
    const start = gasPublishTs(dayNumber(2006, 1, 1));
    const d1 = walk(gasForecastTask(prices), start);
    report("gas AAA daily, 1 day ahead", d1, `; last fit ${gasParamsSummary(d1.params)}`);
    const d7 = walk(gasForecastTask(prices, { horizonDays: 7, spacingCents: 5 }), start);
    report("gas AAA daily, 7 days ahead", d7);
  },
);

Deno.test(
  "real data: gas (EIA weekly GASREGW) walk-forward beats uniform, one week ahead",
  realDataTest("fred_macro_mm", "GASREGW.csv"),
  () => {
    // Thresholds 5 cents apart; calibrated every 13 weeks on everything before.
    const prices = gasEiaHistoryFromCsv(GAS_EIA_HISTORY_FILE, readShared(GAS_EIA_HISTORY_FILE));
    const w = walk(
      gasForecastTask(prices, {
        horizonDays: 7,
        spacingCents: 5,
        refitEvery: 13,
        fitWindow: 100_000,
      }),
      gasPublishTs(dayNumber(1995, 1, 2)),
    );
    report("gas EIA weekly, 1 week ahead", w, `; last fit ${gasParamsSummary(w.params)}`);
  },
);
