import assert from "node:assert/strict";
import { LOG_LOSS_FLOOR } from "./binary.ts";
import { brierScore } from "./binary.ts";
import { categoricalLogLoss, rankedProbabilityScore } from "./categorical.ts";

const close = (a: number, b: number, tol = 1e-15) =>
  assert.ok(Math.abs(a - b) <= tol * Math.max(1, Math.abs(b)), `${a} vs ${b}`);

Deno.test("rankedProbabilityScore: hand-computed", () => {
  // F = [0.2, 0.7], O = [0, 1]: (0.04 + 0.09) / 2
  close(rankedProbabilityScore([0.2, 0.5, 0.3], 1), 0.065);
  // Outcome in bin 0: O = [1, 1]: (0.64 + 0.09) / 2
  close(rankedProbabilityScore([0.2, 0.5, 0.3], 0), 0.365);
  // Outcome in bin 2: O = [0, 0]: (0.04 + 0.49) / 2
  close(rankedProbabilityScore([0.2, 0.5, 0.3], 2), 0.265);
  // K = 5 uniform, outcome in the middle: F = .2,.4,.6,.8; O = 0,0,1,1
  close(rankedProbabilityScore([0.2, 0.2, 0.2, 0.2, 0.2], 2), (0.04 + 0.16 + 0.16 + 0.04) / 4);
});

Deno.test("rankedProbabilityScore: extremes and normalization", () => {
  assert.equal(rankedProbabilityScore([1, 0, 0, 0], 3), 1);
  assert.equal(rankedProbabilityScore([0, 0, 0, 1], 0), 1);
  assert.equal(rankedProbabilityScore([0, 0, 1, 0], 2), 0);
  assert.equal(rankedProbabilityScore([1], 0), 0);
  // Normalized by K - 1: one bin off costs 1/(K-1).
  close(rankedProbabilityScore([0, 1, 0, 0, 0], 2), 0.25);
});

Deno.test("rankedProbabilityScore: K = 2 equals the Brier score", () => {
  for (const p of [0, 0.1, 0.37, 0.5, 0.99, 1]) {
    for (const y of [0, 1]) {
      close(rankedProbabilityScore([1 - p, p], y), brierScore([p], [y]));
    }
  }
});

Deno.test("categoricalLogLoss: hand-computed and floor", () => {
  assert.equal(categoricalLogLoss([0.2, 0.5, 0.3], 1), Math.LN2);
  assert.equal(categoricalLogLoss([0.2, 0.5, 0.3], 0), -Math.log(0.2));
  assert.equal(categoricalLogLoss([1, 0], 1), -Math.log(LOG_LOSS_FLOOR));
  assert.equal(categoricalLogLoss([1, 0], 1, 1e-3), -Math.log(1e-3));
  assert.equal(categoricalLogLoss([1, 0], 1, 0), Infinity);
  assert.equal(categoricalLogLoss([1], 0), 0);
});

Deno.test("PMF validation", () => {
  assert.throws(() => rankedProbabilityScore([], 0), {
    name: "RangeError",
    message:
      "Cannot compute ranked probability score: the PMF needs at least one bin, current value is 0 bins",
  });
  assert.throws(() => rankedProbabilityScore([0.5, 0.4], 0), {
    message:
      "Cannot compute ranked probability score: the PMF must sum to 1 (within 1e-9), current value is 0.9",
  });
  assert.throws(() => rankedProbabilityScore([0.5, 0.5], 2), {
    message:
      "Cannot compute ranked probability score: outcomeBin must be an integer bin index in [0, 1], current value is 2",
  });
  assert.throws(() => categoricalLogLoss([0.5, 0.5], 0.5), /outcomeBin.*current value is 0.5/);
  assert.throws(() => categoricalLogLoss([0.5, 0.5], -1), /outcomeBin.*current value is -1/);
  assert.throws(() => categoricalLogLoss([1.5, -0.5], 0), {
    message:
      "Cannot compute categorical log loss: pmf[0] must be a finite probability in [0, 1], current value is 1.5",
  });
  assert.throws(() => categoricalLogLoss([NaN, 1], 0), /pmf\[0\].*NaN/);
  assert.throws(() => categoricalLogLoss([0.5, 0.5], 0, -1), /floor must be in \[0, 1\]/);
  assert.doesNotThrow(() => rankedProbabilityScore([0.5, 0.5 + 1e-12], 0));
  // Ten bins of 0.1 sum to 1 under compensated summation.
  assert.doesNotThrow(() => rankedProbabilityScore(new Array(10).fill(0.1), 4));
});
