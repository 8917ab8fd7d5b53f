import assert from "node:assert/strict";
import { canonicalResults, type DigestParts, resultsDigest } from "./digest.ts";

const base: DigestParts = {
  forecasts: [
    { ts: 1000, event: "E", market: "E-B1", pModel: 0.1, pMarket: 0.2, outcome: 1 },
    { ts: 2000, event: "E", market: "E-B2", pModel: 0.9, pMarket: null, outcome: null },
  ],
  orders: [
    {
      id: 1,
      ts: 1500,
      market: "E-B1",
      side: "yes",
      limitPrice: 2000,
      count: 100,
      filled: 100,
      status: "filled",
      reason: "edge",
    },
  ],
  fills: [
    {
      orderId: 1,
      ts: 1600,
      market: "E-B1",
      side: "yes",
      price: 2000,
      count: 100,
      feeTicks: 112,
      role: "taker",
    },
  ],
  settlements: [
    { ts: 9000, market: "E-B1", result: "yes", position: 100, payoutTicks: 10000, pnlTicks: 7888 },
  ],
  metrics: [{ name: "brier", value: 0.1 }, { name: "sharpe", value: NaN }],
};

Deno.test("resultsDigest is a stable 64-character hex SHA-256", () => {
  const d = resultsDigest(base);
  assert.match(d, /^[0-9a-f]{64}$/);
  assert.equal(resultsDigest(structuredClone(base)), d);
  assert.equal(
    resultsDigest({ forecasts: [], orders: [], fills: [], settlements: [], metrics: [] }),
    resultsDigest({ forecasts: [], orders: [], fills: [], settlements: [], metrics: [] }),
  );
});

Deno.test("resultsDigest pins the canonical form", () => {
  assert.equal(
    canonicalResults(base),
    [
      "results-digest/v1",
      "forecasts 2",
      '1000,"E","E-B1",0.1,0.2,1',
      '2000,"E","E-B2",0.9,null,null',
      "orders 1",
      '1,1500,"E-B1","yes",2000,100,100,"filled","edge"',
      "fills 1",
      '1,1600,"E-B1","yes",2000,100,112,"taker"',
      "settlements 1",
      '9000,"E-B1","yes",100,10000,7888',
      "metrics 2",
      '"brier",0.1',
      '"sharpe",NaN',
      "",
    ].join("\n"),
  );
});

Deno.test("resultsDigest treats -0 as 0 and floats by their shortest form", () => {
  const a = { ...base, metrics: [{ name: "x", value: 0 }] };
  const b = { ...base, metrics: [{ name: "x", value: -0 }] };
  assert.equal(resultsDigest(a), resultsDigest(b));
  const c = { ...base, metrics: [{ name: "x", value: 0.1 + 0.2 }] };
  const d = { ...base, metrics: [{ name: "x", value: 0.3 }] };
  assert.notEqual(resultsDigest(c), resultsDigest(d));
});

Deno.test("resultsDigest changes when any field, row or order changes", () => {
  const d0 = resultsDigest(base);
  const variants: DigestParts[] = [];
  // Every field of every table, one at a time.
  const f0 = base.forecasts[0];
  for (
    const f of [
      { ...f0, ts: 1001 },
      { ...f0, event: "F" },
      { ...f0, market: "E-B9" },
      { ...f0, pModel: 0.10000000000000002 },
      { ...f0, pMarket: null },
      { ...f0, outcome: 0 as const },
    ]
  ) variants.push({ ...base, forecasts: [f, base.forecasts[1]] });
  const o0 = base.orders[0];
  for (
    const o of [
      { ...o0, id: 2 },
      { ...o0, ts: 1 },
      { ...o0, market: "x" },
      { ...o0, side: "no" as const },
      { ...o0, limitPrice: 2001 },
      { ...o0, count: 101 },
      { ...o0, filled: 99 },
      { ...o0, status: "open" },
      { ...o0, reason: "edge " },
    ]
  ) variants.push({ ...base, orders: [o] });
  const x0 = base.fills[0];
  for (
    const x of [
      { ...x0, orderId: 2 },
      { ...x0, ts: 1 },
      { ...x0, market: "x" },
      { ...x0, side: "no" as const },
      { ...x0, price: 1 },
      { ...x0, count: 1 },
      { ...x0, feeTicks: 113 },
      { ...x0, role: "maker" as const },
    ]
  ) variants.push({ ...base, fills: [x] });
  const s0 = base.settlements[0];
  for (
    const s of [
      { ...s0, ts: 1 },
      { ...s0, market: "x" },
      { ...s0, result: "no" as const },
      { ...s0, position: -100 },
      { ...s0, payoutTicks: 0 },
      { ...s0, pnlTicks: -2112 },
    ]
  ) variants.push({ ...base, settlements: [s] });
  variants.push({ ...base, metrics: [{ name: "brier2", value: 0.1 }, base.metrics[1]] });
  variants.push({ ...base, metrics: [{ name: "brier", value: 0.2 }, base.metrics[1]] });
  // Row order, a missing row, a row moved between tables' boundaries.
  variants.push({ ...base, forecasts: [base.forecasts[1], base.forecasts[0]] });
  variants.push({ ...base, forecasts: [base.forecasts[0]] });
  variants.push({ ...base, metrics: [] });
  // A string that tries to forge a separator.
  variants.push({ ...base, orders: [{ ...o0, status: 'filled","edge', reason: "" }] });

  const seen = new Set<string>([d0]);
  for (const v of variants) {
    const d = resultsDigest(v);
    assert.notEqual(d, d0, canonicalResults(v));
    seen.add(d);
  }
  assert.equal(seen.size, variants.length + 1, "every variant has its own digest");
});
