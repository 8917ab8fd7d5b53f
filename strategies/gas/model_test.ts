import assert from "node:assert/strict";
import { buildLadder, type Ladder } from "../../lib/market/ladder.ts";
import { testEvent, testMarket } from "../../lib/market/test_fixtures.ts";
import { marketProbabilities } from "../../lib/pricing/pmf.ts";
import { withOutcomeStep } from "../../lib/pricing/point_pmf.ts";
import { dayNumber } from "../../lib/time/eastern.ts";
import { gasSynthHistory } from "../../lib/synth/gas.ts";
import type { Observation } from "../family.ts";
import {
  DEFAULT_GAS_PARAMS,
  GAS_STEP,
  gasForecast,
  gasModel,
  type GasParams,
  gasPublishTs,
  gasTargetDay,
} from "./model.ts";

const EV = "KXAAAGASD-26JAN05";
const DAY = dayNumber(2026, 1, 5);
const CLOSE = Date.UTC(2026, 0, 5, 10, 0); // 05:00 EST

function ladder(strikes = [3.07, 3.08, 3.09, 3.1, 3.11, 3.12, 3.13], step?: number): Ladder {
  return buildLadder(
    testEvent(EV, false, step),
    strikes.map((k) => testMarket(EV, `T${k}`, "greater", { floorStrike: k })),
  );
}

/** 15 daily prices up to the day before DAY, rising a cent every 5 days. */
function prices(last = 3.1, from = 14): Observation[] {
  const out: Observation[] = [];
  for (let k = from; k >= 1; k--) {
    const value = k === 1 ? last : Math.round((3.1 - 0.002 * (k - 1)) * 1000) / 1000;
    out.push({ ts: gasPublishTs(DAY - k), value });
  }
  return out;
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

function above(l: Ladder, pmf: Float64Array): number[] {
  return Array.from(marketProbabilities(withOutcomeStep(l, GAS_STEP), pmf));
}

Deno.test("gas days: publication 06:00 ET, target day of a close", () => {
  assert.equal(gasPublishTs(DAY), Date.UTC(2026, 0, 5, 11, 0));
  assert.equal(gasTargetDay(CLOSE), DAY);
  assert.equal(gasTargetDay(gasPublishTs(DAY)), DAY);
  assert.equal(gasTargetDay(gasPublishTs(DAY) + 1), DAY + 1);
  assert.equal(
    gasTargetDay(Date.UTC(2026, 0, 5, 4, 59)),
    DAY,
    "23:59 ET the day before -> next morning",
  );
});

Deno.test("gas forecast: momentum drift and sqrt(h) horizon", () => {
  const ps = prices();
  const f = gasForecast({ now: CLOSE - 1, closeTs: CLOSE, prices: ps }, DEFAULT_GAS_PARAMS);
  // Last price at DAY-1 is 3.100; the price 7 days earlier (DAY-8) is 3.1 - 0.014 = 3.086.
  const m = (Math.log(3.1) - Math.log(3.086)) / 7;
  assert.ok(Math.abs(f.center - (Math.log(3.1) + 0.7 * m)) < 1e-12);
  assert.equal(f.scale, 0.003);
  assert.equal(f.log, true);
  const week = gasForecast(
    { now: CLOSE - 1, closeTs: CLOSE + 6 * 86_400_000, prices: ps },
    DEFAULT_GAS_PARAMS,
  );
  assert.ok(Math.abs(week.center - (Math.log(3.1) + 0.7 * m * 7)) < 1e-12);
  assert.ok(Math.abs(week.scale - 0.003 * Math.sqrt(7)) < 1e-15);
  // Too little history for the look-back: no drift.
  const short = gasForecast(
    { now: CLOSE - 1, closeTs: CLOSE, prices: prices(3.1, 3) },
    DEFAULT_GAS_PARAMS,
  );
  assert.ok(Math.abs(short.center - Math.log(3.1)) < 1e-12);
});

Deno.test("gas pmf: sums to 1; zero on bins without a reportable value", () => {
  const state = { now: CLOSE - 1, closeTs: CLOSE, prices: prices() };
  const pmf = gasModel.pmf(state, DEFAULT_GAS_PARAMS, ladder());
  assert.equal(pmf.length, 8);
  assert.ok(Math.abs(sum(pmf) - 1) < 1e-12);
  const odd = gasModel.pmf(state, DEFAULT_GAS_PARAMS, ladder([3.1001, 3.1009]));
  assert.equal(odd[1], 0, "(3.1001, 3.1009] holds no price reported to $0.001");
  assert.ok(Math.abs(sum(odd) - 1) < 1e-12);
  // At most $0 (reported 0.000, a price below $0.0005): a negligible log-t tail; below $0: none.
  assert.ok(gasModel.pmf(state, DEFAULT_GAS_PARAMS, ladder([0, 3.1]))[0] < 1e-12);
  assert.equal(gasModel.pmf(state, DEFAULT_GAS_PARAMS, ladder([-0.001, 3.1]))[0], 0);
});

Deno.test("gas: 'strictly greater than' — a price equal to the strike settles NO", () => {
  const l = ladder();
  const idx = (k: number) => l.marketIndex.get(`${EV}-T${k}`)!;
  const cases: [number, number][] = [[3.1, 0], [3.1004, 0], [3.1006, 1], [3.101, 1], [3.099, 0]];
  for (const [price, yes] of cases) {
    const known = [...prices(), { ts: gasPublishTs(DAY), value: price }];
    const p = above(
      l,
      gasModel.pmf(
        { now: gasPublishTs(DAY), closeTs: CLOSE, prices: known },
        DEFAULT_GAS_PARAMS,
        l,
      ),
    );
    assert.equal(p[idx(3.1)], yes, `price ${price}: above 3.10`);
    assert.equal(p[idx(3.09)], 1, `price ${price}: above 3.09`);
  }
});

Deno.test("gas pmf: monotone in the point forecast", () => {
  const l = ladder();
  let prev: number[] | undefined;
  for (let last = 3.0; last <= 3.2; last += 0.0013) {
    const p = above(
      l,
      gasModel.pmf({ now: CLOSE - 1, closeTs: CLOSE, prices: prices(last) }, DEFAULT_GAS_PARAMS, l),
    );
    if (prev) {
      for (let i = 0; i < p.length; i++) {
        assert.ok(p[i] >= prev[i] - 1e-15, `last=${last} i=${i}`);
      }
    }
    prev = p;
  }
  // Raising beta with upward momentum raises every P(> strike).
  const lo = above(
    l,
    gasModel.pmf({ now: CLOSE - 1, closeTs: CLOSE, prices: prices() }, {
      ...DEFAULT_GAS_PARAMS,
      beta: 0,
    }, l),
  );
  const hi = above(
    l,
    gasModel.pmf({ now: CLOSE - 1, closeTs: CLOSE, prices: prices() }, DEFAULT_GAS_PARAMS, l),
  );
  for (let i = 0; i < lo.length; i++) assert.ok(hi[i] >= lo[i]);
});

Deno.test("gas calibrate recovers beta, scale and df from synthetic data (daily and weekly sampling)", () => {
  const h = gasSynthHistory({
    seed: 31,
    historyDays: 6000,
    eventDays: 0,
    beta: 0.7,
    scale: 0.003,
    df: 5,
  });
  const p = gasModel.calibrate(h.prices, { cutoffTs: Infinity });
  assert.ok(Math.abs(p.beta - 0.7) < 0.08, `beta ${p.beta}`);
  assert.ok(Math.abs(p.scale / 0.003 - 1) < 0.08, `scale ${p.scale}`);
  assert.ok(p.df > 5 / 1.8 && p.df < 5 * 1.8, `df ${p.df}`);
  assert.equal(p.momentumDays, 7);
  assert.equal(p.fit!.n, 5999);
  assert.equal(p.fit!.binWidth, 0.01);
  // A random walk (beta = 0) gives beta near 0.
  const rw = gasSynthHistory({ seed: 32, historyDays: 6000, eventDays: 0, beta: 0 });
  assert.ok(Math.abs(gasModel.calibrate(rw.prices, { cutoffTs: Infinity }).beta) < 0.08);
  // Weekly sampling of the same process: a fit per 7-day step still runs, beta stays positive.
  const weekly = h.prices.filter((_, i) => i % 7 === 0);
  const w = gasModel.calibrate(weekly, { cutoffTs: Infinity });
  assert.ok(w.beta > 0.3, `weekly beta ${w.beta}`);
});

Deno.test("gas calibrate is walk-forward: data at or after the cutoff cannot change the params", () => {
  const h = gasSynthHistory({ seed: 33, historyDays: 400, eventDays: 0 });
  const cutoff = h.prices[300].ts;
  const base = gasModel.calibrate(h.prices, { cutoffTs: cutoff });
  const tampered = h.prices.map((o) => (o.ts >= cutoff ? { ts: o.ts, value: o.value * 2 } : o));
  assert.deepEqual(gasModel.calibrate(tampered, { cutoffTs: cutoff }), base);
  assert.equal(base.fit!.n, 299);
  assert.notDeepEqual(gasModel.calibrate(tampered, { cutoffTs: cutoff + 1 }), base);
});

Deno.test("gas model rejects bad input", () => {
  const ps = prices();
  assert.throws(
    () => gasModel.calibrate(ps, { cutoffTs: Infinity, momentumDays: 0 }),
    /momentumDays must be an integer >= 1, current value is 0/,
  );
  assert.throws(
    () => gasModel.calibrate(ps.slice(0, 4), { cutoffTs: Infinity }),
    /at least 5 residuals are needed, current value is 3/,
  );
  assert.throws(
    () => gasModel.calibrate(ps, { cutoffTs: Infinity, beta: Number.NaN }),
    /beta must be finite/,
  );
  const bad: GasParams = { ...DEFAULT_GAS_PARAMS, beta: Infinity };
  assert.throws(
    () => gasForecast({ now: CLOSE, closeTs: CLOSE, prices: ps }, bad),
    /beta must be finite/,
  );
  assert.throws(
    () => gasForecast({ now: 0, closeTs: CLOSE, prices: ps }, DEFAULT_GAS_PARAMS),
    /no price is known/,
  );
  const zero = [...ps.slice(0, 13), { ts: ps[13].ts, value: 0 }];
  assert.throws(
    () => gasForecast({ now: CLOSE, closeTs: CLOSE, prices: zero }, DEFAULT_GAS_PARAMS),
    /price 13 must be > 0, current value is 0/,
  );
});
