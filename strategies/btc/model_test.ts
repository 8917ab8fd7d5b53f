import assert from "node:assert/strict";
import {
  affine,
  EwmaVariance,
  MS_PER_YEAR,
  pointMass,
  probAbove,
  settlementDistribution,
  varPerMsFromAnnualVol,
} from "./model.ts";

function near(actual: number, expected: number, tol: number, what = ""): void {
  assert.ok(
    Math.abs(actual - expected) <= tol,
    `${what} expected ${expected} +/- ${tol}, got ${actual}`,
  );
}

/** A small seeded PRNG for the synthetic path (tests only). */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function gaussian(rand: () => number): () => number {
  return () => {
    const u = 1 - rand();
    const v = rand();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

Deno.test("probAbove matches hand-computed N(d2)", () => {
  // sigma^2 tau = 1 (varPerMs 1e-6 over 1e6 ms), S = K: d2 = -0.5.
  near(probAbove(100, 100, 1e-6, 1e6), 0.3085375387259869, 1e-6, "d2=-0.5");
  // ln(S/K) = 1.5, sigma^2 tau = 1: d2 = 1.
  near(probAbove(100 * Math.exp(1.5), 100, 1e-6, 1e6), 0.8413447460685429, 1e-6, "d2=1");
  // sigma sqrt(tau) = 0.2, ln(S/K) = 0.02: d2 = 0.
  near(probAbove(100 * Math.exp(0.02), 100, 0.04 / 3_600_000, 3_600_000), 0.5, 1e-6, "d2=0");
  // sigma sqrt(tau) = 0.2, ln(S/K) = 0.1: d2 = 0.4.
  near(probAbove(100 * Math.exp(0.1), 100, 0.04 / 3_600_000, 3_600_000), 0.6554217416103242, 1e-6);
  // sigma sqrt(tau) = 0.2, ln(S/K) = -0.23: d2 = -1.25.
  near(
    probAbove(70000 * Math.exp(-0.23), 70000, 0.04 / 3_600_000, 3_600_000),
    0.1056497736668553,
    1e-6,
  );
});

Deno.test("probAbove with no variance or no time left is a step", () => {
  assert.equal(probAbove(101, 100, 0, 1000), 1);
  assert.equal(probAbove(99, 100, 1e-9, 0), 0);
  assert.equal(probAbove(100, 100, 1e-9, 0), 0);
});

Deno.test("varPerMsFromAnnualVol", () => {
  near(varPerMsFromAnnualVol(0.5) * MS_PER_YEAR, 0.25, 1e-15);
});

Deno.test("EwmaVariance: first price seeds, dt <= 0 is skipped", () => {
  const e = new EwmaVariance(0.9, 1e-9);
  assert.ok(Number.isNaN(e.last));
  e.update(1000, 100);
  assert.equal(e.samples, 0);
  assert.equal(e.varPerMs, 1e-9);
  assert.equal(e.last, 100);
  assert.equal(e.lastTs, 1000);
  e.update(1000, 120); // same ts: ignored
  e.update(900, 120); // earlier ts: ignored
  assert.equal(e.samples, 0);
  assert.equal(e.last, 100);
  e.update(2000, 100 * Math.exp(0.01));
  // 0.9 * 1e-9 + 0.1 * 1e-4 / 1000
  near(e.varPerMs, 0.9e-9 + 1e-8, 1e-20);
  assert.equal(e.samples, 1);
  assert.equal(e.lastTs, 2000);
});

Deno.test("EwmaVariance rejects bad input", () => {
  assert.throws(() => new EwmaVariance(1, 0), RangeError);
  assert.throws(() => new EwmaVariance(0.9, -1), RangeError);
  const e = new EwmaVariance(0.9, 0);
  assert.throws(() => e.update(0, 0), /price must be finite and > 0, current value is 0/);
  assert.throws(() => e.update(0, Number.NaN), RangeError);
});

Deno.test("EwmaVariance: constant |r|/sqrt(dt) on irregular ticks converges to r^2/dt", () => {
  const target = 2e-9; // per ms
  const e = new EwmaVariance(0.94, 1e-7);
  let ts = 0;
  let s = 50000;
  e.update(ts, s);
  const dts = [250, 1000, 500, 2000, 1000];
  for (let i = 0; i < 400; i++) {
    const dt = dts[i % dts.length];
    ts += dt;
    s *= Math.exp((i % 2 === 0 ? 1 : -1) * Math.sqrt(target * dt));
    e.update(ts, s);
  }
  near(e.varPerMs, target, target * 1e-9);
});

Deno.test("EwmaVariance on a constant-vol GBM path lands near the true variance", () => {
  const trueVar = varPerMsFromAnnualVol(0.6);
  const z = gaussian(mulberry32(12345));
  const e = new EwmaVariance(0.999, trueVar * 4); // start far off
  let ts = 1_700_000_000_000;
  let s = 60000;
  e.update(ts, s);
  let acc = 0;
  let n = 0;
  for (let i = 0; i < 30000; i++) {
    const dt = 1000;
    ts += dt;
    s *= Math.exp(-trueVar * dt / 2 + Math.sqrt(trueVar * dt) * z());
    e.update(ts, s);
    if (i >= 10000) {
      acc += e.varPerMs;
      n++;
    }
  }
  near(acc / n / trueVar, 1, 0.05, "mean EWMA / true");
  near(e.varPerMs / trueVar, 1, 0.2, "final EWMA / true");
});

Deno.test("settlementDistribution: averaging lowers the variance (tau = window)", () => {
  const spot = 70000;
  const v = varPerMsFromAnnualVol(0.5);
  const w = 60_000;
  const avg = settlementDistribution(spot, v, w, w, spot, 0);
  // Whole window ahead: log-variance v * W / 3, mean-matched.
  for (const k of [69900, 69990, 70000, 70010, 70100]) {
    near(1 - avg.cdf(k), probAbove(spot, k, v / 3, w), 1e-9, `K=${k}`);
  }
  // Tighter than the spot at close: less mass above a strike above spot and below one below.
  const kHi = 70050;
  const kLo = 69950;
  assert.ok(1 - avg.cdf(kHi) < probAbove(spot, kHi, v, w));
  assert.ok(avg.cdf(kLo) < 1 - probAbove(spot, kLo, v, w));
});

Deno.test("settlementDistribution: tau > window adds the walk to the window's start", () => {
  const spot = 70000;
  const v = varPerMsFromAnnualVol(0.5);
  const w = 60_000;
  const tau = 3_600_000;
  const d = settlementDistribution(spot, v, tau, w, spot, 0);
  // Variance v * (tau - W) + v * W / 3 = v * (tau - 2W/3).
  for (const k of [68000, 69500, 70000, 70500, 72000]) {
    near(1 - d.cdf(k), probAbove(spot, k, v, tau - (2 * w) / 3), 1e-9, `K=${k}`);
  }
  // Slightly tighter than the spot at close.
  assert.ok(1 - d.cdf(71000) < probAbove(spot, 71000, v, tau));
});

Deno.test("settlementDistribution: inside the window it shifts the future average", () => {
  const v = varPerMsFromAnnualVol(0.8);
  const w = 60_000;
  const tau = 20_000;
  const known = 40_000;
  const knownAvg = 70000;
  const spot = 70300;
  const d = settlementDistribution(spot, v, tau, w, knownAvg, known);
  const a = (knownAvg * known) / w;
  const b = tau / w;
  for (const x of [70050, 70090, 70100, 70110, 70150]) {
    const f = (x - a) / b;
    near(d.cdf(x), 1 - probAbove(spot, f, v / 3, tau), 1e-9, `x=${x}`);
  }
  // Median near (2/3) * 70000 + (1/3) * 70300 = 70100.
  near(d.cdf(70100), 0.5, 0.01);
  assert.ok(d.cdf(70000) < 1e-6);
  assert.ok(d.cdf(70300) > 1 - 1e-6);
});

Deno.test("settlementDistribution: tau -> 0 collapses to the known average", () => {
  const v = varPerMsFromAnnualVol(0.5);
  const w = 60_000;
  const knownAvg = 70000;
  const near0 = settlementDistribution(70500, v, 1, w, knownAvg, w - 1);
  // The last millisecond moves the average by at most about (70500-70000)/60000.
  assert.ok(near0.cdf(knownAvg) < 1e-9);
  assert.ok(near0.cdf(knownAvg + 0.02) > 1 - 1e-9);
  const at0 = settlementDistribution(70500, v, 0, w, knownAvg, w);
  assert.equal(at0.cdf(knownAvg - 1e-9), 0);
  assert.equal(at0.cdf(knownAvg), 1);
  const after = settlementDistribution(70500, v, -5, w, knownAvg, w);
  assert.equal(after.cdf(69999), 0);
  assert.equal(after.cdf(70001), 1);
});

Deno.test("settlementDistribution: zero variance is a point mass at the mean", () => {
  const d = settlementDistribution(70000, 0, 3_600_000, 60_000, 70000, 0);
  assert.equal(d.cdf(69999.99), 0);
  assert.equal(d.cdf(70000), 1);
  const inside = settlementDistribution(70300, 0, 30_000, 60_000, 70000, 30_000);
  assert.equal(inside.cdf(70149.99), 0);
  assert.equal(inside.cdf(70150.01), 1);
});

Deno.test("settlementDistribution rejects bad input", () => {
  assert.throws(
    () => settlementDistribution(0, 1e-9, 1000, 60_000, 1, 0),
    /spot must be finite and > 0, current value is 0/,
  );
  assert.throws(() => settlementDistribution(1, -1, 1000, 60_000, 1, 0), RangeError);
  assert.throws(() => settlementDistribution(1, 1e-9, 0, 60_000, Number.NaN, 0), RangeError);
});

Deno.test("pointMass and affine", () => {
  const p = pointMass(5);
  assert.equal(p.cdf(4.999), 0);
  assert.equal(p.cdf(5), 1);
  const shifted = affine(p, 10, 2); // 10 + 2 * 5 = 20
  assert.equal(shifted.cdf(19.99), 0);
  assert.equal(shifted.cdf(20), 1);
  assert.throws(() => affine(p, 0, 0), RangeError);
});
