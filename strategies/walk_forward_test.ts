import assert from "node:assert/strict";
import type { Observation } from "./family.ts";
import { thresholdLadder } from "./research_ladders.ts";
import {
  calibrateWalkForward,
  countBefore,
  fitBefore,
  type ForecastTask,
  scoreWalkForward,
} from "./walk_forward.ts";

interface ToyParams {
  /** Probability that the next value is the last + 1. */
  readonly up: number;
  /** Largest ts the fit saw (to check walk-forward). */
  readonly sawUpTo: number;
  readonly cutoffTs: number;
}

/**
 * Values known at ts = 1000 i; the decision is 500 ms before each; the ladder is
 * "greater than" last - 1, last, last + 1 (4 bins); the model puts `up` on the
 * bin (last, last + 1] and the rest evenly on the others.
 */
function toyTask(
  values: readonly number[],
  opts: {
    refitEvery?: number;
    fitWindow?: number;
    minKnown?: number;
    log?: ToyParams[];
    seen?: { now: number; sawUpTo: number }[];
  } = {},
): ForecastTask<ToyParams, Observation> {
  const history = values.map((value, i) => ({ ts: 1000 * (i + 1), value }));
  return {
    family: "toy",
    history,
    value: (o) => o.value,
    decisionTs: (o) => o.ts - 500,
    fit(known, cutoffTs) {
      let ups = 0;
      for (let i = 1; i < known.length; i++) if (known[i].value === known[i - 1].value + 1) ups++;
      const p = {
        up: known.length > 1 ? Math.min(0.97, Math.max(0.01, ups / (known.length - 1))) : 0.5,
        sawUpTo: known.length > 0 ? known[known.length - 1].ts : -Infinity,
        cutoffTs,
      };
      opts.log?.push(p);
      return p;
    },
    forecast(params, known, _target, now) {
      assert.ok(known.every((o) => o.ts <= now), "forecast sees only what is known");
      opts.seen?.push({ now, sawUpTo: params.sawUpTo });
      const last = known[known.length - 1].value;
      const ladder = thresholdLadder("TOY-X", "greater", last, 1, 1, 1, 1);
      const rest = (1 - params.up) / 3;
      return { ladder, pmf: Float64Array.of(rest, rest, params.up, rest) };
    },
    refitEvery: opts.refitEvery ?? 1,
    ...(opts.fitWindow !== undefined ? { fitWindow: opts.fitWindow } : {}),
    minKnown: opts.minKnown ?? 1,
  };
}

Deno.test("countBefore: strict and inclusive", () => {
  const xs = [{ ts: 1 }, { ts: 2 }, { ts: 2 }, { ts: 5 }];
  assert.equal(countBefore(xs, 2), 1);
  assert.equal(countBefore(xs, 2, true), 3);
  assert.equal(countBefore(xs, 0), 0);
  assert.equal(countBefore(xs, 9), 4);
});

Deno.test("fitBefore passes only entries before the cutoff, the latest fitWindow of them", () => {
  const log: ToyParams[] = [];
  const t = toyTask([0, 1, 2, 3, 4, 5, 6, 7], { fitWindow: 3, log });
  const { known, params } = fitBefore(t, 5000); // ts 1000..4000 are before
  assert.deepEqual(known.map((o) => o.ts), [2000, 3000, 4000]);
  assert.equal(params.sawUpTo, 4000);
  assert.throws(
    () => fitBefore(t, 1000),
    /Cannot calibrate toy: no observation is published before 1970-01-01T00:00:01.000Z, current value is 0/,
  );
});

Deno.test("walk-forward: params at cutoff t ignore every value at or after t", () => {
  const a = toyTask([0, 1, 2, 3, 2, 3, 4, 5, 6]);
  const b = toyTask([0, 1, 2, 3, 2, 3, 9, 9, 9, 9, 9, 9]);
  const cutoff = 7000; // values 1..6 (ts 1000..6000) are shared
  assert.deepEqual(fitBefore(a, cutoff).params, fitBefore(b, cutoff).params);
  // ... and the test can fail: a cutoff past the divergence sees different data.
  assert.notDeepEqual(fitBefore(a, 9000).params.up, fitBefore(b, 9000).params.up);
});

Deno.test("scoreWalkForward: fixed params, refits every k, uniform = ln(bins)", () => {
  const values = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  const fixed = scoreWalkForward(toyTask(values), 0, Infinity, {
    up: 0.5,
    sawUpTo: 0,
    cutoffTs: 0,
  });
  // The first target has nothing known at its decision time: skipped.
  assert.equal(fixed.n, 10);
  assert.equal(fixed.refits, 0);
  assert.ok(Math.abs(fixed.logLoss - Math.log(2)) < 1e-12);
  assert.ok(Math.abs(fixed.uniformLogLoss - Math.log(4)) < 1e-12);

  const log: ToyParams[] = [];
  const seen: { now: number; sawUpTo: number }[] = [];
  const walk = scoreWalkForward(toyTask(values, { refitEvery: 3, log, seen }), 5000, Infinity);
  assert.equal(walk.n, 7); // ts 5000..11000
  assert.equal(walk.refits, 3); // targets 1, 4, 7
  assert.deepEqual(log.map((p) => p.cutoffTs), [4500, 7500, 10500]);
  for (const p of log) assert.ok(p.sawUpTo < p.cutoffTs);
  // No target is forecast by parameters that saw it (or anything after its decision).
  assert.equal(seen.length, 7);
  for (const s of seen) assert.ok(s.sawUpTo <= s.now, JSON.stringify(s));

  const min = scoreWalkForward(toyTask(values, { minKnown: 4 }), 0, Infinity, log[0]);
  assert.equal(min.n, 7);
});

Deno.test("calibrateWalkForward: window, in sample, last 20% out of sample", () => {
  const values = Array.from({ length: 21 }, (_, i) => (i % 4 === 3 ? i - 2 : i));
  const r = calibrateWalkForward(toyTask(values, { refitEvery: 2 }));
  assert.equal(r.windowFrom, 1000);
  assert.equal(r.windowTo, 21001);
  assert.equal(r.n, 21);
  assert.equal(r.params.sawUpTo, 21000);
  assert.equal(r.inSample.n, 20);
  assert.equal(r.oosFrom, 1000 + Math.round(0.8 * 20001));
  assert.equal(r.oos.n, 4); // oosFrom = 17001: ts 18000..21000
  assert.ok(r.oos.logLoss > 0 && r.oos.logLoss < r.oos.uniformLogLoss);

  const cut = calibrateWalkForward(toyTask(values), { untilTs: 11000, oosFraction: 0.5 });
  assert.equal(cut.windowTo, 10001);
  assert.equal(cut.n, 10);
  assert.equal(cut.params.cutoffTs, 11000);
});

Deno.test("calibrateWalkForward rejects bad options and tasks", () => {
  const t = toyTask([0, 1, 2, 3]);
  assert.throws(
    () => calibrateWalkForward(t, { oosFraction: 1 }),
    /Cannot calibrate toy: oosFraction must be in \(0, 1\), current value is 1/,
  );
  assert.throws(() => calibrateWalkForward(t, { untilTs: 500 }), /no observation is published/);
  assert.throws(
    () => calibrateWalkForward({ ...t, decisionTs: (o: Observation) => o.ts }),
    /the decision time of history\[0\] must be before its ts 1000, current value is 1000/,
  );
  assert.throws(
    () => calibrateWalkForward({ ...t, refitEvery: 0 }),
    /refitEvery must be an integer >= 1, current value is 0/,
  );
  assert.throws(
    () => calibrateWalkForward({ ...t, history: [{ ts: 2, value: 0 }, { ts: 1, value: 1 }] }),
    /history must be in time order/,
  );
  assert.throws(
    () => calibrateWalkForward({ ...t, value: () => NaN }),
    /value falls in no bin of TOY-X, current value is NaN/,
  );
});
