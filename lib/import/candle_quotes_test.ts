import assert from "node:assert/strict";
import { candleKnownTs, tradeCandleQuote } from "./candle_quotes.ts";

Deno.test("candleKnownTs: a candle is known at its end, never its start", () => {
  assert.equal(candleKnownTs(1754936700000, 300_000), 1754937000000);
  assert.notEqual(candleKnownTs(0, 60_000), 0);
});

Deno.test("tradeCandleQuote: bid = ask = close at start + interval, sizes unknown", () => {
  assert.deepEqual(tradeCandleQuote("M", 1754936700000, 300_000, 300), {
    kind: "quote",
    ts: 1754937000000,
    market: "M",
    yesBid: 300,
    yesAsk: 300,
    yesBidSize: 0,
    yesAskSize: 0,
  });
});

Deno.test("candle quotes: bad start, interval and close are refused", () => {
  assert.throws(
    () => candleKnownTs(-1, 300_000),
    /start is not a non-negative integer of ms, current value is -1/,
  );
  assert.throws(() => candleKnownTs(1.5, 300_000), /start is not/);
  assert.throws(
    () => candleKnownTs(0, 0),
    /interval is not a positive integer of ms, current value is 0/,
  );
  assert.throws(
    () => tradeCandleQuote("M", 0, 300_000, 0),
    /close is not a price strictly between \$0 and \$1 in ticks, current value is 0/,
  );
  assert.throws(() => tradeCandleQuote("M", 0, 300_000, 10000), /current value is 10000/);
});
