import assert from "node:assert/strict";
import {
  assertDecisionFactor,
  DECISION_FACTOR_DESCRIPTIONS,
  DECISION_FACTORS,
  decisionFactors,
  type DecisionInput,
  signalsFromDecisions,
  signalTable,
  withFactors,
} from "./signals.ts";
import { bucketAnalysis } from "./buckets.ts";

function row(over: Partial<DecisionInput> = {}): DecisionInput {
  return {
    orderId: 1,
    ts: 1_767_621_660_000,
    market: "KXBTCD-26JAN0510-T93999.99",
    event: "KXBTCD-26JAN0510",
    side: "yes",
    filled: 1000,
    clv: 150,
    pnlTicks: 900,
    skew: 0.7,
    spread: 100,
    timeToCloseMs: 3_540_000,
    recentVolatility: 12.5,
    recentVolume: 4000,
    disagreement: 0.05,
    touchDistance: -100,
    modelYes: 0.55,
    mid: 5050,
    ...over,
  };
}

Deno.test("signalsFromDecisions: maps every field, factors in their units", () => {
  const r = signalsFromDecisions([row()]);
  assert.equal(r.total, 1);
  assert.equal(r.unfilled, 0);
  assert.equal(r.nanClv, 0);
  assert.equal(r.includeUnfilled, false);
  assert.deepEqual(r.signals, [{
    ts: 1_767_621_660_000,
    market: "KXBTCD-26JAN0510-T93999.99",
    side: "yes",
    clv: 150,
    pnl: 900,
    factors: {
      skew: 0.7,
      spread: 100,
      time_to_close_min: 59,
      recent_volatility: 12.5,
      recent_volume: 4000,
      disagreement: 0.05,
      touch_distance: -100,
      model_yes: 0.55,
      mid: 5050,
    },
    orderId: 1,
    event: "KXBTCD-26JAN0510",
    filled: 1000,
  }]);
  assert.deepEqual(Object.keys(r.signals[0].factors), [...DECISION_FACTORS]);
  assert.deepEqual(Object.keys(DECISION_FACTOR_DESCRIPTIONS), [...DECISION_FACTORS]);
});

Deno.test("signalsFromDecisions: filled only by default, unfilled kept on request", () => {
  const rows = [
    row({ orderId: 1, filled: 0, clv: -100, pnlTicks: 0 }),
    row({ orderId: 2, filled: 300 }),
    row({ orderId: 3, filled: 0, clv: 40, pnlTicks: 0 }),
  ];
  const d = signalsFromDecisions(rows);
  assert.deepEqual(d.signals.map((s) => s.orderId), [2]);
  assert.equal(d.unfilled, 2);
  const all = signalsFromDecisions(rows, { includeUnfilled: true });
  assert.deepEqual(all.signals.map((s) => s.orderId), [1, 2, 3]);
  assert.equal(all.unfilled, 0);
  assert.equal(all.includeUnfilled, true);
  assert.equal(all.signals[0].filled, 0);
});

Deno.test("signalsFromDecisions: NaN CLV is left out and counted, NaN PnL drops pnl", () => {
  const d = signalsFromDecisions([
    row({ orderId: 1, clv: NaN }),
    row({ orderId: 2, pnlTicks: NaN }),
    row({ orderId: 3, filled: 0, clv: NaN }), // unfilled first: counted as unfilled
  ]);
  assert.equal(d.nanClv, 1);
  assert.equal(d.unfilled, 1);
  assert.equal(d.signals.length, 1);
  assert.equal(d.signals[0].orderId, 2);
  assert.equal("pnl" in d.signals[0], false);
  const all = signalsFromDecisions([row({ filled: 0, clv: NaN })], { includeUnfilled: true });
  assert.equal(all.nanClv, 1);
  assert.equal(all.unfilled, 0);
});

Deno.test("signalsFromDecisions: NaN factors stay NaN; time order is stable", () => {
  const d = signalsFromDecisions([
    row({ orderId: 5, ts: 2000, recentVolatility: NaN }),
    row({ orderId: 6, ts: 1000 }),
    row({ orderId: 7, ts: 2000 }),
    row({ orderId: 4, ts: 1000 }),
  ]);
  assert.deepEqual(d.signals.map((s) => s.orderId), [6, 4, 5, 7]);
  assert.ok(Number.isNaN(d.signals[2].factors.recent_volatility));
});

Deno.test("signalsFromDecisions: empty input gives no signals", () => {
  assert.deepEqual(signalsFromDecisions([]), {
    signals: [],
    total: 0,
    unfilled: 0,
    nanClv: 0,
    includeUnfilled: false,
  });
});

Deno.test("signalsFromDecisions: malformed rows are errors naming row and field", () => {
  const bad = (r: unknown, message: string | RegExp) =>
    assert.throws(
      () => signalsFromDecisions([row(), r as DecisionInput]),
      typeof message === "string" ? { message } : message,
    );
  bad(
    row({ side: "buy" as "yes" }),
    'Cannot build signals from decisions: decisions[1].side must be "yes" or "no", ' +
      'current value is "buy"',
  );
  bad(
    row({ ts: 1.5 }),
    "Cannot build signals from decisions: decisions[1].ts must be an integer of milliseconds, " +
      "current value is 1.5",
  );
  const { skew: _skew, ...noSkew } = row();
  bad(
    noSkew,
    "Cannot build signals from decisions: decisions[1].skew must be a number (NaN when unknown), " +
      "current value is undefined",
  );
  bad(
    row({ market: "" }),
    /decisions\[1\]\.market must be a non-empty string, current value is ""/,
  );
  bad(row({ filled: -1 }), /decisions\[1\]\.filled must be >= 0, current value is -1/);
  bad(null, /decisions\[1\] must be a decision row, current value is null/);
  assert.throws(
    () => signalsFromDecisions("x" as unknown as DecisionInput[]),
    /rows must be an array, current value is x/,
  );
  assert.throws(
    () => signalsFromDecisions([], { includeUnfilled: "yes" as unknown as boolean }),
    /includeUnfilled must be a boolean, current value is yes/,
  );
});

Deno.test("decisionFactors: time to close in minutes", () => {
  assert.equal(decisionFactors(row({ timeToCloseMs: 90_000 })).time_to_close_min, 1.5);
});

Deno.test("assertDecisionFactor: unknown names list the known ones", () => {
  for (const f of DECISION_FACTORS) assertDecisionFactor("analyze factors", f);
  assert.throws(() => assertDecisionFactor("analyze factors", "skw"), {
    name: "RangeError",
    message: `Cannot analyze factors: unknown factor (known: ${
      DECISION_FACTORS.join(", ")
    }), current value is "skw"`,
  });
});

Deno.test("withFactors: keeps finite values only and counts per factor", () => {
  const d = signalsFromDecisions([
    row({ orderId: 1, recentVolatility: NaN }),
    row({ orderId: 2, recentVolatility: NaN, mid: NaN }),
    row({ orderId: 3 }),
  ]).signals;
  const r = withFactors(d, ["recent_volatility", "mid"]);
  assert.deepEqual(r.signals.map((s) => s.orderId), [3]);
  assert.deepEqual(r.missing, { recent_volatility: 2, mid: 1 });
  assert.equal(r.dropped, 2);
  // A factor no signal has counts every signal as missing.
  assert.deepEqual(withFactors(d, ["nope"]).missing, { nope: 3 });
  // The subset is safe to analyze; the full set is not.
  assert.throws(
    () => bucketAnalysis(d, "recent_volatility", { cuts: [10] }),
    /factors\.recent_volatility must be a finite number, current value is NaN/,
  );
  assert.equal(bucketAnalysis(r.signals, "recent_volatility", { cuts: [10] }).rows[1].n, 1);
});

Deno.test("signalTable: flat records, null for unknown values", () => {
  const d = signalsFromDecisions([
    row({ orderId: 9, ts: 0, side: "no", clv: -5, pnlTicks: NaN, recentVolatility: NaN }),
  ]).signals;
  const t = signalTable(d);
  assert.deepEqual(t, [{
    ts: 0,
    time: "1970-01-01T00:00:00.000Z",
    market: "KXBTCD-26JAN0510-T93999.99",
    event: "KXBTCD-26JAN0510",
    orderId: 9,
    side: "no",
    clv: -5,
    positive: false,
    pnl: null,
    skew: 0.7,
    spread: 100,
    time_to_close_min: 59,
    recent_volatility: null,
    recent_volume: 4000,
    disagreement: 0.05,
    touch_distance: -100,
    model_yes: 0.55,
    mid: 5050,
  }]);
  // Plain signals: union of factor names, no event or order id.
  const plain = signalTable([
    { ts: 1, market: "M", side: "yes", clv: 2, pnl: 7, factors: { a: 1 } },
    { ts: 2, market: "M", side: "yes", clv: 0, factors: { b: 2 } },
  ]);
  assert.deepEqual(plain.map((r) => [r.event, r.orderId, r.positive, r.pnl, r.a, r.b]), [
    [null, null, true, 7, 1, null],
    [null, null, false, null, null, 2],
  ]);
  assert.throws(
    () => signalTable([{ ts: 1, market: "M", side: "yes", clv: 2, factors: { clv: 1 } }]),
    /Cannot build the signal table: a factor name collides with a column, current value is "clv"/,
  );
  assert.deepEqual(signalTable([]), []);
});
