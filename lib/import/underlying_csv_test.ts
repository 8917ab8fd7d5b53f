import assert from "node:assert/strict";
import { importUnderlyingCsv, knownTimeRuleOption, parseSeriesDate } from "./underlying_csv.ts";
import { TapeValidator } from "../tape/validator.ts";
import { formatEventLine } from "../tape/ndjson_writer.ts";
import { ImportError, type ImportOptions, type ImportResult } from "./types.ts";
import { ImportOptionError } from "./option_error.ts";

const BASE: ImportOptions = { strict: false, symbol: "X", tz: "America/New_York" };

function run(text: string, options: ImportOptions = {}): ImportResult {
  return importUnderlyingCsv([{ name: "s.csv", text }], { ...BASE, ...options });
}

function valid(r: ImportResult): string {
  const v = new TapeValidator("t", { strict: true });
  r.events.forEach((e, i) => v.check(e, i + 1));
  const p = r.report;
  assert.equal(p.rowsIn, p.rowsUsed + p.rejects.length + p.skipped);
  return r.events.map(formatEventLine).join("\n");
}

function anomaly(r: ImportResult, code: string): number {
  return r.report.anomalies.find((a) => a.code === code)?.count ?? 0;
}

Deno.test("underlying-csv: values known at the end of their date, sorted, blanks skipped", () => {
  const r = run("date,value\n2025-01-03,2\n2025-01-01,1.5\n2025-01-02,\n2025-01-04,.\n");
  valid(r);
  assert.deepEqual(r.events.map((e) => e.kind === "underlying" && [e.ts, e.value]), [
    [Date.UTC(2025, 0, 2, 5), 1.5],
    [Date.UTC(2025, 0, 4, 5), 2],
  ]);
  assert.equal(anomaly(r, "blank_value"), 2);
  assert.equal(anomaly(r, "input_not_in_date_order"), 1);
  assert.equal(r.report.skipped, 2);
});

Deno.test("underlying-csv: columns, dates with midnight, period, lag and clock time", () => {
  const text = "timestamp,open,close\n2011-08-18 00:00:00,10.9,10.95\n";
  const r = run(text, { tz: "UTC", extra: { date_column: "timestamp", value_column: "close" } });
  valid(r);
  assert.deepEqual(r.events[0], {
    kind: "underlying",
    ts: Date.UTC(2011, 7, 19),
    symbol: "X",
    value: 10.95,
  });
  const cpi = run("DATE,Index\n2025-01-01,317.6\n", {
    extra: {
      date_column: "DATE",
      value_column: "Index",
      period: "month",
      known_lag_days: "15",
      known_at: "08:30",
    },
  });
  assert.equal(cpi.events[0].ts, Date.UTC(2025, 1, 15, 13, 30));
});

Deno.test("underlying-csv: monthly-looking dates under the daily default are a counted risk", () => {
  const r = run("date,value\n2025-01-01,1\n2025-02-01,2\n2025-03-01,3\n");
  assert.equal(anomaly(r, "look_ahead_risk_monthly_dates"), 1);
  const m = run("date,value\n2025-01-01,1\n2025-02-01,2\n2025-03-01,3\n", {
    extra: { period: "month" },
  });
  assert.equal(anomaly(m, "look_ahead_risk_monthly_dates"), 0);
});

Deno.test("underlying-csv: duplicates and values before 1970", () => {
  const r = run("date,value\n2025-01-01,1\n2025-01-01,1\n2025-01-01,2\n1913-01-01,9.8\n");
  valid(r);
  assert.equal(anomaly(r, "duplicate_row"), 1);
  assert.equal(anomaly(r, "before_1970"), 1);
  assert.equal(r.report.rejects.length, 1);
  assert.equal(r.report.rejects[0].line, 4);
  assert.match(r.report.rejects[0].detail, /already has value 1/);
});

Deno.test("underlying-csv: bad rows are rejected with line and field", () => {
  const cases: [string, string, RegExp][] = [
    ["2025-01-01,abc", "value", /not a decimal number/],
    ["2025-01-01,NaN", "value", /not a decimal number/],
    ["2025-13-01,1", "date", /out of range/],
    ["2025-02-29,1", "date", /out of range/],
    ["2025-01-01 12:00:00,1", "date", /not YYYY-MM-DD/],
    ["01/02/2025,1", "date", /not YYYY-MM-DD/],
    ["2025-01-01,1,2", "(row)", /expected 2 fields/],
  ];
  for (const [row, field, pattern] of cases) {
    const r = run(`date,value\n${row}\n`);
    valid(r);
    assert.equal(r.report.rejects[0]?.field, field, row);
    assert.equal(r.report.rejects[0].line, 2);
    assert.match(r.report.rejects[0].detail, pattern, row);
  }
  assert.throws(() => run("date,value\nx,1\n", { strict: true }), ImportError);
});

Deno.test("underlying-csv: options are required or checked", () => {
  assert.throws(
    () => run("date,value\n", { symbol: undefined }),
    (e: unknown) => e instanceof ImportOptionError && e.option === "symbol",
  );
  assert.throws(
    () => run("date,value\n", { tz: undefined }),
    (e: unknown) => e instanceof ImportOptionError && e.option === "tz",
  );
  for (const [k, v] of [["period", "year"], ["known_lag_days", "-1"], ["known_at", "noon"]]) {
    assert.throws(
      () => knownTimeRuleOption({ tz: "UTC", extra: { [k]: v } }),
      (e: unknown) => e instanceof ImportOptionError && e.option === k,
    );
  }
  assert.throws(
    () => run("day,price\n2025-01-01,1\n"),
    (e: unknown) => e instanceof ImportError && e.field === "date",
  );
  assert.throws(
    () => run("date,price\n2025-01-01,1\n", { extra: { value_column: "close" } }),
    /option value_column/,
  );
});

Deno.test("underlying-csv: series dates", () => {
  assert.deepEqual(parseSeriesDate("2024-02-29"), { year: 2024, month: 2, day: 29 });
  assert.deepEqual(parseSeriesDate("2024-02-29T00:00:00"), { year: 2024, month: 2, day: 29 });
  assert.throws(() => parseSeriesDate("2023-02-29"), RangeError);
  assert.throws(() => parseSeriesDate(" 2024-01-01"), SyntaxError);
});
