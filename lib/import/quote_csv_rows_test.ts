import assert from "node:assert/strict";
import { type QuoteCells, scanQuoteCsv } from "./quote_csv_rows.ts";
import { ReportBuilder } from "./report.ts";
import { TickerCheck } from "./ticker_ladder.ts";

const COLUMNS = ["ts", "tick", "a", "b", "c", "d"] as const;
const M = "KXHIGHNY-25NOV25-T59";

function scan(body: string[], header = "extra,ts,tick,a,b,c,d") {
  const report = new ReportBuilder("test", ["q.csv"], { strict: false });
  const seen: [QuoteCells, number][] = [];
  const parseTs = (t: string) => {
    const n = Number(t);
    if (!Number.isInteger(n)) throw new Error(`Cannot parse timestamp: ${t}`);
    return n;
  };
  scanQuoteCsv(
    { name: "q.csv", text: [header, ...body].join("\n") + "\n" },
    COLUMNS,
    parseTs,
    report,
    new TickerCheck(),
    (cells, line) => {
      seen.push([cells, line]);
      report.used();
    },
  );
  return { seen, report: report.finish([]) };
}

Deno.test("scanQuoteCsv passes readable rows by column name, prices in 1e-4 dollars", () => {
  const { seen, report } = scan([`x,1000,${M},5,8,92,95.5`]);
  assert.deepEqual(seen, [[
    { ts: 1000, tsText: "1000", market: M, prices: [500, 800, 9200, 9550] },
    2,
  ]]);
  assert.equal(report.rowsIn, 1);
  assert.deepEqual(report.rejects, []);
});

Deno.test("scanQuoteCsv rejects each bad row naming its file, line and field", () => {
  const { seen, report } = scan([
    `x,1000,${M},5,8`,
    `x,soon,${M},5,8,92,95`,
    `x,1000,KXHIGHNY,5,8,92,95`,
    `x,1000,${M},5,8,abc,95`,
    `x,2000,${M},1,2,3,4`,
  ]);
  assert.deepEqual(seen.map(([c, line]) => [c.ts, line]), [[2000, 6]]);
  assert.equal(report.rowsIn, 5);
  assert.deepEqual(report.rejects.map((r) => [r.file, r.line, r.field]), [
    ["q.csv", 2, "(row)"],
    ["q.csv", 3, "timestamp"],
    ["q.csv", 4, "tick"],
    ["q.csv", 5, "c"],
  ]);
});

Deno.test("scanQuoteCsv throws naming the missing column", () => {
  assert.throws(() => scan([], "ts,tick,a,b,c"), /q\.csv:1: field "d": Cannot find column/);
});
