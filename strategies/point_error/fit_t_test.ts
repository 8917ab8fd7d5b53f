import assert from "node:assert/strict";
import tLogPdf from "@stdlib/stats-base-dists-t-logpdf";
import { Prng } from "../../lib/random/prng.ts";
import { studentTDraw } from "../../lib/synth/draws.ts";
import { fitStudentT, MIN_RESIDUALS_FREE_DF, tLogLikelihood } from "./fit_t.ts";

function sample(seed: number, n: number, scale: number, df: number, mult?: Float64Array) {
  const rng = new Prng(seed);
  const r = new Float64Array(n);
  for (let i = 0; i < n; i++) r[i] = (mult ? mult[i] : 1) * scale * studentTDraw(rng, df);
  return r;
}

Deno.test("tLogLikelihood equals the sum of @stdlib t-logpdf terms", () => {
  const r = [0.1, -0.4, 1.2, 0.03];
  const m = [1, 2, 0.5, 1.5];
  const scale = 0.3;
  const df = 4.2;
  let expected = 0;
  for (let i = 0; i < r.length; i++) {
    expected += tLogPdf(r[i] / (m[i] * scale), df) - Math.log(m[i] * scale);
  }
  assert.ok(Math.abs(tLogLikelihood(r, scale, df, m) - expected) < 1e-10);
});

Deno.test("fitStudentT recovers scale and df from t samples (tolerance: scale 7%, df factor 1.5)", () => {
  for (const [scale, df, seed] of [[0.15, 4, 1], [2.0, 8, 2], [0.004, 2.5, 3]]) {
    const fit = fitStudentT(sample(seed, 4000, scale, df));
    assert.equal(fit.n, 4000);
    assert.ok(Math.abs(fit.scale / scale - 1) < 0.07, `scale ${fit.scale} vs ${scale}`);
    assert.ok(fit.df > df / 1.5 && fit.df < df * 1.5, `df ${fit.df} vs ${df}`);
    // The fit is a maximum: nudging either parameter lowers the likelihood.
    for (
      const [s, d] of [[fit.scale * 1.02, fit.df], [fit.scale / 1.02, fit.df], [
        fit.scale,
        fit.df * 1.1,
      ], [fit.scale, fit.df / 1.1]]
    ) {
      assert.ok(tLogLikelihood(sample(seed, 4000, scale, df), s, d) < fit.logLikelihood);
    }
  }
});

Deno.test("fitStudentT: normal data gives a large df or the normal; fixed df is honoured", () => {
  const r = sample(9, 4000, 1.5, Infinity);
  const fit = fitStudentT(r);
  assert.ok(fit.df > 30, `df ${fit.df}`);
  assert.ok(Math.abs(fit.scale / 1.5 - 1) < 0.05);
  const normal = fitStudentT(r, undefined, { df: Infinity });
  assert.equal(normal.df, Infinity);
  let ss = 0;
  for (const x of r) ss += x * x;
  assert.ok(
    Math.abs(normal.scale - Math.sqrt(ss / r.length)) < 1e-12,
    "normal MLE scale is the RMS",
  );
  const fixed = fitStudentT(r, undefined, { df: 3 });
  assert.equal(fixed.df, 3);
  assert.ok(fixed.logLikelihood < normal.logLikelihood);
});

Deno.test("fitStudentT uses the multipliers (random-walk horizons)", () => {
  const n = 3000;
  const mult = new Float64Array(n);
  for (let i = 0; i < n; i++) mult[i] = Math.sqrt(1 + (i % 5));
  const r = sample(4, n, 0.06, 5, mult);
  const fit = fitStudentT(r, mult);
  assert.ok(Math.abs(fit.scale / 0.06 - 1) < 0.07, `scale ${fit.scale}`);
  const ignoring = fitStudentT(r);
  assert.ok(ignoring.scale > fit.scale * 1.2, "ignoring horizons inflates the scale");
});

Deno.test("fitStudentT rejects bad input", () => {
  assert.throws(
    () => fitStudentT([1, 2, 3]),
    new RegExp(`at least ${MIN_RESIDUALS_FREE_DF} residuals are needed, current value is 3`),
  );
  assert.equal(fitStudentT([1, -1], undefined, { df: 4 }).n, 2);
  assert.throws(() => fitStudentT([1], undefined, { df: 4 }), /at least 2 residuals/);
  assert.throws(() => fitStudentT([0, 0, 0, 0, 0]), /no spread \(all are 0\)/);
  assert.throws(
    () => fitStudentT([1, 2, Number.NaN, 3, 4]),
    /residual 2 must be finite, current value is NaN/,
  );
  assert.throws(
    () => fitStudentT([1, 2, 3, 4, 5], [1, 1, 0, 1, 1]),
    /multiplier 2 must be finite and > 0/,
  );
  assert.throws(
    () => fitStudentT([1, 2, 3, 4, 5], [1, 1]),
    /multipliers must have one entry per residual/,
  );
  assert.throws(() => fitStudentT([1, 2, 3, 4, 5], undefined, { df: 0 }), /df must be > 0/);
  assert.throws(() => fitStudentT([1, 2, 3, 4, 5], undefined, { dfMin: 5, dfMax: 2 }), /df bounds/);
  assert.throws(() => tLogLikelihood([1], 0, 3), /scale must be finite and > 0/);
});
