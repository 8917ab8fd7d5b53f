import assert from "node:assert/strict";
import { Prng } from "../../lib/random/prng.ts";
import { studentTDraw } from "../../lib/synth/draws.ts";
import { fitErrorModel, type ForecastPoint } from "./error_model.ts";
import { binnedProbability } from "../../lib/pricing/point_pmf.ts";
import { PointErrorDistribution } from "../../lib/pricing/student_t.ts";

Deno.test("fitErrorModel: recovers the scale in level and log space; log loss is the binned mean", () => {
  const rng = new Prng(2);
  const level: ForecastPoint[] = [];
  const logs: ForecastPoint[] = [];
  for (let i = 0; i < 3000; i++) {
    const c = 0.2 + 0.1 * Math.sin(i);
    level.push({ center: c, multiplier: 1, value: c + 0.15 * studentTDraw(rng, 5) });
    const h = 1 + (i % 3);
    const lc = Math.log(220000);
    logs.push({
      center: lc,
      multiplier: Math.sqrt(h),
      value: Math.exp(lc + Math.sqrt(h) * 0.05 * studentTDraw(rng, 5)),
    });
  }
  const a = fitErrorModel(level, { step: 0.1, binWidth: 0.1, log: false });
  assert.ok(Math.abs(a.scale / 0.15 - 1) < 0.08, `scale ${a.scale}`);
  assert.ok(a.df > 3 && a.df < 8, `df ${a.df}`);
  assert.equal(a.fit.n, 3000);
  assert.equal(a.fit.binWidth, 0.1);
  let loss = 0;
  const d = new PointErrorDistribution();
  for (const p of level) {
    loss -= Math.log(binnedProbability(d.set(p.center, a.scale, a.df), p.value, 0.1, 0.1));
  }
  assert.ok(Math.abs(a.fit.logLoss - loss / level.length) < 1e-12);
  const b = fitErrorModel(logs, { step: 1000, binWidth: 5000, log: true });
  assert.ok(Math.abs(b.scale / 0.05 - 1) < 0.08, `log scale ${b.scale}`);
  const fixed = fitErrorModel(level, { step: 0.1, binWidth: 0.1, log: false, df: Infinity });
  assert.equal(fixed.df, Infinity);
  assert.ok(fixed.fit.logLikelihood < a.fit.logLikelihood);
});

Deno.test("fitErrorModel rejects bad input", () => {
  const pts = [1, 2, 3, 4, 5].map((v) => ({ center: 0, multiplier: 1, value: v }));
  assert.throws(
    () =>
      fitErrorModel([...pts, { center: 0, multiplier: 1, value: 0 }], {
        step: 1,
        binWidth: 1,
        log: true,
      }),
    /value 5 must be > 0 in log space, current value is 0/,
  );
  assert.throws(
    () => fitErrorModel(pts.slice(0, 3), { step: 1, binWidth: 1, log: false }),
    /at least 5 residuals/,
  );
});
