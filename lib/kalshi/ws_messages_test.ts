import assert from "node:assert/strict";
import {
  encodeServerMessage,
  parseServerMessage,
  type WsMessageError,
  type WsServerMessage,
} from "./ws_messages.ts";

function errorOf(text: string): WsMessageError {
  try {
    parseServerMessage(text);
  } catch (e) {
    return e as WsMessageError;
  }
  throw new Error(`expected a parse error for ${text}`);
}

Deno.test("parseServerMessage: an orderbook snapshot in the 2026 fixed-point shape", () => {
  const m = parseServerMessage(JSON.stringify({
    type: "orderbook_snapshot",
    sid: 2,
    seq: 1,
    msg: {
      market_ticker: "KXHIGHNY-26JAN08-B40.5",
      market_id: "9b0f6b43-5b68-4f9f-9f02-9a2d1b8ac1a1",
      yes_dollars_fp: [["0.0100", "751606.00"], ["0.220000", "2.50"]],
      no_dollars_fp: [["0.5600", "3.00"]],
      some_new_field: 1,
    },
  }));
  assert.deepEqual(m, {
    type: "orderbook_snapshot",
    sid: 2,
    seq: 1,
    market: "KXHIGHNY-26JAN08-B40.5",
    marketId: "9b0f6b43-5b68-4f9f-9f02-9a2d1b8ac1a1",
    yes: [[100, 75160600], [2200, 250]],
    no: [[5600, 300]],
  });
});

Deno.test("parseServerMessage: a snapshot without a side has that side empty", () => {
  const m = parseServerMessage(
    '{"type":"orderbook_snapshot","sid":1,"seq":1,"msg":{"market_ticker":"X"}}',
  );
  assert.deepEqual(m, { type: "orderbook_snapshot", sid: 1, seq: 1, market: "X", yes: [], no: [] });
});

Deno.test("parseServerMessage: delta, trade, ticker, lifecycle and control messages", () => {
  assert.deepEqual(
    parseServerMessage(
      '{"type":"orderbook_delta","sid":3,"seq":9,"msg":{"market_ticker":"X","price_dollars":"0.4500",' +
        '"delta_fp":"-2.50","side":"no","ts":1700000000,"ts_ms":1700000000123,"client_order_id":"c1"}}',
    ),
    {
      type: "orderbook_delta",
      sid: 3,
      seq: 9,
      market: "X",
      side: "no",
      price: 4500,
      delta: -250,
      tsMs: 1700000000123,
      clientOrderId: "c1",
    },
  );
  assert.deepEqual(
    parseServerMessage(
      '{"type":"trade","sid":4,"msg":{"trade_id":"t-1","market_ticker":"X","yes_price_dollars":"0.3600",' +
        '"no_price_dollars":"0.6400","count_fp":"3.00","taker_side":"no","ts":1700000001}}',
    ),
    {
      type: "trade",
      sid: 4,
      tradeId: "t-1",
      market: "X",
      yesPrice: 3600,
      count: 300,
      takerSide: "no",
      tsMs: 1700000001000,
    },
  );
  assert.deepEqual(
    parseServerMessage(
      '{"type":"ticker","sid":11,"msg":{"market_ticker":"X","price_dollars":"0.4800",' +
        '"yes_bid_dollars":"0.0000","yes_ask_dollars":"1.0000","yes_bid_size_fp":"0.00","ts_ms":5}}',
    ),
    {
      type: "ticker",
      sid: 11,
      market: "X",
      price: 4800,
      yesBid: 0,
      yesAsk: 10000,
      yesBidSize: 0,
      tsMs: 5,
    },
  );
  assert.deepEqual(
    parseServerMessage(
      '{"type":"market_lifecycle_v2","sid":13,"msg":{"market_ticker":"X","event_type":"determined",' +
        '"result":"yes","determination_ts":1700000002,"settlement_value":"1.0000"}}',
    ),
    {
      type: "market_lifecycle_v2",
      sid: 13,
      market: "X",
      eventType: "determined",
      result: "yes",
      determinationTs: 1700000002000,
      settlementValue: 10000,
    },
  );
  assert.deepEqual(
    parseServerMessage('{"id":1,"type":"subscribed","msg":{"channel":"orderbook_delta","sid":1}}'),
    { type: "subscribed", id: 1, channel: "orderbook_delta", sid: 1 },
  );
  assert.deepEqual(parseServerMessage('{"sid":2,"type":"unsubscribed"}'), {
    type: "unsubscribed",
    sid: 2,
  });
  assert.deepEqual(
    parseServerMessage('{"id":123,"sid":456,"seq":222,"type":"ok","market_tickers":["A","B"]}'),
    { type: "ok", id: 123, sid: 456, seq: 222, marketTickers: ["A", "B"] },
  );
  assert.deepEqual(
    parseServerMessage('{"id":123,"type":"error","msg":{"code":6,"msg":"Already subscribed"}}'),
    { type: "error", id: 123, code: 6, message: "Already subscribed" },
  );
  assert.deepEqual(parseServerMessage('{"type":"fill","sid":3,"msg":{}}'), {
    type: "other",
    wireType: "fill",
    sid: 3,
  });
});

Deno.test("parseServerMessage: bad messages name the field and keep the envelope", () => {
  let e = errorOf("not json");
  assert.equal(e.field, "(message)");
  assert.match(e.message, /Cannot parse message: not JSON/);
  e = errorOf("[1,2]");
  assert.match(e.message, /not a JSON object, current value is \[1,2\]/);
  e = errorOf('{"sid":1}');
  assert.equal(e.field, "type");
  e = errorOf(
    '{"type":"orderbook_delta","sid":3,"seq":9,"msg":{"market_ticker":"X","price_dollars":"1.5000",' +
      '"delta_fp":"1.00","side":"yes"}}',
  );
  assert.equal(e.field, "msg.price_dollars");
  assert.equal(e.wireType, "orderbook_delta");
  assert.equal(e.sid, 3);
  assert.equal(e.seq, 9);
  assert.match(e.message, /current value is "1.5000"/);
  e = errorOf(
    '{"type":"orderbook_delta","sid":3,"seq":9,"msg":{"market_ticker":"X","price_dollars":"0.5",' +
      '"delta_fp":"1.001","side":"yes"}}',
  );
  assert.equal(e.field, "msg.delta_fp");
  e = errorOf(
    '{"type":"orderbook_delta","sid":3,"seq":9,"msg":{"market_ticker":"X","price_dollars":"0.5",' +
      '"delta_fp":"1","side":"maybe"}}',
  );
  assert.equal(e.field, "msg.side");
  e = errorOf('{"type":"orderbook_delta","sid":3,"msg":{}}');
  assert.equal(e.field, "seq");
  e = errorOf('{"type":"orderbook_snapshot","sid":0,"seq":1,"msg":{"market_ticker":"X"}}');
  assert.equal(e.field, "sid");
  e = errorOf(
    '{"type":"orderbook_snapshot","sid":1,"seq":1,"msg":{"market_ticker":"X","yes_dollars_fp":[["0.5"]]}}',
  );
  assert.equal(e.field, "msg.yes_dollars_fp[0]");
  e = errorOf(
    '{"type":"orderbook_snapshot","sid":1,"seq":1,"msg":{"market_ticker":"X","no_dollars_fp":[["0.5","0"]]}}',
  );
  assert.equal(e.field, "msg.no_dollars_fp[0][1]");
  assert.match(e.message, /not positive/);
  e = errorOf(
    '{"type":"orderbook_snapshot","sid":1,"seq":1,"msg":{"market_ticker":"X","no_dollars_fp":[[0.5,"1"]]}}',
  );
  assert.equal(e.field, "msg.no_dollars_fp[0][0]");
  e = errorOf(
    '{"type":"trade","sid":1,"msg":{"trade_id":"t","market_ticker":"X","yes_price_dollars":"0.5",' +
      '"count_fp":"0.00","taker_side":"yes"}}',
  );
  assert.equal(e.field, "msg.count_fp");
  e = errorOf('{"type":"trade","sid":1,"msg":"x"}');
  assert.equal(e.field, "msg");
  e = errorOf('{"type":"market_lifecycle_v2","sid":1,"msg":{"market_ticker":"X"}}');
  assert.equal(e.field, "msg.event_type");
  e = errorOf('{"type":"ticker","sid":1,"msg":{"market_ticker":"X","yes_bid_dollars":"NaN"}}');
  assert.equal(e.field, "msg.yes_bid_dollars");
});

Deno.test("encodeServerMessage: every used type round-trips through the parser", () => {
  const msgs: WsServerMessage[] = [
    { type: "subscribed", id: 1, channel: "trade", sid: 4 },
    { type: "unsubscribed", id: 2, sid: 4 },
    { type: "ok", id: 3, sid: 4, seq: 7, marketTickers: ["A"] },
    { type: "error", id: 5, code: 8, message: "Unknown channel name" },
    { type: "orderbook_snapshot", sid: 1, seq: 1, market: "A", yes: [[5500, 1000]], no: [] },
    {
      type: "orderbook_delta",
      sid: 1,
      seq: 2,
      market: "A",
      side: "yes",
      price: 5500,
      delta: -1,
      tsMs: 1700000000123,
    },
    {
      type: "ticker",
      sid: 2,
      market: "A",
      price: 5500,
      yesBid: 5500,
      yesAsk: 5700,
      yesBidSize: 100,
      yesAskSize: 200,
      tsMs: 1700000000000,
    },
    {
      type: "trade",
      sid: 3,
      tradeId: "t",
      market: "A",
      yesPrice: 5600,
      count: 300,
      takerSide: "yes",
      tsMs: 1700000000500,
    },
    {
      type: "market_lifecycle_v2",
      sid: 5,
      market: "A",
      eventType: "determined",
      result: "no",
      determinationTs: 1700000002000,
      settlementValue: 0,
    },
  ];
  for (const m of msgs) {
    const wire = encodeServerMessage(m as Exclude<WsServerMessage, { type: "other" }>);
    assert.deepEqual(parseServerMessage(JSON.stringify(wire)), m);
  }
  const trade = encodeServerMessage(msgs[7] as Exclude<WsServerMessage, { type: "other" }>);
  assert.deepEqual(trade.msg, {
    trade_id: "t",
    market_ticker: "A",
    yes_price_dollars: "0.5600",
    no_price_dollars: "0.4400",
    count_fp: "3.00",
    taker_side: "yes",
    ts: 1700000000,
    ts_ms: 1700000000500,
  });
  assert.throws(
    () =>
      encodeServerMessage({
        type: "orderbook_delta",
        sid: 1,
        seq: 1,
        market: "A",
        side: "yes",
        price: 10001,
        delta: 1,
      }),
    /Cannot format price/,
  );
});
