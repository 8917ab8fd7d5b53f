import assert from "node:assert/strict";
import { Prng } from "../../lib/random/prng.ts";
import { ensembleMixture, fitEnsembleError, type ForecastDay } from "./ensemble.ts";

/**
 * Days drawn from exactly the model: members around a centre, the outcome a
 * uniformly chosen member minus `bias` plus N(0, h^2), rounded to a whole degree.
 */
function draw(seed: number, n: number, m: number, bias: number, h: number): ForecastDay[] {
  const rng = new Prng(seed);
  const out: ForecastDay[] = [];
  for (let i = 0; i < n; i++) {
    const centre = 40 + 45 * rng.next();
    const members = Array.from({ length: m }, () => centre + bias + 1.5 * rng.normal());
    const j = rng.int(m);
    out.push({ members, value: Math.round(members[j] - bias + h * rng.normal()) });
  }
  return out;
}

Deno.test("fitEnsembleError recovers bias and bandwidth of ensembles (3 seeds)", () => {
  // Tolerance: bias within 0.2 F (about 3.5 standard errors at n = 1500), bandwidth within 10%.
  for (const seed of [1, 2, 3]) {
    const f = fitEnsembleError(draw(seed, 1500, 10, 1.0, 2.0), {});
    assert.ok(Math.abs(f.bias - 1.0) < 0.2, `seed ${seed}: bias ${f.bias}`);
    assert.ok(Math.abs(f.bandwidth / 2.0 - 1) < 0.1, `seed ${seed}: bandwidth ${f.bandwidth}`);
    assert.equal(f.fit.n, 1500);
    assert.equal(f.fit.binWidth, 2);
  }
});

Deno.test("fitEnsembleError recovers a point forecast's bias and error sd", () => {
  const f = fitEnsembleError(draw(9, 1500, 1, -1.5, 3.0), {});
  assert.ok(Math.abs(f.bias + 1.5) < 0.25, `bias ${f.bias}`);
  assert.ok(Math.abs(f.bandwidth / 3.0 - 1) < 0.08, `bandwidth ${f.bandwidth}`);
});

Deno.test("fitEnsembleError: the fit beats nearby parameters; fixed values are kept", () => {
  const days = draw(4, 400, 5, 0.5, 2.5);
  const f = fitEnsembleError(days, {});
  const score = (bias: number, bandwidth: number) =>
    fitEnsembleError(days, { bias, bandwidth }).fit.logLikelihood;
  for (const [db, dh] of [[0.3, 0], [-0.3, 0], [0, 0.3], [0, -0.3]]) {
    assert.ok(f.fit.logLikelihood >= score(f.bias + db, f.bandwidth + dh), `${db}, ${dh}`);
  }
  const fixed = fitEnsembleError(days, { bias: 2 });
  assert.equal(fixed.bias, 2);
  assert.ok(fixed.bandwidth > f.bandwidth, "a wrong bias needs a wider kernel");
  assert.equal(fitEnsembleError(days, { bandwidth: 4 }).bandwidth, 4);
});

Deno.test("fitEnsembleError rejects bad input", () => {
  const ok = draw(1, 10, 3, 0, 2);
  const cases: [ForecastDay[], object, RegExp][] = [
    [ok.slice(0, 4), {}, /at least 5 forecast days are needed, current value is 4/],
    [[...ok.slice(0, 5), { members: [], value: 50 }], {}, /day 5 has no members/],
    [[...ok.slice(0, 5), { members: [Infinity], value: 50 }], {}, /day 5 has a non-finite member/],
    [[...ok.slice(0, 5), { members: [50], value: 50.5 }], {}, /value 5 must be a whole degree/],
    [ok, { bias: Number.NaN }, /a fixed bias must be finite/],
    [ok, { bandwidth: -1 }, /bandwidth must be finite and > 0, current value is -1/],
  ];
  for (const [days, o, re] of cases) assert.throws(() => fitEnsembleError(days, o), re);
});

Deno.test("ensembleMixture: members minus the bias, smoothed by the bandwidth", () => {
  const d = ensembleMixture([70, 72], 1, 2);
  assert.ok(Math.abs(d.mean() - 70) < 1e-12);
  assert.equal(d.bandwidth, 2);
  assert.ok(Math.abs(d.cdf(70) - 0.5) < 1e-12, "symmetric around 70");
  assert.throws(() => ensembleMixture([70], Number.NaN, 2), /bias must be finite/);
  assert.throws(() => ensembleMixture([], 0, 2), /at least one centre is needed/);
});
