import assert from "node:assert/strict";
import { importCpiEventsCsv } from "./cpi_events_csv.ts";
import { TapeValidator } from "../tape/validator.ts";
import { formatEventLine } from "../tape/ndjson_writer.ts";
import { ImportError, type ImportInput, type ImportOptions, type ImportResult } from "./types.ts";
import { ImportOptionError } from "./option_error.ts";

const TABLE = [
  "event_ticker,title,n_markets,first_open_time,close_time,settled,actual_cpi_mom,total_volume",
  "KXCPI-25JUL,CPI in Jul 2025?,3,2025-06-12T14:00:00Z,2025-08-12T12:29:00Z,True,0.2,1.0",
  "CPI-21AUG,CPI in August 2021?,1,2021-08-11T15:40:00Z,2021-09-13T23:00:00Z,True,0.3,2753.0",
  "KXCPI-26JUL,CPI in July,10,2026-02-20T15:00:00Z,2026-08-12T12:25:00Z,False,,190296.09",
].join("\n");

const MARKETS_HEADER =
  "ticker,event_ticker,market_type,strike_type,floor_strike,yes_sub_title,open_time,close_time,settlement_ts,status,result,expiration_value,settlement_value_dollars,last_price_dollars,volume_fp";
function marketRow(
  t: string,
  floor: string,
  result: string,
  value = result === "yes" ? "1.0000" : "0.0000",
) {
  return `KXCPI-25JUL-T${t},KXCPI-25JUL,binary,greater,${floor},Above ${floor}%,2025-06-12T14:00:00Z,2025-08-12T12:29:00Z,2025-08-12T13:09:49.950641Z,finalized,${result},0.2,${value},0.5,1.00`;
}
const MARKETS = [
  MARKETS_HEADER,
  marketRow("0.1", "0.1", "yes"),
  marketRow("0.2", "0.2", "no"),
  marketRow("0.3", "0.3", "no"),
].join("\n");

const CANDLES = [
  "end_period_ts,open_interest,price_open,price_high,price_low,price_close,price_mean,price_previous,volume,yes_ask_open,yes_ask_high,yes_ask_low,yes_ask_close,yes_bid_open,yes_bid_high,yes_bid_low,yes_bid_close",
  "1749787200,0.00,,,,,,,0.00,1.0000,1.0000,0.9900,0.9900,0.0100,0.0100,0.0100,0.0100",
  "1750046400,0.00,,,,,,,0.00,1.0000,1.0000,1.0000,1.0000,0.1500,0.1500,0.0000,0.0000",
  "1754884800,270213.00,0.4600,0.5300,0.4400,0.4800,0.5006,0.4600,48937.00,0.4700,0.6000,0.4600,0.5000,0.4500,0.5000,0.4300,0.4900",
].join("\n");

const T = { name: "events_table.csv", text: TABLE };
const M = { name: "KXCPI-25JUL_markets_extract.csv", text: MARKETS };
const C = { name: "data/KXCPI-25JUL-T0.2_daily_candles.csv", text: CANDLES };

function run(inputs: ImportInput[], options: ImportOptions = { strict: false }): ImportResult {
  return importCpiEventsCsv(inputs, options);
}

function valid(r: ImportResult): string {
  const v = new TapeValidator("t", { strict: true });
  r.events.forEach((e, i) => v.check(e, i + 1));
  const p = r.report;
  assert.equal(p.rowsIn, p.rowsUsed + p.rejects.length + p.skipped);
  return r.events.map(formatEventLine).join("\n");
}

Deno.test("cpi-events-csv: outcomes are known at the first 08:30 New York after the close", () => {
  const r = run([T], { strict: true });
  valid(r);
  const u = r.events.filter((e) => e.kind === "underlying");
  assert.deepEqual(u.map((e) => e.kind === "underlying" && [e.ts, e.symbol, e.value]), [
    [Date.UTC(2021, 8, 14, 12, 30), "CPI_MOM", 0.3],
    [Date.UTC(2025, 7, 12, 12, 30), "CPI_MOM", 0.2],
  ]);
  assert.equal(r.report.skipped, 1);
  assert.equal(r.report.anomalies.find((a) => a.code === "not_settled")?.count, 1);
  const other = run([T], {
    symbol: "KXCPI",
    extra: { release_time: "10:00", release_zone: "UTC" },
  });
  const first = other.events[0];
  assert.ok(first.kind === "underlying" && first.symbol === "KXCPI");
  assert.equal(first.ts, Date.UTC(2021, 8, 14, 10));
});

Deno.test("cpi-events-csv: a greater ladder settles strictly above its strike", () => {
  const r = run([T, M, C], { strict: true });
  valid(r);
  const s = new Map(
    r.events.filter((e) => e.kind === "settlement").map((
      e,
    ) => [e.kind === "settlement" ? e.market : "", e]),
  );
  assert.equal(
    s.get("KXCPI-25JUL-T0.2")?.kind === "settlement" && s.get("KXCPI-25JUL-T0.2")!.result,
    "no",
  );
  assert.equal(
    s.get("KXCPI-25JUL-T0.1")?.kind === "settlement" && s.get("KXCPI-25JUL-T0.1")!.result,
    "yes",
  );
  // The table provides the event: threshold ladder, outcome step 0.1.
  const ev = r.events.find((e) => e.kind === "event");
  assert.ok(ev?.kind === "event");
  assert.deepEqual([ev.event, ev.mutuallyExclusive, ev.outcomeStep], ["KXCPI-25JUL", false, 0.1]);
  // Candles: tops of book at the period end; one-sided or empty closes are empty books.
  const tops = r.events.filter((e) =>
    (e.kind === "quote" || e.kind === "book_snapshot") && e.market === "KXCPI-25JUL-T0.2"
  );
  assert.deepEqual(tops.map((e) => [e.kind, e.ts]), [
    ["quote", 1749787200000],
    ["book_snapshot", 1750046400000],
    ["quote", 1754884800000],
  ]);
  assert.equal(r.report.rowsIn, 3 + 3 + 3);
  assert.equal(r.report.rowsUsed, 8);
});

Deno.test("cpi-events-csv: a result against the strike or the settlement value is counted", () => {
  const bad = [MARKETS_HEADER, marketRow("0.2", "0.2", "yes", "0.0000")].join("\n");
  const r = run([{ name: "m.csv", text: bad }]);
  valid(r);
  const codes = r.report.anomalies.map((a) => a.code);
  assert.ok(codes.includes("result_disagrees_with_strikes"));
  assert.ok(codes.includes("settlement_value_disagrees"));
});

Deno.test("cpi-events-csv: candles without their market are rejected, naming it", () => {
  const r = run([C]);
  valid(r);
  assert.equal(r.report.rejects.length, 3);
  assert.equal(r.report.rejects[0].field, "ticker");
  assert.match(r.report.rejects[0].detail, /"KXCPI-25JUL-T0\.2"/);
  const named = run([M, { name: "x.csv", text: CANDLES }], {
    strict: true,
    extra: { ticker: "KXCPI-25JUL-T0.1" },
  });
  assert.equal(
    named.events.filter((e) => e.kind === "quote" && e.market === "KXCPI-25JUL-T0.1").length,
    2,
  );
});

Deno.test("cpi-events-csv: bad rows and files", () => {
  const rows = TABLE.split("\n");
  const cases: [string, string, RegExp][] = [
    [rows[1].replace("True,0.2", "True,"), "actual_cpi_mom", /not a decimal number/],
    [rows[1].replace("True,0.2", "True,abc"), "actual_cpi_mom", /not a decimal number/],
    [rows[1].replace("True,0.2", "False,0.2"), "actual_cpi_mom", /unsettled event has an outcome/],
    [rows[1].replace("True", "yes"), "settled", /not True or False/],
    [rows[1].replace("2025-08-12T12:29:00Z", "2025-08-12"), "close_time", /Cannot parse timestamp/],
  ];
  for (const [row, field, pattern] of cases) {
    const r = run([{ name: "t.csv", text: [rows[0], row].join("\n") }]);
    assert.equal(r.report.rejects[0]?.field, field);
    assert.match(r.report.rejects[0].detail, pattern);
    assert.equal(r.report.rejects[0].line, 2);
  }
  const badCandle = CANDLES.replace("0.4900\n", "0.4900\n").replace(",0.4900", ",0.49x");
  assert.equal(
    run([M, { name: "KXCPI-25JUL-T0.2_c.csv", text: badCandle }]).report.rejects[0].field,
    "yes_bid_close",
  );
  const badTs = CANDLES.replace("1754884800", "1754884800.5");
  assert.equal(
    run([M, { name: "KXCPI-25JUL-T0.2_c.csv", text: badTs }]).report.rejects[0].field,
    "end_period_ts",
  );
  const custom = [MARKETS_HEADER, marketRow("0.2", "0.2", "no").replace(",greater,", ",custom,")]
    .join("\n");
  assert.equal(run([{ name: "m.csv", text: custom }]).report.rejects[0].field, "strike_type");
  assert.throws(
    () => run([{ name: "x.csv", text: "a,b\n1,2\n" }]),
    (e: unknown) => e instanceof ImportError && e.field === "(header)",
  );
  assert.throws(() => run([T], { extra: { release_zone: "Mars/Base" } }), ImportOptionError);
  assert.throws(() => run([T], { extra: { release_time: "8.30" } }), ImportOptionError);
});
