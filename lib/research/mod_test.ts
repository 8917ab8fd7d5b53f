import assert from "node:assert/strict";
import * as research from "./mod.ts";

Deno.test("lib/research/mod.ts re-exports the public API", () => {
  for (
    const name of [
      "proportionsZTest",
      "holmAdjust",
      "bhAdjust",
      "adjustPValues",
      "clvStats",
      "groupTable",
      "bucketAnalysis",
      "quantileCuts",
      "thresholdSweep",
      "trailingThresholds",
      "trailingSplit",
      "trailingMask",
      "stability",
      "stackFactors",
      "gateSignals",
      "FactorGate",
      "TrailingQuantile",
    ]
  ) {
    assert.equal(typeof (research as Record<string, unknown>)[name], "function", name);
  }
  assert.equal(research.MS_PER_DAY, 86_400_000);
  // The module example.
  const signals: research.Signal[] = [
    { ts: 0, market: "M", side: "yes", clv: 120, factors: { skew: 0.8 } },
    { ts: 1, market: "M", side: "no", clv: -40, factors: { skew: 0.2 } },
  ];
  assert.deepEqual(
    research.bucketAnalysis(signals, "skew", { cuts: [0.5] }).rows.map((r) => r.rate),
    [0, 1],
  );
});
