import assert from "node:assert/strict";
import { buildFixtures, type JsonObject } from "./fixtures.ts";
import { encodeCursor, routeRequest } from "./rest_routes.ts";

const F = buildFixtures();

function get(path: string, query: Record<string, string> = {}, maxPageSize?: number) {
  return routeRequest(F, path, new URLSearchParams(query), { maxPageSize });
}

function all(path: string, query: Record<string, string>, maxPageSize: number, field: string) {
  const out: JsonObject[] = [];
  let cursor = "";
  let pages = 0;
  do {
    const a = get(path, cursor === "" ? query : { ...query, cursor }, maxPageSize);
    assert.equal(a.status, 200, JSON.stringify(a.body));
    out.push(...(a.body[field] as JsonObject[]));
    cursor = a.body.cursor as string;
    pages++;
  } while (cursor !== "");
  return { out, pages };
}

Deno.test("fixtures: the default set's sizes and Kalshi shapes", () => {
  assert.equal(F.events.length, 6);
  assert.equal(F.markets.length, 24);
  assert.equal(F.historicalMarkets.length, 12);
  assert.equal(F.trades.length + F.historicalTrades.length, 36 * 7);
  const m = F.markets[0];
  assert.match(String(m.ticker), /^KXHIGHNY-26JAN05-T36$/);
  assert.match(String(m.last_price_dollars), /^\d\.\d{4}$/);
  assert.match(String(m.volume_fp), /^\d+\.\d{2}$/);
  const t = F.trades[0];
  assert.match(String(t.trade_id), /^[0-9a-f]{8}-0000-4000-8000-[0-9a-f]{12}$/);
  assert.match(String(t.count_fp), /^\d+\.\d{2}$/);
  // Every between bin has floor <= cap, tails have one bound.
  for (const x of [...F.markets, ...F.historicalMarkets]) {
    if (x.strike_type === "between") assert.ok(Number(x.floor_strike) <= Number(x.cap_strike));
    else assert.ok((x.floor_strike === null) !== (x.cap_strike === null));
  }
  assert.throws(
    () => buildFixtures({ settledDays: ["2026-13-01"] }),
    /Cannot build fixtures: day must be YYYY-MM-DD/,
  );
  assert.throws(
    () => buildFixtures({ tradesPerMarket: -1 }),
    /tradesPerMarket must be an integer >= 0, current value is -1/,
  );
});

Deno.test("routes: /markets pages with a cursor until it is empty, every market once", () => {
  const { out, pages } = all(
    "/markets",
    { series_ticker: "KXHIGHNY", limit: "1000" },
    5,
    "markets",
  );
  assert.equal(pages, 5); // 24 markets, 5 a page
  assert.deepEqual(out.map((m) => m.ticker), F.markets.map((m) => m.ticker));
  const settled = all("/markets", { status: "settled", limit: "7" }, 1000, "markets");
  assert.equal(settled.out.length, 18);
  assert.ok(settled.out.every((m) => m.status === "finalized"));
  const open = get("/markets", { status: "open" });
  assert.equal((open.body.markets as JsonObject[]).length, 6);
  const closeTs = Math.floor(Date.parse("2026-01-07T00:00:00Z") / 1000);
  const late = get("/markets", { min_close_ts: String(closeTs) });
  assert.equal((late.body.markets as JsonObject[]).length, 18); // the days closing Jan 7, 8, 9
  const one = get("/markets", { event_ticker: "KXHIGHNY-26JAN06" });
  assert.equal((one.body.markets as JsonObject[]).length, 6);
  assert.equal(get("/markets", { series_ticker: "NOPE" }).body.cursor, "");
});

Deno.test("routes: events, series, trades, cutoff and historical lists", () => {
  assert.equal((get("/series/KXHIGHNY").body.series as JsonObject).ticker, "KXHIGHNY");
  const ev = all("/events", { series_ticker: "KXHIGHNY" }, 4, "events");
  assert.equal(ev.out.length, 6);
  assert.equal(ev.pages, 2);
  assert.equal((get("/events", { status: "open" }).body.events as JsonObject[]).length, 1);
  assert.equal(
    (get("/events", { tickers: "KXHIGHNY-25OCT01,KXHIGHNY-26JAN05" }).body.events as JsonObject[])
      .length,
    2,
  );
  const ticker = String(F.markets[3].ticker);
  const tr = all("/markets/trades", { ticker }, 3, "trades");
  assert.equal(tr.out.length, 7);
  assert.ok(tr.out.every((t) => t.ticker === ticker));
  assert.equal(get("/historical/cutoff").body.market_settled_ts, "2025-11-01T00:00:00Z");
  const hm = all("/historical/markets", { series_ticker: "KXHIGHNY" }, 5, "markets");
  assert.equal(hm.out.length, 12);
  const hticker = String(F.historicalMarkets[0].ticker);
  assert.equal(all("/historical/trades", { ticker: hticker }, 5, "trades").out.length, 7);
  assert.equal((get("/markets/trades", { ticker: hticker }).body.trades as unknown[]).length, 0);
});

Deno.test("routes: candlesticks in the live and historical shapes", () => {
  const m = F.markets[0];
  const open = Math.floor(Date.parse(String(m.open_time)) / 1000);
  const close = Math.floor(Date.parse(String(m.close_time)) / 1000);
  const a = get(`/series/KXHIGHNY/markets/${m.ticker}/candlesticks`, {
    start_ts: String(open),
    end_ts: String(Math.ceil(close / 3600) * 3600),
    period_interval: "60",
  });
  assert.equal(a.status, 200);
  const cs = a.body.candlesticks as JsonObject[];
  assert.equal(cs.length, 39); // ends 15:00 the day before .. 05:00 the day after
  const withTrades = cs.filter((c) => (c.price as JsonObject).close_dollars !== undefined);
  assert.equal(withTrades.length, 7);
  const volume = cs.reduce((s, c) => s + Number(c.volume_fp), 0);
  const traded = F.trades.filter((t) => t.ticker === m.ticker).reduce(
    (s, t) => s + Number(t.count_fp),
    0,
  );
  assert.equal(volume, traded);
  assert.match(String((cs[0].yes_bid as JsonObject).close_dollars), /^\d\.\d{4}$/);
  const h = F.historicalMarkets[0];
  const hb = get(`/historical/markets/${h.ticker}/candlesticks`, {
    start_ts: String(Math.floor(Date.parse(String(h.open_time)) / 1000)),
    end_ts: String(Math.floor(Date.parse(String(h.close_time)) / 1000)),
    period_interval: "1440",
  });
  assert.equal(hb.status, 200);
  const hc = hb.body.candlesticks as JsonObject[];
  assert.ok(hc.length >= 1);
  assert.ok("volume" in hc[0] && "open_interest" in hc[0]);
  assert.ok("close" in (hc[0].yes_ask as JsonObject));
});

Deno.test("routes: bad input is a 400 or 404 with Kalshi's error body", () => {
  const cases: [string, Record<string, string>, number, RegExp][] = [
    ["/nope", {}, 404, /path \/nope not found/],
    ["/series/NOPE", {}, 404, /series NOPE not found/],
    ["/markets", { limit: "1001" }, 400, /limit must be in 1..1000, got 1001/],
    ["/events", { limit: "201" }, 400, /limit must be in 1..200/],
    ["/markets", { limit: "x" }, 400, /limit must be a non-negative integer/],
    ["/markets", { cursor: "garbage!" }, 400, /invalid cursor/],
    ["/markets", { cursor: encodeCursor(999) }, 400, /cursor past the end/],
    ["/markets", { status: "weird" }, 400, /status must be one of/],
    [`/series/KXHIGHNY/markets/${F.markets[0].ticker}/candlesticks`, {}, 400, /are required/],
    [
      `/series/KXHIGHNY/markets/${F.markets[0].ticker}/candlesticks`,
      { start_ts: "0", end_ts: "600000", period_interval: "1" },
      400,
      /more than 5000/,
    ],
    [
      `/series/KXHIGHNY/markets/${F.markets[0].ticker}/candlesticks`,
      { start_ts: "0", end_ts: "60", period_interval: "5" },
      400,
      /period_interval must be 1, 60 or 1440/,
    ],
    [
      `/series/OTHER/markets/${F.markets[0].ticker}/candlesticks`,
      { start_ts: "0", end_ts: "60", period_interval: "1" },
      404,
      /not found/,
    ],
    [`/historical/markets/${F.markets[0].ticker}`, {}, 404, /historical market .* not found/],
  ];
  for (const [path, q, status, re] of cases) {
    const a = get(path, q);
    assert.equal(a.status, status, `${path} ${JSON.stringify(q)}`);
    const err = a.body.error as { code: string; message: string };
    assert.equal(err.code, status === 404 ? "not_found" : "bad_request");
    assert.match(err.message, re);
  }
});
