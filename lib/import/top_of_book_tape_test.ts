import assert from "node:assert/strict";
import { feeFromOptions } from "./fee_options.ts";
import { ReportBuilder } from "./report.ts";
import { assembleTopOfBook, sortInputs, type TopRow } from "./top_of_book_tape.ts";

const E = "KXHIGHNY-25DEC05";
const row = (
  ts: number,
  m: string,
  bid: number,
  ask: number,
  file = 0,
  line = 2,
  tsText = String(ts),
): TopRow => ({
  ts,
  market: `${E}-${m}`,
  yesBid: bid,
  yesAsk: ask,
  values: `${bid},${ask}`,
  tsText,
  file,
  line,
});
const FILES = [{ name: "a.csv", text: "" }, { name: "b.csv", text: "" }];
const OPTS = { gapMs: 15 * 60_000, fee: feeFromOptions({}) };

Deno.test("assembleTopOfBook: order is (ts, market, file, line) and metadata comes first", () => {
  const rows = [
    row(5, "T31", 100, 200, 0, 9),
    row(5, "B30.5", 300, 400, 1, 2),
    row(5, "B30.5", 310, 400, 0, 3),
    row(1, "T30", 100, 200, 0, 4),
  ];
  const rb = new ReportBuilder("t", ["a.csv", "b.csv"]);
  rb.rowIn(rows.length);
  const { events } = assembleTopOfBook(
    FILES,
    rows,
    rb,
    "market_ticker",
    OPTS,
  );
  assert.deepEqual(
    events.map((e) => `${e.ts}:${e.kind}:${"market" in e ? e.market.slice(-5) : ""}`),
    [
      "1:series:",
      "1:event:",
      "1:market:B30.5",
      "1:market:5-T30",
      "1:market:5-T31",
      "1:lifecycle:B30.5",
      "1:lifecycle:5-T30",
      "1:lifecycle:5-T31",
      "1:quote:5-T30",
      "5:quote:B30.5",
      "5:quote:B30.5",
      "5:quote:5-T31",
    ],
  );
  const q = events.filter((e) => e.kind === "quote" && e.market.endsWith("B30.5"));
  assert.deepEqual(
    q.map((e) => e.kind === "quote" && e.yesBid),
    [310, 300],
    "file a.csv before b.csv at equal ts",
  );
});

Deno.test("assembleTopOfBook: duplicates need the same timestamp text, not only the same ms", () => {
  const rows = [
    row(5, "B30.5", 300, 400, 0, 2, "t.0001"),
    row(5, "B30.5", 300, 400, 0, 3, "t.0002"),
    row(5, "B30.5", 300, 400, 1, 7, "t.0001"),
    row(1, "T30", 1, 2),
    row(1, "T31", 1, 2),
  ];
  const b = new ReportBuilder("t", []);
  b.rowIn(rows.length);
  const { report } = assembleTopOfBook(FILES, rows, b, "market_ticker", OPTS);
  assert.equal(report.skipped, 1);
  assert.match(report.anomalies.find((a) => a.code === "duplicate_row")!.examples[0], /^b\.csv:7:/);
});

Deno.test("sortInputs: by name, stable for equal names", () => {
  const s = sortInputs([{ name: "b", text: "1" }, { name: "a", text: "2" }, {
    name: "b",
    text: "3",
  }]);
  assert.deepEqual(s.map((x) => x.text), ["2", "1", "3"]);
});
