import assert from "node:assert/strict";
import { buildFixtures, type MockFixtures } from "../../mock_exchange/fixtures.ts";
import { routeRequest } from "../../mock_exchange/rest_routes.ts";
import {
  candleWindows,
  checkPlan,
  type FetchPlan,
  marketMatches,
  parseKalshiTime,
  runPlan,
} from "./fetch_plan.ts";
import type { Page, PageSource } from "./fetch_session.ts";
import { countItems, nextCursor } from "./fetch_session.ts";
import { canonicalKey, type KalshiRequest, requestTarget } from "./requests.ts";

/** A page source answering from fixtures in memory (no HTTP), logging every request. */
class FixtureSource implements PageSource {
  readonly log: string[] = [];
  constructor(
    readonly fixtures: MockFixtures,
    readonly maxPageSize = 1000,
    readonly override?: (req: KalshiRequest) => Record<string, unknown> | undefined,
  ) {}

  get(req: KalshiRequest): Promise<Page> {
    const target = requestTarget(req);
    const key = canonicalKey(target);
    this.log.push(key);
    let body = this.override?.(req);
    if (body === undefined) {
      const a = routeRequest(this.fixtures, target.path, new URLSearchParams(target.query), {
        maxPageSize: this.maxPageSize,
      });
      if (a.status !== 200) return Promise.reject(new Error(`HTTP ${a.status} ${key}`));
      body = a.body;
    }
    return Promise.resolve({
      target,
      body,
      file: `mem:${key}`,
      from: "network",
      entry: {
        key,
        file: key,
        path: target.path,
        query: target.query,
        next_cursor: nextCursor(req, body),
        items: countItems(body),
        source: "network",
        fetched_at: 0,
      },
    });
  }
}

const F = buildFixtures();
const AS_OF = Date.parse("2026-01-08T18:00:00Z");
const BASE: FetchPlan = { seriesTicker: "KXHIGHNY", trades: false, historical: false };

Deno.test("runPlan: series, events, every markets page, nothing else by default", async () => {
  const src = new FixtureSource(F, 5);
  const stages: string[] = [];
  const r = await runPlan({ ...BASE, pageLimit: 1000 }, src, {
    asOfMs: AS_OF,
    onStage: (s) => stages.push(s),
  });
  assert.deepEqual(stages, ["series", "events", "markets"]);
  assert.equal(r.markets.size, 24);
  assert.deepEqual([...r.markets.keys()], F.markets.map((m) => String(m.ticker)).sort());
  assert.deepEqual(r.pages, { "/series": 1, "/events": 2, "/markets": 5 });
  assert.equal(r.files.length, 8);
  assert.equal(r.events.size, 6);
  assert.equal(r.cutoff, null);
  assert.equal(src.log[0], "/series/KXHIGHNY");
  assert.equal(src.log[1], "/events?limit=200&series_ticker=KXHIGHNY");
  assert.equal(src.log[3], "/markets?limit=1000&series_ticker=KXHIGHNY");
  assert.match(src.log[4], /^\/markets\?cursor=[^&]+&limit=1000&series_ticker=KXHIGHNY$/);
});

Deno.test("runPlan: trades, candles and the historical tier for every market", async () => {
  const src = new FixtureSource(F, 5);
  const r = await runPlan({ ...BASE, trades: true, candles: 60, historical: true }, src, {
    asOfMs: AS_OF,
  });
  assert.equal(r.markets.size, 36);
  assert.equal([...r.markets.values()].filter((m) => m.tier === "historical").length, 12);
  assert.equal(r.trades, F.trades.length + F.historicalTrades.length);
  assert.equal(r.duplicateTrades, 0);
  assert.equal(r.duplicateMarkets, 0);
  assert.deepEqual(r.cutoff, {
    marketSettledMs: Date.parse("2025-11-01T00:00:00Z"),
    tradesCreatedMs: Date.parse("2025-11-01T00:00:00Z"),
  });
  // 7 trades a market at 5 a page: 2 pages per market.
  assert.equal(r.pages["/markets/trades"], 48);
  assert.equal(r.pages["/historical/trades"], 24);
  assert.equal(r.pages["candlesticks"], 24);
  assert.equal(r.pages["historical candlesticks"], 12);
  // Settled days: 39 hourly candles; the active day is cut at as_of (18:00 on its own day).
  assert.equal(r.candles, 18 * 39 + 12 * 39 + 6 * 28);
  // Markets are visited in ticker order; the historical ones use the historical endpoints.
  const hist = String(F.historicalMarkets[0].ticker);
  assert.ok(src.log.some((k) => k.startsWith(`/historical/markets/${hist}/candlesticks?`)));
  assert.ok(src.log.includes(`/historical/trades?limit=1000&ticker=${hist}`));
  assert.equal(new Set(r.files).size, r.files.length);
});

Deno.test("runPlan: status and close-time filters go to the server and to historical markets", async () => {
  const src = new FixtureSource(F);
  const fromMs = Date.parse("2025-10-02T12:00:00Z");
  const toMs = Date.parse("2026-01-07T00:00:00Z");
  const r = await runPlan(
    { ...BASE, status: "settled", fromMs, toMs, historical: true },
    src,
    { asOfMs: AS_OF },
  );
  // Historical: only 25OCT02 closes after fromMs. Live: 26JAN05 closes before toMs.
  assert.deepEqual(
    [...new Set([...r.markets.values()].map((m) => m.eventTicker))].sort(),
    ["KXHIGHNY-25OCT02", "KXHIGHNY-26JAN05"],
  );
  assert.equal(r.filteredMarkets, 6);
  const minClose = Math.ceil(fromMs / 1000);
  const maxClose = Math.floor((toMs - 1) / 1000);
  assert.ok(
    src.log.includes(
      `/markets?limit=1000&max_close_ts=${maxClose}&min_close_ts=${minClose}&series_ticker=KXHIGHNY&status=settled`,
    ),
    src.log.join("\n"),
  );
  assert.ok(
    src.log.includes(
      `/events?limit=200&min_close_ts=${minClose}&series_ticker=KXHIGHNY&status=settled`,
    ),
  );
});

Deno.test("runPlan: --event narrows every listing to that event", async () => {
  const src = new FixtureSource(F);
  const r = await runPlan({ ...BASE, eventTicker: "KXHIGHNY-26JAN06", trades: true }, src, {
    asOfMs: AS_OF,
  });
  assert.equal(r.markets.size, 6);
  assert.ok(src.log.includes("/events?limit=200&tickers=KXHIGHNY-26JAN06"));
  assert.ok(src.log.includes("/markets?event_ticker=KXHIGHNY-26JAN06&limit=1000"));
  assert.equal(r.pages["/markets/trades"], 6);
});

Deno.test("runPlan: a live market older than the trades cutoff also gets historical trades", async () => {
  const f = buildFixtures();
  // Move the cutoff into the life of the 26JAN05 markets.
  const cut = "2026-01-05T06:00:00Z";
  const fixtures = { ...f, cutoff: { ...f.cutoff, trades_created_ts: cut } };
  const src = new FixtureSource(fixtures);
  await runPlan({ ...BASE, eventTicker: "KXHIGHNY-26JAN05", trades: true, historical: true }, src, {
    asOfMs: AS_OF,
  });
  const maxTs = Date.parse(cut) / 1000;
  const hist = src.log.filter((k) => k.startsWith("/historical/trades"));
  assert.equal(hist.length, 6);
  assert.ok(hist.every((k) => k.includes(`max_ts=${maxTs}`)));
});

Deno.test("runPlan: duplicates across pages are counted once", async () => {
  const dupe = { ...F.markets[0] };
  const trade = { ...F.trades[0] };
  const src = new FixtureSource(F, 1000, (req) => {
    if (req.endpoint === "markets") {
      return req.cursor === undefined
        ? { markets: [F.markets[0], F.markets[1]], cursor: "p2" }
        : { markets: [dupe, F.markets[2]], cursor: "" };
    }
    if (req.endpoint === "trades") return { trades: [trade, trade], cursor: "" };
    return undefined;
  });
  const r = await runPlan({ ...BASE, trades: true }, src, { asOfMs: AS_OF });
  assert.equal(r.markets.size, 3);
  assert.equal(r.duplicateMarkets, 1);
  assert.equal(r.trades, 1);
  assert.equal(r.duplicateTrades, 3 * 2 - 1);
});

Deno.test("runPlan: a repeated cursor and malformed pages are clear errors", async () => {
  const loop = new FixtureSource(
    F,
    1000,
    (req) => req.endpoint === "markets" ? { markets: [], cursor: "same" } : undefined,
  );
  await assert.rejects(
    runPlan(BASE, loop, { asOfMs: AS_OF }),
    /Cannot page \/markets: the server returned the same cursor twice, current value is "same"/,
  );
  const noList = new FixtureSource(
    F,
    1000,
    (req) => req.endpoint === "markets" ? { cursor: "" } : undefined,
  );
  await assert.rejects(
    runPlan(BASE, noList, { asOfMs: AS_OF }),
    /Cannot read \/markets \(mem:\/markets\?limit=1000&series_ticker=KXHIGHNY\): field "markets" must be an array, current value is undefined/,
  );
  const badTime = new FixtureSource(
    F,
    1000,
    (req) =>
      req.endpoint === "markets"
        ? { markets: [{ ...F.markets[0], close_time: "soon" }], cursor: "" }
        : undefined,
  );
  await assert.rejects(
    runPlan(BASE, badTime, { asOfMs: AS_OF }),
    /Cannot read market in .* KXHIGHNY-26JAN05-T36: field "close_time": not a timestamp, current value is "soon"/,
  );
  const noSeries = new FixtureSource(
    F,
    1000,
    (req) => req.endpoint === "series" ? { other: 1 } : undefined,
  );
  await assert.rejects(
    runPlan(BASE, noSeries, { asOfMs: AS_OF }),
    /Cannot read \/series\/KXHIGHNY .*: field "series" must be an object, current value is undefined/,
  );
});

Deno.test("checkPlan: bad plans are clear errors", () => {
  const bad: [Partial<FetchPlan>, RegExp][] = [
    [
      { seriesTicker: "" },
      /series ticker must be letters, digits, '.', '_' or '-', current value is ""/,
    ],
    [{ seriesTicker: "A/B" }, /current value is "A\/B"/],
    [{ eventTicker: "E 1" }, /event ticker must be .* current value is "E 1"/],
    [
      { status: "gone" as "open" },
      /status must be one of unopened, open, paused, closed, settled, current value is gone/,
    ],
    [{ fromMs: -1 }, /fromMs must be integer ms >= 0, current value is -1/],
    [
      { fromMs: 10, toMs: 10 },
      /the end \(toMs\) must be after the start \(10\), current value is 10/,
    ],
    [{ candles: 5 as 1 }, /candles must be 1, 60 or 1440 minutes, current value is 5/],
    [{ pageLimit: 0 }, /pageLimit must be an integer in 1..1000, current value is 0/],
  ];
  for (const [patch, re] of bad) assert.throws(() => checkPlan({ ...BASE, ...patch }), re);
});

Deno.test("candleWindows, marketMatches and parseKalshiTime", () => {
  assert.deepEqual(candleWindows(0, 120, 1), [[0, 120]]);
  // 1-minute candles over 10,000 minutes: two windows of at most 5000 candle ends each.
  const w = candleWindows(0, 600_000, 1);
  assert.deepEqual(w, [[0, 299_940], [299_941, 599_881], [599_882, 600_000]]);
  for (const [a, b] of w) assert.ok(Math.floor(b / 60) - Math.ceil(a / 60) + 1 <= 5000);
  assert.deepEqual(candleWindows(10, 5, 60), []);
  assert.equal(marketMatches({ ...BASE, status: "settled" }, "finalized", 5), true);
  assert.equal(marketMatches({ ...BASE, status: "settled" }, "active", 5), false);
  assert.equal(marketMatches({ ...BASE, fromMs: 10, toMs: 20 }, "active", 20), false);
  assert.equal(marketMatches({ ...BASE, fromMs: 10, toMs: 20 }, "active", 10), true);
  assert.equal(parseKalshiTime("2026-01-05T00:00:00Z", "t"), Date.parse("2026-01-05T00:00:00Z"));
  assert.equal(parseKalshiTime("1767571200", "t"), 1_767_571_200_000);
  assert.equal(parseKalshiTime(1_767_571_200, "t"), 1_767_571_200_000);
  assert.throws(
    () => parseKalshiTime(null, "x"),
    /Cannot read x: not a timestamp, current value is null/,
  );
});
