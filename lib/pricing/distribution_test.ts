import assert from "node:assert/strict";
import { empirical, lognormal, MutableNormal, normal } from "./distribution.ts";

const close = (a: number, b: number, tol = 1e-12) =>
  assert.ok(Math.abs(a - b) <= tol, `${a} is not within ${tol} of ${b}`);

Deno.test("normal: hand-checked values", () => {
  const d = normal(0, 1);
  close(d.cdf(0), 0.5);
  close(d.cdf(-1), 0.15865525393145707);
  close(d.cdf(1.96), 0.9750021048517795);
  assert.equal(d.cdf(-Infinity), 0);
  assert.equal(d.cdf(Infinity), 1);
  close(normal(50, 2).cdf(51), d.cdf(0.5));
  // sd = 0: a point mass.
  assert.equal(normal(3, 0).cdf(2.999), 0);
  assert.equal(normal(3, 0).cdf(3), 1);
  assert.throws(() => normal(0, -1), RangeError);
  assert.throws(() => normal(NaN, 1), RangeError);
  assert.throws(() => normal(0, Infinity), RangeError);
});

Deno.test("lognormal: median e^mu and zero below 0", () => {
  const d = lognormal(Math.log(100), 0.1);
  close(d.cdf(100), 0.5);
  close(d.cdf(100 * Math.exp(0.1)), normal(0, 1).cdf(1));
  assert.equal(d.cdf(0), 0);
  assert.equal(d.cdf(-5), 0);
  assert.equal(d.cdf(Infinity), 1);
  assert.throws(() => lognormal(0, -0.1), RangeError);
});

Deno.test("empirical: right-continuous step CDF on a sorted copy", () => {
  const samples = [3, 1, 2, 2];
  const d = empirical(samples);
  assert.deepEqual(samples, [3, 1, 2, 2]); // not mutated
  assert.equal(d.cdf(0.999), 0);
  assert.equal(d.cdf(1), 0.25);
  assert.equal(d.cdf(1.5), 0.25);
  assert.equal(d.cdf(2), 0.75);
  assert.equal(d.cdf(2.5), 0.75);
  assert.equal(d.cdf(3), 1);
  assert.equal(d.cdf(-Infinity), 0);
  assert.equal(d.cdf(Infinity), 1);
  assert.ok(Number.isNaN(d.cdf(NaN)));
  // Negative values sort numerically.
  assert.equal(empirical([-10, 2, -3]).cdf(-3), 2 / 3);
  assert.throws(() => empirical([]), RangeError);
  assert.throws(() => empirical([1, NaN]), /sample 1/);
});

Deno.test("MutableNormal matches normal() and validates like it", () => {
  const d = new MutableNormal();
  for (const [m, s, x] of [[0, 1, 0.3], [100, 2.5, 97.1], [5, 0, 5]]) {
    assert.equal(d.set(m, s).cdf(x), normal(m, s).cdf(x));
  }
  assert.throws(() => d.set(Number.NaN, 1), RangeError);
  assert.throws(() => d.set(0, -1), RangeError);
});
