import assert from "node:assert/strict";
import { systemClock } from "../io.ts";
import { bootstrapMetadata } from "./metadata.ts";
import { FeedRest } from "./rest.ts";

const BASE = "http://mock.invalid/trade-api/v2";

function market(ticker: string, event: string, extra: Record<string, unknown> = {}) {
  return {
    ticker,
    event_ticker: event,
    market_type: "binary",
    status: "active",
    open_time: "2026-01-08T00:00:00Z",
    close_time: "2026-01-09T00:00:00Z",
    strike_type: "greater",
    floor_strike: 40,
    price_ranges: [{ start: "0.0010", end: "0.9990", step: "0.0010" }],
    ...extra,
  };
}

/** A fake REST server: path -> [status, body]; the requests it saw. */
function fakeFetch(routes: Record<string, [number, unknown]>, seen: string[]): typeof fetch {
  return (input) => {
    const url = new URL(String(input));
    const path = url.pathname.replace("/trade-api/v2", "");
    seen.push(path + url.search);
    const r = routes[path] ?? [404, { error: { code: "not_found", message: "no" } }];
    return Promise.resolve(new Response(JSON.stringify(r[1]), { status: r[0] }));
  };
}

function rest(routes: Record<string, [number, unknown]>, seen: string[] = []): FeedRest {
  return new FeedRest({
    baseUrl: BASE,
    clock: { now: () => 1_767_830_400_000, sleep: systemClock.sleep },
    random: () => 0.5,
    retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    fetch: fakeFetch(routes, seen),
  });
}

Deno.test("bootstrapMetadata: series, events and markets with the importer's converters", async () => {
  const seen: string[] = [];
  const md = await bootstrapMetadata(
    rest({
      "/markets": [200, {
        markets: [market("S-E-T40", "S-E"), market("S-E-T42", "S-E", { floor_strike: 42 })],
        cursor: "",
      }],
      "/events/S-E": [200, {
        event: { event_ticker: "S-E", series_ticker: "S", mutually_exclusive: false },
      }],
      "/series/S": [200, {
        series: { ticker: "S", fee_type: "quadratic_with_maker_fees", fee_multiplier: 0.5 },
      }],
    }, seen),
    ["S-E-T40", "S-E-T42"],
  );
  assert.deepEqual(seen, [
    "/markets?tickers=S-E-T40%2CS-E-T42&limit=1000",
    "/events/S-E",
    "/series/S",
  ]);
  assert.deepEqual(md.series, [
    {
      kind: "series",
      ts: 1_767_830_400_000,
      series: "S",
      feeType: "quadratic_with_maker_fees",
      feeMultiplier: 5000,
    },
  ]);
  assert.deepEqual(md.events.map((e) => [e.event, e.series, e.mutuallyExclusive]), [[
    "S-E",
    "S",
    false,
  ]]);
  assert.deepEqual(md.markets[1], {
    kind: "market",
    ts: 1_767_830_400_000,
    market: "S-E-T42",
    event: "S-E",
    strikeType: "greater",
    floorStrike: 42,
    openTs: Date.parse("2026-01-08T00:00:00Z"),
    closeTs: Date.parse("2026-01-09T00:00:00Z"),
    priceStep: 10,
  });
  assert.deepEqual(md.rejected, []);
});

Deno.test("bootstrapMetadata: markets that cannot be converted or found are left out with the reason", async () => {
  const md = await bootstrapMetadata(
    rest({
      "/markets": [200, {
        markets: [
          market("A-1-T1", "A-1"),
          market("A-1-F", "A-1", { strike_type: "functional" }),
          market("B-1-T1", "B-1"),
          market("C-1-T1", "C-1"),
        ],
        cursor: "",
      }],
      "/events/A-1": [200, {
        event: { event_ticker: "A-1", series_ticker: "A", mutually_exclusive: true },
      }],
      "/series/A": [200, { series: { ticker: "A", fee_type: "quadratic", fee_multiplier: 1 } }],
      "/events/C-1": [200, {
        event: { event_ticker: "C-1", series_ticker: "C", mutually_exclusive: true },
      }],
      "/series/C": [200, {
        series: { ticker: "C", fee_type: "quadratic_with_combo_maker_fees", fee_multiplier: 1 },
      }],
    }),
    ["A-1-T1", "A-1-F", "B-1-T1", "C-1-T1", "Z-1-T1"],
  );
  assert.deepEqual(md.markets.map((m) => m.market), ["A-1-T1"]);
  assert.deepEqual(md.series.map((s) => s.series), ["A"]);
  const why = Object.fromEntries(md.rejected.map((r) => [r.market, r.reason]));
  assert.match(why["A-1-F"], /strike type has no floor\/cap interval/);
  assert.match(why["Z-1-T1"], /not listed by GET \/markets/);
  assert.match(why["B-1-T1"], /event B-1: Cannot GET \/events\/B-1: HTTP 404/);
  assert.match(why["C-1-T1"], /series C: .*fee type/);
});

Deno.test("bootstrapMetadata: known series and events are not read again; a 5xx fails the bootstrap", async () => {
  const seen: string[] = [];
  const md = await bootstrapMetadata(
    rest({ "/markets": [200, { markets: [market("S-E-T40", "S-E")], cursor: "" }] }, seen),
    ["S-E-T40"],
    { series: new Set(["S"]), events: new Set(["S-E"]) },
  );
  assert.deepEqual(seen.length, 1);
  assert.equal(md.markets.length, 1);
  assert.deepEqual([md.series.length, md.events.length], [0, 0]);
  await assert.rejects(
    bootstrapMetadata(
      rest({
        "/markets": [200, { markets: [market("S-E-T40", "S-E")], cursor: "" }],
        "/events/S-E": [503, { error: { code: "service_unavailable", message: "x" } }],
      }),
      ["S-E-T40"],
    ),
    /gave up after 2 attempts/,
  );
  await assert.rejects(
    bootstrapMetadata(rest({ "/markets": [200, { markets: "nope" }] }), ["X"]),
    /markets is not an array/,
  );
});
