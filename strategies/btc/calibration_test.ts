import assert from "node:assert/strict";
import { ImportError } from "../../lib/import/types.ts";
import { binOfValue } from "../../lib/market/ladder.ts";
import { calibrateWalkForward } from "../walk_forward.ts";
import { btcForecastTask, btcHistoryFromCsv, btcLadder, btcParamsSummary } from "./calibration.ts";

const MS_PER_DAY = 86_400_000;

const HEADER = "timestamp,open,close,volume,unix_timestamp,high,low";

/** Daily candles from 2020-01-01 with a deterministic wiggle, in the file's odd column order. */
function candlesCsv(days: number): string {
  const lines = [HEADER];
  let p = 10000;
  const t0 = Date.UTC(2020, 0, 1) / 1000;
  for (let i = 0; i < days; i++) {
    const open = p;
    p *= Math.exp(0.03 * Math.sin(i * 1.3) * (1 + 0.5 * Math.sin(i / 40)));
    const unix = t0 + 86_400 * i;
    const stamp = new Date(unix * 1000).toISOString().slice(0, 10) + " 00:00:00";
    lines.push(
      `${stamp},${open.toFixed(2)},${p.toFixed(2)},1.5,${unix},${p.toFixed(2)},${open.toFixed(2)}`,
    );
  }
  return lines.join("\n");
}

Deno.test("btcHistoryFromCsv: the close of day D is known at D + 1 00:00 UTC, any row order", () => {
  const text =
    `${HEADER}\n2025-09-24 00:00:00,112017.21,113700.11,2759.8,1758672000,113950.0,111066.07\n` +
    `2025-09-23 00:00:00,112736.59,112017.21,4512.0,1758585600,113357.0,111502.08\n`;
  assert.deepEqual(btcHistoryFromCsv("btc.csv", text), [
    { ts: Date.UTC(2025, 8, 24), value: 112017.21 },
    { ts: Date.UTC(2025, 8, 25), value: 113700.11 },
  ]);
});

Deno.test("btcHistoryFromCsv: clear errors (shifted columns, bad close, repeated day)", () => {
  const err = (row: string) => {
    try {
      btcHistoryFromCsv("btc.csv", `${HEADER}\n${row}\n`);
    } catch (e) {
      assert.ok(e instanceof ImportError);
      return e.message;
    }
    assert.fail("expected an error");
  };
  assert.match(
    err("2025-09-24 00:00:00,1,2,3,1758585600,4,5"),
    /btc\.csv:2: field "timestamp": .*UTC day of unix_timestamp \(2025-09-23\), current value is "2025-09-24 00:00:00"/,
  );
  assert.match(
    err("2025-09-23 00:00:00,1,-2,3,1758585600,4,5"),
    /field "close": .*current value is "-2"/,
  );
  assert.match(err("2025-09-23 00:00:00,1,2,3,1758585601,4,5"), /field "unix_timestamp"/);
  assert.match(
    err("2025-09-23 00:00:00,1,2,3,1758585600,4,5\n2025-09-23 00:00:00,1,2,3,1758585600,4,5"),
    /btc\.csv:3: .*day repeated \(also on line 2\)/,
  );
});

Deno.test("btcLadder: 41 KXBTCD-style strikes at K - 0.01, spacing ~0.35% of the price", () => {
  const l = btcLadder(73100);
  assert.equal(l.markets.length, 41);
  assert.equal(l.bins.length, 42);
  assert.equal(l.outcomeStep, undefined);
  assert.ok(l.markets.includes("KXBTCD-X-T72999.99"));
  assert.ok(l.markets.includes("KXBTCD-X-T73249.99"));
  assert.equal(l.markets[0], "KXBTCD-X-T67999.99");
  assert.equal(binOfValue(l, 73000), 21);
  const cheap = btcLadder(10.9); // spacing $0.05, no 0.01 offset
  assert.equal(cheap.markets[20], "KXBTCD-X-T10.9");
  assert.equal(cheap.markets[21], "KXBTCD-X-T10.95");
});

Deno.test("btcForecastTask: decision 24 h ahead, fits and scores walk-forward", () => {
  const closes = btcHistoryFromCsv("x.csv", candlesCsv(400));
  const task = btcForecastTask(closes);
  assert.equal(task.decisionTs(closes[100]), closes[99].ts);
  assert.equal(closes[100].ts - closes[99].ts, MS_PER_DAY);
  const r = calibrateWalkForward(task);
  assert.equal(r.n, 400);
  assert.ok(r.oos.n === 80 && r.oos.refits === 3);
  assert.ok(r.oos.logLoss < r.oos.uniformLogLoss);
  assert.match(
    btcParamsSummary(r.params),
    /^lambda 0\.\d{3}\/day \(half-life [\d.]+ d\), drift -?[\d.]+ bp\/day$/,
  );
  const flat = btcForecastTask(closes, { drift: false, fitWindow: 100 });
  assert.equal(flat.fit(closes.slice(0, 100), closes[100].ts).driftPerDay, 0);
});
