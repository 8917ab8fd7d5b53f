import assert from "node:assert/strict";
import { buildLadder, type Ladder } from "../../lib/market/ladder.ts";
import { testEvent, testMarket } from "../../lib/market/test_fixtures.ts";
import { dayNumber } from "../../lib/time/eastern.ts";
import { tnoteSynthHistory } from "../../lib/synth/tnote.ts";
import type { Observation } from "../family.ts";
import {
  DEFAULT_TNOTE_PARAMS,
  tnoteForecast,
  tnoteModel,
  type TnoteParams,
  tnotePublishTs,
  tnoteTargetDay,
} from "./model.ts";

const EV = "KXTNOTED-26JAN05";
const MON = dayNumber(2026, 1, 5);
const CLOSE = Date.UTC(2026, 0, 5, 20, 0); // 15:00 EST

/** The synthetic generator's ladder shape: tails and six 0.05 bins from a (hundredths). */
function rangeLadder(a = 405, step: number | undefined = 0.01): Ladder {
  const ms = [testMarket(EV, `T${a / 100}`, "less", { capStrike: a / 100 })];
  for (let j = 0; j < 6; j++) {
    const lo = a + 5 * j;
    ms.push(
      testMarket(EV, `B${(lo + 2) / 100}`, "between", {
        floorStrike: lo / 100,
        capStrike: (lo + 4) / 100,
      }),
    );
  }
  ms.push(testMarket(EV, `T${(a + 29) / 100}`, "greater", { floorStrike: (a + 29) / 100 }));
  return buildLadder(testEvent(EV, true, step), ms);
}

/** Yields of the 10 business days before MON. */
function yields(last = 4.2): Observation[] {
  const values = [4.1, 4.15, 4.12, 4.2, 4.25, 4.18, 4.16, 4.22, 4.19, last];
  const days = [-14, -13, -12, -11, -10, -7, -6, -5, -4, -3].map((d) => MON + d);
  return values.map((value, i) => ({ ts: tnotePublishTs(days[i]), value }));
}

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

Deno.test("10-year days: publication 18:00 ET, target business day of a close", () => {
  assert.equal(tnotePublishTs(MON), Date.UTC(2026, 0, 5, 23, 0));
  assert.equal(tnoteTargetDay(CLOSE), MON);
  assert.equal(tnoteTargetDay(Date.UTC(2026, 0, 3, 15)), MON, "Saturday close -> Monday");
  assert.equal(
    tnoteTargetDay(Date.UTC(2026, 0, 2, 23, 30)),
    MON,
    "Friday after 18:00 ET -> Monday",
  );
  assert.equal(tnoteTargetDay(tnotePublishTs(MON)), MON);
});

Deno.test("10-year forecast: random walk over business days, mean reversion", () => {
  const rw = tnoteForecast(
    { now: CLOSE - 1, closeTs: CLOSE, yields: yields() },
    DEFAULT_TNOTE_PARAMS,
  );
  assert.equal(rw.center, 4.2);
  assert.equal(rw.scale, 0.06, "Friday -> Monday is one business day");
  const wed = tnoteForecast(
    { now: CLOSE - 1, closeTs: CLOSE + 2 * 86_400_000, yields: yields() },
    DEFAULT_TNOTE_PARAMS,
  );
  assert.ok(Math.abs(wed.scale - 0.06 * Math.sqrt(3)) < 1e-12);
  const mr: TnoteParams = { kappa: 0.1, mu: 4, scale: 0.06, df: 5 };
  const f = tnoteForecast({ now: CLOSE - 1, closeTs: CLOSE + 86_400_000, yields: yields() }, mr);
  assert.ok(Math.abs(f.center - (4 + 0.2 * 0.81)) < 1e-12);
  assert.ok(Math.abs(f.scale - 0.06 * Math.sqrt(1 + 0.81)) < 1e-12);
});

Deno.test("10-year pmf: sums to 1; zero on bins without a reportable value", () => {
  const state = { now: CLOSE - 1, closeTs: CLOSE, yields: yields() };
  const pmf = tnoteModel.pmf(state, DEFAULT_TNOTE_PARAMS, rangeLadder());
  assert.equal(pmf.length, 8);
  assert.ok(Math.abs(sum(pmf) - 1) < 1e-12);
  const odd = buildLadder(
    testEvent(EV, false),
    [4.101, 4.109].map((k) => testMarket(EV, `T${k}`, "greater", { floorStrike: k })),
  );
  const q = tnoteModel.pmf(state, DEFAULT_TNOTE_PARAMS, odd);
  assert.equal(q[1], 0, "(4.101, 4.109] holds no yield reported to 0.01");
  assert.ok(Math.abs(sum(q) - 1) < 1e-12);
});

Deno.test("10-year: range bins include both ends at 2 decimals; tails are strict", () => {
  const l = rangeLadder();
  const bin = (name: string) => l.marketIndex.get(`${EV}-${name}`)!;
  const cases: [number, string][] = [
    [4.05, "B4.07"],
    [4.09, "B4.07"],
    [4.1, "B4.12"],
    [4.146, "B4.17"],
    [4.04, "T4.05"],
    [4.34, "B4.32"],
    [4.35, "T4.34"],
  ];
  for (const [y, name] of cases) {
    const known = [...yields(), { ts: tnotePublishTs(MON), value: y }];
    const pmf = tnoteModel.pmf(
      { now: tnotePublishTs(MON), closeTs: CLOSE, yields: known },
      DEFAULT_TNOTE_PARAMS,
      l,
    );
    assert.equal(pmf[bin(name)], 1, `yield ${y} -> ${name}`);
  }
});

Deno.test("10-year pmf: monotone in the point forecast", () => {
  const l = rangeLadder();
  let prev: number[] | undefined;
  for (let y = 3.9; y <= 4.6; y += 0.007) {
    const pmf = tnoteModel.pmf(
      { now: CLOSE - 1, closeTs: CLOSE, yields: yields(y) },
      DEFAULT_TNOTE_PARAMS,
      l,
    );
    // P(outcome in bin b or above), for each b.
    const tail: number[] = [];
    let acc = 0;
    for (let b = pmf.length - 1; b >= 0; b--) tail[b] = acc += pmf[b];
    if (prev) {
      for (let b = 0; b < tail.length; b++) {
        assert.ok(tail[b] >= prev[b] - 1e-12, `y=${y} b=${b}`);
      }
    }
    prev = tail;
  }
});

Deno.test("10-year calibrate recovers scale, df and mean reversion from synthetic data", () => {
  const h = tnoteSynthHistory({ seed: 21, historyDays: 5000, eventDays: 0, scale: 0.06, df: 4 });
  const p = tnoteModel.calibrate(h.yields, { cutoffTs: Infinity });
  assert.equal(p.kappa, 0);
  assert.ok(Math.abs(p.scale / 0.06 - 1) < 0.07, `scale ${p.scale}`);
  assert.ok(p.df > 4 / 1.6 && p.df < 4 * 1.6, `df ${p.df}`);
  assert.equal(p.fit!.n, 4999);
  assert.equal(p.fit!.binWidth, 0.05);
  const m = tnoteSynthHistory({
    seed: 22,
    historyDays: 5000,
    eventDays: 0,
    kappa: 0.03,
    mu: 4,
    start: 6,
    scale: 0.06,
  });
  const q = tnoteModel.calibrate(m.yields, { cutoffTs: Infinity, meanReversion: true });
  assert.ok(Math.abs(q.kappa - 0.03) < 0.008, `kappa ${q.kappa}`);
  assert.ok(Math.abs(q.mu - 4) < 0.2, `mu ${q.mu}`);
  assert.ok(Math.abs(q.scale / 0.06 - 1) < 0.07, `scale ${q.scale}`);
  assert.ok(
    q.fit!.logLikelihood >
      tnoteModel.calibrate(m.yields, { cutoffTs: Infinity }).fit!.logLikelihood,
  );
});

Deno.test("10-year calibrate is walk-forward: data at or after the cutoff cannot change the params", () => {
  const h = tnoteSynthHistory({ seed: 23, historyDays: 400, eventDays: 0 });
  const cutoff = h.yields[300].ts;
  const base = tnoteModel.calibrate(h.yields, { cutoffTs: cutoff, meanReversion: true });
  const tampered = h.yields.map((o) => (o.ts >= cutoff ? { ts: o.ts, value: o.value + 3 } : o));
  assert.deepEqual(tnoteModel.calibrate(tampered, { cutoffTs: cutoff, meanReversion: true }), base);
  assert.equal(base.fit!.n, 299);
  assert.notDeepEqual(
    tnoteModel.calibrate(tampered, { cutoffTs: cutoff + 1, meanReversion: true }),
    base,
  );
});

Deno.test("10-year model rejects bad input", () => {
  const ys = yields();
  assert.throws(
    () => tnoteModel.calibrate(ys.slice(0, 4), { cutoffTs: Infinity }),
    /at least 5 residuals are needed, current value is 3/,
  );
  assert.throws(
    () =>
      tnoteModel.pmf({ now: 0, closeTs: CLOSE, yields: ys }, DEFAULT_TNOTE_PARAMS, rangeLadder()),
    /no yield is known/,
  );
  assert.throws(
    () =>
      tnoteForecast({ now: CLOSE, closeTs: CLOSE, yields: ys }, {
        ...DEFAULT_TNOTE_PARAMS,
        kappa: 1,
      }),
    /kappa must be in \[0, 1\), current value is 1/,
  );
  assert.throws(
    () =>
      tnoteModel.pmf(
        { now: CLOSE, closeTs: CLOSE, yields: ys },
        { ...DEFAULT_TNOTE_PARAMS, scale: -1 },
        rangeLadder(),
      ),
    /scale must be finite and >= 0/,
  );
});
