import assert from "node:assert/strict";
import { clvStats } from "./clv_stats.ts";
import { holmAdjust } from "./multiple_testing.ts";
import { proportionsZTest } from "./proportion_ztest.ts";
import { sig } from "./test_support.ts";
import { thresholdSweep } from "./threshold_split.ts";

const XS = [
  sig(-1, { f: 0.1 }),
  sig(-2, { f: 0.2 }),
  sig(3, { f: 0.3 }),
  sig(-1, { f: 0.4 }),
  sig(2, { f: 0.5 }),
  sig(4, { f: 0.6 }),
  sig(1, { f: 0.7 }),
  sig(-3, { f: 0.8 }),
];

Deno.test("thresholdSweep: splits, tests and Holm over all thresholds", () => {
  const sw = thresholdSweep(XS, "f", [0.3, 0.5, 0.7]);
  assert.equal(sw.op, ">=");
  assert.equal(sw.thresholdsTried, 3);
  assert.equal(sw.testsTried, 3);
  assert.deepEqual(sw.rows.map((r) => [r.meets.n, r.misses.n]), [[6, 2], [4, 4], [2, 6]]);
  assert.deepEqual(sw.rows[1].meets, clvStats(XS.slice(4)));
  const raw = [
    proportionsZTest(4, 6, 0, 2).pValue,
    proportionsZTest(3, 4, 1, 4).pValue,
    proportionsZTest(1, 2, 3, 6).pValue,
  ];
  assert.deepEqual(sw.rows.map((r) => r.test!.pValue), raw);
  assert.deepEqual(sw.rows.map((r) => r.test!.pAdjusted), holmAdjust(raw));
  assert.equal(sw.rows[0].test!.group, "f >= 0.3");
  assert.equal(sw.rows[0].test!.against, "misses");
});

Deno.test("thresholdSweep: op, empty side, no thresholds", () => {
  const gt = thresholdSweep(XS, "f", [0.3], { op: ">" });
  assert.equal(gt.rows[0].meets.n, 5);
  const lt = thresholdSweep(XS, "f", [0.3], { op: "<" });
  assert.equal(lt.rows[0].meets.n, 2);
  const edge = thresholdSweep(XS, "f", [0, 0.5, 5]);
  assert.equal(edge.thresholdsTried, 3);
  assert.equal(edge.testsTried, 1);
  assert.equal(edge.rows[0].test, null); // everything meets 0
  assert.equal(edge.rows[2].test, null); // nothing meets 5
  assert.equal(edge.rows[1].test!.pAdjusted, edge.rows[1].test!.pValue);
  const none = thresholdSweep(XS, "f", []);
  assert.equal(none.testsTried, 0);
  assert.deepEqual(none.rows, []);
});

Deno.test("thresholdSweep: validation", () => {
  assert.throws(
    () => thresholdSweep(XS, "f", [0.3, NaN]),
    /Cannot sweep thresholds: thresholds\[1\] must be a finite number, current value is NaN/,
  );
  assert.throws(
    () => thresholdSweep([...XS, sig(1, { f: NaN })], "f", [0.3]),
    /signals\[8\]\.factors\.f must be a finite number, current value is NaN/,
  );
  assert.throws(() => thresholdSweep(XS, "f", [0.3], { op: "=" as ">" }), /op must be/);
  assert.throws(() => thresholdSweep(XS, "f", 0.3 as unknown as number[]), /must be an array/);
});
