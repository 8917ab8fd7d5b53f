import assert from "node:assert/strict";
import { reliabilityBins, wilsonInterval } from "./reliability.ts";

const close = (a: number, b: number, tol = 1e-14) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

Deno.test("wilsonInterval: reference values (statsmodels 0.13.5)", () => {
  // proportion_confint(7, 10, 0.05, method="wilson")
  let ci = wilsonInterval(7, 10);
  close(ci.lo, 0.39677814746114537);
  close(ci.hi, 0.8922087325936989);
  // proportion_confint(0, 20, 0.1, method="wilson") = (0.0, 0.11915783736096455)
  ci = wilsonInterval(0, 20, 0.1);
  assert.equal(ci.lo, 0);
  close(ci.hi, 0.11915783736096455);
});

Deno.test("wilsonInterval: hand formula with z = 1.959963984540054", () => {
  const z = 1.959963984540054;
  const s = 3, n = 8, q = s / n;
  const denom = 1 + z * z / n;
  const center = (q + z * z / (2 * n)) / denom;
  const half = z * Math.sqrt(q * (1 - q) / n + z * z / (4 * n * n)) / denom;
  const ci = wilsonInterval(s, n);
  close(ci.lo, center - half);
  close(ci.hi, center + half);
});

Deno.test("wilsonInterval: boundaries and symmetry", () => {
  assert.deepEqual(wilsonInterval(0, 0), { lo: 0, hi: 1 });
  const all = wilsonInterval(5, 5);
  assert.equal(all.hi, 1);
  const none = wilsonInterval(0, 5);
  assert.equal(none.lo, 0);
  close(all.lo, 1 - none.hi);
  const a = wilsonInterval(3, 17, 0.01), b = wilsonInterval(14, 17, 0.01);
  close(a.lo, 1 - b.hi);
  close(a.hi, 1 - b.lo);
  // Wider at higher confidence.
  const w90 = wilsonInterval(40, 100, 0.1), w99 = wilsonInterval(40, 100, 0.01);
  assert.ok(w99.lo < w90.lo && w99.hi > w90.hi);
});

Deno.test("wilsonInterval: validation", () => {
  assert.throws(() => wilsonInterval(3, 2), {
    name: "RangeError",
    message:
      "Cannot compute Wilson interval: successes must be an integer in [0, 2], current value is 3",
  });
  assert.throws(() => wilsonInterval(1.5, 2), /successes/);
  assert.throws(() => wilsonInterval(-1, 2), /successes/);
  assert.throws(() => wilsonInterval(0, -1), {
    message: "Cannot compute Wilson interval: n must be an integer >= 0, current value is -1",
  });
  assert.throws(() => wilsonInterval(1, 2, 0), /alpha must be in \(0, 1\), current value is 0/);
  assert.throws(() => wilsonInterval(1, 2, 1), /alpha/);
  assert.throws(() => wilsonInterval(1, 2, NaN), /alpha/);
});

Deno.test("reliabilityBins: hand-computed", () => {
  const bins = reliabilityBins([0.05, 0.15, 0.12, 1], [0, 1, 0, 1], 2);
  assert.equal(bins.length, 2);
  assert.equal(bins[0].lo, 0);
  assert.equal(bins[0].hi, 0.5);
  assert.equal(bins[0].count, 3);
  close(bins[0].meanForecast, 0.32 / 3);
  close(bins[0].observedRate, 1 / 3);
  assert.deepEqual(
    { lo: bins[0].wilsonLo, hi: bins[0].wilsonHi },
    wilsonInterval(1, 3),
  );
  assert.equal(bins[1].lo, 0.5);
  assert.equal(bins[1].hi, 1);
  assert.equal(bins[1].count, 1);
  assert.equal(bins[1].meanForecast, 1);
  assert.equal(bins[1].observedRate, 1);
  assert.equal(bins[1].wilsonHi, 1);
});

Deno.test("reliabilityBins: edges, p = 1 in the last bin, empty bins", () => {
  const p = [0, 0.1, 0.2, 0.3, 0.7, 0.9, 0.99, 1];
  const y = [0, 0, 1, 0, 1, 1, 1, 1];
  const bins = reliabilityBins(p, y);
  assert.equal(bins.length, 10);
  assert.deepEqual(bins.map((b) => b.count), [1, 1, 1, 1, 0, 0, 0, 1, 0, 3]);
  for (let i = 0; i < 10; i++) {
    assert.equal(bins[i].lo, i / 10);
    assert.equal(bins[i].hi, (i + 1) / 10);
  }
  const empty = bins[4];
  assert.ok(Number.isNaN(empty.meanForecast));
  assert.ok(Number.isNaN(empty.observedRate));
  assert.equal(empty.wilsonLo, 0);
  assert.equal(empty.wilsonHi, 1);
  close(bins[9].meanForecast, (0.9 + 0.99 + 1) / 3);
  assert.equal(bins[9].observedRate, 1);
  // Every p lies in [lo, hi) of its bin (hi inclusive for the last bin).
  for (let k = 0; k <= 1000; k++) {
    const x = k / 1000;
    const bs = reliabilityBins([x], [0], 7);
    const b = bs.findIndex((b) => b.count === 1);
    assert.ok(bs[b].lo <= x && (x < bs[b].hi || (b === 6 && x === 1)), `p=${x} bin ${b}`);
  }
});

Deno.test("reliabilityBins: single bin and alpha", () => {
  const bins = reliabilityBins([0.2, 0.8], [0, 1], 1, 0.1);
  assert.equal(bins.length, 1);
  assert.equal(bins[0].count, 2);
  assert.equal(bins[0].meanForecast, 0.5);
  assert.deepEqual({ lo: bins[0].wilsonLo, hi: bins[0].wilsonHi }, wilsonInterval(1, 2, 0.1));
});

Deno.test("reliabilityBins: validation", () => {
  assert.throws(() => reliabilityBins([0.5], [1], 0), {
    name: "RangeError",
    message: "Cannot compute reliability bins: nBins must be an integer >= 1, current value is 0",
  });
  assert.throws(() => reliabilityBins([0.5], [1], 2.5), /nBins/);
  assert.throws(() => reliabilityBins([0.5], [1, 0]), {
    message: "Cannot compute reliability bins: lengths differ, current value is 1 vs 2",
  });
  assert.throws(() => reliabilityBins([2], [1]), /p\[0\]/);
  assert.throws(() => reliabilityBins([0.5], [1], 10, 2), /alpha/);
});
