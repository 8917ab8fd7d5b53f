import assert from "node:assert/strict";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { buildLadder, type Ladder } from "../../lib/market/ladder.ts";
import { testEvent, testMarket } from "../../lib/market/test_fixtures.ts";
import { marketProbabilities } from "../../lib/pricing/pmf.ts";
import { withOutcomeStep } from "../../lib/pricing/point_pmf.ts";
import { indexSynthSessions, syntheticSigmaTod } from "../../lib/synth/index_tape.ts";
import { dayNumber } from "../../lib/time/eastern.ts";
import type { Observation } from "../family.ts";
import {
  ClampedLognormal,
  DEFAULT_INDEX_PARAMS,
  INDEX_STEP,
  indexDistribution,
  indexModel,
  type IndexParams,
  varianceBetween,
} from "./model.ts";
import { SESSION_MINUTES, sessionCloseTs, sessionOpenTs } from "./session.ts";

const MON = dayNumber(2025, 11, 3);
const OPEN = sessionOpenTs(MON);
const MIN = 60_000;
const V = 1e-4 / SESSION_MINUTES; // per minute under the defaults

/** KXINX-style ranges [k, k + 24.99] from lo to hi, with tails. */
function rangeLadder(lo = 6750, hi = 6850, event = "KXINX-25NOV03H1200"): Ladder {
  const ms = [
    testMarket(event, `T${lo}`, "less", { capStrike: lo }),
    testMarket(event, `T${hi - 0.01}`, "greater", { floorStrike: hi - 0.01 }),
  ];
  for (let k = lo; k < hi; k += 25) {
    ms.push(testMarket(event, `B${k + 12}`, "between", {
      floorStrike: k,
      capStrike: Number((k + 24.99).toFixed(2)),
    }));
  }
  return buildLadder(testEvent(event, true, INDEX_STEP), ms);
}

/** KXINXU-style "above K - 0.01" thresholds. */
function aboveLadder(strikes = [6775, 6800, 6825], event = "KXINXU-25NOV03H1200"): Ladder {
  return buildLadder(
    testEvent(event, false),
    strikes.map((k) => testMarket(event, `T${k - 0.01}`, "greater", { floorStrike: k - 0.01 })),
  );
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

const near = (a: number, b: number, tol = 1e-15) => Math.abs(a - b) <= tol * Math.max(1, b);

Deno.test("varianceBetween sums the curve over session minutes and adds gaps", () => {
  const p = DEFAULT_INDEX_PARAMS;
  assert.ok(near(varianceBetween(OPEN, OPEN + 90 * MIN, p), 90 * V, 1e-12));
  assert.ok(near(varianceBetween(OPEN + 30_000, OPEN + 90 * MIN, p), 89.5 * V, 1e-12));
  assert.equal(varianceBetween(OPEN + 90 * MIN, OPEN, p), 0, "backwards: none");
  // Before the open: the gap plus the minutes from the open.
  const early = OPEN - 3 * 3_600_000;
  assert.ok(near(varianceBetween(early, OPEN + 30 * MIN, p), p.gapVariance + 30 * V, 1e-12));
  // From the open itself (the level is the open): no gap.
  assert.ok(near(varianceBetween(OPEN, OPEN + 30 * MIN, p), 30 * V, 1e-12));
  // After the close nothing accrues until the next open.
  const close = sessionCloseTs(MON);
  assert.equal(varianceBetween(close, close + 5 * 3_600_000, p), 0);
  // Friday 15:00 to Monday 10:00: 60 minutes, one gap, 30 minutes.
  const fri = dayNumber(2025, 10, 31);
  const from = sessionOpenTs(fri) + 330 * MIN;
  assert.ok(near(varianceBetween(from, OPEN + 30 * MIN, p), 90 * V + p.gapVariance, 1e-12));
  // A U-shaped curve weights the open.
  const u = { ...p, varPerMinute: syntheticSigmaTod({}) };
  assert.ok(
    varianceBetween(OPEN, OPEN + 30 * MIN, u) >
      varianceBetween(OPEN + 180 * MIN, OPEN + 210 * MIN, u) * 3,
  );
  assert.throws(
    () => varianceBetween(OPEN, OPEN + 12 * 86_400_000, p),
    /the span must be at most 10 days, current value is 12/,
  );
  assert.throws(() => varianceBetween(Number.NaN, OPEN, p), /from and to must be finite/);
});

Deno.test("index pmf: the lognormal, on the $0.01 grid, sums to 1", () => {
  const l = rangeLadder();
  const levels = [{ ts: OPEN + 60 * MIN, value: 6800 }];
  const state = { now: OPEN + 60 * MIN, closeTs: OPEN + 150 * MIN, levels };
  const p = { ...DEFAULT_INDEX_PARAMS, tailFloor: 0 };
  const pmf = indexModel.pmf(state, p, l);
  assert.equal(pmf.length, 6);
  assert.ok(Math.abs(sum(pmf) - 1) < 1e-12);
  const v = 90 * V;
  const mu = Math.log(6800) - v / 2;
  const cdf = (x: number) => normalCdf(Math.log(x), mu, Math.sqrt(v));
  // Bin [6800, 6824.99] holds 6800.00..6824.99: the continuous value in [6799.995, 6824.995).
  const b = l.marketIndex.get("KXINX-25NOV03H1200-B6812")!;
  assert.ok(Math.abs(pmf[b] - (cdf(6824.995) - cdf(6799.995))) < 1e-12);
  const th = aboveLadder();
  const q = indexModel.pmf(state, p, th);
  assert.ok(Math.abs(sum(q) - 1) < 1e-12);
  const above = marketProbabilities(withOutcomeStep(th, INDEX_STEP), q);
  assert.ok(Math.abs(above[1] - (1 - cdf(6799.995))) < 1e-12, "above 6799.99: 6800.00 or more");
});

Deno.test("index pmf: zero on bins holding no cent value", () => {
  const ev = "KXINX-25NOV03H1200";
  const l = buildLadder(testEvent(ev, true, INDEX_STEP), [
    testMarket(ev, "T6800", "less", { capStrike: 6800 }),
    testMarket(ev, "B6800", "between", { floorStrike: 6800, capStrike: 6800.001 }),
    testMarket(ev, "B6800.005", "between", { floorStrike: 6800.002, capStrike: 6800.009 }),
    testMarket(ev, "T6800.009", "greater", { floorStrike: 6800.009 }),
  ]);
  const pmf = indexModel.pmf(
    { now: OPEN, closeTs: OPEN + 30 * MIN, levels: [{ ts: OPEN, value: 6800 }] },
    DEFAULT_INDEX_PARAMS,
    l,
  );
  assert.equal(pmf[2], 0);
  assert.ok(pmf[1] > 0 && Math.abs(sum(pmf) - 1) < 1e-12);
});

Deno.test("index pmf: monotone in the current level, tail clamp included", () => {
  const th = aboveLadder([6700, 6750, 6775, 6800, 6825, 6850, 6900]);
  const stepped = withOutcomeStep(th, INDEX_STEP);
  for (const tailFloor of [0, 0.001, 0.02]) {
    let prev: Float64Array | undefined;
    for (let s = 6600; s <= 7000; s += 3.7) {
      const pmf = indexModel.pmf(
        {
          now: OPEN + 200 * MIN,
          closeTs: OPEN + 270 * MIN,
          levels: [{ ts: OPEN + 200 * MIN, value: s }],
        },
        { ...DEFAULT_INDEX_PARAMS, tailFloor },
        th,
      );
      assert.ok(Math.abs(sum(pmf) - 1) < 1e-12);
      const above = marketProbabilities(stepped, pmf);
      if (prev !== undefined) {
        for (let i = 0; i < above.length; i++) {
          assert.ok(above[i] >= prev[i] - 1e-12, `floor ${tailFloor}, level ${s}, market ${i}`);
        }
      }
      prev = above;
    }
  }
});

Deno.test("index pmf: the residual clamp keeps tailFloor in each tail", () => {
  const l = rangeLadder();
  const state = {
    now: OPEN + 388 * MIN,
    closeTs: OPEN + 390 * MIN,
    levels: [{ ts: OPEN + 388 * MIN, value: 6801 }],
  };
  const bare = indexModel.pmf(state, { ...DEFAULT_INDEX_PARAMS, tailFloor: 0 }, l);
  const clamped = indexModel.pmf(state, { ...DEFAULT_INDEX_PARAMS, tailFloor: 0.002 }, l);
  assert.ok(bare[0] < 1e-12 && bare[5] < 1e-12, "2 minutes: the lognormal tails are tiny");
  assert.ok(Math.abs(clamped[0] - 0.002) < 1e-15 && Math.abs(clamped[5] - 0.002) < 1e-15);
  // Mass comes from bins beyond the clamp point; the central bin keeps its mass.
  const mid = l.marketIndex.get("KXINX-25NOV03H1200-B6787")!;
  const b = l.marketIndex.get("KXINX-25NOV03H1200-B6812")!;
  assert.ok(Math.abs(clamped[b] - bare[b]) < 0.0041);
  assert.ok(clamped[mid] <= bare[mid] + 1e-15);
  assert.ok(Math.abs(sum(clamped) - 1) < 1e-12);
  const d = new ClampedLognormal().set(0, 1, 0.01);
  assert.equal(d.cdf(1e-300), 0.01);
  assert.equal(d.cdf(1e300), 0.99);
  assert.equal(d.cdf(Infinity), 1);
  assert.equal(d.cdf(-Infinity), 0);
  assert.throws(() => d.set(0, 0, 0), /sd must be finite and > 0/);
  assert.throws(() => d.set(0, 1, 0.5), /floor must be in \[0, 0.5\)/);
});

Deno.test("index pmf: a point mass once no session minute is left", () => {
  const l = rangeLadder();
  const close = sessionCloseTs(MON);
  const levels = [{ ts: OPEN, value: 6700 }, { ts: close, value: 6812.34 }];
  const state = { now: close + 1, closeTs: close, levels };
  assert.equal(indexDistribution(state, DEFAULT_INDEX_PARAMS).variance, 0);
  const pmf = indexModel.pmf(state, DEFAULT_INDEX_PARAMS, l);
  assert.equal(pmf[l.marketIndex.get("KXINX-25NOV03H1200-B6812")!], 1);
  // The level used is the last one known at now (later ones are ignored).
  const early = indexDistribution({ now: OPEN + 5, closeTs: close, levels }, DEFAULT_INDEX_PARAMS);
  assert.equal(early.level, 6700);
  assert.ok(near(early.variance, 390 * V, 1e-12));
});

Deno.test("index pmf rejects bad params and states", () => {
  const l = rangeLadder();
  const s = { now: OPEN, closeTs: OPEN + MIN, levels: [{ ts: OPEN, value: 6800 }] };
  const bad: [Partial<IndexParams>, RegExp][] = [
    [{ varPerMinute: [1, 2] }, /varPerMinute must have 390 entries, current value is 2/],
    [
      { varPerMinute: new Array(390).fill(Number.NaN) },
      /minute 0 variance must be finite and >= 0/,
    ],
    [{ gapVariance: -1 }, /gapVariance must be finite and >= 0/],
    [{ tailFloor: 0.2 }, /tailFloor must be in \[0, 0.05\]/],
  ];
  for (const [p, re] of bad) {
    assert.throws(() => indexModel.pmf(s, { ...DEFAULT_INDEX_PARAMS, ...p }, l), re);
  }
  assert.throws(
    () => indexModel.pmf({ ...s, now: OPEN - 1 }, DEFAULT_INDEX_PARAMS, l),
    /Cannot forecast the index: no level is known at/,
  );
  assert.throws(
    () => indexModel.pmf({ ...s, levels: [{ ts: OPEN, value: -5 }] }, DEFAULT_INDEX_PARAMS, l),
    /the level must be finite and > 0, current value is -5/,
  );
});

function levelsOf(seed: number, days: number): Observation[] {
  return indexSynthSessions({ seed, historyDays: days, eventDays: 0 })
    .flatMap((s) => s.levels.map((value, i) => ({ ts: s.ts[i], value })));
}

Deno.test("index calibrate recovers sigma_tod from synthetic minute bars", () => {
  // 60 sessions; tolerance: the 2-hour blocks within 10% of the truth.
  const truth = syntheticSigmaTod({});
  const levels = levelsOf(3, 60);
  const p = indexModel.calibrate(levels, { cutoffTs: levels.at(-1)!.ts + 1 });
  for (const [a, b] of [[0, 120], [120, 240], [240, 390]]) {
    let x = 0;
    let y = 0;
    for (let m = a; m < b; m++) {
      x += p.varPerMinute[m];
      y += truth[m];
    }
    assert.ok(Math.abs(x / y - 1) < 0.1, `${a}-${b}: ${x / y}`);
  }
  assert.equal(p.tailFloor, DEFAULT_INDEX_PARAMS.tailFloor);
  assert.equal(p.fit!.n, 60 * 390);
  assert.ok(Number.isFinite(p.fit!.logLikelihood) && p.fit!.logLoss > 0);
  assert.equal(p.fit!.binWidth, 0.001);
  // A fixed gap variance is kept.
  const wrong = indexModel.calibrate(levels, {
    cutoffTs: levels.at(-1)!.ts + 1,
    gapVariance: 0.5,
  });
  assert.equal(wrong.gapVariance, 0.5, "fixed gap variance");
});

Deno.test("index calibrate is walk-forward: levels at or after the cutoff cannot change it", () => {
  const levels = levelsOf(4, 12);
  const cutoff = levels[8 * 391].ts; // the first 8 sessions are before it
  const base = indexModel.calibrate(levels, { cutoffTs: cutoff });
  const tampered = levels.map((
    o,
    i,
  ) => (i >= 8 * 391 ? { ts: o.ts, value: o.value * (1 + (i % 3) / 50) } : o));
  assert.deepEqual(indexModel.calibrate(tampered, { cutoffTs: cutoff }), base);
  assert.deepEqual(indexModel.calibrate(levels.slice(0, 8 * 391), { cutoffTs: cutoff }), base);
  const earlier = levels.map((o, i) => (i === 100 ? { ts: o.ts, value: o.value * 1.01 } : o));
  assert.notDeepEqual(indexModel.calibrate(earlier, { cutoffTs: cutoff }), base);
});

Deno.test("index calibrate rejects bad input", () => {
  const levels = levelsOf(5, 4);
  assert.throws(
    () => indexModel.calibrate(levels.slice(0, 391 * 2), { cutoffTs: Infinity }),
    /Cannot fit sigma_tod: at least 3 session days/,
  );
  assert.throws(
    () => indexModel.calibrate(levels, { cutoffTs: Infinity, gapVariance: -1 }),
    /Cannot calibrate the index model: gapVariance must be finite and >= 0/,
  );
  assert.throws(
    () => indexModel.calibrate([levels[1], levels[0]], { cutoffTs: Infinity }),
    /history must be in time order/,
  );
  assert.throws(
    () =>
      indexModel.calibrate(levels, {
        cutoffTs: Infinity,
        initial: { ...DEFAULT_INDEX_PARAMS, tailFloor: 1 },
      }),
    /tailFloor must be in \[0, 0.05\]/,
  );
});
