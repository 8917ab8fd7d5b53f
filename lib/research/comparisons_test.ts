import assert from "node:assert/strict";
import { compareFamily, resolveCompareOptions } from "./comparisons.ts";
import { holmAdjust } from "./multiple_testing.ts";
import { proportionsZTest } from "./proportion_ztest.ts";

const OPTS = resolveCompareOptions("t", {});

Deno.test("resolveCompareOptions: defaults and validation", () => {
  assert.deepEqual(OPTS, { alternative: "two-sided", adjustment: "holm", alpha: 0.05 });
  assert.deepEqual(resolveCompareOptions("t", { alternative: "larger", adjustment: "bh" }), {
    alternative: "larger",
    adjustment: "bh",
    alpha: 0.05,
  });
  assert.throws(
    () => resolveCompareOptions("analyze", { alternative: "up" as "larger" }),
    /Cannot analyze: alternative must be/,
  );
  assert.throws(
    () => resolveCompareOptions("analyze", { adjustment: "sidak" as "holm" }),
    /Cannot analyze: adjustment must be "holm", "bh" or "none", current value is "sidak"/,
  );
  assert.throws(() => resolveCompareOptions("analyze", { alpha: 1 }), /alpha must be in \(0, 1\)/);
});

Deno.test("compareFamily: tests, nulls for empty sides, adjustment over tests run", () => {
  const pairs = [
    {
      group: "a",
      against: "base",
      groupCounts: { n: 40, positives: 30 },
      againstCounts: { n: 50, positives: 20 },
    },
    {
      group: "b",
      against: "base",
      groupCounts: { n: 0, positives: 0 },
      againstCounts: { n: 50, positives: 20 },
    },
    {
      group: "c",
      against: "base",
      groupCounts: { n: 30, positives: 14 },
      againstCounts: { n: 50, positives: 20 },
    },
    {
      group: "d",
      against: "base",
      groupCounts: { n: 10, positives: 0 },
      againstCounts: { n: 0, positives: 0 },
    },
    {
      group: "e",
      against: "base",
      groupCounts: { n: 5, positives: 0 },
      againstCounts: { n: 7, positives: 0 },
    },
  ];
  const fam = compareFamily(pairs, OPTS);
  assert.equal(fam.testsTried, 3);
  assert.equal(fam.tests[1], null);
  assert.equal(fam.tests[3], null);
  const ra = proportionsZTest(30, 40, 20, 50);
  const rc = proportionsZTest(14, 30, 20, 50);
  const adj = holmAdjust([ra.pValue, rc.pValue, 1]);
  assert.deepEqual(fam.tests[0], {
    group: "a",
    against: "base",
    diff: ra.diff,
    z: ra.z,
    pValue: ra.pValue,
    pAdjusted: adj[0],
  });
  assert.equal(fam.tests[2]!.pAdjusted, adj[1]);
  // Pooled 0: tested (it counts in the family) with z = 0, p = 1.
  assert.equal(fam.tests[4]!.z, 0);
  assert.equal(fam.tests[4]!.pValue, 1);
  assert.equal(fam.tests[4]!.pAdjusted, 1);
});

Deno.test("compareFamily: empty family", () => {
  assert.deepEqual(compareFamily([], OPTS), { tests: [], testsTried: 0 });
});
