import assert from "node:assert/strict";
import { convertCandle, convertOrderbook, convertTrade } from "./kalshi_market_data.ts";
import { FieldError, KalshiRecord } from "./kalshi_fields.ts";

function bad(fn: () => unknown, field: string, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof FieldError, String(e));
    assert.equal(e.field, field);
    assert.match(e.detail, pattern);
    return true;
  });
}

const TRADE = {
  trade_id: "abc",
  ticker: "M",
  count_fp: "1.50",
  yes_price_dollars: "0.0150",
  taker_side: "no",
  created_time: "2026-01-05T14:00:00.5Z",
};

function trade(over: Record<string, unknown> = {}) {
  return convertTrade(new KalshiRecord({ ...TRADE, ...over }, "trades[0]"));
}

Deno.test("kalshi market data: a trade with a sub-penny price", () => {
  assert.deepEqual(trade(), {
    trade: {
      kind: "trade",
      ts: Date.UTC(2026, 0, 5, 14, 0, 0, 500),
      market: "M",
      price: 150,
      count: 150,
      takerSide: "no",
    },
    tradeId: "abc",
  });
  const side = trade({ taker_side: undefined, taker_outcome_side: "yes" });
  assert.equal(side.trade.takerSide, "yes");
});

Deno.test("kalshi market data: bad trades", () => {
  bad(() => trade({ yes_price_dollars: "0" }), "trades[0].yes_price_dollars", /strictly between/);
  bad(
    () => trade({ yes_price_dollars: undefined, yes_price: 100 }),
    "trades[0].yes_price",
    /strictly/,
  );
  bad(() => trade({ count_fp: "0" }), "trades[0].count_fp", /not positive/);
  bad(() => trade({ count_fp: "-1" }), "trades[0].count_fp", /negative/);
  bad(() => trade({ taker_side: "buy" }), "trades[0].taker_side", /not "yes" or "no"/);
  bad(() => trade({ created_time: undefined }), "trades[0].created_time", /missing field/);
});

Deno.test("kalshi market data: candle closes, current and historical field names", () => {
  const cur = new KalshiRecord({
    end_period_ts: 1755057600,
    yes_bid: { close_dollars: "0.4900" },
    yes_ask: { close_dollars: "0.5200" },
  }, "c[0]");
  assert.deepEqual(convertCandle(cur), { ts: 1755057600000, yesBid: 4900, yesAsk: 5200 });
  const hist = new KalshiRecord(
    { end_period_ts: 1, yes_bid: { close: "0.0000" }, yes_ask: { close: 100 } },
    "c[1]",
  );
  assert.deepEqual(convertCandle(hist), { ts: 1000, yesBid: 0, yesAsk: 10000 });
  bad(
    () => convertCandle(new KalshiRecord({ end_period_ts: 1, yes_bid: {}, yes_ask: {} }, "c")),
    "c.yes_bid.close_dollars",
    /missing close price/,
  );
  bad(
    () =>
      convertCandle(
        new KalshiRecord({ end_period_ts: 1, yes_bid: { close: "x" }, yes_ask: {} }, "c"),
      ),
    "c.yes_bid.close",
    /not a decimal number/,
  );
  bad(
    () => convertCandle(new KalshiRecord({ end_period_ts: -5, yes_bid: {}, yes_ask: {} }, "c")),
    "c.end_period_ts",
    /Unix seconds/,
  );
});

Deno.test("kalshi market data: order books sort best first and refuse bad levels", () => {
  const book = new KalshiRecord({
    yes_dollars: [["0.01", "100.00"], ["0.0150", "2"]],
    no_dollars: [["0.98", "1.00"]],
  }, "orderbook_fp");
  assert.deepEqual(convertOrderbook(book, "yes_dollars", "no_dollars", "M", 7), {
    kind: "book_snapshot",
    ts: 7,
    market: "M",
    seq: 0,
    yesPrices: [150, 100],
    yesSizes: [200, 10000],
    noPrices: [9800],
    noSizes: [100],
  });
  const ob = (yes: unknown, no: unknown = []) =>
    convertOrderbook(new KalshiRecord({ yes, no }, "ob"), "yes", "no", "M", 1);
  assert.deepEqual(ob([[5, 100]], null).yesSizes, [10000]);
  bad(() => ob([[0, 1]]), "ob.yes[0]", /strictly between/);
  bad(() => ob([["0.5", "0"]]), "ob.yes[0]", /size not positive/);
  bad(() => ob([["0.5", "1", "x"]]), "ob.yes[0]", /pair/);
  bad(() => ob({}), "ob.yes", /not an array/);
  bad(() => ob([[50, 1], [50, 2]]), "ob.yes", /duplicate price level/);
  bad(() => ob([[50, 1]], [[51, 1]]), "ob.no", /crossed/);
});
