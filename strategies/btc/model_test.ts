import assert from "node:assert/strict";
import {
  affine,
  btcModel,
  btcSettlementDistribution,
  ewmaHalfLife,
  ewmaLogLikelihood,
  ewmaStateAt,
  EwmaVariance,
  lambdaForInterval,
  MIN_DAILY_VARIANCE,
  MS_PER_YEAR,
  pointMass,
  probAbove,
  settlementDistribution,
  varPerMsFromAnnualVol,
} from "./model.ts";
import type { Observation } from "../family.ts";
import { btcThresholdLadder } from "../../lib/market/test_fixtures.ts";

const MS_PER_DAY = 86_400_000;

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

// --- Calibration on daily closes (btcModel) ---

/**
 * Daily closes from a seeded GARCH(1,1) close to an EWMA with decay `lambda`:
 * var' = 0.01 vbar + (1 - lambda) r^2 + (lambda - 0.01) var, vbar = (3% a day)^2
 * (a pure EWMA's variance drifts to 0 over long paths).
 */
function ewmaPath(n: number, lambda: number, seed: number, driftPerDay = 0): Observation[] {
  const z = gaussian(mulberry32(seed));
  const vbar = 0.0009;
  let v = vbar;
  let p = 30000;
  const out: Observation[] = [{ ts: 0, value: p }];
  for (let i = 1; i < n; i++) {
    const r = driftPerDay - v / 2 + Math.sqrt(v) * z();
    p *= Math.exp(r);
    out.push({ ts: i * MS_PER_DAY, value: p });
    v = 0.01 * vbar + (1 - lambda) * r * r + (lambda - 0.01) * v;
  }
  return out;
}

Deno.test("ewmaLogLikelihood matches a hand computation (burn-in 1, fixed and fitted drift)", () => {
  const closes = [100, 110, 99, 104].map((value, i) => ({ ts: i * MS_PER_DAY, value }));
  const lambda = 0.8;
  const r = [1, 2, 3].map((i) => Math.log(closes[i].value / closes[i - 1].value));
  const v2 = r[0] * r[0]; // seed: the first return's r^2 (per day)
  const v3 = lambda * v2 + (1 - lambda) * r[1] * r[1];
  const term = (x: number, v: number, mu: number) => {
    const m = mu - v / 2;
    return -0.5 * (Math.log(2 * Math.PI * v) + ((x - m) * (x - m)) / v);
  };
  const at0 = ewmaLogLikelihood(closes, lambda, 1, 0);
  assert.equal(at0.n, 2);
  near(at0.logLikelihood, term(r[1], v2, 0) + term(r[2], v3, 0), 1e-9);
  const mu = ((r[1] + v2 / 2) / v2 + (r[2] + v3 / 2) / v3) / (1 / v2 + 1 / v3);
  const fit = ewmaLogLikelihood(closes, lambda, 1, "fit");
  near(fit.driftPerDay, mu, 1e-12);
  near(fit.logLikelihood, term(r[1], v2, mu) + term(r[2], v3, mu), 1e-9);
  assert.ok(fit.logLikelihood >= at0.logLikelihood);
});

Deno.test("ewmaLogLikelihood rejects bad closes and parameters", () => {
  const c = (vals: number[], step = MS_PER_DAY) =>
    vals.map((value, i) => ({ ts: i * step, value }));
  assert.throws(
    () => ewmaLogLikelihood(c([1, 2, 3]), 0.9, 2, 0),
    /Cannot compute the BTC likelihood: at least 4 closes are needed, current value is 3/,
  );
  assert.throws(
    () => ewmaLogLikelihood(c([1, 2, 0, 3]), 0.9, 1, 0),
    /close 2 must be > 0, current value is 0/,
  );
  assert.throws(() => ewmaLogLikelihood(c([1, 2, 3, 4], 0), 0.9, 1, 0), /increasing ts/);
  assert.throws(() => ewmaLogLikelihood(c([1, 2, 3, 4]), 1, 1, 0), /lambda must be in \(0, 1\)/);
  assert.throws(
    () => ewmaLogLikelihood(c([1, 2, 3, 4]), 0.9, 0, 0),
    /burnIn must be an integer >= 1/,
  );
});

Deno.test("btcModel.calibrate recovers lambda and the drift sign on a simulated path", () => {
  const closes = ewmaPath(4000, 0.9, 7, 0.002);
  const p = btcModel.calibrate(closes, { cutoffTs: Infinity });
  assert.ok(p.lambda > 0.85 && p.lambda < 0.94, `lambda ${p.lambda}`);
  assert.ok(p.driftPerDay > 0.0005 && p.driftPerDay < 0.0035, `drift ${p.driftPerDay}`);
  assert.equal(p.fit!.n, 4000 - 1 - p.burnIn);
  // The grid + golden search beats its neighbours.
  const ll = (l: number) => ewmaLogLikelihood(closes, l, p.burnIn, "fit").logLikelihood;
  near(ll(p.lambda), p.fit!.logLikelihood, 1e-6);
  assert.ok(ll(p.lambda) >= ll(p.lambda - 0.01) && ll(p.lambda) >= ll(p.lambda + 0.01));
  const noDrift = btcModel.calibrate(closes, { cutoffTs: Infinity, drift: false });
  assert.equal(noDrift.driftPerDay, 0);
  const fixed = btcModel.calibrate(closes, { cutoffTs: Infinity, lambda: 0.97 });
  assert.equal(fixed.lambda, 0.97);
  assert.throws(
    () => btcModel.calibrate(closes.slice(0, 20), { cutoffTs: Infinity }),
    /Cannot calibrate BTC: at least 32 closes are needed before the cutoff, current value is 20/,
  );
});

Deno.test("btcModel.calibrate is walk-forward: closes at or after the cutoff change nothing", () => {
  const a = ewmaPath(600, 0.9, 11);
  const cutoff = a[400].ts;
  const b = a.map((o, i) => (i >= 400 ? { ts: o.ts, value: o.value * (i % 2 ? 3 : 0.2) } : o));
  assert.deepEqual(
    btcModel.calibrate(a, { cutoffTs: cutoff }),
    btcModel.calibrate(b, { cutoffTs: cutoff }),
  );
  assert.notDeepEqual(
    btcModel.calibrate(a, { cutoffTs: a[450].ts }),
    btcModel.calibrate(b, { cutoffTs: a[450].ts }),
  );
});

Deno.test("btcModel.pmf: sums to 1, ignores closes after now, horizon from the last close", () => {
  const closes = ewmaPath(300, 0.94, 3);
  const params = { lambda: 0.94, driftPerDay: 0, burnIn: 20 };
  const last = closes[199];
  const ladder = btcThresholdLadder([
    last.value * 0.97,
    last.value * 0.99,
    last.value,
    last.value * 1.01,
    last.value * 1.03,
  ]);
  const state = { now: last.ts, closeTs: last.ts + MS_PER_DAY, closes };
  const pmf = btcModel.pmf(state, params, ladder);
  near(pmf.reduce((s, x) => s + x, 0), 1, 1e-12);
  const cut = btcModel.pmf({ ...state, closes: closes.slice(0, 200) }, params, ladder);
  assert.deepEqual(Array.from(pmf), Array.from(cut));
  // Variance from the EWMA at the last close, over one day (minus 2/3 of the 60 s window).
  const s = ewmaStateAt(closes.slice(0, 200), 0.94, 20);
  const d = btcSettlementDistribution(state, params);
  near(
    1 - d.cdf(last.value),
    probAbove(last.value, last.value, s.varPerMs, MS_PER_DAY - 40_000),
    1e-9,
  );
  // Deciding later with the same last close leaves the horizon unchanged.
  const later = btcSettlementDistribution({ ...state, now: last.ts + 3_600_000 }, params);
  near(later.cdf(last.value), d.cdf(last.value), 1e-12);
  // A positive drift moves mass up.
  const up = btcSettlementDistribution(state, { ...params, driftPerDay: 0.01 });
  assert.ok(1 - up.cdf(last.value) > 1 - d.cdf(last.value));
  assert.throws(
    () => btcModel.pmf({ ...state, now: -1 }, params, ladder),
    /Cannot forecast BTC: no close is known, current value is 0/,
  );
});

Deno.test("ewmaStateAt: skipping closes older than 40 half-lives changes nothing visible", () => {
  const closes = ewmaPath(2000, 0.8, 5);
  const s = ewmaStateAt(closes, 0.8, 20); // half-life 3.1 days: starts ~125 days back
  // The full pass, seeded by the mean r^2 / dt of the first 20 returns.
  let seed = 0;
  for (let j = 1; j <= 20; j++) {
    const r = Math.log(closes[j].value / closes[j - 1].value);
    seed += (r * r) / MS_PER_DAY / 20;
  }
  const e = new EwmaVariance(0.8, seed);
  for (let j = 20; j < closes.length; j++) e.update(closes[j].ts, closes[j].value);
  near(s.varPerMs / e.varPerMs, 1, 1e-9);
  assert.ok(e.varPerMs > MIN_DAILY_VARIANCE / MS_PER_DAY);
  assert.equal(s.last, closes[1999].value);
  assert.equal(s.lastTs, closes[1999].ts);
});

Deno.test("lambdaForInterval and ewmaHalfLife", () => {
  near(lambdaForInterval(0.94, MS_PER_DAY), 0.94, 1e-15);
  near(lambdaForInterval(0.94, MS_PER_DAY / 2), Math.sqrt(0.94), 1e-15);
  near(ewmaHalfLife(0.5), 1, 1e-15);
  near(ewmaHalfLife(Math.pow(0.5, 1 / 14)), 14, 1e-9);
  assert.throws(
    () => lambdaForInterval(1, 1000),
    /Cannot convert lambda: lambdaPerDay must be in \(0, 1\), current value is 1/,
  );
  assert.throws(
    () => lambdaForInterval(0.9, 0),
    /intervalMs must be finite and > 0, current value is 0/,
  );
});
