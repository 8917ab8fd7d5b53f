import assert from "node:assert/strict";
import type { FillRow, OrderRow } from "../store/results_db.ts";
import { wilsonInterval } from "../scoring/reliability.ts";
import type { DecisionRow, FillObservation } from "./decision_types.ts";
import {
  fillRealism,
  fillRealismMetricRows,
  makerFillCalibration,
  markoutsByRole,
  slippageByRole,
  touchBucketIndex,
} from "./fill_realism.ts";

const NAN = Number.NaN;

function decision(p: Partial<DecisionRow> & { orderId: number }): DecisionRow {
  return {
    ts: 0,
    market: "M",
    event: "E",
    side: "yes",
    timeInForce: "post_only",
    limitPrice: 4800,
    count: 500,
    bookValid: true,
    yesBid: 4900,
    yesAsk: 5100,
    mid: 5000,
    spread: 200,
    yesBidDepth: 0,
    yesAskDepth: 0,
    skew: NAN,
    touchDistance: 100,
    timeToCloseMs: 0,
    modelYes: NAN,
    disagreement: NAN,
    assumedFillProbability: NAN,
    recentVolume: 0,
    recentVolatility: NAN,
    filled: 0,
    avgFillPrice: NAN,
    closeMid: NAN,
    clv: NAN,
    pnlTicks: NAN,
    ...p,
  };
}

function fill(p: Partial<FillRow> & { orderId: number }): FillRow {
  return {
    ts: 0,
    market: "M",
    side: "yes",
    price: 4800,
    count: 500,
    feeTicks: 0,
    role: "maker",
    ...p,
  };
}

Deno.test("touchBucketIndex: <0, 0, 1-100, 101-300, >300 and NaN", () => {
  const cases: [number, number][] = [
    [-500, 0],
    [-1, 0],
    [-0.5, 0],
    [0, 1],
    [-0, 1],
    [1, 2],
    [100, 2],
    [100.5, 3],
    [101, 3],
    [300, 3],
    [301, 4],
    [1e9, 4],
    [NAN, -1],
  ];
  for (const [d, i] of cases) assert.equal(touchBucketIndex(d), i, `distance ${d}`);
});

Deno.test("makerFillCalibration: rates, Wilson intervals and assumed probabilities per bucket", () => {
  const decisions = [
    // bucket 0 (join the bid): 3 orders, 2 filled; two stated a probability.
    decision({ orderId: 1, touchDistance: 0, assumedFillProbability: 0.5 }),
    decision({ orderId: 2, touchDistance: 0, assumedFillProbability: 0.7 }),
    decision({ orderId: 3, touchDistance: 0 }),
    // bucket 101-300: 1 order, unfilled.
    decision({ orderId: 4, touchDistance: 200, assumedFillProbability: 0.1 }),
    // inside the spread; rejected (crossed) -> left out and counted.
    decision({ orderId: 5, touchDistance: -200 }),
    // IOC: not a maker order.
    decision({ orderId: 6, touchDistance: 0, timeInForce: "ioc" }),
    // no book: no touch distance.
    decision({ orderId: 7, touchDistance: NAN, timeInForce: "gtc" }),
  ];
  const fills = [
    fill({ orderId: 1, count: 200 }),
    fill({ orderId: 1, count: 300 }),
    fill({ orderId: 3, count: 100 }),
    fill({ orderId: 6, count: 500, role: "taker" }),
  ];
  const orders = [{ id: 5, status: "rejected" } as OrderRow];
  const r = makerFillCalibration(decisions, fills, { orders });
  assert.equal(r.orders, 4);
  assert.equal(r.noTouch, 1);
  const [neg, zero, near, mid, far] = r.buckets;
  assert.deepEqual([neg.bucket, neg.orders, neg.rejected], ["<0", 0, 1]);
  assert.ok(Number.isNaN(neg.fillRate));
  assert.deepEqual([neg.fillRateLo, neg.fillRateHi], [0, 1]);
  assert.equal(zero.orders, 3);
  assert.equal(zero.filledOrders, 2);
  assert.equal(zero.fillRate, 2 / 3);
  const w = wilsonInterval(2, 3);
  assert.deepEqual([zero.fillRateLo, zero.fillRateHi], [w.lo, w.hi]);
  assert.equal(zero.quantityFillRatio, 600 / 1500);
  assert.equal(zero.withAssumption, 2);
  assert.ok(Math.abs(zero.meanAssumed - 0.6) < 1e-15);
  assert.equal(zero.observedWithAssumption, 0.5, "order 1 filled, order 2 not");
  const wa = wilsonInterval(1, 2);
  assert.deepEqual([zero.observedLo, zero.observedHi], [wa.lo, wa.hi]);
  assert.equal(near.orders, 0);
  assert.deepEqual([mid.orders, mid.filledOrders, mid.fillRate, mid.meanAssumed], [1, 0, 0, 0.1]);
  assert.equal(far.orders, 0);
  // Without the orders, the rejected one counts as an unfilled order.
  assert.equal(makerFillCalibration(decisions, fills).buckets[0].orders, 1);
});

Deno.test("makerFillCalibration: an assumed probability outside [0, 1] is an error", () => {
  assert.throws(
    () => makerFillCalibration([decision({ orderId: 9, assumedFillProbability: 1.5 })], []),
    /Cannot calibrate maker fills: assumedFillProbability of order 9 must be in \[0, 1\] or NaN, current value is 1.5/,
  );
  const empty = makerFillCalibration([], []);
  assert.equal(empty.orders, 0);
  assert.equal(empty.buckets.length, 5);
});

Deno.test("slippageByRole: takers against the decision touch, makers against the limit", () => {
  const decisions = [
    decision({ orderId: 1, timeInForce: "ioc", side: "yes", yesAsk: 5100 }),
    decision({ orderId: 2, timeInForce: "ioc", side: "no", yesBid: 4900 }),
    decision({ orderId: 3, limitPrice: 4800 }),
    decision({ orderId: 4, timeInForce: "ioc", side: "yes", yesAsk: 10_000 }),
  ];
  const fills = [
    // YES taker: 5100 x 2 and 5200 x 2 against ask 5100 -> +50 average.
    fill({ orderId: 1, role: "taker", price: 5100, count: 200 }),
    fill({ orderId: 1, role: "taker", price: 5200, count: 200 }),
    // NO taker: 5100 for NO against NO ask 10000 - 4900 = 5100 -> 0, 1 contract.
    fill({ orderId: 2, role: "taker", side: "no", price: 5100, count: 100 }),
    fill({ orderId: 3, role: "maker", price: 4800, count: 500 }),
    fill({ orderId: 4, role: "taker", price: 5300, count: 100 }), // no touch then
    fill({ orderId: 99, role: "maker" }), // no decision row
  ];
  const [maker, taker] = slippageByRole(decisions, fills);
  assert.deepEqual(
    [maker.role, maker.fills, maker.contracts, maker.avgSlippageTicks, maker.missingDecision],
    ["maker", 1, 500, 0, 1],
  );
  assert.equal(taker.fills, 3);
  assert.equal(taker.contracts, 500);
  assert.equal(taker.avgSlippageTicks, (0 * 200 + 100 * 200 + 0 * 100) / 500);
  assert.equal(taker.worstTicks, 100);
  assert.equal(taker.missingTouch, 1);
  const none = slippageByRole([], []);
  assert.ok(Number.isNaN(none[0].avgSlippageTicks) && Number.isNaN(none[1].worstTicks));
});

function obs(p: Partial<FillObservation> & { fillIndex: number }): FillObservation {
  return {
    orderId: 1,
    market: "M",
    side: "yes",
    ts: 0,
    price: 5000,
    role: "maker",
    midAtFill: 5000,
    midAfter: [5000, 5000, 5000],
    ...p,
  };
}

Deno.test("markoutsByRole: moves from the side bought's view, NaN excluded and counted", () => {
  const observations = [
    obs({ fillIndex: 0, side: "yes", midAtFill: 5000, midAfter: [4900, 5100, NAN] }),
    obs({ fillIndex: 1, side: "no", midAtFill: 5000, midAfter: [4900, 5300, 5000] }),
    obs({ fillIndex: 2, side: "yes", midAtFill: NAN, midAfter: [4900, 4900, 4900] }),
    obs({ fillIndex: 3, role: "taker", side: "no", midAtFill: 6000, midAfter: [6050, 6000, 5000] }),
  ];
  const rows = markoutsByRole(observations);
  assert.equal(rows.length, 6);
  const [m1, m5, m30, t1, , t30] = rows;
  // 1 min: YES -100, NO +100 -> mean 0, one adverse; the NaN fill excluded.
  assert.deepEqual([m1.role, m1.horizonMs, m1.n, m1.meanMoveTicks, m1.adverse, m1.excludedNaN], [
    "maker",
    60_000,
    2,
    0,
    1,
    1,
  ]);
  // 5 min: YES +100, NO -300 -> -100.
  assert.deepEqual([m5.n, m5.meanMoveTicks, m5.adverse], [2, -100, 1]);
  // 30 min: YES NaN (excluded), NO 0.
  assert.deepEqual([m30.n, m30.meanMoveTicks, m30.excludedNaN], [1, 0, 2]);
  assert.deepEqual([t1.role, t1.n, t1.meanMoveTicks, t1.adverse], ["taker", 1, -50, 1]);
  assert.equal(t30.meanMoveTicks, 1000);
  assert.throws(
    () =>
      markoutsByRole([obs({ fillIndex: 7, midAfter: [1] as unknown as [number, number, number] })]),
    /fill 7 needs 3 later mids, current value is 1/,
  );
});

Deno.test("fillRealism and its metric rows", () => {
  const r = fillRealism({
    decisions: [decision({ orderId: 1, touchDistance: 0, assumedFillProbability: 0.4 })],
    fills: [fill({ orderId: 1 })],
    observations: [obs({ fillIndex: 0, midAfter: [5100, 5100, 5100] })],
  });
  assert.equal(r.maker.buckets[1].fillRate, 1);
  const rows = new Map(fillRealismMetricRows(r).map((m) => [m.name, m.value]));
  assert.equal(rows.get("fill_maker_0_orders"), 1);
  assert.equal(rows.get("fill_maker_0_rate"), 1);
  assert.equal(rows.get("fill_maker_0_assumed"), 0.4);
  assert.ok(rows.has("fill_maker_lt0_rate") && rows.has("fill_maker_101_300_rate"));
  assert.ok(rows.has("fill_maker_gt300_rate"));
  assert.equal(rows.get("slippage_maker_ticks"), 0);
  assert.equal(rows.get("markout_maker_1m_ticks"), 100);
  assert.equal(rows.get("markout_maker_30m_n"), 1);
});
