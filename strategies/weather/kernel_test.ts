import assert from "node:assert/strict";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { KernelMixture, reportProbability, roundedKernelTable } from "./kernel.ts";

Deno.test("KernelMixture: one centre is the normal; weights are normalized", () => {
  const d = new KernelMixture().set([70], undefined, 2);
  for (const x of [60, 68.3, 70, 75]) assert.equal(d.cdf(x), normalCdf(x, 70, 2));
  const w = new KernelMixture().set([60, 80], [3, 1], 1);
  assert.ok(Math.abs(w.cdf(70) - 0.75) < 1e-12, "3:1 weights put 0.75 below the middle");
  assert.ok(Math.abs(w.mean() - 65) < 1e-12);
  assert.equal(w.size, 2);
  assert.equal(w.bandwidth, 1);
  assert.ok(Number.isNaN(w.cdf(Number.NaN)));
  // Reused in place with another size.
  d.set([1, 2, 3], undefined, 0.5);
  assert.equal(d.size, 3);
  assert.ok(Math.abs(d.mean() - 2) < 1e-12);
});

Deno.test("KernelMixture: the CDF is non-decreasing from 0 to 1", () => {
  const d = new KernelMixture().set([55, 61, 61, 72], [1, 2, 0, 1], 3);
  let prev = 0;
  for (let x = 20; x <= 110; x += 0.25) {
    const f = d.cdf(x);
    assert.ok(f >= prev - 1e-15, `monotone at ${x}`);
    prev = f;
  }
  assert.ok(d.cdf(-1e6) < 1e-12 && d.cdf(1e6) > 1 - 1e-12);
});

Deno.test("KernelMixture rejects bad input", () => {
  const d = new KernelMixture();
  const cases: [() => unknown, RegExp][] = [
    [() => d.set([], undefined, 1), /at least one centre is needed, current value is 0/],
    [() => d.set([1, Number.NaN], undefined, 1), /centre 1 must be finite, current value is NaN/],
    [() => d.set([1, 2], [1], 1), /weights must have one entry per centre \(2\)/],
    [() => d.set([1, 2], [1, -1], 1), /weight 1 must be finite and >= 0, current value is -1/],
    [() => d.set([1, 2], [0, 0], 1), /the weights sum to 0/],
    [() => d.set([1], undefined, 0), /bandwidth must be finite and > 0, current value is 0/],
    [() => d.set([1], undefined, Infinity), /bandwidth must be finite and > 0/],
  ];
  for (const [f, re] of cases) assert.throws(f, re);
});

Deno.test("reportProbability: whole-degree rounding, sums to 1, accurate tails", () => {
  let s = 0;
  for (let k = 40; k <= 100; k++) s += reportProbability(k, 70.3, 2.5);
  assert.ok(Math.abs(s - 1) < 1e-12);
  assert.ok(
    Math.abs(
      reportProbability(70, 70.3, 2.5) - (normalCdf(70.5, 70.3, 2.5) - normalCdf(69.5, 70.3, 2.5)),
    ) <
      1e-15,
  );
  // 20 sds out the probability is tiny but not lost to cancellation.
  const far = reportProbability(110, 70, 2);
  assert.ok(far > 0 && far < 1e-80, `far tail ${far}`);
  assert.equal(reportProbability(110, 70, 2), reportProbability(30, 70, 2), "symmetric");
  assert.throws(() => reportProbability(1, 0, -1), /bandwidth must be finite and > 0/);
});

Deno.test("roundedKernelTable: symmetric, sums to 1, equals reportProbability", () => {
  const t = roundedKernelTable(1.7, 30);
  assert.equal(t.length, 61);
  let s = 0;
  for (let d = -30; d <= 30; d++) {
    s += t[d + 30];
    assert.equal(t[d + 30], t[30 - d]);
    assert.ok(Math.abs(t[d + 30] - reportProbability(d, 0, 1.7)) < 1e-15, `d = ${d}`);
  }
  assert.ok(Math.abs(s - 1) < 1e-12);
  const out = new Float64Array(61);
  assert.equal(roundedKernelTable(1.7, 30, out), out, "writes into a matching buffer");
  assert.throws(() => roundedKernelTable(1, -1), /radius must be an integer >= 0/);
  assert.throws(() => roundedKernelTable(1, 1.5), /current value is 1.5/);
  assert.throws(() => roundedKernelTable(Number.NaN, 3), /bandwidth must be finite and > 0/);
});
