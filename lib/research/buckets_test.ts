import assert from "node:assert/strict";
import {
  assertCuts,
  bucketAnalysis,
  bucketIndex,
  bucketLabel,
  quantileCuts,
  resolveCuts,
} from "./buckets.ts";
import { clvStats } from "./clv_stats.ts";
import { groupTable } from "./group_table.ts";
import { sig } from "./test_support.ts";

Deno.test("bucketIndex: closed below, open above", () => {
  const cuts = [0.25, 0.5, 0.75];
  assert.equal(bucketIndex(-1e9, cuts), 0);
  assert.equal(bucketIndex(0.2499, cuts), 0);
  assert.equal(bucketIndex(0.25, cuts), 1);
  assert.equal(bucketIndex(0.5, cuts), 2);
  assert.equal(bucketIndex(0.7499, cuts), 2);
  assert.equal(bucketIndex(0.75, cuts), 3);
  assert.equal(bucketIndex(1e9, cuts), 3);
  assert.equal(bucketIndex(5, []), 0);
});

Deno.test("bucketLabel and assertCuts", () => {
  assert.equal(bucketLabel(-Infinity, 0.25), "[-inf, 0.25)");
  assert.equal(bucketLabel(0.25, Infinity), "[0.25, inf)");
  assertCuts("x", []);
  assertCuts("x", [-1, 0, 2]);
  assert.throws(
    () => assertCuts("analyze buckets", [0.5, 0.5]),
    {
      message: "Cannot analyze buckets: cuts must be strictly increasing, cuts[1] is not above " +
        "cuts[0], current value is 0.5 <= 0.5",
    },
  );
  assert.throws(
    () => assertCuts("x", [0, NaN]),
    /cuts\[1\] must be a finite number, current value is NaN/,
  );
  assert.throws(() => assertCuts("x", [Infinity]), /current value is Infinity/);
});

Deno.test("quantileCuts: equal-count cuts, ties merged, minimum dropped", () => {
  assert.deepEqual(quantileCuts([5, 1, 4, 2, 3], 4), [2, 3, 4]);
  assert.deepEqual(quantileCuts([1, 2, 3, 4], 2), [2.5]);
  assert.deepEqual(quantileCuts([1, 1, 1, 2], 2), []);
  assert.deepEqual(quantileCuts([1, 1, 2, 2, 2, 2, 3, 3], 4), [1.75, 2, 2.25]);
  assert.deepEqual(quantileCuts([1, 2, 2, 2, 2, 2, 2, 3], 4), [2]);
  assert.deepEqual(quantileCuts([7, 7, 7], 3), []);
  assert.deepEqual(quantileCuts([3], 1), []);
  assert.throws(() => quantileCuts([], 4), /need at least one value, current value is 0 values/);
  assert.throws(
    () => quantileCuts([1], 0),
    /quantiles must be an integer >= 1, current value is 0/,
  );
  assert.throws(() => quantileCuts([1], 2.5), /current value is 2.5/);
  assert.throws(
    () => quantileCuts([1, NaN], 2),
    /values\[1\] must be a finite number, current value is NaN/,
  );
});

Deno.test("resolveCuts: fixed or quantile, bad spec", () => {
  assert.deepEqual(resolveCuts([], { cuts: [0.5] }), [0.5]);
  assert.deepEqual(resolveCuts([1, 2, 3], { quantiles: 2 }), [2]);
  assert.throws(
    () => resolveCuts([1], {} as { cuts: number[] }),
    /Cannot resolve bucket cuts: spec must be \{ cuts \} or \{ quantiles \}, current value is \{\}/,
  );
  assert.throws(() => resolveCuts([1], { cuts: [2, 1] }), /strictly increasing/);
});

Deno.test("bucketAnalysis: fixed cuts, rows match clvStats and groupTable", () => {
  const xs = [
    sig(-3, { skew: 0.1 }),
    sig(4, { skew: 0.2 }),
    sig(5, { skew: 0.5 }), // on the cut: upper bucket
    sig(2, { skew: 0.8 }),
    sig(-1, { skew: 0.9 }),
    sig(0, { skew: 0.95 }),
  ];
  const a = bucketAnalysis(xs, "skew", { cuts: [0.5] }, { baseline: 0 });
  assert.equal(a.factor, "skew");
  assert.deepEqual(a.cuts, [0.5]);
  assert.equal(a.bucketsTried, 2);
  assert.equal(a.testsTried, 1);
  assert.equal(a.against, "[-inf, 0.5)");
  assert.deepEqual(a.rows.map((r) => [r.label, r.lo, r.hi, r.n, r.positives]), [
    ["[-inf, 0.5)", -Infinity, 0.5, 2, 1],
    ["[0.5, inf)", 0.5, Infinity, 4, 2],
  ]);
  const t = groupTable([
    { label: "[-inf, 0.5)", signals: xs.slice(0, 2) },
    { label: "[0.5, inf)", signals: xs.slice(2) },
  ], { baseline: "[-inf, 0.5)" });
  assert.deepEqual(a.rows.map(({ lo: _lo, hi: _hi, ...r }) => r), t.rows);
  const { lo: _a, hi: _b, label: _c, role: _d, test: _e, ...stats } = a.rows[1];
  assert.deepEqual(stats, clvStats(xs.slice(2)));
  assert.equal(a.rows[1].medianClv, 1);
});

Deno.test("bucketAnalysis: quantile buckets, rest comparison, empty buckets", () => {
  const xs = Array.from({ length: 40 }, (_, i) => sig(i % 3 === 0 ? 1 : -1, { f: i }));
  const q = bucketAnalysis(xs, "f", { quantiles: 4 });
  assert.deepEqual(q.cuts, [9.75, 19.5, 29.25]);
  assert.deepEqual(q.rows.map((r) => r.n), [10, 10, 10, 10]);
  assert.equal(q.against, "rest");
  assert.equal(q.testsTried, 4);
  // Fixed cuts with an empty middle bucket.
  const e = bucketAnalysis(xs, "f", { cuts: [9.5, 9.75, 20] });
  assert.deepEqual(e.rows.map((r) => r.n), [10, 0, 10, 20]);
  assert.deepEqual(e.rows.map((r) => r.role), ["tested", "untested", "tested", "tested"]);
  assert.equal(e.bucketsTried, 4);
  assert.equal(e.testsTried, 3);
  // No signals with fixed cuts: every bucket empty, nothing tested.
  const none = bucketAnalysis([], "f", { cuts: [1] });
  assert.deepEqual(none.rows.map((r) => r.n), [0, 0]);
  assert.equal(none.testsTried, 0);
  // No cuts: one bucket, no comparison possible.
  const one = bucketAnalysis(xs, "f", { cuts: [] });
  assert.equal(one.rows.length, 1);
  assert.equal(one.rows[0].label, "[-inf, inf)");
  assert.equal(one.testsTried, 0);
});

Deno.test("bucketAnalysis: validation", () => {
  const xs = [sig(1, { f: 0.2 }), sig(-1, { f: NaN })];
  assert.throws(() => bucketAnalysis(xs, "f", { cuts: [0.5] }), {
    name: "RangeError",
    message:
      "Cannot analyze buckets: signals[1].factors.f must be a finite number, current value is NaN",
  });
  assert.throws(
    () => bucketAnalysis([sig(1, { g: 1 })], "f", { cuts: [0.5] }),
    /signals\[0\]\.factors\.f must be a finite number, current value is undefined/,
  );
  assert.throws(
    () => bucketAnalysis([], "f", { quantiles: 4 }),
    /Cannot analyze buckets: quantile buckets need at least one signal, current value is 0 signals/,
  );
  const ok = [sig(1, { f: 0.2 }), sig(-1, { f: 0.7 })];
  assert.throws(
    () => bucketAnalysis(ok, "f", { cuts: [0.5] }, { baseline: 2 }),
    /baseline must be a bucket index in \[0, 1\], current value is 2/,
  );
  assert.throws(
    () => bucketAnalysis(ok, "f", { cuts: [0.5] }, { baseline: -1 }),
    /current value is -1/,
  );
  assert.throws(() => bucketAnalysis(ok, "", { cuts: [0.5] }), /factor must be a non-empty string/);
  assert.throws(
    () => bucketAnalysis(ok, "f", { cuts: [0.5] }, { adjustment: "x" as "bh" }),
    /adjustment/,
  );
});
