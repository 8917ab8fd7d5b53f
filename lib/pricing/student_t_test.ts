import assert from "node:assert/strict";
import tLogPdf from "@stdlib/stats-base-dists-t-logpdf";
import {
  NORMAL_DF,
  PointErrorDistribution,
  standardTCdf,
  standardTLogPdf,
  tLogDensityAtZero,
} from "./student_t.ts";

function near(a: number, b: number, tol: number, what = ""): void {
  assert.ok(Math.abs(a - b) <= tol, `${what} expected ${b} +/- ${tol}, got ${a}`);
}

Deno.test("standardTLogPdf equals @stdlib t-logpdf, and the normal at large df", () => {
  for (const df of [0.7, 1, 2.5, 4, 30, 500]) {
    for (const z of [-8, -1.3, 0, 0.2, 2, 15]) {
      near(standardTLogPdf(z, df), tLogPdf(z, df), 1e-10, `df=${df} z=${z}`);
    }
  }
  for (const z of [-3, 0, 1.5]) {
    near(standardTLogPdf(z, Infinity), -0.5 * z * z - 0.5 * Math.log(2 * Math.PI), 1e-14);
    near(standardTLogPdf(z, NORMAL_DF), standardTLogPdf(z, Infinity), 1e-14);
  }
  near(tLogDensityAtZero(1), -Math.log(Math.PI), 1e-12, "Cauchy at 0");
});

Deno.test("standardTCdf: known values, symmetry, normal limit", () => {
  near(standardTCdf(0, 3), 0.5, 1e-15);
  near(standardTCdf(1, 1), 0.75, 1e-12, "Cauchy: 1/2 + atan(1)/pi");
  near(standardTCdf(1.96, Infinity), 0.9750021048517795, 1e-12);
  near(standardTCdf(2.5, 7) + standardTCdf(-2.5, 7), 1, 1e-14);
  near(standardTCdf(1.3, 1e5), standardTCdf(1.3, Infinity), 1e-5);
  // Heavier tails than the normal.
  assert.ok(standardTCdf(-3, 4) > standardTCdf(-3, Infinity));
});

Deno.test("standardTCdf and tLogDensityAtZero reject df <= 0", () => {
  assert.throws(
    () => standardTCdf(0, 0),
    /df must be > 0 \(Infinity for the normal\), current value is 0/,
  );
  assert.throws(() => standardTCdf(0, Number.NaN), RangeError);
  assert.throws(() => tLogDensityAtZero(-1), RangeError);
});

Deno.test("PointErrorDistribution: level and log space, point mass, bad input", () => {
  const d = new PointErrorDistribution().set(0.3, 0.1, 5);
  near(d.cdf(0.3), 0.5, 1e-15);
  near(d.cdf(0.4), standardTCdf(1, 5), 1e-15);
  assert.ok(Number.isNaN(d.cdf(Number.NaN)));
  const g = new PointErrorDistribution().set(Math.log(3), 0.01, Infinity, true);
  near(g.cdf(3), 0.5, 1e-12);
  near(g.cdf(3 * Math.exp(0.01)), standardTCdf(1, Infinity), 1e-12);
  assert.equal(g.cdf(0), 0);
  assert.equal(g.cdf(-1), 0);
  const p = new PointErrorDistribution().set(2, 0, 3);
  assert.equal(p.cdf(1.999), 0);
  assert.equal(p.cdf(2), 1);
  assert.throws(() => d.set(Number.NaN, 1, 3), /center must be finite, current value is NaN/);
  assert.throws(() => d.set(0, -1, 3), /scale must be finite and >= 0, current value is -1/);
  assert.throws(() => d.set(0, Infinity, 3), RangeError);
  assert.throws(() => d.set(0, 1, 0), /df must be > 0/);
  // A failed set leaves the previous parameters.
  assert.equal(d.center, 0.3);
});
