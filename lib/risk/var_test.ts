import assert from "node:assert/strict";
import {
  CONFIDENCE_TOLERANCE,
  lossDistribution,
  portfolioVar,
  type ScenarioSet,
  valueAtRisk,
  varGridStep,
  worstCaseLoss,
} from "./var.ts";
import { Prng } from "../random/prng.ts";

/** Every combination of scenarios: total loss -> probability. */
function enumerate(sets: readonly ScenarioSet[]): Map<number, number> {
  let dist = new Map<number, number>([[0, 1]]);
  for (const s of sets) {
    const next = new Map<number, number>();
    for (const [l, p] of dist) {
      for (let i = 0; i < s.losses.length; i++) {
        const k = l + s.losses[i];
        next.set(k, (next.get(k) ?? 0) + p * s.probs[i]);
      }
    }
    dist = next;
  }
  return dist;
}

function bruteVar(sets: readonly ScenarioSet[], confidence: number): number {
  const entries = [...enumerate(sets)].filter(([, p]) => p > 0).sort((a, b) => a[0] - b[0]);
  let cum = 0;
  for (const [l, p] of entries) {
    cum += p;
    if (cum >= confidence - CONFIDENCE_TOLERANCE) return l;
  }
  return entries[entries.length - 1][0];
}

function bruteWorst(sets: readonly ScenarioSet[]): number {
  return Math.max(...enumerate(sets).keys());
}

function randomSets(rng: Prng, maxEvents: number, maxLoss: number): ScenarioSet[] {
  const n = rng.int(maxEvents + 1);
  const sets: ScenarioSet[] = [];
  for (let e = 0; e < n; e++) {
    const k = 1 + rng.int(6);
    const losses: number[] = [];
    const w: number[] = [];
    for (let i = 0; i < k; i++) {
      losses.push(rng.int(2 * maxLoss + 1) - maxLoss);
      w.push(rng.int(4) === 0 ? 0 : rng.next());
    }
    if (!w.some((x) => x > 0)) w[0] = 1;
    const sum = w.reduce((a, b) => a + b, 0);
    sets.push({ losses, probs: w.map((x) => x / sum) });
  }
  return sets;
}

Deno.test("VaR and worst case match brute-force enumeration on random small portfolios", () => {
  const rng = new Prng(424242);
  let checked = 0;
  for (let trial = 0; trial < 300; trial++) {
    const sets = randomSets(rng, 5, 2000);
    const exact = enumerate(sets);
    const dist = lossDistribution(sets);
    assert.equal(dist.step, 1);
    assert.ok(dist.exact);
    // The distribution itself, point by point.
    for (let k = 0; k < dist.probs.length; k++) {
      const p = exact.get(dist.min + k) ?? 0;
      assert.ok(Math.abs(dist.probs[k] - p) < 1e-12, `trial ${trial} loss ${dist.min + k}`);
    }
    for (const c of [0.01, 0.5, 0.9, 0.95, 0.99, 0.999]) {
      const r = portfolioVar(sets, c);
      assert.equal(r.valueAtRisk, bruteVar(sets, c), `trial ${trial} confidence ${c}`);
      checked++;
    }
    // Worst case counts zero-probability scenarios too.
    assert.equal(worstCaseLoss(sets), bruteWorst(sets));
  }
  assert.equal(checked, 1800);
});

Deno.test("a coarse grid over-states VaR by at most E x (step - 1)", () => {
  const rng = new Prng(31337);
  let coarse = 0;
  for (let trial = 0; trial < 200; trial++) {
    const sets = randomSets(rng, 4, 50_000);
    const spread = sets.filter((s) =>
      new Set(Array.from(s.losses).filter((_, i) => s.probs[i] > 0)).size > 1
    ).length;
    const points = 64 + rng.int(200);
    const dist = lossDistribution(sets, points);
    assert.ok(dist.probs.length <= points);
    const step = varGridStep(sets, points);
    assert.equal(dist.step, step);
    if (step === 1) continue;
    coarse++;
    // Smallest step: one tick less would not fit.
    assert.ok(!dist.exact);
    assert.throws(() => lossDistribution(sets, points, step - 1), /more than maxGridPoints/);
    for (const c of [0.5, 0.9, 0.99]) {
      const exact = bruteVar(sets, c);
      const v = valueAtRisk(dist, c);
      assert.ok(v >= exact, `trial ${trial}: grid VaR ${v} below exact ${exact}`);
      assert.ok(v <= exact + spread * (step - 1), `trial ${trial}: ${v} vs ${exact}`);
    }
  }
  assert.ok(coarse >= 100, `only ${coarse} trials needed a coarse grid`);
});

Deno.test("VaR by hand: two coin flips and a lopsided bet", () => {
  const coin = { losses: [100, -100], probs: [0.5, 0.5] };
  // Total: -200 (1/4), 0 (1/2), 200 (1/4).
  assert.equal(portfolioVar([coin, coin], 0.25).valueAtRisk, -200); // at the boundary
  assert.equal(portfolioVar([coin, coin], 0.26).valueAtRisk, 0);
  assert.equal(portfolioVar([coin, coin], 0.75).valueAtRisk, 0);
  assert.equal(portfolioVar([coin, coin], 0.76).valueAtRisk, 200);
  assert.equal(portfolioVar([coin, coin], 0.99).worstCase, 200);
  const bet = { losses: [4000, -6000], probs: [0.3, 0.7] };
  assert.equal(portfolioVar([bet], 0.7).valueAtRisk, -6000);
  assert.equal(portfolioVar([bet], 0.71).valueAtRisk, 4000);
});

Deno.test("no open events: a point mass at 0", () => {
  const d = lossDistribution([]);
  assert.deepEqual({ min: d.min, step: d.step, probs: [...d.probs] }, {
    min: 0,
    step: 1,
    probs: [1],
  });
  assert.deepEqual(portfolioVar([], 0.99), { valueAtRisk: 0, worstCase: 0, step: 1, exact: true });
});

Deno.test("a scenario of probability 0 is out of the VaR but in the worst case", () => {
  const s = { losses: [1_000_000, 10], probs: [0, 1] };
  const r = portfolioVar([s], 0.999);
  assert.equal(r.valueAtRisk, 10);
  assert.equal(r.worstCase, 1_000_000);
  assert.equal(lossDistribution([s]).probs.length, 1);
});

Deno.test("probabilities are renormalized within 1e-6 and rejected beyond", () => {
  const d = lossDistribution([{ losses: [0, 10], probs: [0.5, 0.5000005] }]);
  assert.ok(Math.abs(d.probs[0] + d.probs[10] - 1) < 1e-15);
  assert.throws(
    () => lossDistribution([{ losses: [0, 10], probs: [0.5, 0.6] }]),
    /Cannot compute VaR: probabilities of scenario set 0 must sum to 1, current value is 1\.1/,
  );
});

Deno.test("lossDistribution and valueAtRisk reject bad input", () => {
  assert.throws(
    () => lossDistribution([{ losses: [], probs: [] }]),
    /scenario set 0 needs as many probabilities as losses \(at least one\)/,
  );
  assert.throws(
    () => lossDistribution([{ losses: [1, 2], probs: [1] }]),
    /current value is 2 losses and 1 probabilities/,
  );
  assert.throws(
    () => lossDistribution([{ losses: [1.5], probs: [1] }]),
    /losses must be integer ticks, scenario set 0 scenario 0, current value is 1\.5/,
  );
  assert.throws(
    () => lossDistribution([{ losses: [1, 2], probs: [1.5, -0.5] }]),
    /probabilities must be finite and non-negative, scenario set 0 scenario 1, current value is -0\.5/,
  );
  assert.throws(
    () => lossDistribution([{ losses: [1], probs: [Number.NaN] }]),
    /current value is NaN/,
  );
  assert.throws(() => lossDistribution([], 1), /maxGridPoints must be an integer >= 2/);
  assert.throws(() => lossDistribution([], 2, 0), /grid step must be a positive integer/);
  const many = Array.from({ length: 5 }, () => ({ losses: [0, 1], probs: [0.5, 0.5] }));
  assert.throws(
    () => lossDistribution(many, 4),
    /5 events with more than one loss need a grid of at least 6 points, current value is 4/,
  );
  const d = lossDistribution([{ losses: [0, 1], probs: [0.5, 0.5] }]);
  for (const c of [0, 1, -1, Number.NaN]) {
    assert.throws(() => valueAtRisk(d, c), /confidence must be in \(0, 1\)/);
  }
  assert.throws(() => worstCaseLoss([{ losses: [], probs: [] }]), /has no scenarios/);
  assert.throws(() => worstCaseLoss([{ losses: [0.5], probs: [1] }]), /integer ticks/);
});

Deno.test("varGridStep is the smallest step that fits", () => {
  assert.equal(varGridStep([{ losses: [0, 1000], probs: [0.5, 0.5] }], 11), 100);
  assert.equal(varGridStep([{ losses: [0, 1000], probs: [0.5, 0.5] }], 10), 112);
  assert.equal(varGridStep([{ losses: [0, 1000], probs: [0.5, 0.5] }], 1001), 1);
  // Probability-0 scenarios do not widen the grid.
  assert.equal(varGridStep([{ losses: [0, 10, 10_000], probs: [0.5, 0.5, 0] }], 11), 1);
});
