import assert from "node:assert/strict";
import { convertMarket } from "./kalshi_market.ts";
import { FieldError, KalshiRecord } from "./kalshi_fields.ts";

const BASE = {
  ticker: "KXCPI-25JUL-T0.2",
  event_ticker: "KXCPI-25JUL",
  market_type: "binary",
  strike_type: "greater",
  floor_strike: 0.2,
  open_time: "2025-06-12T14:00:00Z",
  close_time: "2025-08-12T12:29:00Z",
  status: "finalized",
  result: "no",
  expiration_value: "0.2",
  settlement_ts: "2025-08-12T13:09:49.950641Z",
};

function convert(over: Record<string, unknown> = {}, fetchedAt?: number) {
  return convertMarket(new KalshiRecord({ ...BASE, ...over }, "m"), fetchedAt);
}

function bad(over: Record<string, unknown>, field: string, pattern: RegExp): void {
  assert.throws(() => convert(over), (e: unknown) => {
    assert.ok(e instanceof FieldError, String(e));
    assert.equal(e.field, field);
    assert.match(e.detail, pattern);
    return true;
  });
}

Deno.test("kalshi market: a settled greater market", () => {
  const m = convert();
  assert.deepEqual(m.decl, {
    market: "KXCPI-25JUL-T0.2",
    event: "KXCPI-25JUL",
    strikeType: "greater",
    floorStrike: 0.2,
    openTs: Date.UTC(2025, 5, 12, 14),
    closeTs: Date.UTC(2025, 7, 12, 12, 29),
    priceStep: 100,
  });
  assert.deepEqual(m.settlement, {
    kind: "settlement",
    ts: Date.UTC(2025, 7, 12, 13, 9, 49, 950),
    market: "KXCPI-25JUL-T0.2",
    result: "no",
    expirationValue: 0.2,
  });
  assert.deepEqual(m.notes, []);
});

Deno.test("kalshi market: greater is strict; a result against the strikes is counted", () => {
  assert.deepEqual(convert({ result: "yes" }).notes, ["result_disagrees_with_strikes"]);
  assert.deepEqual(convert({ floor_strike: 0.1, result: "yes" }).notes, []);
  assert.deepEqual(convert({ floor_strike: 0.1, result: "no" }).notes, [
    "result_disagrees_with_strikes",
  ]);
});

Deno.test("kalshi market: settlement without settlement_ts, non-numeric values", () => {
  const m = convert({ settlement_ts: null, expiration_value: "Oppenheimer" });
  assert.equal(m.settlement?.ts, Date.UTC(2025, 7, 12, 12, 29));
  assert.equal(m.settlement?.expirationValue, undefined);
  assert.deepEqual(m.notes, ["settlement_ts_assumed_close", "expiration_value_not_numeric"]);
  assert.equal(convert({ result: "" }).settlement, undefined);
});

Deno.test("kalshi market: price step from price_ranges, tick_size or one cent", () => {
  const ranges = [
    { start: "0", end: "0.1", step: "0.001" },
    { start: "0.1", end: "0.9", step: "0.01" },
  ];
  assert.equal(convert({ price_ranges: ranges }).decl.priceStep, 10);
  assert.equal(convert({ tick_size: 2 }).decl.priceStep, 200);
  assert.equal(convert().decl.priceStep, 100);
  bad({ price_ranges: [{ step: "0" }] }, "m.price_ranges[0].step", /not positive/);
  bad({ price_ranges: [{ step: 0.01 }] }, "m.price_ranges[0].step", /not a dollar string/);
  bad({ tick_size: 0.5 }, "m.tick_size", /integer of cents/);
});

Deno.test("kalshi market: unpriceable strike types and other bad fields are errors", () => {
  for (const st of ["functional", "custom", "structured", null, undefined, "above"]) {
    bad({ strike_type: st }, "m.strike_type", /Cannot price market KXCPI-25JUL-T0\.2/);
  }
  bad({ market_type: "scalar" }, "m.market_type", /only binary/);
  bad({ floor_strike: null }, "m.floor_strike", /required for strike type greater/);
  bad({ strike_type: "between", cap_strike: 0.1 }, "m.cap_strike", /cap strike below floor/);
  bad({ strike_type: "less" }, "m.cap_strike", /required for strike type less/);
  bad({ close_time: "2025-06-01T00:00:00Z" }, "m.close_time", /before open_time/);
  bad({ open_time: 1749736800 }, "m.open_time", /RFC 3339/);
  bad({ result: "scalar" }, "m.result", /not "yes", "no" or ""/);
  bad({ yes_bid_dollars: "0.5x" }, "m.yes_bid_dollars", /not a decimal number/);
  bad({ ticker: "" }, "m.ticker", /non-empty string/);
});

Deno.test("kalshi market: top of book only while open at the fetch time", () => {
  const open = {
    status: "active",
    result: "",
    yes_bid_dollars: "0.3000",
    yes_ask_dollars: "0.3300",
    yes_bid_size_fp: "5.00",
  };
  const during = Date.UTC(2025, 6, 1);
  assert.deepEqual(convert(open, during).top, {
    ts: during,
    yesBid: 3000,
    yesAsk: 3300,
    yesBidSize: 500,
    yesAskSize: 0,
  });
  assert.equal(convert(open).top, undefined);
  assert.equal(convert(open, Date.UTC(2025, 8, 1)).top, undefined);
  assert.equal(convert({ ...open, status: "closed" }, during).top, undefined);
  // Old API: integer cents.
  const old = convert({ status: "active", result: "", yes_bid: 30, yes_ask: 33 }, during);
  assert.equal(old.top?.yesAsk, 3300);
});
