import assert from "node:assert/strict";
import { buildLadder } from "../market/ladder.ts";
import { testEvent, testMarket } from "../market/test_fixtures.ts";
import { marketProbabilities } from "./pmf.ts";
import { LOG_LOSS_FLOOR } from "../scoring/binary.ts";
import { binnedProbability, pointErrorPmf, pointPmf, withOutcomeStep } from "./point_pmf.ts";
import { PointErrorDistribution, standardTCdf } from "./student_t.ts";

const EV = "KXCPI-25JUL";

function cpiLadder(strikes: number[], step?: number) {
  return buildLadder(
    testEvent(EV, false, step),
    strikes.map((k) => testMarket(EV, `T${k}`, "greater", { floorStrike: k })),
  );
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

Deno.test("withOutcomeStep: the ladder's own step wins; a copy is cached", () => {
  const own = cpiLadder([0.1, 0.2], 0.1);
  assert.equal(withOutcomeStep(own, 0.01), own);
  const bare = cpiLadder([0.1, 0.2]);
  const a = withOutcomeStep(bare, 0.1);
  assert.notEqual(a, bare);
  assert.equal(a.outcomeStep, 0.1);
  assert.equal(withOutcomeStep(bare, 0.1), a);
  assert.equal(bare.outcomeStep, undefined, "the input is not modified");
  assert.throws(
    () => withOutcomeStep(bare, 0),
    /defaultStep must be finite and > 0, current value is 0/,
  );
});

Deno.test("pointErrorPmf: a print of 0.2 settles 'greater than 0.2' NO (rounding to 0.1)", () => {
  const ladder = cpiLadder([-0.1, 0, 0.1, 0.2, 0.3, 0.4]);
  // A continuous outcome of 0.24 is reported 0.2.
  const dist = new PointErrorDistribution().set(0.24, 1e-4, 5);
  const pmf = pointErrorPmf(ladder, dist, 0.1);
  assert.ok(Math.abs(sum(pmf) - 1) < 1e-12);
  const p = marketProbabilities(withOutcomeStep(ladder, 0.1), pmf);
  const i02 = ladder.marketIndex.get(`${EV}-T0.2`)!;
  const i01 = ladder.marketIndex.get(`${EV}-T0.1`)!;
  assert.ok(p[i02] < 1e-9, `P(>0.2) = ${p[i02]}`);
  assert.ok(p[i01] > 1 - 1e-9, `P(>0.1) = ${p[i01]}`);
  // 0.26 is reported 0.3: T0.2 YES.
  const up = pointErrorPmf(ladder, dist.set(0.26, 1e-4, 5), 0.1);
  assert.ok(marketProbabilities(withOutcomeStep(ladder, 0.1), up)[i02] > 1 - 1e-9);
  // The rounding boundary is at 0.25: centre there, half the mass above.
  const half = pointErrorPmf(ladder, dist.set(0.25, 0.05, Infinity), 0.1);
  assert.ok(Math.abs(marketProbabilities(withOutcomeStep(ladder, 0.1), half)[i02] - 0.5) < 1e-12);
});

Deno.test("pointErrorPmf: bins with no reportable value get exactly 0", () => {
  // Strikes 0.2 and 0.25 at step 0.1: (0.2, 0.25] holds no multiple of 0.1.
  const ladder = cpiLadder([0.2, 0.25]);
  const pmf = pointErrorPmf(ladder, new PointErrorDistribution().set(0.22, 0.2, 3), 0.1);
  assert.equal(pmf.length, 3);
  assert.equal(pmf[1], 0);
  assert.ok(Math.abs(sum(pmf) - 1) < 1e-12);
  // Without rounding (a fine step), the same bin has mass.
  const fine = pointErrorPmf(ladder, new PointErrorDistribution().set(0.22, 0.2, 3), 1e-6);
  assert.ok(fine[1] > 0.05);
});

Deno.test("pointErrorPmf: masses equal t CDF differences at the rounding edges", () => {
  const ladder = cpiLadder([0, 0.2]);
  const out = new Float64Array(3);
  const pmf = pointErrorPmf(ladder, new PointErrorDistribution().set(0.1, 0.1, 4), 0.1, out);
  assert.equal(pmf, out);
  const F = (x: number) => standardTCdf((x - 0.1) / 0.1, 4);
  assert.ok(Math.abs(pmf[0] - F(0.05)) < 1e-12);
  assert.ok(Math.abs(pmf[1] - (F(0.25) - F(0.05))) < 1e-12);
  assert.ok(Math.abs(pmf[2] - (1 - F(0.25))) < 1e-12);
  assert.throws(
    () => pointErrorPmf(ladder, new PointErrorDistribution(), 0.1, new Float64Array(2)),
    RangeError,
  );
});

Deno.test("binnedProbability: the bin of the reported value, floored", () => {
  const d = new PointErrorDistribution().set(0.2, 0.1, Infinity);
  const F = (x: number) => d.cdf(x);
  // binWidth = step: P(report = 0.3) = F(0.35) - F(0.25).
  assert.ok(Math.abs(binnedProbability(d, 0.31, 0.1, 0.1) - (F(0.35) - F(0.25))) < 1e-12);
  assert.ok(Math.abs(binnedProbability(d, 0.3, 0.1, 0.1) - (F(0.35) - F(0.25))) < 1e-12);
  // Claims-like: binWidth 5000 on a 1000 grid; 217400 is reported 217000, bin [215000, 220000).
  const c = new PointErrorDistribution().set(Math.log(216000), 0.03, 5, true);
  const G = (x: number) => c.cdf(x);
  assert.ok(Math.abs(binnedProbability(c, 217400, 5000, 1000) - (G(219500) - G(214500))) < 1e-12);
  // Negative values bin downward.
  assert.ok(Math.abs(binnedProbability(d, -0.1, 0.1, 0.1) - (F(-0.05) - F(-0.15))) < 1e-12);
  // Far in the tail: floored.
  assert.equal(
    binnedProbability(new PointErrorDistribution().set(0, 1e-6, Infinity), 5, 0.1, 0.1),
    LOG_LOSS_FLOOR,
  );
  assert.throws(
    () => binnedProbability(d, Number.NaN, 0.1, 0.1),
    /value must be finite, current value is NaN/,
  );
  assert.throws(() => binnedProbability(d, 1, 0.05, 0.1), /binWidth must be at least the step 0.1/);
  assert.throws(() => binnedProbability(d, 1, 0.1, -1), /step must be finite and > 0/);
});

Deno.test("pointPmf: monotone in the centre, sums to 1, log space", () => {
  const ev = "KXJOBLESSCLAIMS-26JAN08";
  const ladder = buildLadder(
    testEvent(ev, false, 1000),
    [210000, 215000, 220000, 225000].map((k) =>
      testMarket(ev, `T${k}`, "greater_or_equal", { floorStrike: k })
    ),
  );
  let prevTail: number[] | undefined;
  for (let c = 200000; c <= 240000; c += 2500) {
    const pmf = pointPmf(ladder, { center: Math.log(c), scale: 0.03, df: 4, log: true }, 1000);
    let s = 0;
    for (const x of pmf) s += x;
    assert.ok(Math.abs(s - 1) < 1e-12);
    // P(outcome >= strike k) = sum of bins above k.
    const tails: number[] = [];
    let acc = 0;
    for (let b = pmf.length - 1; b >= 1; b--) {
      acc += pmf[b];
      tails.unshift(acc);
    }
    if (prevTail) {
      for (let k = 0; k < tails.length; k++) assert.ok(tails[k] >= prevTail[k] - 1e-15);
    }
    prevTail = tails;
  }
  assert.throws(
    () => pointPmf(ladder, { center: Number.NaN, scale: 1, df: 3, log: false }, 1),
    /center must be finite/,
  );
});
