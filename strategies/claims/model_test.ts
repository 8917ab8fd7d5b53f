import assert from "node:assert/strict";
import { buildLadder, type Ladder } from "../../lib/market/ladder.ts";
import { testEvent, testMarket } from "../../lib/market/test_fixtures.ts";
import { marketProbabilities } from "../../lib/pricing/pmf.ts";
import { withOutcomeStep } from "../../lib/pricing/point_pmf.ts";
import { dayNumber } from "../../lib/time/eastern.ts";
import { claimsSynthHistory, synthClaimsReleaseTs } from "../../lib/synth/claims.ts";
import type { Observation } from "../family.ts";
import {
  CLAIMS_STEP,
  claimsForecast,
  claimsModel,
  type ClaimsParams,
  claimsReleaseTs,
  claimsSeasonal,
  claimsTargetWeek,
  claimsWeekOf,
  DEFAULT_CLAIMS_PARAMS,
} from "./model.ts";

const EV = "KXJOBLESSCLAIMS-26JAN08";
const WEEK = dayNumber(2026, 1, 3); // Saturday; released Thursday 2026-01-08
const RELEASE = Date.UTC(2026, 0, 8, 13, 30);
const CLOSE = RELEASE - 60_000;

function ladder(strikes = [205000, 210000, 215000, 220000, 225000, 230000], step?: number): Ladder {
  return buildLadder(
    testEvent(EV, false, step),
    strikes.map((k) => testMarket(EV, `T${k}`, "greater_or_equal", { floorStrike: k })),
  );
}

/** 12 weekly prints up to the week before WEEK. */
function prints(last = 218000): Observation[] {
  const values = [
    221000,
    219000,
    225000,
    216000,
    230000,
    214000,
    222000,
    219000,
    217000,
    224000,
    220000,
    last,
  ];
  return values.map((value, k) => ({ ts: claimsReleaseTs(WEEK - 7 * (values.length - k)), value }));
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

function atLeast(l: Ladder, pmf: Float64Array): number[] {
  return Array.from(marketProbabilities(withOutcomeStep(l, CLAIMS_STEP), pmf));
}

Deno.test("claims weeks: release Thursday 08:30 ET, week of a release, target of a close", () => {
  assert.equal(claimsReleaseTs(WEEK), RELEASE);
  assert.equal(claimsReleaseTs(dayNumber(2025, 7, 5)), Date.UTC(2025, 6, 10, 12, 30), "EDT");
  assert.equal(claimsWeekOf(RELEASE), WEEK);
  assert.equal(claimsTargetWeek(CLOSE), WEEK);
  assert.equal(claimsTargetWeek(RELEASE), WEEK, "a close at the release time still targets it");
  assert.equal(claimsTargetWeek(RELEASE + 1), WEEK + 7);
  assert.equal(claimsTargetWeek(Date.UTC(2026, 0, 5, 15)), WEEK, "Monday close");
  assert.equal(synthClaimsReleaseTs(WEEK), RELEASE, "the generator uses the same schedule");
});

Deno.test("claims pmf: sums to 1; zero on bins without a reportable value", () => {
  const state = { now: CLOSE - 1000, closeTs: CLOSE, prints: prints() };
  const l = ladder();
  const pmf = claimsModel.pmf(state, DEFAULT_CLAIMS_PARAMS, l);
  assert.equal(pmf.length, 7);
  assert.ok(Math.abs(sum(pmf) - 1) < 1e-12);
  // [220200, 220700) holds no multiple of 1000.
  const odd = claimsModel.pmf(state, DEFAULT_CLAIMS_PARAMS, ladder([220200, 220700]));
  assert.equal(odd[1], 0);
  assert.ok(Math.abs(sum(odd) - 1) < 1e-12);
  // Negative claims are impossible: a tail below 0 gets nothing.
  const low = claimsModel.pmf(state, DEFAULT_CLAIMS_PARAMS, ladder([0, 220000]));
  assert.equal(low[0], 0);
});

Deno.test("claims: 'at least N' — a print equal to N settles YES", () => {
  const l = ladder();
  const idx = (k: number) => l.marketIndex.get(`${EV}-T${k}`)!;
  const cases: [number, number][] = [[220000, 1], [219600, 1], [219400, 0], [220400, 1], [
    220600,
    1,
  ]];
  for (const [print, yes220] of cases) {
    const known = [...prints(), { ts: RELEASE, value: print }];
    const state = { now: RELEASE, closeTs: RELEASE, prints: known };
    const p = atLeast(l, claimsModel.pmf(state, DEFAULT_CLAIMS_PARAMS, l));
    assert.equal(p[idx(220000)], yes220, `print ${print}: at least 220000`);
    assert.equal(p[idx(215000)], 1, `print ${print}: at least 215000`);
    assert.equal(p[idx(225000)], 0, `print ${print}: at least 225000`);
  }
});

Deno.test("claims pmf: monotone in the point forecast", () => {
  const l = ladder();
  let prev: number[] | undefined;
  for (let last = 190000; last <= 260000; last += 1700) {
    const p = atLeast(
      l,
      claimsModel.pmf(
        { now: CLOSE - 1, closeTs: CLOSE, prints: prints(last) },
        DEFAULT_CLAIMS_PARAMS,
        l,
      ),
    );
    if (prev) {
      for (let i = 0; i < p.length; i++) assert.ok(p[i] >= prev[i] - 1e-15, `last=${last}`);
    }
    prev = p;
  }
});

Deno.test("claims forecast: level, seasonality and horizon", () => {
  const p: ClaimsParams = { alpha: 1, seasonal: [0.1, 0], scale: 0.05, df: 5 };
  const ps = prints();
  const f = claimsForecast({ now: CLOSE, closeTs: CLOSE, prints: ps }, p);
  // alpha = 1: the level is the last deseasonalized print.
  const lastWeek = WEEK - 7;
  const expected = Math.log(218000) - claimsSeasonal([0.1, 0], lastWeek) +
    claimsSeasonal([0.1, 0], WEEK);
  assert.ok(Math.abs(f.center - expected) < 1e-12);
  assert.equal(f.scale, 0.05);
  assert.equal(f.log, true);
  // Two weeks ahead: scale * sqrt(1 + alpha^2).
  const two = claimsForecast({ now: CLOSE, closeTs: CLOSE + 7 * 86_400_000, prints: ps }, p);
  assert.ok(Math.abs(two.scale - 0.05 * Math.SQRT2) < 1e-12);
});

Deno.test("claims calibrate recovers alpha, seasonality, scale and df from synthetic data", () => {
  const h = claimsSynthHistory({
    seed: 11,
    historyWeeks: 3000,
    eventWeeks: 0,
    alpha: 0.3,
    a1: 0.12,
    b1: -0.05,
    scale: 0.04,
    df: 5,
  });
  const p = claimsModel.calibrate(h.prints, { cutoffTs: Infinity, harmonics: 1 });
  assert.ok(Math.abs(p.alpha - 0.3) < 0.06, `alpha ${p.alpha}`);
  assert.ok(Math.abs(p.seasonal[0] - 0.12) < 0.02, `a1 ${p.seasonal[0]}`);
  assert.ok(Math.abs(p.seasonal[1] + 0.05) < 0.02, `b1 ${p.seasonal[1]}`);
  assert.ok(Math.abs(p.scale / 0.04 - 1) < 0.1, `scale ${p.scale}`);
  assert.ok(p.df > 5 / 1.8 && p.df < 5 * 1.8, `df ${p.df}`);
  assert.equal(p.fit!.n, 3000 - 4);
  assert.equal(p.fit!.binWidth, 5000);
  assert.ok(p.fit!.logLoss > 0 && p.fit!.logLoss < Math.log(20));
  // With two harmonics the second is near zero.
  const p2 = claimsModel.calibrate(h.prints, { cutoffTs: Infinity });
  assert.equal(p2.seasonal.length, 4);
  assert.ok(Math.abs(p2.seasonal[2]) < 0.02 && Math.abs(p2.seasonal[3]) < 0.02);
});

Deno.test("claims calibrate is walk-forward: data at or after the cutoff cannot change the params", () => {
  const h = claimsSynthHistory({ seed: 12, historyWeeks: 300, eventWeeks: 0 });
  const cutoff = h.prints[200].ts;
  const base = claimsModel.calibrate(h.prints, { cutoffTs: cutoff });
  const tampered = h.prints.map((o) => (o.ts >= cutoff ? { ts: o.ts, value: o.value * 9 } : o));
  assert.deepEqual(claimsModel.calibrate(tampered, { cutoffTs: cutoff }), base);
  assert.equal(base.fit!.n, 200 - 4);
  assert.notDeepEqual(claimsModel.calibrate(tampered, { cutoffTs: cutoff + 1 }), base);
});

Deno.test("claims model rejects bad input", () => {
  const ps = prints();
  assert.throws(
    () => claimsModel.calibrate(ps, { cutoffTs: Infinity }),
    /at least 14 prints are needed, current value is 12/,
  );
  assert.throws(
    () => claimsModel.calibrate(ps, { cutoffTs: Infinity, harmonics: -1 }),
    /harmonics must be an integer >= 0/,
  );
  assert.throws(
    () => claimsModel.calibrate(ps, { cutoffTs: Infinity, alpha: 0 }),
    /alpha must be in \(0, 1\], current value is 0/,
  );
  assert.throws(
    () => claimsModel.pmf({ now: 0, closeTs: CLOSE, prints: ps }, DEFAULT_CLAIMS_PARAMS, ladder()),
    /no print is known/,
  );
  const bad = [...ps.slice(0, 11), { ts: ps[11].ts, value: 0 }];
  assert.throws(
    () =>
      claimsModel.pmf({ now: CLOSE, closeTs: CLOSE, prints: bad }, DEFAULT_CLAIMS_PARAMS, ladder()),
    /print 11 must be > 0, current value is 0/,
  );
});
