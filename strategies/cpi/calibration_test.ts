import assert from "node:assert/strict";
import { ImportError } from "../../lib/import/types.ts";
import { binOfValue } from "../../lib/market/ladder.ts";
import { monthIndex } from "../../lib/time/eastern.ts";
import { calibrateWalkForward } from "../walk_forward.ts";
import { cpiForecastTask, cpiHistoryFromCsv, cpiLadder, cpiParamsSummary } from "./calibration.ts";
import { cpiReleaseTs } from "./model.ts";

const DAY = 86_400_000;

/** `n` monthly index values from 2000-01 with m/m changes cycling through 0.1 .. 0.4 %. */
function indexCsv(n: number): string {
  const lines = ["date,value"];
  let level = 100;
  for (let m = 0; m < n; m++) {
    if (m > 0) level *= 1 + [0.1, 0.3, 0.2, 0.4, 0.25][m % 5] / 100;
    lines.push(`${2000 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, "0")}-01,${level}`);
  }
  return lines.join("\n");
}

Deno.test("cpiHistoryFromCsv: m/m prints at the assumed release times, FRED blanks skipped", () => {
  const h = cpiHistoryFromCsv(
    "CPIAUCSL.csv",
    "date,value\n2025-01-01,100\n2025-02-01,100.3\n2025-03-01,.\n2025-04-01,101\n",
  );
  assert.equal(h.length, 1); // March is missing: no March or April print
  assert.equal(h[0].ts, cpiReleaseTs(monthIndex(2025, 2)));
  assert.ok(Math.abs(h[0].value - 0.3) < 1e-9);
  assert.throws(
    () => cpiHistoryFromCsv("CPIAUCSL.csv", "date,value\n2025-01-01,x\n"),
    (e) => e instanceof ImportError && /CPIAUCSL\.csv:2: field "value"/.test(e.message),
  );
});

Deno.test("cpiLadder: 7 'greater' thresholds 0.1 apart around the last print", () => {
  const l = cpiLadder(0.23);
  assert.deepEqual(l.markets, [-0.1, 0, 0.1, 0.2, 0.3, 0.4, 0.5].map((k) => `KXCPI-X-T${k}`));
  assert.equal(l.bins.length, 8);
  assert.equal(binOfValue(l, 0.2), 3); // a print of 0.2 is not "greater than 0.2"
});

Deno.test("cpiForecastTask: decision a day before, fits walk-forward, beats uniform on a pattern", () => {
  const prints = cpiHistoryFromCsv("x.csv", indexCsv(96));
  const task = cpiForecastTask(prints);
  assert.equal(task.decisionTs(prints[40]), prints[40].ts - DAY);
  const r = calibrateWalkForward(task);
  assert.equal(r.n, 95);
  assert.ok(r.oos.n > 10 && r.oos.refits === Math.ceil(r.oos.n / 3));
  assert.ok(r.oos.logLoss < r.oos.uniformLogLoss, `${r.oos.logLoss}`);
  assert.match(cpiParamsSummary(r.params), /^window 6, scale 0\.\d{3} pp, df (\d+\.\d|inf)$/);
});
