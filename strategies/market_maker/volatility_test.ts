import assert from "node:assert/strict";
import { Prng } from "../../lib/random/prng.ts";
import { MidVariance } from "./volatility.ts";

function near(actual: number, expected: number, tol: number, what = ""): void {
  assert.ok(
    Math.abs(actual - expected) <= tol,
    `${what} expected ${expected} +/- ${tol}, got ${actual}`,
  );
}

Deno.test("MidVariance: the prior alone, then one hand-computed update", () => {
  const v = new MidVariance(600_000, 0.0025);
  near(v.variancePerHour, 0.0025, 1e-15, "prior");
  v.update(0, 0.5);
  near(v.variancePerHour, 0.0025, 1e-15, "first observation adds nothing");
  v.update(60_000, 0.51);
  // S2 = w * 0.0025 / 3.6e6 * 6e5 + 1e-4, ST = w * 6e5 + 6e4, w = 2^-0.1.
  const w = Math.pow(2, -0.1);
  const expected = ((w * 0.0025 / 6 + 1e-4) / (w * 6e5 + 6e4)) * 3_600_000;
  near(v.variancePerHour, expected, 1e-15);
  assert.ok(v.variancePerHour > 0.0025 && v.variancePerHour < 0.006);
  assert.equal(v.samples, 1);
  assert.equal(v.lastMid, 0.51);
});

Deno.test("MidVariance: converges to the variance rate of a simulated random walk", () => {
  // sigma^2 = 0.01 per hour, a step every 10 s.
  const rng = new Prng(11);
  const v = new MidVariance(3_600_000, 0.0001);
  const dt = 10_000;
  const sd = Math.sqrt(0.01 * dt / 3_600_000);
  let x = 0.5;
  for (let i = 0; i <= 20_000; i++) {
    v.update(i * dt, x);
    x += sd * rng.normal();
  }
  near(v.variancePerHour, 0.01, 0.0015, "within 15%");
});

Deno.test("MidVariance: irregular spacing and same-time observations", () => {
  const v = new MidVariance(1_000_000, 0, 0);
  assert.equal(v.variancePerHour, 0);
  v.update(5, 0.4);
  v.update(5, 0.41); // a change with no time: counted as one hour's worth until time passes
  near(v.variancePerHour, 1e-4, 1e-15);
  v.update(3_600_005, 0.41); // an hour with no change
  near(v.variancePerHour, 1e-4 * Math.pow(2, -3.6), 1e-12);
});

Deno.test("MidVariance: bad input", () => {
  assert.throws(() => new MidVariance(0, 0.1), /halfLifeMs must be > 0, current value is 0/);
  assert.throws(() => new MidVariance(10, -1), /priorVariancePerHour must be >= 0/);
  assert.throws(() => new MidVariance(10, 1, NaN), /priorWeightMs must be >= 0/);
  const v = new MidVariance(10, 1);
  v.update(100, 0.5);
  assert.throws(() => v.update(99, 0.5), /ts must not go back from 100, current value is 99/);
  assert.throws(() => v.update(200, NaN), /mid must be finite, current value is NaN/);
  assert.throws(() => v.update(Infinity, 0.5), /ts must be finite/);
});
