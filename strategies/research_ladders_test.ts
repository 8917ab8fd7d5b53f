import assert from "node:assert/strict";
import { binOfValue } from "../lib/market/ladder.ts";
import { ladderFromStrikes, niceStep, thresholdLadder } from "./research_ladders.ts";

Deno.test("thresholdLadder: 7 strikes, 8 bins, exact strikes in units", () => {
  const l = thresholdLadder("KXCPI-X", "greater", 3, 1, 10, 0.1);
  assert.equal(l.series, "KXCPI");
  assert.equal(l.markets.length, 7);
  assert.equal(l.bins.length, 8);
  assert.deepEqual(l.markets, [0, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6].map((k) => `KXCPI-X-T${k}`));
  // "greater than 0.2": a print of 0.2 is in the bin below 0.2's threshold.
  assert.equal(binOfValue(l, 0.2), 2);
  assert.equal(binOfValue(l, 0.24), 2); // reported as 0.2
  assert.equal(binOfValue(l, 0.25), 3); // reported as 0.3
  assert.equal(binOfValue(l, -5), 0);
  assert.equal(binOfValue(l, 5), 7);
});

Deno.test("thresholdLadder: perSide and at-least strikes", () => {
  const l = thresholdLadder("KXJOBLESSCLAIMS-X", "greater_or_equal", 220000, 5000, 1, 1000, 1);
  assert.equal(l.markets.length, 3);
  assert.equal(binOfValue(l, 220000), 2); // "at least 220,000" is YES at 220,000
  assert.equal(binOfValue(l, 219000), 1);
});

Deno.test("thresholdLadder rejects bad spacing, perSide and centre", () => {
  assert.throws(
    () => thresholdLadder("A-X", "greater", 0, 0, 1, 1),
    /Cannot build a threshold ladder: spacing must be finite and > 0, current value is 0/,
  );
  assert.throws(
    () => thresholdLadder("A-X", "greater", 0, 1, 1, 1, -1),
    /perSide must be an integer >= 0, current value is -1/,
  );
  assert.throws(
    () => thresholdLadder("A-X", "greater", NaN, 1, 1, 1),
    /centre must be finite, current value is NaN/,
  );
});

Deno.test("ladderFromStrikes: an exclusive range ladder and a continuous outcome", () => {
  const l = ladderFromStrikes("KXTNOTED-X", 0.01, true, [
    { suffix: "L", type: "less", cap: 4 },
    { suffix: "B0", type: "between", floor: 4, cap: 4.04 },
    { suffix: "H", type: "greater", floor: 4.04 },
  ]);
  assert.equal(l.bins.length, 3);
  assert.equal(binOfValue(l, 4.02), 1);
  const c = ladderFromStrikes("KXBTCD-X", undefined, false, [
    { suffix: "T99.99", type: "greater", floor: 99.99 },
  ]);
  assert.equal(c.outcomeStep, undefined);
  assert.equal(binOfValue(c, 99.995), 1);
  assert.throws(() => ladderFromStrikes("A-X", 1, true, []), /no markets/);
});

Deno.test("niceStep picks 1, 2, 2.5, 5 x 10^k", () => {
  assert.equal(niceStep(255), 250);
  assert.equal(niceStep(385), 500);
  assert.equal(niceStep(0.035), 0.025);
  assert.equal(niceStep(1), 1);
  assert.equal(niceStep(8), 10);
  assert.equal(niceStep(1.6), 2);
  assert.throws(
    () => niceStep(0),
    /Cannot pick a strike spacing: x must be finite and > 0, current value is 0/,
  );
});
