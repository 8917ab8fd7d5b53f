import assert from "node:assert/strict";
import { binOfValue } from "../../lib/market/ladder.ts";
import { dayNumber, formatIsoDay, weekdayOf } from "../../lib/time/eastern.ts";
import { calibrateWalkForward } from "../walk_forward.ts";
import {
  tnoteForecastTask,
  tnoteHistoryFromCsv,
  tnoteLadder,
  tnoteParamsSummary,
} from "./calibration.ts";
import { tnotePublishTs } from "./model.ts";

const HOUR = 3_600_000;

/** Business-day yields from 2020-01-01 (holidays as FRED blanks every 20th day). */
function dgs10Csv(days: number): string {
  const lines = ["date,value"];
  let y = 2;
  for (let d = dayNumber(2020, 1, 1), i = 0; i < days; d++) {
    if (weekdayOf(d) === 0 || weekdayOf(d) === 6) continue;
    i++;
    y += 0.03 * Math.sin(i * 1.7) + 0.01 * Math.cos(i * 0.3);
    lines.push(`${formatIsoDay(d)},${i % 20 === 0 ? "" : y.toFixed(2)}`);
  }
  return lines.join("\n");
}

Deno.test("tnoteHistoryFromCsv: yields published 18:00 ET, blanks skipped", () => {
  const h = tnoteHistoryFromCsv("DGS10.csv", "date,value\n2025-01-01,\n2025-01-02,4.57\n");
  assert.deepEqual(h, [{ ts: tnotePublishTs(dayNumber(2025, 1, 2)), value: 4.57 }]);
});

Deno.test("tnoteLadder: six 5 bp inclusive bins and tails around the last yield", () => {
  const l = tnoteLadder(4.12); // rounds to 4.10: bins from 3.95
  assert.equal(l.bins.length, 8);
  assert.equal(binOfValue(l, 3.94), 0);
  assert.equal(binOfValue(l, 3.95), 1);
  assert.equal(binOfValue(l, 3.99), 1);
  assert.equal(binOfValue(l, 4.0), 2);
  assert.equal(binOfValue(l, 4.24), 6);
  assert.equal(binOfValue(l, 4.25), 7);
});

Deno.test("tnoteForecastTask: 10:00 ET decision, rolling fit window, scores", () => {
  const ys = tnoteHistoryFromCsv("x.csv", dgs10Csv(400));
  const task = tnoteForecastTask(ys, { fitWindow: 200 });
  assert.equal(task.decisionTs(ys[50]), ys[50].ts - 8 * HOUR);
  const r = calibrateWalkForward(task);
  assert.equal(r.n, 200);
  assert.equal(r.windowFrom, ys[ys.length - 200].ts);
  assert.ok(r.oos.n > 30 && r.inSample.n === 200);
  assert.ok(r.oos.logLoss < r.oos.uniformLogLoss);
  assert.match(tnoteParamsSummary(r.params), /^scale 0\.\d{4} pp\/day, df/);
});
