import assert from "node:assert/strict";
import { binOfValue } from "../../lib/market/ladder.ts";
import { dayNumber, formatIsoDay } from "../../lib/time/eastern.ts";
import { calibrateWalkForward } from "../walk_forward.ts";
import {
  claimsForecastTask,
  claimsHistoryFromCsv,
  claimsLadder,
  claimsParamsSummary,
} from "./calibration.ts";
import { claimsReleaseTs } from "./model.ts";

/** `n` weekly prints from the week ending 2000-01-01, around 300,000 with a wiggle. */
function icsaCsv(n: number): string {
  const lines = ["date,value"];
  const start = dayNumber(2000, 1, 1);
  for (let i = 0; i < n; i++) {
    const v = 300000 + 8000 * Math.sin(i * 0.7) + 3000 * Math.cos(i * 2.3);
    lines.push(`${formatIsoDay(start + 7 * i)},${Math.round(v)}`);
  }
  return lines.join("\n");
}

Deno.test("claimsHistoryFromCsv: prints at Thursday 08:30 ET after the week", () => {
  const h = claimsHistoryFromCsv("ICSA.csv", "date,value\n2025-01-04,211000.0\n");
  assert.deepEqual(h, [{ ts: claimsReleaseTs(dayNumber(2025, 1, 4)), value: 211000 }]);
  assert.equal(new Date(h[0].ts).toISOString(), "2025-01-09T13:30:00.000Z");
  assert.throws(
    () => claimsHistoryFromCsv("ICSA.csv", "week,value\n"),
    /ICSA\.csv:1: field "date"/,
  );
});

Deno.test("claimsLadder: 7 'at least' thresholds 5,000 apart around the last print", () => {
  const l = claimsLadder(212400);
  assert.equal(l.markets[0], "KXJOBLESSCLAIMS-X-T195000");
  assert.equal(l.markets[6], "KXJOBLESSCLAIMS-X-T225000");
  assert.equal(binOfValue(l, 210000), 4); // "at least 210,000" is YES at 210,000
});

Deno.test("claimsForecastTask: fits and scores walk-forward", () => {
  const prints = claimsHistoryFromCsv("x.csv", icsaCsv(160));
  const r = calibrateWalkForward(claimsForecastTask(prints));
  assert.equal(r.n, 160);
  assert.ok(r.oos.n > 25);
  assert.equal(r.oos.refits, Math.ceil(r.oos.n / 13));
  assert.ok(Number.isFinite(r.oos.logLoss) && Number.isFinite(r.inSample.logLoss));
  assert.match(
    claimsParamsSummary(r.params),
    /^alpha \d\.\d\d, 2 harmonics, scale 0\.\d{4} \(log\), df/,
  );
});
