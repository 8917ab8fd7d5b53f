import assert from "node:assert/strict";
import { clvStats } from "./clv_stats.ts";
import { bhAdjust, holmAdjust } from "./multiple_testing.ts";
import { proportionsZTest } from "./proportion_ztest.ts";
import type { Signal } from "./signal.ts";
import { stackFactors } from "./stacking.ts";
import { sig } from "./test_support.ts";

/** pos of n signals with factors x, y. */
function cell(x: number, y: number, pos: number, n: number): Signal[] {
  return Array.from({ length: n }, (_, i) => sig(i < pos ? 2 : -2, { x, y }));
}

const XS = [cell(1, 1, 18, 20), cell(1, 0, 10, 20), cell(0, 1, 9, 20), cell(0, 0, 6, 20)].flat();
const A = { factor: "x", op: ">=" as const, threshold: 1 };
const B = { factor: "y", op: ">=" as const, threshold: 1 };

Deno.test("stackFactors: cells, marginals and five adjusted tests", () => {
  const r = stackFactors(XS, A, B);
  assert.equal(r.a, "x >= 1");
  assert.equal(r.b, "y >= 1");
  assert.deepEqual(
    [r.cells.both, r.cells.aOnly, r.cells.bOnly, r.cells.neither].map((c) => [c.n, c.positives]),
    [[20, 18], [20, 10], [20, 9], [20, 6]],
  );
  assert.deepEqual(r.aAll, clvStats(XS.slice(0, 40)));
  assert.deepEqual(r.bAll, clvStats([...XS.slice(0, 20), ...XS.slice(40, 60)]));
  assert.equal(r.all.n, 80);
  assert.equal(r.excluded, 0);
  assert.equal(r.testsTried, 5);
  const raw = [
    proportionsZTest(18, 20, 10, 20),
    proportionsZTest(18, 20, 9, 20),
    proportionsZTest(18, 20, 6, 20),
    proportionsZTest(10, 20, 6, 20),
    proportionsZTest(9, 20, 6, 20),
  ];
  const t = r.tests;
  const got = [t.bothVsAOnly, t.bothVsBOnly, t.bothVsNeither, t.aOnlyVsNeither, t.bOnlyVsNeither];
  assert.deepEqual(got.map((g) => g!.z), raw.map((x) => x.z));
  assert.deepEqual(got.map((g) => g!.pAdjusted), holmAdjust(raw.map((x) => x.pValue)));
  assert.deepEqual(got.map((g) => `${g!.group} vs ${g!.against}`), [
    "both vs a-only",
    "both vs b-only",
    "both vs neither",
    "a-only vs neither",
    "b-only vs neither",
  ]);
  const bh = stackFactors(XS, A, B, { adjustment: "bh", alternative: "larger" });
  assert.equal(bh.tests.bothVsAOnly!.pValue, proportionsZTest(18, 20, 10, 20, "larger").pValue);
  assert.equal(
    bh.tests.bOnlyVsNeither!.pAdjusted,
    bhAdjust(
      [18, 18, 18, 10, 9].map((c, k) =>
        proportionsZTest(c, 20, [10, 9, 6, 6, 6][k], 20, "larger").pValue
      ),
    )[4],
  );
});

Deno.test("stackFactors: masks, exclusions and empty cells", () => {
  const maskA = XS.map((s, i) => i % 10 === 0 ? undefined : s.factors.x === 1);
  const r = stackFactors(XS, { label: "trailing x", mask: maskA }, B);
  assert.equal(r.a, "trailing x");
  assert.equal(r.excluded, 8);
  assert.equal(r.all.n, 72);
  assert.equal(r.cells.both.n, 18);
  // B never holds: both and b-only are empty, only a-only vs neither is tested.
  const never = { factor: "y", op: ">" as const, threshold: 5 };
  const e = stackFactors(XS, A, never);
  assert.equal(e.cells.both.n, 0);
  assert.equal(e.cells.bOnly.n, 0);
  assert.equal(e.testsTried, 1);
  assert.equal(e.tests.bothVsAOnly, null);
  assert.equal(e.tests.aOnlyVsNeither!.pAdjusted, e.tests.aOnlyVsNeither!.pValue);
  const none = stackFactors([], A, B);
  assert.equal(none.testsTried, 0);
  assert.equal(none.all.n, 0);
});

Deno.test("stackFactors: validation", () => {
  assert.throws(
    () => stackFactors(XS, { label: "m", mask: [true] }, B),
    /Cannot stack factors: a\.mask must have one entry per signal \(80\), current value is length 1/,
  );
  assert.throws(
    () => stackFactors(XS.slice(0, 1), A, { label: "m", mask: [1 as unknown as boolean] }),
    /b\.mask\[0\] must be true, false or undefined, current value is 1/,
  );
  assert.throws(
    () => stackFactors(XS.slice(0, 1), { label: "", mask: [true] }, B),
    /a\.label must be a non-empty string/,
  );
  assert.throws(
    () => stackFactors([sig(1, { x: 1 })], A, B),
    /signals\[0\]\.factors\.y must be a finite number, current value is undefined/,
  );
  assert.throws(
    () => stackFactors(XS, { ...A, threshold: NaN }, B),
    /threshold of x must be a finite number, current value is NaN/,
  );
  assert.throws(() => stackFactors(XS, A, B, { alpha: 0 }), /alpha must be in \(0, 1\)/);
});
