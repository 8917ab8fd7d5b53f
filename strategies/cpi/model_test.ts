import assert from "node:assert/strict";
import { buildLadder, type Ladder } from "../../lib/market/ladder.ts";
import { testEvent, testMarket } from "../../lib/market/test_fixtures.ts";
import { marketProbabilities } from "../../lib/pricing/pmf.ts";
import { withOutcomeStep } from "../../lib/pricing/point_pmf.ts";
import { monthIndex } from "../../lib/time/eastern.ts";
import { cpiSynthHistory, synthCpiReleaseTs } from "../../lib/synth/cpi.ts";
import type { Observation } from "../family.ts";
import {
  CPI_STEP,
  cpiForecast,
  cpiModel,
  type CpiParams,
  cpiPrintsFromIndex,
  cpiRefMonth,
  cpiReleaseTs,
  cpiTargetMonth,
  DEFAULT_CPI_PARAMS,
} from "./model.ts";

const EV = "KXCPI-25JUL";
const JUL25 = monthIndex(2025, 7);
/** KXCPI-25JUL's real close: 2025-08-12T12:29:00Z. */
const CLOSE = Date.UTC(2025, 7, 12, 12, 29);

function ladder(strikes = [-0.1, 0, 0.1, 0.2, 0.3, 0.4], step?: number): Ladder {
  return buildLadder(
    testEvent(EV, false, step),
    strikes.map((k) => testMarket(EV, `T${k}`, "greater", { floorStrike: k })),
  );
}

/** Prints of months Jan..Jun 2025 (released on the 15th of the next month). */
function prints(values = [0.5, 0.2, -0.1, 0.2, 0.1, 0.3]): Observation[] {
  return values.map((value, k) => ({ ts: cpiReleaseTs(monthIndex(2025, 1) + k), value }));
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

/** P(outcome > strike) for every market, in ladder order. */
function above(l: Ladder, pmf: Float64Array): number[] {
  return Array.from(marketProbabilities(withOutcomeStep(l, CPI_STEP), pmf));
}

Deno.test("CPI months: release time, reference and target months", () => {
  assert.equal(cpiReleaseTs(JUL25), Date.UTC(2025, 7, 15, 12, 30), "Aug 15 08:30 EDT");
  assert.equal(
    cpiReleaseTs(monthIndex(2025, 12)),
    Date.UTC(2026, 0, 15, 13, 30),
    "Jan 15 08:30 EST",
  );
  assert.equal(cpiRefMonth(cpiReleaseTs(JUL25)), JUL25);
  assert.equal(cpiTargetMonth(CLOSE), JUL25);
  assert.equal(
    synthCpiReleaseTs(JUL25),
    cpiReleaseTs(JUL25),
    "the generator uses the same schedule",
  );
});

Deno.test("CPI pmf: sums to 1, zero on unreachable bins, trend = mean of the window", () => {
  const now = Date.UTC(2025, 7, 1);
  const state = { now, closeTs: CLOSE, prints: prints() };
  const p: CpiParams = { window: 3, trend: { scale: 0.15, df: 5 } };
  const f = cpiForecast(state, p);
  assert.ok(Math.abs(f.center - (0.2 + 0.1 + 0.3) / 3) < 1e-12);
  assert.equal(f.scale, 0.15);
  const l = ladder();
  const pmf = cpiModel.pmf(state, p, l);
  assert.equal(pmf.length, 7);
  assert.ok(Math.abs(sum(pmf) - 1) < 1e-12);
  // Strikes 0.2 and 0.25: (0.2, 0.25] holds no value reported to 0.1.
  const odd = ladder([0.2, 0.25]);
  const q = cpiModel.pmf(state, p, odd);
  assert.equal(q[1], 0);
  assert.ok(Math.abs(sum(q) - 1) < 1e-12);
  // Prints after `now` are not used.
  const later = [...prints(), { ts: cpiReleaseTs(JUL25), value: 3 }];
  assert.deepEqual(cpiModel.pmf({ ...state, prints: later }, p, l), pmf);
});

Deno.test("CPI pmf: a print of 0.2 settles 'greater than 0.2' NO (strict, after rounding)", () => {
  const l = ladder();
  const idx = (k: number) => l.marketIndex.get(`${EV}-T${k}`)!;
  for (const print of [0.2, 0.24, 0.16]) {
    // After the release (before the close of a late-closing event) the print is known.
    const known = [...prints(), { ts: cpiReleaseTs(JUL25), value: print }];
    const state = {
      now: cpiReleaseTs(JUL25),
      closeTs: cpiReleaseTs(JUL25) + 60_000,
      prints: known,
    };
    const pmf = cpiModel.pmf(state, DEFAULT_CPI_PARAMS, l);
    const p = above(l, pmf);
    assert.equal(p[idx(0.2)], 0, `print ${print} is reported 0.2: T0.2 NO`);
    assert.equal(p[idx(0.1)], 1, `print ${print}: T0.1 YES`);
  }
  const known = [...prints(), { ts: cpiReleaseTs(JUL25), value: 0.25 }];
  const p = above(
    l,
    cpiModel.pmf(
      { now: cpiReleaseTs(JUL25), closeTs: cpiReleaseTs(JUL25) + 60_000, prints: known },
      DEFAULT_CPI_PARAMS,
      l,
    ),
  );
  assert.equal(p[idx(0.2)], 1, "0.25 is reported 0.3: T0.2 YES");
});

Deno.test("CPI pmf: monotone in the point forecast (nowcast and trend)", () => {
  const l = ladder();
  const now = Date.UTC(2025, 7, 1);
  let prev: number[] | undefined;
  for (let c = -0.4; c <= 0.8; c += 0.013) {
    const state = {
      now,
      closeTs: CLOSE,
      prints: prints(),
      nowcasts: [{ ts: cpiReleaseTs(monthIndex(2025, 6)) + 1, value: c }],
    };
    const f = cpiForecast(state, DEFAULT_CPI_PARAMS);
    assert.equal(f.center, c, "the nowcast is the centre");
    assert.equal(f.scale, DEFAULT_CPI_PARAMS.nowcast!.scale);
    const p = above(l, cpiModel.pmf(state, DEFAULT_CPI_PARAMS, l));
    if (prev) {
      for (let i = 0; i < p.length; i++) assert.ok(p[i] >= prev[i] - 1e-15, `c=${c} i=${i}`);
    }
    prev = p;
  }
  // Trend: a higher last print never lowers P(> strike).
  const lo = above(
    l,
    cpiModel.pmf({ now, closeTs: CLOSE, prints: prints() }, DEFAULT_CPI_PARAMS, l),
  );
  const hi = above(
    l,
    cpiModel.pmf(
      { now, closeTs: CLOSE, prints: prints([0.5, 0.2, -0.1, 0.2, 0.1, 0.6]) },
      DEFAULT_CPI_PARAMS,
      l,
    ),
  );
  for (let i = 0; i < lo.length; i++) assert.ok(hi[i] >= lo[i]);
});

Deno.test("CPI forecast: nowcast only for the next print; two months ahead uses the trend", () => {
  const nowcasts = [{ ts: cpiReleaseTs(monthIndex(2025, 6)) + 1, value: 0.9 }];
  const now = Date.UTC(2025, 7, 1);
  // Target August (closes in September): two prints ahead -> trend.
  const aug = cpiForecast({
    now,
    closeTs: Date.UTC(2025, 8, 11, 12, 29),
    prints: prints(),
    nowcasts,
  }, DEFAULT_CPI_PARAMS);
  assert.equal(aug.scale, DEFAULT_CPI_PARAMS.trend.scale);
  // A nowcast older than the last print targets that print: not used.
  const stale = [{ ts: cpiReleaseTs(monthIndex(2025, 6)) - 1, value: 0.9 }];
  const s = cpiForecast(
    { now, closeTs: CLOSE, prints: prints(), nowcasts: stale },
    DEFAULT_CPI_PARAMS,
  );
  assert.equal(s.scale, DEFAULT_CPI_PARAMS.trend.scale);
  // A nowcast published after `now` is not known yet.
  const future = [{ ts: now + 1, value: 0.9 }];
  assert.equal(
    cpiForecast({ now, closeTs: CLOSE, prints: prints(), nowcasts: future }, DEFAULT_CPI_PARAMS)
      .scale,
    0.2,
  );
  // Without a nowcast model in the params: trend.
  const noNowcast: CpiParams = { window: 6, trend: { scale: 0.3, df: 4 } };
  assert.equal(
    cpiForecast({ now, closeTs: CLOSE, prints: prints(), nowcasts }, noNowcast).scale,
    0.3,
  );
});

Deno.test("CPI calibrate recovers the nowcast error (scale within 10%, df within x1.8)", () => {
  const h = cpiSynthHistory({ seed: 3, historyMonths: 2400, eventMonths: 0, scale: 0.12, df: 5 });
  const p = cpiModel.calibrate(h.prints, { cutoffTs: Infinity, nowcasts: h.nowcasts });
  const n = p.nowcast!;
  assert.ok(Math.abs(n.scale / 0.12 - 1) < 0.1, `scale ${n.scale}`);
  assert.ok(n.df > 5 / 1.8 && n.df < 5 * 1.8, `df ${n.df}`);
  assert.equal(
    n.fit!.n,
    2399,
    "every print but the first has a nowcast between it and the previous one",
  );
  assert.ok(Number.isFinite(n.fit!.logLikelihood));
  assert.ok(
    n.fit!.logLoss > 0 && n.fit!.logLoss < p.trend.fit!.logLoss,
    "the nowcast beats the trend",
  );
  assert.equal(n.fit!.binWidth, 0.1);
});

Deno.test("CPI calibrate: trend error on i.i.d. normal prints is scale * sqrt(1 + 1/window) (within 6%)", () => {
  const h = cpiSynthHistory({
    seed: 4,
    historyMonths: 3000,
    eventMonths: 0,
    rho: 0,
    latentSd: 0,
    scale: 0.2,
    df: Infinity,
  });
  for (const window of [3, 12]) {
    const p = cpiModel.calibrate(h.prints, { cutoffTs: Infinity, window, df: Infinity });
    const expected = 0.2 * Math.sqrt(1 + 1 / window);
    assert.ok(
      Math.abs(p.trend.scale / expected - 1) < 0.06,
      `window ${window}: ${p.trend.scale} vs ${expected}`,
    );
    assert.equal(p.window, window);
    assert.equal(p.trend.fit!.n, 3000 - window);
    assert.equal(p.nowcast, undefined);
  }
});

Deno.test("CPI calibrate is walk-forward: data at or after the cutoff cannot change the params", () => {
  const h = cpiSynthHistory({ seed: 5, historyMonths: 200, eventMonths: 0 });
  const cutoff = h.prints[150].ts; // print 150 is AT the cutoff: excluded
  const base = cpiModel.calibrate(h.prints, { cutoffTs: cutoff, nowcasts: h.nowcasts });
  const tamper = (xs: Observation[]) =>
    xs.map((o) => (o.ts >= cutoff ? { ts: o.ts, value: o.value * 40 - 7 } : o));
  const extra = [...tamper(h.prints), { ts: h.prints[199].ts + 1, value: 99 }];
  const again = cpiModel.calibrate(extra, { cutoffTs: cutoff, nowcasts: tamper(h.nowcasts) });
  assert.deepEqual(again, base);
  assert.equal(base.trend.fit!.n, 150 - DEFAULT_CPI_PARAMS.window);
  // Moving the cutoff one ms later admits print 150 and does change them.
  const later = cpiModel.calibrate(extra, { cutoffTs: cutoff + 1, nowcasts: tamper(h.nowcasts) });
  assert.notDeepEqual(later, base);
});

Deno.test("CPI model rejects bad input", () => {
  const h = prints();
  assert.throws(
    () => cpiModel.calibrate(h, { cutoffTs: Infinity, window: 0 }),
    /window must be an integer >= 1, current value is 0/,
  );
  assert.throws(
    () => cpiModel.calibrate(h, { cutoffTs: Infinity, window: 3 }),
    /at least 5 residuals are needed, current value is 3/,
  );
  assert.throws(
    () => cpiModel.calibrate([h[1], h[0]], { cutoffTs: Infinity }),
    /history must be in time order/,
  );
  assert.throws(
    () =>
      cpiModel.pmf(
        { now: Date.UTC(2020, 0, 1), closeTs: CLOSE, prints: h },
        DEFAULT_CPI_PARAMS,
        ladder(),
      ),
    /Cannot forecast CPI: no print is known at/,
  );
  assert.throws(
    () =>
      cpiForecast({ now: Infinity, closeTs: CLOSE, prints: h }, {
        ...DEFAULT_CPI_PARAMS,
        window: 1.5,
      }),
    /window must be an integer/,
  );
});

Deno.test("cpiPrintsFromIndex: m/m % from the index, gaps give no print", () => {
  const rows = [
    { month: JUL25 - 2, index: 320 },
    { month: JUL25 - 1, index: 320.64 },
    { month: JUL25, index: Number.NaN },
    { month: JUL25 + 1, index: 321.5 },
    { month: JUL25 + 2, index: 321.821 },
  ];
  const p = cpiPrintsFromIndex(rows);
  assert.equal(p.length, 2);
  assert.equal(p[0].ts, cpiReleaseTs(JUL25 - 1));
  assert.ok(Math.abs(p[0].value - 0.2) < 1e-9);
  assert.equal(p[1].ts, cpiReleaseTs(JUL25 + 2));
  assert.ok(Math.abs(p[1].value - 100 * (321.821 / 321.5 - 1)) < 1e-12);
});
