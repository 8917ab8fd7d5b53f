import assert from "node:assert/strict";
import { DEFAULT_HORIZONS, scoresByHorizon } from "./horizon_scores.ts";

const HOUR = 3_600_000;
const CLOSE = 100 * HOUR;
const closeOf = (m: string) => (m === "unknown" ? undefined : CLOSE);

Deno.test("scoresByHorizon puts each pair in the bucket of its time to close", () => {
  const pairs = [
    { ts: CLOSE - 10 * 60_000, market: "A", pModel: 0.9, pMarket: 0.8, outcome: 1 as const },
    { ts: CLOSE - 15 * 60_000, market: "A", pModel: 0.7, pMarket: 0.6, outcome: 1 as const },
    { ts: CLOSE - 2 * HOUR, market: "A", pModel: 0.2, pMarket: 0.4, outcome: 0 as const },
    { ts: CLOSE - 30 * HOUR, market: "A", pModel: 0.5, pMarket: 0.5, outcome: 0 as const },
  ];
  const s = scoresByHorizon(pairs, closeOf);
  assert.deepEqual(s.map((b) => b.n), [2, 0, 1, 0, 1]);
  assert.ok(Math.abs(s[0].modelBrier - (0.01 + 0.09) / 2) < 1e-15);
  assert.ok(Math.abs(s[0].marketBrier - (0.04 + 0.16) / 2) < 1e-15);
  assert.ok(Math.abs(s[2].marketLogLoss - -Math.log(0.6)) < 1e-15);
  assert.ok(Number.isNaN(s[1].modelBrier));
  assert.equal(s.length, DEFAULT_HORIZONS.length);
});

Deno.test("scoresByHorizon leaves out pairs without a market price, an outcome, a close, or after close", () => {
  const pairs = [
    { ts: CLOSE - HOUR, market: "A", pModel: 0.5, pMarket: null, outcome: 1 as const },
    { ts: CLOSE - HOUR, market: "A", pModel: 0.5, pMarket: 0.5, outcome: null },
    { ts: CLOSE - HOUR, market: "unknown", pModel: 0.5, pMarket: 0.5, outcome: 1 as const },
    { ts: CLOSE + 1, market: "A", pModel: 0.5, pMarket: 0.5, outcome: 1 as const },
    { ts: CLOSE, market: "A", pModel: 0.25, pMarket: 0.5, outcome: 1 as const },
  ];
  const s = scoresByHorizon(pairs, closeOf);
  assert.deepEqual(s.map((b) => b.n), [1, 0, 0, 0, 0]);
  assert.ok(Math.abs(s[0].modelBrier - 0.5625) < 1e-15);
});
