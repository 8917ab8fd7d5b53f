/**
 * Real-data tests of the Kalshi JSON / settled-ladder / CPI / underlying importers
 * on ../shared/data (never copied into the repo). Each import is validated as a
 * tape (strict), its counts are reconciled with the source (counted here
 * independently of the importer), settlements are compared with the source's
 * result column, and a second import must give byte-identical lines.
 *
 * @module
 */

import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import { parse } from "csv-parse/sync";
import { realDataTest, requireShared } from "./shared_data.ts";
import { importKalshi2024Snapshot } from "../../lib/import/kalshi_2024_snapshot.ts";
import { importSettledLadderCsv } from "../../lib/import/settled_ladder_csv.ts";
import { importCpiEventsCsv } from "../../lib/import/cpi_events_csv.ts";
import { importUnderlyingCsv } from "../../lib/import/underlying_csv.ts";
import type { ImportInput, ImportResult } from "../../lib/import/types.ts";
import { TapeValidator } from "../../lib/tape/validator.ts";
import { formatEventLine } from "../../lib/tape/ndjson_writer.ts";
import type { SettlementEvent, TapeEvent } from "../../lib/tape/events.ts";

function readInput(...parts: string[]): ImportInput {
  const path = requireShared(...parts);
  const bytes = readFileSync(path);
  const text = path.endsWith(".gz") ? gunzipSync(bytes).toString("utf8") : bytes.toString("utf8");
  return { name: parts.join("/"), text };
}

/** Validates strictly (throws on the first problem) and returns the NDJSON text. */
function validTape(name: string, events: readonly TapeEvent[]): string {
  const v = new TapeValidator(name, { strict: true });
  events.forEach((ev, i) => v.check(ev, i + 1));
  return events.map(formatEventLine).join("\n");
}

function reconciles(r: ImportResult): void {
  const p = r.report;
  assert.equal(
    p.rowsIn,
    p.rowsUsed + p.rejects.length + p.skipped,
    `rowsIn ${p.rowsIn} != used ${p.rowsUsed} + rejects ${p.rejects.length} + skipped ${p.skipped}`,
  );
  const skipCodes = new Set([
    "blank_value",
    "before_1970",
    "duplicate_row",
    "duplicate_record",
    "duplicate_trade",
    "duplicate_candle",
    "event_without_markets",
    "series_without_markets",
    "market_rejected",
    "not_settled",
    "http_status_not_200",
    "no_event",
  ]);
  const skippedByCode = p.anomalies.filter((a) => skipCodes.has(a.code))
    .reduce((s, a) => s + a.count, 0);
  assert.equal(skippedByCode, p.skipped, "every skipped row is counted under a skip reason");
}

function anomaly(r: ImportResult, code: string): number {
  return r.report.anomalies.find((a) => a.code === code)?.count ?? 0;
}

function settlements(events: readonly TapeEvent[]): Map<string, SettlementEvent> {
  const m = new Map<string, SettlementEvent>();
  for (const e of events) if (e.kind === "settlement") m.set(e.market, e);
  return m;
}

function csvRecords(input: ImportInput): Record<string, string>[] {
  return parse(input.text, { columns: true, bom: true, skip_empty_lines: true });
}

// ---------------------------------------------------------------- snapshot

const SNAPSHOT = "kalshi_2024_snapshot_ln";
const SNAPSHOT_FILES = ["event_data", "market_data", "market_history", "orderbook_data"];
/** 2024-07-14 03:59:59 UTC: the end of 2024-07-13 (the source's pull day) in New York. */
const SNAPSHOT_FETCHED_AT = "1720929599000";

Deno.test(
  "real data: kalshi-2024-snapshot reconciles with its 291 markets",
  realDataTest(SNAPSHOT),
  () => {
    const inputs = SNAPSHOT_FILES.map((f) => readInput(SNAPSHOT, `${f}.json.gz`));
    const run = () =>
      importKalshi2024Snapshot(inputs, {
        strict: false,
        extra: { fetched_at: SNAPSHOT_FETCHED_AT },
      });
    const r = run();
    const tape = validTape("snapshot", r.events);
    reconciles(r);

    // The source, counted here.
    const events = JSON.parse(inputs[0].text) as unknown[];
    const marketLists = JSON.parse(inputs[1].text) as Record<string, Record<string, unknown>[]>[];
    const markets = marketLists.flatMap((d) => Object.values(d).flat());
    const history = JSON.parse(inputs[2].text) as Record<string, unknown[]>[];
    const points = history.reduce((s, d) => s + Object.values(d)[0].length, 0);
    const books = (JSON.parse(inputs[3].text) as unknown[]).length;
    assert.equal(markets.length, 291);
    assert.equal(r.report.rowsIn, events.length + markets.length + points + books);
    assert.equal(r.report.rowsIn, 2456);

    const unpriceable = markets.filter((m) =>
      m._strike_type === "custom" || m._strike_type === null
    );
    assert.equal(unpriceable.length, 187, "custom 123 + null 64 (SOURCE.md)");
    const strikeRejects = r.report.rejects.filter((j) => j.field.endsWith("._strike_type"));
    assert.equal(strikeRejects.length, unpriceable.length);
    assert.ok(strikeRejects.every((j) => j.file.endsWith("market_data.json.gz")));
    const declared = new Set(
      r.events.filter((e) => e.kind === "market").map((e) => e.kind === "market" ? e.market : ""),
    );
    const fromRecords = markets.filter((m) => declared.has(m._ticker as string));
    assert.equal(fromRecords.length, 291 - 187, "every priceable market record is declared");
    assert.equal(anomaly(r, "market_inferred_from_ticker"), declared.size - fromRecords.length);
    assert.equal(declared.size - fromRecords.length, 48, "the HIGH* ladders of the history");

    // Settlements equal the source's _result.
    const settled = settlements(r.events);
    const sourceSettled = fromRecords.filter((m) => m._result === "yes" || m._result === "no");
    assert.equal(settled.size, sourceSettled.length);
    for (const m of sourceSettled) {
      assert.equal(
        settled.get(m._ticker as string)?.result,
        m._result,
      );
    }

    assert.equal(
      anomaly(r, "ladder_not_partition"),
      3,
      "OSCARCOUNTDUNE2, ACPI-2024, ACPICORE-2024",
    );
    assert.equal(r.report.rejects.length, 560);
    assert.equal(r.report.skipped, 74);
    assert.equal(run().events.map(formatEventLine).join("\n"), tape, "re-import is byte-identical");
  },
);

Deno.test(
  "real data: kalshi-2024-snapshot without fetched_at rejects only the order books",
  realDataTest(SNAPSHOT),
  () => {
    const inputs = SNAPSHOT_FILES.map((f) => readInput(SNAPSHOT, `${f}.json.gz`));
    const r = importKalshi2024Snapshot(inputs, { strict: false });
    validTape("snapshot", r.events);
    reconciles(r);
    const noTime = r.report.rejects.filter((j) => j.field === "fetched_at");
    assert.equal(noTime.length, 100);
    assert.throws(() => importKalshi2024Snapshot(inputs, { strict: true }), /_strike_type/);
  },
);

// ----------------------------------------------------------------- weather

const WEATHER = "kalshi_weather_jm";

Deno.test(
  "real data: settled-ladder-csv imports every settled ladder",
  realDataTest(WEATHER),
  () => {
    const input = readInput(WEATHER, "kalshi_markets.csv");
    const r = importSettledLadderCsv([input], { strict: true });
    const tape = validTape("weather", r.events);
    reconciles(r);
    const rows = csvRecords(input);
    assert.equal(rows.length, 1134);
    assert.equal(r.report.rowsIn, rows.length);
    assert.equal(r.report.rowsUsed, rows.length);
    assert.equal(r.report.events, new Set(rows.map((x) => x.event_ticker)).size);
    assert.equal(r.report.events, 189);
    assert.equal(r.report.markets, 1134);
    assert.equal(anomaly(r, "bounds_disagree"), 0);
    assert.equal(anomaly(r, "ladder_not_partition"), 0);
    const settled = settlements(r.events);
    for (const x of rows) {
      assert.equal(
        settled.get(x.market_ticker)?.result,
        x.result,
        x.market_ticker,
      );
    }
    const yesPerEvent = new Map<string, number>();
    for (const s of settled.values()) {
      const ev = s.market.slice(0, s.market.lastIndexOf("-"));
      yesPerEvent.set(ev, (yesPerEvent.get(ev) ?? 0) + (s.result === "yes" ? 1 : 0));
    }
    assert.ok([...yesPerEvent.values()].every((n) => n === 1));
    // Strikes from the tickers (Kalshi's convention), not the recorder's bounds.
    const b = r.events.find((e) => e.kind === "market" && e.market === "KXHIGHNY-26APR22-B59.5");
    assert.ok(b?.kind === "market");
    assert.deepEqual([b.strikeType, b.floorStrike, b.capStrike], ["between", 59, 60]);
    const lo = r.events.find((e) => e.kind === "market" && e.market === "KXHIGHNY-26APR22-T57");
    assert.ok(lo?.kind === "market");
    assert.deepEqual([lo.strikeType, lo.capStrike], ["less", 57]);
    assert.equal(
      importSettledLadderCsv([input], { strict: true }).events.map(formatEventLine).join("\n"),
      tape,
    );
  },
);

// --------------------------------------------------------------------- CPI

const CPI = "kalshi_cpi_yf";
const CPI_FILES = [
  "events_table.csv",
  "KXCPI-25JUL_markets_extract.csv",
  "KXCPI-25JUL-T0.2_daily_candles.csv",
];

Deno.test(
  "real data: cpi-events-csv imports the table, the ladder and its candles",
  realDataTest(CPI),
  () => {
    const [table, extract, candles] = CPI_FILES.map((f) => readInput(CPI, f));
    const r = importCpiEventsCsv([table, extract, candles], { strict: true });
    const tape = validTape("cpi", r.events);
    reconciles(r);
    const tableRows = csvRecords(table);
    const extractRows = csvRecords(extract);
    const candleRows = csvRecords(candles);
    assert.equal(r.report.rowsIn, tableRows.length + extractRows.length + candleRows.length);
    const settledRows = tableRows.filter((x) => x.settled === "True");
    assert.equal(settledRows.length, 61);
    assert.equal(r.report.skipped, tableRows.length - settledRows.length);
    assert.equal(r.events.filter((e) => e.kind === "underlying").length, settledRows.length);
    // Settlements equal the extract's result; "greater" is strictly greater.
    const settled = settlements(r.events);
    for (const x of extractRows) assert.equal(settled.get(x.ticker)?.result, x.result, x.ticker);
    assert.equal(settled.get("KXCPI-25JUL-T0.2")?.result, "no");
    assert.equal(anomaly(r, "result_disagrees_with_strikes"), 0);
    // The table's outcome of the event is the extract's expiration value, known at 08:30 ET.
    const jul = r.events.find((e) =>
      e.kind === "underlying" && e.value === 0.2 && e.ts === Date.UTC(2025, 7, 12, 12, 30)
    );
    assert.ok(jul !== undefined, "KXCPI-25JUL: 0.2 released 2025-08-12 08:30 EDT");
    assert.ok(extractRows.every((x) => Number(x.expiration_value) === 0.2));
    // Candles: every row is a top of book at its period end.
    const tops = r.events.filter((e) =>
      (e.kind === "quote" || e.kind === "book_snapshot") && e.market === "KXCPI-25JUL-T0.2"
    );
    assert.equal(tops.length, candleRows.length);
    assert.deepEqual(tops.map((e) => e.ts), candleRows.map((x) => Number(x.end_period_ts) * 1000));
    assert.equal(
      importCpiEventsCsv([table, extract, candles], { strict: true }).events.map(formatEventLine)
        .join("\n"),
      tape,
    );
  },
);

Deno.test(
  "real data: cpi-events-csv files alone give valid tapes with reconciled counts",
  realDataTest(CPI),
  () => {
    for (const f of CPI_FILES) {
      const r = importCpiEventsCsv([readInput(CPI, f)], { strict: false });
      validTape(f, r.events);
      reconciles(r);
    }
    // Candles need their market: alone, every row is rejected, naming the market.
    const c = importCpiEventsCsv([readInput(CPI, CPI_FILES[2])], { strict: false });
    assert.equal(c.report.rejects.length, 49);
    assert.match(c.report.rejects[0].detail, /KXCPI-25JUL-T0\.2/);
  },
);

// ------------------------------------------------------------- underlying

interface UnderlyingCase {
  readonly path: [string, string];
  readonly symbol: string;
  readonly tz: string;
  readonly extra: Record<string, string>;
  readonly valueColumn: string;
  readonly dateColumn: string;
}

const UNDERLYING: UnderlyingCase[] = [
  {
    path: ["btc_daily_mz", "BTCUSD_1d_candles_full.csv"],
    symbol: "BTC",
    tz: "UTC",
    extra: { date_column: "timestamp", value_column: "close" },
    dateColumn: "timestamp",
    valueColumn: "close",
  },
  {
    path: ["cpi_us_datahub", "cpiai.csv"],
    symbol: "CPIAI",
    tz: "America/New_York",
    extra: { value_column: "Index", period: "month", known_lag_days: "15", known_at: "08:30" },
    dateColumn: "Date",
    valueColumn: "Index",
  },
  ...["CPIAUCSL", "CPILFESL"].map((s) => ({
    path: ["fred_macro_mm", `${s}.csv`] as [string, string],
    symbol: s,
    tz: "America/New_York",
    extra: { period: "month", known_lag_days: "15", known_at: "08:30" },
    dateColumn: "date",
    valueColumn: "value",
  })),
  ...["DGS10", "DGS2"].map((s) => ({
    path: ["fred_macro_mm", `${s}.csv`] as [string, string],
    symbol: s,
    tz: "America/New_York",
    extra: { known_lag_days: "1", known_at: "16:30" },
    dateColumn: "date",
    valueColumn: "value",
  })),
  {
    path: ["fred_macro_mm", "GASREGW.csv"],
    symbol: "GASREGW",
    tz: "America/New_York",
    extra: { known_at: "17:00" },
    dateColumn: "date",
    valueColumn: "value",
  },
  {
    path: ["fred_macro_mm", "ICSA.csv"],
    symbol: "ICSA",
    tz: "America/New_York",
    extra: { known_lag_days: "5", known_at: "08:30" },
    dateColumn: "date",
    valueColumn: "value",
  },
  {
    path: ["kalshi_sys_mb", "aaa_daily_2004_2025.csv"],
    symbol: "AAA_REGULAR",
    tz: "America/New_York",
    extra: { value_column: "regular_gas_price" },
    dateColumn: "date",
    valueColumn: "regular_gas_price",
  },
  {
    path: ["nyc_centralpark_ts", "central_park_weather.csv"],
    symbol: "NYC_TMAX",
    tz: "America/New_York",
    extra: { date_column: "DATE", value_column: "TMAX" },
    dateColumn: "DATE",
    valueColumn: "TMAX",
  },
];

for (const c of UNDERLYING) {
  Deno.test(
    `real data: underlying-csv imports ${c.path.join("/")}`,
    realDataTest(...c.path),
    () => {
      const input = readInput(...c.path);
      const run = () =>
        importUnderlyingCsv([input], { strict: true, symbol: c.symbol, tz: c.tz, extra: c.extra });
      const r = run();
      const tape = validTape(c.symbol, r.events);
      reconciles(r);
      const rows = csvRecords(input);
      assert.equal(r.report.rowsIn, rows.length);
      const blanks = rows.filter((x) => x[c.valueColumn].trim() === "" || x[c.valueColumn] === ".");
      assert.equal(anomaly(r, "blank_value"), blanks.length);
      assert.equal(r.report.rejects.length, 0);
      const dates = rows.map((x) => x[c.dateColumn]);
      assert.equal(anomaly(r, "duplicate_row"), dates.length - new Set(dates).size);
      // One value per date, strictly increasing times, all of the symbol.
      for (let i = 1; i < r.events.length; i++) assert.ok(r.events[i].ts > r.events[i - 1].ts);
      assert.ok(r.events.every((e) => e.kind === "underlying" && e.symbol === c.symbol));
      assert.equal(
        r.events.length,
        rows.length - blanks.length - anomaly(r, "before_1970") - anomaly(r, "duplicate_row"),
      );
      assert.equal(run().events.map(formatEventLine).join("\n"), tape);
    },
  );
}

Deno.test(
  "real data: the AAA file is newest first: sorted and counted",
  realDataTest("kalshi_sys_mb"),
  () => {
    const input = readInput("kalshi_sys_mb", "aaa_daily_2004_2025.csv");
    const r = importUnderlyingCsv([input], {
      symbol: "AAA",
      tz: "America/New_York",
      extra: { value_column: "regular_gas_price" },
    });
    assert.equal(anomaly(r, "input_not_in_date_order"), 1);
    const first = r.events[0];
    assert.ok(first.kind === "underlying");
    assert.equal(first.value, 1.691, "2004-03-01 (the last line of the file) comes first");
    assert.equal(first.ts, Date.UTC(2004, 2, 2, 5), "known at the end of 2004-03-01 in New York");
  },
);
