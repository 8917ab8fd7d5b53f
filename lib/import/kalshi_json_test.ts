import assert from "node:assert/strict";
import { TapeValidator } from "../tape/validator.ts";
import { formatEventLine } from "../tape/ndjson_writer.ts";
import type { TapeEvent } from "../tape/events.ts";
import { importKalshiJson, KALSHI_JSON_IMPORTER } from "./kalshi_json.ts";
import { ImportError, type ImportInput, type ImportOptions, type ImportResult } from "./types.ts";
import { ImportOptionError } from "./option_error.ts";

// ------------------------------------------------------------------ fixtures

const OPEN = "2026-04-21T14:00:00Z";
const CLOSE = "2026-04-23T04:59:00Z";
const OPEN_MS = Date.UTC(2026, 3, 21, 14, 0);
const CLOSE_MS = Date.UTC(2026, 3, 23, 4, 59);

function market(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    ticker: "KXHIGHNY-26APR22-B57.5",
    event_ticker: "KXHIGHNY-26APR22",
    market_type: "binary",
    status: "finalized",
    strike_type: "between",
    floor_strike: 57,
    cap_strike: 58,
    open_time: OPEN,
    close_time: CLOSE,
    yes_bid_dollars: "0.0000",
    yes_ask_dollars: "1.0000",
    result: "no",
    expiration_value: "56",
    settlement_ts: "2026-04-23T13:00:00.123456Z",
    price_ranges: [{ start: "0.0000", end: "1.0000", step: "0.0100" }],
    ...over,
  };
}

const LADDER = [
  market({
    ticker: "KXHIGHNY-26APR22-T57",
    strike_type: "less",
    floor_strike: null,
    cap_strike: 57,
    result: "yes",
  }),
  market(),
  market({
    ticker: "KXHIGHNY-26APR22-T58",
    strike_type: "greater",
    floor_strike: 58,
    cap_strike: null,
  }),
];

const SERIES = {
  series: { ticker: "KXHIGHNY", fee_type: "quadratic", fee_multiplier: 1, title: "NYC high" },
};
const EVENT = {
  event: {
    event_ticker: "KXHIGHNY-26APR22",
    series_ticker: "KXHIGHNY",
    mutually_exclusive: true,
    title: "Highest temperature in NYC",
  },
  markets: LADDER,
};

function trade(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    trade_id: "t1",
    ticker: "KXHIGHNY-26APR22-B57.5",
    count_fp: "3.00",
    yes_price_dollars: "0.5600",
    no_price_dollars: "0.4400",
    taker_side: "yes",
    created_time: "2026-04-22T15:00:00Z",
    ...over,
  };
}

function input(name: string, doc: unknown): ImportInput {
  return { name, text: typeof doc === "string" ? doc : JSON.stringify(doc) };
}

const BASE: ImportInput[] = [input("series.json", SERIES), input("event.json", EVENT)];

function run(inputs: ImportInput[], options: ImportOptions = {}): ImportResult {
  return importKalshiJson(inputs, options);
}

function lenient(inputs: ImportInput[], extra: Record<string, string> = {}): ImportResult {
  return run(inputs, { strict: false, extra });
}

/** Validates the tape strictly (throws on any problem) and returns its lines. */
function validTape(events: readonly TapeEvent[]): string[] {
  const v = new TapeValidator("import", { strict: true });
  events.forEach((ev, i) => v.check(ev, i + 1));
  return events.map(formatEventLine);
}

function assertReconciles(r: ImportResult): void {
  const p = r.report;
  assert.equal(p.rowsIn, p.rowsUsed + p.rejects.length + p.skipped, JSON.stringify(p));
}

function anomaly(r: ImportResult, code: string): number {
  return r.report.anomalies.find((a) => a.code === code)?.count ?? 0;
}

// -------------------------------------------------------------- good input

Deno.test("kalshi-json: series, event with markets and trades make a valid tape", () => {
  const r = run([...BASE, input("trades.json", { trades: [trade()], cursor: "" })]);
  const lines = validTape(r.events);
  assertReconciles(r);
  assert.equal(r.report.rowsIn, 1 + 1 + 3 + 1);
  assert.equal(r.report.rowsUsed, 6);
  assert.equal(r.report.markets, 3);
  assert.equal(r.report.events, 1);
  assert.equal(r.report.series, 1);
  assert.deepEqual(r.events.slice(0, 3).map((e) => e.kind), ["series", "event", "market"]);
  // Metadata at the earliest time needed: the markets' open time.
  assert.equal(r.events[0].ts, OPEN_MS);
  const t = r.events.find((e) => e.kind === "trade");
  assert.deepEqual(t, {
    kind: "trade",
    ts: Date.UTC(2026, 3, 22, 15, 0),
    market: "KXHIGHNY-26APR22-B57.5",
    price: 5600,
    count: 300,
    takerSide: "yes",
  });
  const settle = r.events.filter((e) => e.kind === "settlement");
  assert.equal(settle.length, 3);
  // Ties sort by market name.
  assert.deepEqual(settle.map((s) => s.kind === "settlement" && [s.market, s.result]), [
    ["KXHIGHNY-26APR22-B57.5", "no"],
    ["KXHIGHNY-26APR22-T57", "yes"],
    ["KXHIGHNY-26APR22-T58", "no"],
  ]);
  // Sub-millisecond digits are truncated.
  assert.equal(settle[0].ts, Date.UTC(2026, 3, 23, 13, 0, 0, 123));
  assert.ok(lines.some((l) => l.includes('"expiration_value":56')));
  const m = r.events.find((e) => e.kind === "market" && e.market.endsWith("T57"));
  assert.ok(m !== undefined && m.kind === "market");
  assert.equal(m.strikeType, "less");
  assert.equal(m.capStrike, 57);
  assert.equal(m.floorStrike, undefined);
  assert.equal(m.openTs, OPEN_MS);
  assert.equal(m.closeTs, CLOSE_MS);
  assert.equal(m.priceStep, 100);
});

Deno.test("kalshi-json: the same input gives byte-identical lines", () => {
  const inputs = [...BASE, input("trades.json", { trades: [trade(), trade({ trade_id: "t2" })] })];
  const a = run(inputs).events.map(formatEventLine).join("\n");
  const b = run(inputs).events.map(formatEventLine).join("\n");
  assert.equal(a, b);
  // File order does not change the tape either (ties sort by kind and name).
  const c = run([...inputs].reverse()).events.map(formatEventLine).join("\n");
  assert.equal(a, c);
});

Deno.test("kalshi-json: a market's metadata is declared before a trade earlier than its open", () => {
  const early = trade({ created_time: "2026-04-20T10:00:00Z" });
  const r = run([...BASE, input("t.json", { trades: [early] })]);
  validTape(r.events);
  assert.equal(r.events[0].kind, "series");
  assert.equal(r.events[0].ts, Date.UTC(2026, 3, 20, 10, 0));
});

Deno.test("kalshi-json: envelopes in a .jsonl file date order books; the path names the market", () => {
  const fetched = Date.UTC(2026, 3, 22, 12, 0);
  const envelope = {
    kx_fetch: 1,
    path: "/markets/KXHIGHNY-26APR22-B57.5/orderbook",
    query: { depth: 10 },
    fetched_at: fetched,
    status: 200,
    body: {
      orderbook_fp: {
        yes_dollars: [["0.4000", "10.00"], ["0.4500", "2.50"]],
        no_dollars: [["0.5000", "7.00"]],
      },
    },
  };
  const failed = { ...envelope, status: 429, body: { error: "too many requests" } };
  const text = [JSON.stringify(envelope), "", JSON.stringify(failed)].join("\n") + "\n";
  const r = run([...BASE, input("fetch.jsonl", text)]);
  validTape(r.events);
  assertReconciles(r);
  const snap = r.events.find((e) => e.kind === "book_snapshot");
  assert.deepEqual(snap, {
    kind: "book_snapshot",
    ts: fetched,
    market: "KXHIGHNY-26APR22-B57.5",
    seq: 0,
    yesPrices: [4500, 4000],
    yesSizes: [250, 1000],
    noPrices: [5000],
    noSizes: [700],
  });
  assert.equal(anomaly(r, "http_status_not_200"), 1);
  assert.equal(r.report.skipped, 1);
});

Deno.test("kalshi-json: the older orderbook shape (integer cents and contracts) is read", () => {
  const r = run([...BASE, input("ob.json", { orderbook: { yes: [[40, 10]], no: null } })], {
    extra: { fetched_at: String(Date.UTC(2026, 3, 22)), ticker: "KXHIGHNY-26APR22-B57.5" },
  });
  validTape(r.events);
  const snap = r.events.find((e) => e.kind === "book_snapshot");
  assert.ok(snap !== undefined && snap.kind === "book_snapshot");
  assert.deepEqual([snap.yesPrices, snap.yesSizes, snap.noPrices], [[4000], [1000], []]);
});

Deno.test("kalshi-json: candlesticks become tops of book at the period end", () => {
  const candles = {
    ticker: "KXHIGHNY-26APR22-B57.5",
    candlesticks: [
      {
        end_period_ts: 1776870000,
        yes_bid: {
          open_dollars: "0.40",
          low_dollars: "0.40",
          high_dollars: "0.45",
          close_dollars: "0.44",
        },
        yes_ask: {
          open_dollars: "0.50",
          low_dollars: "0.46",
          high_dollars: "0.50",
          close_dollars: "0.47",
        },
        price: {},
        volume_fp: "10.00",
        open_interest_fp: "5.00",
      },
      {
        end_period_ts: 1776873600,
        yes_bid: { close_dollars: "0.0000" },
        yes_ask: { close_dollars: "0.4700" },
      },
    ],
  };
  const historical = {
    markets: [{
      market_ticker: "KXHIGHNY-26APR22-T58",
      candlesticks: [{
        end_period_ts: 1776870000,
        yes_bid: { close: "0.1000" },
        yes_ask: { close: "0.1200" },
      }],
    }],
  };
  const r = run([...BASE, input("c.json", candles), input("h.json", historical)]);
  validTape(r.events);
  assertReconciles(r);
  // Two two-sided closes at the first period end, one one-sided close (no YES bid) an hour later.
  const quotes = r.events.filter((e) => e.kind === "quote");
  assert.equal(quotes.length, 3);
  assert.equal(quotes.filter((q) => q.ts === 1776870000 * 1000).length, 2);
  const q = quotes.find((e) => e.kind === "quote" && e.market.endsWith("B57.5"));
  assert.ok(q !== undefined && q.kind === "quote");
  assert.deepEqual([q.yesBid, q.yesAsk], [4400, 4700]);
  // A close bid of $0 is a missing side: a one-sided quote, counted.
  const oneSided = quotes.find((e) => e.ts === 1776873600 * 1000);
  assert.ok(oneSided !== undefined && oneSided.kind === "quote");
  assert.equal(oneSided.yesBid, 0);
  assert.equal(r.events.filter((e) => e.kind === "book_snapshot").length, 0);
  assert.equal(anomaly(r, "one_sided_book"), 1);
});

Deno.test("kalshi-json: markets alone get an assumed event and series, counted", () => {
  const r = run([input("m.json", { markets: LADDER, cursor: "" })]);
  validTape(r.events);
  assert.equal(anomaly(r, "event_assumed"), 1);
  assert.equal(anomaly(r, "fee_assumed"), 1);
  const ev = r.events.find((e) => e.kind === "event");
  assert.ok(ev !== undefined && ev.kind === "event");
  assert.equal(ev.series, "KXHIGHNY");
  assert.equal(ev.mutuallyExclusive, false);
  const s = run([input("m.json", { markets: LADDER })], {
    extra: { fee_type: "flat", fee_multiplier: "0.5" },
  }).events[0];
  assert.ok(s.kind === "series");
  assert.deepEqual([s.feeType, s.feeMultiplier], ["flat", 5000]);
});

Deno.test("kalshi-json: a market record fetched while open gives its top of book", () => {
  const fetched = Date.UTC(2026, 3, 22, 12, 0);
  const open = market({
    status: "active",
    result: "",
    settlement_ts: null,
    expiration_value: "",
    yes_bid_dollars: "0.3000",
    yes_ask_dollars: "0.3300",
    yes_bid_size_fp: "12.00",
    yes_ask_size_fp: "4.50",
  });
  const env = {
    kx_fetch: 1,
    path: "/markets",
    fetched_at: fetched,
    status: 200,
    body: { markets: [open] },
  };
  const r = run([input("m.json", env)]);
  validTape(r.events);
  const q = r.events.find((e) => e.kind === "quote");
  assert.deepEqual(q, {
    kind: "quote",
    ts: fetched,
    market: "KXHIGHNY-26APR22-B57.5",
    yesBid: 3000,
    yesAsk: 3300,
    yesBidSize: 1200,
    yesAskSize: 450,
  });
  assert.equal(r.events.filter((e) => e.kind === "settlement").length, 0);
});

Deno.test("kalshi-json: integer-cent fields are read when the _dollars field is absent", () => {
  const old = trade({ yes_price_dollars: undefined, count_fp: undefined, yes_price: 56, count: 3 });
  const r = run([...BASE, input("t.json", { trades: [old] })]);
  const t = r.events.find((e) => e.kind === "trade");
  assert.ok(t !== undefined && t.kind === "trade");
  assert.deepEqual([t.price, t.count], [5600, 300]);
});

Deno.test("kalshi-json: a settled market without settlement_ts settles at close_time, counted", () => {
  const m = market({ settlement_ts: undefined });
  const r = run([input("m.json", { markets: [m] })]);
  const s = r.events.find((e) => e.kind === "settlement");
  assert.equal(s?.ts, CLOSE_MS);
  assert.equal(anomaly(r, "settlement_ts_assumed_close"), 1);
});

Deno.test("kalshi-json: repeated records are skipped, repeated trades too", () => {
  const r = run([
    ...BASE,
    input("m.json", { markets: LADDER }),
    input("t.json", { trades: [trade(), trade()] }),
  ]);
  validTape(r.events);
  assertReconciles(r);
  assert.equal(anomaly(r, "duplicate_record"), 3);
  assert.equal(anomaly(r, "duplicate_trade"), 1);
  assert.equal(r.events.filter((e) => e.kind === "trade").length, 1);
});

Deno.test("kalshi-json: series and events no market needs are skipped, counted", () => {
  const r = run([input("series.json", SERIES), input("e.json", { events: [EVENT.event] })]);
  assert.equal(r.events.length, 0);
  assert.equal(r.report.skipped, 2);
  assert.equal(anomaly(r, "series_without_markets"), 1);
  assert.equal(anomaly(r, "event_without_markets"), 1);
});

// --------------------------------------------------------------- bad input

function rejectOf(r: ImportResult, i = 0): { line: number; field: string; detail: string } {
  const j = r.report.rejects[i];
  assert.ok(j !== undefined, `expected a reject, got ${JSON.stringify(r.report)}`);
  return j;
}

Deno.test("kalshi-json: truncated JSON is an error naming the file", () => {
  const bad = input("cut.json", JSON.stringify(EVENT).slice(0, 40));
  assert.throws(
    () => run([bad]),
    (e: unknown) =>
      e instanceof ImportError && e.file === "cut.json" && e.line === 1 && e.field === "(file)" &&
      e.message.includes("Cannot parse JSON"),
  );
  const r = lenient([bad]);
  assert.equal(r.report.rejects.length, 1);
  assert.equal(r.report.rowsIn, 1);
  assertReconciles(r);
});

Deno.test("kalshi-json: a bad line of a .jsonl file is rejected alone, with its line", () => {
  const env = { kx_fetch: 1, path: "/series/KXHIGHNY", fetched_at: 1, status: 200, body: SERIES };
  const text = `${JSON.stringify(env)}\n{"kx_fetch":1,\n${JSON.stringify(env)}\n`;
  const r = lenient([input("f.jsonl", text)]);
  assert.equal(rejectOf(r).line, 2);
  assert.equal(rejectOf(r).field, "(line)");
  assert.equal(r.report.rowsIn, 3);
  assertReconciles(r);
});

Deno.test("kalshi-json: a field of the wrong type is rejected with its JSON path", () => {
  const bad = market({ floor_strike: "57" });
  assert.throws(
    () => run([input("m.json", { markets: [bad] })]),
    (e: unknown) =>
      e instanceof ImportError && e.field === "markets[0].floor_strike" &&
      e.message.includes("not a finite number") && e.message.includes('"57"'),
  );
});

Deno.test("kalshi-json: a non-numeric price is rejected", () => {
  const r = lenient([...BASE, input("t.json", { trades: [trade({ yes_price_dollars: "abc" })] })]);
  const j = rejectOf(r);
  assert.equal(j.field, "trades[0].yes_price_dollars");
  assert.match(j.detail, /Cannot parse price: not a decimal number, current value is "abc"/);
  assertReconciles(r);
});

Deno.test("kalshi-json: a price outside $0..$1 or finer than a tick is rejected", () => {
  for (
    const [price, pattern] of [
      ["1.5000", /outside \$0\.\.\$1/],
      ["-0.10", /outside \$0\.\.\$1/],
      ["0.560010", /not a multiple of \$0\.0001/],
      ["1.0000", /not strictly between \$0 and \$1/],
      [0.56, /expected a dollar string/],
    ] as const
  ) {
    const r = lenient([
      ...BASE,
      input("t.json", { trades: [trade({ yes_price_dollars: price })] }),
    ]);
    const j = rejectOf(r);
    assert.equal(j.field, "trades[0].yes_price_dollars", String(price));
    assert.match(j.detail, pattern, String(price));
  }
  const r = lenient([input("m.json", { markets: [market({ yes_bid_dollars: "1.01" })] })]);
  assert.equal(rejectOf(r).field, "markets[0].yes_bid_dollars");
});

Deno.test("kalshi-json: unknown strike types are rejected per market; their data is skipped", () => {
  const custom = market({ ticker: "KXHIGHNY-26APR22-X", strike_type: "custom" });
  const functional = market({ ticker: "KXHIGHNY-26APR22-Y", strike_type: "functional" });
  const none = market({ ticker: "KXHIGHNY-26APR22-Z", strike_type: undefined });
  const r = lenient([
    ...BASE,
    input("m.json", { markets: [custom, functional, none] }),
    input("t.json", { trades: [trade({ ticker: "KXHIGHNY-26APR22-X" })] }),
  ]);
  validTape(r.events);
  assertReconciles(r);
  assert.equal(r.report.rejects.length, 3);
  assert.deepEqual(r.report.rejects.map((j) => j.field), [
    "markets[0].strike_type",
    "markets[1].strike_type",
    "markets[2].strike_type",
  ]);
  assert.match(r.report.rejects[0].detail, /Cannot price market KXHIGHNY-26APR22-X/);
  assert.equal(anomaly(r, "market_rejected"), 1);
  assert.equal(r.report.markets, 3);
  // Strict mode stops at the first.
  assert.throws(() => run([input("m.json", { markets: [custom] })]), ImportError);
});

Deno.test("kalshi-json: missing fields are rejected, naming them", () => {
  const cases: [Record<string, unknown>, string][] = [
    [market({ close_time: undefined }), "markets[0].close_time"],
    [market({ ticker: undefined }), "markets[0].ticker"],
    [market({ cap_strike: null }), "markets[0].cap_strike"],
    [market({ open_time: "2026-04-21 14:00" }), "markets[0].open_time"],
    [market({ close_time: "2026-04-20T00:00:00Z" }), "markets[0].close_time"],
    [market({ result: "scalar" }), "markets[0].result"],
    [market({ market_type: "scalar" }), "markets[0].market_type"],
  ];
  for (const [m, field] of cases) {
    const r = lenient([input("m.json", { markets: [m] })]);
    assert.equal(rejectOf(r).field, field);
    assert.equal(r.report.rowsIn, 1);
    assertReconciles(r);
  }
  const t = lenient([...BASE, input("t.json", { trades: [trade({ taker_side: "up" })] })]);
  assert.equal(rejectOf(t).field, "trades[0].taker_side");
  const c = lenient([...BASE, input("t.json", { trades: [trade({ count_fp: "0.00" })] })]);
  assert.equal(rejectOf(c).field, "trades[0].count_fp");
  const s = lenient([
    input("s.json", {
      series: { ticker: "X", fee_type: "quadratic_with_combo_maker_fees", fee_multiplier: 1 },
    }),
  ]);
  assert.equal(rejectOf(s).field, "series.fee_type");
  const e = lenient([input("e.json", { events: [{ event_ticker: "E", series_ticker: "S" }] })]);
  assert.equal(rejectOf(e).field, "events[0].mutually_exclusive");
});

Deno.test("kalshi-json: a trade of a market no input describes is rejected", () => {
  const r = lenient([input("t.json", { trades: [trade()] })]);
  const j = rejectOf(r);
  assert.equal(j.field, "trades[0].ticker");
  assert.match(j.detail, /no record in the inputs describes it/);
  assert.equal(r.events.length, 0);
  assertReconciles(r);
});

Deno.test("kalshi-json: an order book without a time or a market is rejected", () => {
  const body = { orderbook_fp: { yes_dollars: [], no_dollars: [] } };
  const r = lenient([...BASE, input("ob.json", body)], { ticker: "KXHIGHNY-26APR22-B57.5" });
  assert.equal(rejectOf(r).field, "fetched_at");
  assert.match(rejectOf(r).detail, /--extra fetched_at=<ms>/);
  const r2 = lenient([...BASE, input("ob.json", body)], { fetched_at: "5" });
  assert.equal(rejectOf(r2).field, "ticker");
  assert.throws(() => lenient([input("ob.json", body)], { fetched_at: "soon" }), ImportOptionError);
});

Deno.test("kalshi-json: a crossed or malformed order book is rejected", () => {
  const extra = { fetched_at: "1776866400000", ticker: "KXHIGHNY-26APR22-B57.5" };
  const crossed = { orderbook_fp: { yes_dollars: [["0.60", "1"]], no_dollars: [["0.50", "1"]] } };
  const r = lenient([...BASE, input("ob.json", crossed)], extra);
  assert.equal(rejectOf(r).field, "orderbook_fp.no_dollars");
  const dup = { orderbook_fp: { yes_dollars: [["0.40", "1"], ["0.4000", "2"]], no_dollars: [] } };
  assert.match(rejectOf(lenient([...BASE, input("ob.json", dup)], extra)).detail, /duplicate/);
  const pair = { orderbook_fp: { yes_dollars: [["0.40"]], no_dollars: [] } };
  assert.equal(
    rejectOf(lenient([...BASE, input("ob.json", pair)], extra)).field,
    "orderbook_fp.yes_dollars[0]",
  );
});

Deno.test("kalshi-json: an unknown response shape or a bad envelope is rejected", () => {
  const r = lenient([input("x.json", { cutoff: 1 })]);
  assert.equal(rejectOf(r).field, "(response)");
  assert.match(rejectOf(r).detail, /Cannot detect response shape/);
  const arr = lenient([input("x.json", [1, 2])]);
  assert.equal(rejectOf(arr).field, "(response)");
  const env = lenient([input("x.json", { kx_fetch: 2, fetched_at: 1, status: 200, body: {} })]);
  assert.equal(rejectOf(env).field, "kx_fetch");
  const noTime = lenient([
    input("x.json", { kx_fetch: 1, fetched_at: "1", status: 200, body: {} }),
  ]);
  assert.equal(rejectOf(noTime).field, "fetched_at");
});

Deno.test("kalshi-json: conflicting records of one market: the later is rejected", () => {
  const r = lenient([
    input("a.json", { markets: [market()] }),
    input("b.json", { markets: [market({ close_time: "2026-04-23T05:00:00Z" })] }),
  ]);
  assert.equal(rejectOf(r).field, "markets[0].ticker");
  assert.match(rejectOf(r).detail, /different content/);
  assertReconciles(r);
});

Deno.test("kalshi-json: a candle with a crossed close is an empty book, counted", () => {
  const c = {
    ticker: "KXHIGHNY-26APR22-B57.5",
    candlesticks: [{
      end_period_ts: 1776870000,
      yes_bid: { close_dollars: "0.60" },
      yes_ask: { close_dollars: "0.50" },
    }],
  };
  const r = run([...BASE, input("c.json", c)]);
  validTape(r.events);
  assert.equal(anomaly(r, "crossed_book"), 1);
  const bad = {
    ticker: "X",
    candlesticks: [{ end_period_ts: "1776870000", yes_bid: {}, yes_ask: {} }],
  };
  assert.equal(rejectOf(lenient([input("c.json", bad)])).field, "candlesticks[0].end_period_ts");
  const noBid = { ticker: "X", candlesticks: [{ end_period_ts: 1, yes_ask: { close: "0.5" } }] };
  assert.equal(rejectOf(lenient([input("c.json", noBid)])).field, "candlesticks[0].yes_bid");
});

Deno.test("kalshi-json: a repeated candle is skipped; one with other closes is rejected", () => {
  const c = (bid: string) => ({
    end_period_ts: 1776870000,
    yes_bid: { close_dollars: bid },
    yes_ask: { close_dollars: "0.50" },
  });
  const body = (bid: string) => ({ ticker: "KXHIGHNY-26APR22-B57.5", candlesticks: [c(bid)] });
  const r = lenient([...BASE, input("a.json", body("0.40")), input("b.json", body("0.40"))]);
  validTape(r.events);
  assertReconciles(r);
  assert.equal(anomaly(r, "duplicate_candle"), 1);
  assert.equal(r.events.filter((e) => e.kind === "quote").length, 1);
  const d = lenient([...BASE, input("a.json", body("0.40")), input("b.json", body("0.41"))]);
  assert.equal(rejectOf(d).field, "candlesticks[0].end_period_ts");
  assert.match(rejectOf(d).detail, /other closes/);
});

Deno.test("kalshi-json: a mutually exclusive event whose markets leave a gap is counted", () => {
  const r = run([
    input("series.json", SERIES),
    input("e.json", { ...EVENT, markets: [LADDER[0], LADDER[2]] }),
  ]);
  validTape(r.events);
  assert.equal(anomaly(r, "ladder_not_partition"), 1);
  assert.match(
    r.report.anomalies.find((a) => a.code === "ladder_not_partition")!.examples[0],
    /gap/,
  );
  assert.equal(anomaly(run(BASE), "ladder_not_partition"), 0);
});

Deno.test("kalshi-json: events get the series' outcome step, or the option's", () => {
  const step = (r: ImportResult) => {
    const ev = r.events.find((e) => e.kind === "event");
    return ev?.kind === "event" ? ev.outcomeStep : "no event";
  };
  assert.equal(step(run(BASE)), 1, "KXHIGH*: whole degrees");
  assert.equal(step(run(BASE, { extra: { outcome_step: "0.5" } })), 0.5);
  assert.equal(step(run([input("m.json", { markets: LADDER })])), 1, "assumed events too");
  const other = { ...EVENT.event, series_ticker: "KXFOO" };
  const r = run([input("e.json", { event: other, markets: LADDER })]);
  assert.equal(step(r), undefined);
  assert.throws(() => run(BASE, { extra: { outcome_step: "-1" } }), ImportOptionError);
});

Deno.test("kalshi-json: the importer is registered under its name with its spec", () => {
  assert.equal(KALSHI_JSON_IMPORTER.name, "kalshi-json");
  assert.equal(KALSHI_JSON_IMPORTER.spec, "docs/import/kalshi_json.md");
});
