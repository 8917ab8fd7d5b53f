import assert from "node:assert/strict";
import {
  canonicalKey,
  isPaged,
  type KalshiRequest,
  type MarketsRequest,
  requestTarget,
  withCursor,
} from "./requests.ts";

Deno.test("requestTarget: paths and queries in Kalshi's spelling", () => {
  const cases: [KalshiRequest, string, Record<string, string>][] = [
    [{ endpoint: "series", seriesTicker: "KXHIGHNY" }, "/series/KXHIGHNY", {}],
    [
      { endpoint: "events", seriesTicker: "KXHIGHNY", status: "settled", limit: 200 },
      "/events",
      { limit: "200", status: "settled", series_ticker: "KXHIGHNY" },
    ],
    [
      {
        endpoint: "markets",
        seriesTicker: "KXHIGHNY",
        minCloseTs: 1_767_225_600,
        maxCloseTs: 1_767_312_000,
        limit: 1000,
        cursor: "c2",
      },
      "/markets",
      {
        limit: "1000",
        cursor: "c2",
        series_ticker: "KXHIGHNY",
        min_close_ts: "1767225600",
        max_close_ts: "1767312000",
      },
    ],
    [
      { endpoint: "trades", ticker: "KXHIGHNY-26JAN05-T42", limit: 1000 },
      "/markets/trades",
      { limit: "1000", ticker: "KXHIGHNY-26JAN05-T42" },
    ],
    [
      {
        endpoint: "candlesticks",
        seriesTicker: "KXHIGHNY",
        ticker: "KXHIGHNY-26JAN05-T42",
        startTs: 10,
        endTs: 20,
        periodInterval: 60,
      },
      "/series/KXHIGHNY/markets/KXHIGHNY-26JAN05-T42/candlesticks",
      { start_ts: "10", end_ts: "20", period_interval: "60" },
    ],
    [{ endpoint: "historical_cutoff" }, "/historical/cutoff", {}],
    [
      { endpoint: "historical_markets", eventTicker: "KXHIGHNY-25JAN05", limit: 1000 },
      "/historical/markets",
      { limit: "1000", event_ticker: "KXHIGHNY-25JAN05" },
    ],
    [
      { endpoint: "historical_trades", ticker: "KXBTCD-26FEB0620-T72999.99", maxTs: 5 },
      "/historical/trades",
      { ticker: "KXBTCD-26FEB0620-T72999.99", max_ts: "5" },
    ],
    [
      {
        endpoint: "historical_candlesticks",
        ticker: "KXHIGHNY-25JAN05-T42",
        startTs: 0,
        endTs: 0,
        periodInterval: 1440,
      },
      "/historical/markets/KXHIGHNY-25JAN05-T42/candlesticks",
      { start_ts: "0", end_ts: "0", period_interval: "1440" },
    ],
  ];
  for (const [req, path, query] of cases) {
    const t = requestTarget(req);
    assert.equal(t.path, path, req.endpoint);
    assert.deepEqual(t.query, query, req.endpoint);
  }
});

Deno.test("canonicalKey: sorted and encoded, the same for any key order", () => {
  assert.equal(canonicalKey({ path: "/historical/cutoff", query: {} }), "/historical/cutoff");
  assert.equal(
    canonicalKey({ path: "/markets", query: { series_ticker: "A B", cursor: "x=y&z" } }),
    "/markets?cursor=x%3Dy%26z&series_ticker=A%20B",
  );
  assert.equal(
    canonicalKey({ path: "/m", query: { b: "1", a: "2" } }),
    canonicalKey({ path: "/m", query: { a: "2", b: "1" } }),
  );
});

Deno.test("withCursor and isPaged", () => {
  const req: MarketsRequest = { endpoint: "markets", seriesTicker: "S", limit: 5 };
  assert.equal(withCursor(req, "abc").cursor, "abc");
  assert.equal(withCursor(req, "").cursor, undefined);
  assert.equal(isPaged(req), true);
  assert.equal(isPaged({ endpoint: "series", seriesTicker: "S" }), false);
  assert.equal(isPaged({ endpoint: "historical_cutoff" }), false);
  assert.equal(isPaged({ endpoint: "historical_trades", ticker: "T" }), true);
});

Deno.test("requestTarget: bad parameters are clear errors", () => {
  assert.throws(
    () => requestTarget({ endpoint: "series", seriesTicker: "" }),
    /Cannot build request series: seriesTicker must be a non-empty ticker without '\/', '\?', '#' or spaces, current value is ""/,
  );
  assert.throws(
    () => requestTarget({ endpoint: "series", seriesTicker: "A/B" }),
    /current value is "A\/B"/,
  );
  assert.throws(
    () => requestTarget({ endpoint: "markets", limit: 1001 }),
    /Cannot build request markets: limit must be an integer in 1..1000, current value is 1001/,
  );
  assert.throws(
    () => requestTarget({ endpoint: "events", limit: 500 }),
    /limit must be an integer in 1..200, current value is 500/,
  );
  assert.throws(
    () => requestTarget({ endpoint: "markets", minCloseTs: 1.5 }),
    /minCloseTs must be a non-negative integer of Unix seconds, current value is 1.5/,
  );
  assert.throws(
    () => requestTarget({ endpoint: "trades", ticker: "T", maxTs: -1 }),
    /maxTs must be a non-negative integer of Unix seconds, current value is -1/,
  );
  const candles = {
    endpoint: "candlesticks",
    seriesTicker: "S",
    ticker: "T",
    startTs: 20,
    endTs: 10,
    periodInterval: 60,
  } as const;
  assert.throws(
    () => requestTarget(candles),
    /endTs must be >= startTs \(20\), current value is 10/,
  );
  assert.throws(
    () => requestTarget({ ...candles, endTs: 30, periodInterval: 5 as 60 }),
    /periodInterval must be 1, 60 or 1440 minutes, current value is 5/,
  );
  assert.throws(
    () => requestTarget({ endpoint: "nope" } as unknown as KalshiRequest),
    /Cannot build request: unknown endpoint, current value is "nope"/,
  );
});
