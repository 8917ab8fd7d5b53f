import assert from "node:assert/strict";
import { Prng } from "../../lib/random/prng.ts";
import { studentTDraw } from "../../lib/synth/draws.ts";
import { robustLinearFit, solveLinear } from "./regression.ts";

Deno.test("solveLinear solves a pivoting system and rejects a singular one", () => {
  const x = solveLinear(
    Float64Array.from([0, 2, 1, 1, 1, 1, 2, 1, 0]),
    Float64Array.from([5, 6, 4]),
    3,
  );
  // 2y + z = 5, x + y + z = 6, 2x + y = 4 -> x = 1, y = 2, z = 1... check by substitution.
  assert.ok(Math.abs(2 * x[1] + x[2] - 5) < 1e-12);
  assert.ok(Math.abs(x[0] + x[1] + x[2] - 6) < 1e-12);
  assert.ok(Math.abs(2 * x[0] + x[1] - 4) < 1e-12);
  assert.throws(
    () => solveLinear(Float64Array.from([1, 2, 2, 4]), Float64Array.from([1, 2]), 2),
    /the design is singular/,
  );
});

Deno.test("robustLinearFit: least squares exactly, and robust to outliers", () => {
  const rows = [[1, 0], [1, 1], [1, 2], [1, 3]];
  const ls = robustLinearFit(rows, [1, 3, 5, 7], { df: Infinity });
  assert.ok(Math.abs(ls.coef[0] - 1) < 1e-12 && Math.abs(ls.coef[1] - 2) < 1e-12);
  assert.ok(ls.scale < 1e-12);
  const r = [[1], [2], [3], [4], [5], [6]];
  const y = [2, 4, 6, 8, 10, 100];
  assert.ok(Math.abs(robustLinearFit(r, y).coef[0] - 2) < 0.05);
  assert.ok(robustLinearFit(r, y, { df: Infinity }).coef[0] > 5);
});

Deno.test("robustLinearFit recovers coefficients under t errors with precisions", () => {
  const rng = new Prng(8);
  const rows: number[][] = [];
  const y: number[] = [];
  const prec: number[] = [];
  for (let i = 0; i < 3000; i++) {
    const x1 = Math.cos(i / 8);
    const h = 1 + (i % 7);
    rows.push([x1, h * 0.3]);
    prec.push(1 / h);
    y.push(0.5 * x1 - 1.2 * h * 0.3 + Math.sqrt(h) * 0.2 * studentTDraw(rng, 3));
  }
  const fit = robustLinearFit(rows, y, { precision: prec, df: 3 });
  assert.ok(Math.abs(fit.coef[0] - 0.5) < 0.03, String(fit.coef[0]));
  assert.ok(Math.abs(fit.coef[1] + 1.2) < 0.03, String(fit.coef[1]));
  assert.ok(Math.abs(fit.scale / 0.2 - 1) < 0.1, `scale ${fit.scale}`);
});

Deno.test("robustLinearFit rejects bad input", () => {
  assert.throws(() => robustLinearFit([], []), /no rows, current value is 0/);
  assert.throws(
    () => robustLinearFit([[1], [1, 2]], [1, 2]),
    /row 1 must have 1 columns, current value is 2/,
  );
  assert.throws(() => robustLinearFit([[1]], [Number.NaN]), /y\[0\] must be finite/);
  assert.throws(() => robustLinearFit([[1]], [1, 2]), /y must have one entry per row/);
  assert.throws(
    () => robustLinearFit([[1]], [1], { precision: [0] }),
    /precision\[0\] must be finite and > 0/,
  );
  assert.throws(() => robustLinearFit([[1]], [1], { df: 0 }), /df must be > 0/);
  assert.throws(() => robustLinearFit([[0], [0]], [1, 2]), /singular/);
});
