import assert from "node:assert/strict";
import { buildLadder } from "../market/ladder.ts";
import { type Distribution, empirical, normal } from "./distribution.ts";
import { marketProbabilities, pmfFromCdf } from "./pmf.ts";
import {
  btcThresholdLadder as btcLadder,
  testEvent as event,
  testMarket as mk,
  WEATHER_EVENT as WX,
  weatherLadder,
} from "../market/test_fixtures.ts";

const close = (a: number, b: number, tol = 1e-12) =>
  assert.ok(Math.abs(a - b) <= tol, `${a} is not within ${tol} of ${b}`);

const sum = (xs: ArrayLike<number>) => Array.from(xs).reduce((s, x) => s + x, 0);

Deno.test("pmfFromCdf: symmetric continuous ladder under N(0, 1)", () => {
  const ev = "SYM-1";
  const ladder = buildLadder(event(ev, true), [
    mk(ev, "LOW", "less_or_equal", { capStrike: -1 }),
    mk(ev, "MID", "between", { floorStrike: -1, capStrike: 1, floorInclusive: false }),
    mk(ev, "HIGH", "greater", { floorStrike: 1 }),
  ]);
  const pmf = pmfFromCdf(ladder, normal(0, 1));
  close(pmf[0], 0.15865525393145707);
  close(pmf[1], 0.6826894921370859);
  close(pmf[2], 0.15865525393145707);
  close(pmf[0], pmf[2], 0);
  close(sum(pmf), 1);
});

Deno.test("pmfFromCdf: whole-degree weather ladder integrates the rounding cells", () => {
  const ladder = weatherLadder();
  const d = normal(50, 2);
  const pmf = pmfFromCdf(ladder, d);
  assert.equal(pmf.length, 8);
  close(sum(pmf), 1);
  // Tail (.., 44]: reported <= 44 means X < 44.5.
  close(pmf[0], 0.0029797632350545573);
  // [49, 50]: X in [48.5, 50.5).
  close(pmf[3], 0.3720789733060555);
  // [51, 52]: X in [50.5, 52.5).
  close(pmf[4], d.cdf(52.5) - d.cdf(50.5));
  close(pmf[7], 1 - d.cdf(56.5));
});

Deno.test("pmfFromCdf: mass only on reachable bins", () => {
  const ev = "KXJOBLESSCLAIMS-25NOV24";
  const ladder = buildLadder(event(ev, false, 1), [
    mk(ev, "A", "greater", { floorStrike: 45 }),
    mk(ev, "B", "greater_or_equal", { floorStrike: 46 }),
  ]);
  const d = normal(45.7, 1);
  const pmf = pmfFromCdf(ladder, d);
  assert.equal(pmf[1], 0);
  close(pmf[0], d.cdf(45.5));
  close(pmf[2], 1 - d.cdf(45.5));
  close(sum(pmf), 1);
  const p = marketProbabilities(ladder, pmf);
  close(p[0], p[1]); // the same event on the grid
});

Deno.test("pmfFromCdf: tenths grid (CPI-like)", () => {
  const ev = "KXCPI-25NOV";
  const ms = [
    mk(ev, "LOW", "less_or_equal", { capStrike: 0.1 }),
    mk(ev, "HIGH", "greater_or_equal", { floorStrike: 0.5 }),
  ];
  for (const v of [0.2, 0.3, 0.4]) {
    ms.push(mk(ev, `B${v}`, "between", { floorStrike: v, capStrike: v }));
  }
  const ladder = buildLadder(event(ev, true, 0.1), ms);
  const d = normal(0.3, 0.1);
  const pmf = pmfFromCdf(ladder, d);
  close(pmf[2], d.cdf(0.35) - d.cdf(0.25));
  close(pmf[0], d.cdf(0.15));
  close(pmf[1], pmf[3]);
  close(sum(pmf), 1);
});

Deno.test("pmfFromCdf and marketProbabilities: threshold ladder", () => {
  const ladder = btcLadder();
  const d = normal(73100, 300);
  const pmf = pmfFromCdf(ladder, d);
  close(sum(pmf), 1);
  close(pmf[1], d.cdf(73249.99) - d.cdf(72999.99));
  const p = marketProbabilities(ladder, pmf);
  assert.equal(p.length, 3);
  close(p[0], 1 - d.cdf(72999.99));
  close(p[1], 1 - d.cdf(73249.99));
  close(p[2], 1 - d.cdf(73499.99));
  // Empirical (step) distribution: atoms counted as P(lo < X <= hi).
  const e = pmfFromCdf(ladder, empirical([72900, 73100, 73100, 73600, 72999.99]));
  [0.4, 0.4, 0, 0.2].forEach((x, i) => close(e[i], x, 1e-15));
});

Deno.test("pmfFromCdf: writes into out without allocating and validates it", () => {
  const ladder = weatherLadder();
  const out = new Float64Array(8);
  const r = pmfFromCdf(ladder, normal(50, 3), out);
  assert.equal(r, out);
  close(sum(out), 1);
  const again = pmfFromCdf(ladder, normal(52, 3), out);
  assert.equal(again, out);
  close(sum(out), 1);
  assert.throws(() => pmfFromCdf(ladder, normal(50, 3), new Float64Array(7)), RangeError);
  const probs = new Float64Array(8);
  assert.equal(marketProbabilities(ladder, out, probs), probs);
  assert.deepEqual(Array.from(probs), Array.from(out));
  assert.throws(() => marketProbabilities(ladder, out, new Float64Array(2)), RangeError);
  assert.throws(() => marketProbabilities(ladder, [0.5, 0.5]), RangeError);
});

Deno.test("pmfFromCdf: clips float noise, rejects decreasing or NaN CDFs", () => {
  const ladder = btcLadder();
  // A CDF with tiny non-monotone noise at the middle strike.
  const noisy: Distribution = {
    cdf: (x) => (x < 73000 ? 0.3 : x < 73300 ? 0.3 - 1e-15 : 0.8),
  };
  const pmf = pmfFromCdf(ladder, noisy);
  assert.equal(pmf[1], 0);
  close(sum(pmf), 1);
  assert.ok(Array.from(pmf).every((x) => x >= 0));
  const decreasing: Distribution = { cdf: (x) => (x < 73000 ? 0.5 : 0.2) };
  assert.throws(() => pmfFromCdf(ladder, decreasing), /decreases/);
  const nan: Distribution = { cdf: () => NaN };
  assert.throws(() => pmfFromCdf(ladder, nan), /NaN/);
});

Deno.test("pmfFromCdf: sums to 1 within 1e-12 across many distributions", () => {
  const ladders = [weatherLadder(), btcLadder([72000, 72500, 73000, 73500, 74000, 74500])];
  for (const ladder of ladders) {
    for (let k = 0; k < 50; k++) {
      const mean = ladder.event === WX ? 30 + k : 71000 + 100 * k;
      const sd = ladder.event === WX ? 0.5 + k / 10 : 50 + 20 * k;
      const pmf = pmfFromCdf(ladder, normal(mean, sd));
      assert.ok(Math.abs(sum(pmf) - 1) <= 1e-12);
      assert.ok(Array.from(pmf).every((x) => x >= 0 && x <= 1));
    }
  }
});

Deno.test("pmfFromCdf: a distribution with cdfInto gives the PMF its cdf gives, bit for bit", () => {
  const ev = "KXJOBLESSCLAIMS-25NOV24";
  const gridLadder = buildLadder(event(ev, false, 1), [
    mk(ev, "A", "greater", { floorStrike: 45 }),
    mk(ev, "B", "greater_or_equal", { floorStrike: 46 }),
    mk(ev, "C", "greater", { floorStrike: 48 }),
  ]);
  const ladders = [weatherLadder(), btcLadder([72000, 72500, 73000, 73500]), gridLadder];
  let batched = 0;
  for (const ladder of ladders) {
    const center = (ladder.bins[1].lo + ladder.bins[ladder.bins.length - 2].hi) / 2;
    const width = ladder.bins[ladder.bins.length - 2].hi - ladder.bins[1].lo;
    for (let k = 0; k < 200; k++) {
      const d = normal(center + width * (k / 100 - 1), width * 10 ** (k % 5 - 3));
      let calls = 0;
      const scalarOnly: Distribution = { cdf: (x) => d.cdf(x) };
      const counted: Distribution = {
        cdf: d.cdf,
        cdfInto: (xs, n, out) => {
          calls++;
          d.cdfInto!(xs, n, out);
        },
      };
      let a: Float64Array | Error;
      let b: Float64Array | Error;
      try {
        a = pmfFromCdf(ladder, scalarOnly);
      } catch (e) {
        a = e as Error;
      }
      try {
        b = pmfFromCdf(ladder, counted);
      } catch (e) {
        b = e as Error;
      }
      if (a instanceof Error || b instanceof Error) {
        // Far outside the ladder both may put no mass on it: then both say so.
        assert.equal(String(b), String(a));
        continue;
      }
      assert.equal(calls, 1, "one call for all boundaries");
      assert.deepEqual(Array.from(b), Array.from(a), `${ladder.event} k=${k}`);
      batched++;
    }
  }
  assert.ok(batched > 400, `${batched} PMFs compared`);
});
