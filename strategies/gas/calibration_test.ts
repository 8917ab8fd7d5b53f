import assert from "node:assert/strict";
import { binOfValue } from "../../lib/market/ladder.ts";
import { dayNumber, formatIsoDay } from "../../lib/time/eastern.ts";
import { calibrateWalkForward } from "../walk_forward.ts";
import {
  gasAaaHistoryFromCsv,
  gasEiaHistoryFromCsv,
  gasForecastTask,
  gasLadder,
  gasParamsSummary,
} from "./calibration.ts";
import { gasPublishTs } from "./model.ts";

const HOUR = 3_600_000;
const DAY = 86_400_000;

/** AAA-style daily prices from 2020-01-01, newest first as in the real file. */
function aaaCsv(days: number): string {
  const rows: string[] = [];
  let p = 3;
  for (let i = 0; i < days; i++) {
    p *= Math.exp(0.004 * Math.sin(i * 0.9) + 0.001 * Math.sin(i * 0.05));
    rows.push(`${formatIsoDay(dayNumber(2020, 1, 1) + i)},${p.toFixed(3)}`);
  }
  return ["date,regular_gas_price", ...rows.reverse()].join("\n");
}

Deno.test("gas history: AAA date D is published D + 1 06:00 ET; EIA Monday 17:00 ET", () => {
  const aaa = gasAaaHistoryFromCsv(
    "aaa.csv",
    "date,regular_gas_price\n2025-10-25,3.053\n2025-10-24,3.059\n",
  );
  assert.deepEqual(aaa, [
    { ts: gasPublishTs(dayNumber(2025, 10, 25)), value: 3.059 },
    { ts: gasPublishTs(dayNumber(2025, 10, 26)), value: 3.053 },
  ]);
  const eia = gasEiaHistoryFromCsv("GASREGW.csv", "date,value\n2025-12-29,2.811\n");
  assert.equal(new Date(eia[0].ts).toISOString(), "2025-12-29T22:00:00.000Z");
  assert.throws(() => gasAaaHistoryFromCsv("aaa.csv", "date,value\n"), /field "regular_gas_price"/);
});

Deno.test("gasLadder: 'strictly greater' thresholds around the last price", () => {
  const l = gasLadder(3.0537, 1);
  assert.equal(l.markets[0], "KXAAAGASD-X-T3.02");
  assert.equal(l.markets[6], "KXAAAGASD-X-T3.08");
  assert.equal(binOfValue(l, 3.05), 3); // not greater than 3.05
  assert.equal(binOfValue(l, 3.0505), 4);
  assert.equal(gasLadder(3.0537, 5).markets[3], "KXAAAGASD-X-T3.05");
});

Deno.test("gasForecastTask: horizon, fit window, scores; rejects a bad horizon", () => {
  const ps = gasAaaHistoryFromCsv("x.csv", aaaCsv(300));
  const task = gasForecastTask(ps, { fitWindow: 200, refitEvery: 20 });
  assert.equal(task.decisionTs(ps[100]), ps[100].ts - DAY + HOUR);
  assert.equal(
    gasForecastTask(ps, { horizonDays: 7 }).decisionTs(ps[100]),
    ps[100].ts - 7 * DAY + HOUR,
  );
  const r = calibrateWalkForward(task);
  assert.equal(r.n, 200);
  assert.ok(r.oos.n >= 39 && r.oos.refits === Math.ceil(r.oos.n / 20));
  assert.ok(r.oos.logLoss < r.oos.uniformLogLoss);
  assert.match(
    gasParamsSummary(r.params),
    /^momentum 7 d, beta -?\d\.\d\d, scale 0\.\d{4} \(log\)\/day/,
  );
  assert.throws(
    () => gasForecastTask(ps, { horizonDays: 0 }),
    /Cannot build the gas task: horizonDays must be an integer >= 1, current value is 0/,
  );
});
