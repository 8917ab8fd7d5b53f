import assert from "node:assert/strict";
import type { TapeEvent } from "../tape/events.ts";
import { formatReport, MAX_ANOMALY_EXAMPLES, ReportBuilder } from "./report.ts";
import { ImportError } from "./types.ts";

const EVENTS: TapeEvent[] = [
  { kind: "series", ts: 10, series: "S", feeType: "quadratic", feeMultiplier: 10000 },
  { kind: "event", ts: 10, event: "S-1", series: "S", mutuallyExclusive: true },
  {
    kind: "market",
    ts: 10,
    market: "S-1-B1.5",
    event: "S-1",
    strikeType: "between",
    floorStrike: 1,
    capStrike: 2,
    openTs: 10,
    closeTs: 20,
    priceStep: 100,
  },
  {
    kind: "quote",
    ts: 20,
    market: "S-1-B1.5",
    yesBid: 100,
    yesAsk: 200,
    yesBidSize: 0,
    yesAskSize: 0,
  },
];

Deno.test("ReportBuilder: counts, sets and span come from the rows and the events", () => {
  const b = new ReportBuilder("demo", ["a.csv", "b.csv"], { strict: false });
  b.rowIn(4);
  b.used(2);
  b.skip("duplicate_row", "a.csv:3: repeat");
  b.reject("b.csv", 7, "price", 'Cannot parse price: bad, current value is "x"');
  b.anomaly("gap", "S-1: 20 min");
  b.anomaly("gap", undefined, 2);
  const r = b.finish(EVENTS);
  assert.equal(r.rowsIn, 4);
  assert.equal(r.rowsUsed, 2);
  assert.equal(r.skipped, 1);
  assert.deepEqual(r.rejects, [{
    file: "b.csv",
    line: 7,
    field: "price",
    detail: 'Cannot parse price: bad, current value is "x"',
  }]);
  assert.equal(r.eventsOut, 4);
  assert.deepEqual([r.markets, r.events, r.series], [1, 1, 1]);
  assert.deepEqual([r.firstTs, r.lastTs], [10, 20]);
  assert.deepEqual(r.anomalies, [
    { code: "duplicate_row", count: 1, examples: ["a.csv:3: repeat"] },
    { code: "gap", count: 3, examples: ["S-1: 20 min"] },
  ]);
});

Deno.test("ReportBuilder: strict mode throws the reject as an ImportError", () => {
  const b = new ReportBuilder("demo", ["a.csv"]);
  assert.equal(b.strict, true);
  assert.throws(
    () => b.reject("a.csv", 3, "price", 'Cannot parse price: bad, current value is "x"'),
    (e: unknown) =>
      e instanceof ImportError &&
      e.message === 'a.csv:3: field "price": Cannot parse price: bad, current value is "x"',
  );
});

Deno.test("ReportBuilder: finish refuses rows that do not reconcile", () => {
  const b = new ReportBuilder("demo", ["a.csv"], { strict: false });
  b.rowIn(3);
  b.used(1);
  assert.throws(
    () => b.finish([]),
    /rows do not reconcile: rowsIn 3 != rowsUsed 1 \+ rejects 0 \+ skipped 0/,
  );
});

Deno.test("ReportBuilder: keeps at most MAX_ANOMALY_EXAMPLES examples but counts all", () => {
  const b = new ReportBuilder("demo", []);
  for (let i = 0; i < 12; i++) b.anomaly("x", `e${i}`);
  const r = b.finish([]);
  assert.equal(r.anomalies[0].count, 12);
  assert.equal(r.anomalies[0].examples.length, MAX_ANOMALY_EXAMPLES);
  assert.equal(r.firstTs, null);
  assert.equal(b.anomalyCount("x"), 12);
  assert.equal(b.anomalyCount("y"), 0);
});

Deno.test("formatReport: names every count, the span, anomalies and rejects", () => {
  const b = new ReportBuilder("demo", ["a.csv"], { strict: false });
  b.rowIn(2);
  b.used(1);
  b.reject("a.csv", 3, "price", 'Cannot parse price: bad, current value is "x"');
  b.anomaly("locked_book", "a.csv:2: locked");
  const text = formatReport(b.finish(EVENTS));
  assert.match(text, /rows in:\s+2\n/);
  assert.match(text, /rows used:\s+1\n/);
  assert.match(text, /rejects:\s+1\n/);
  assert.match(text, /events out:\s+4\n/);
  assert.match(text, /markets:\s+1 \(events 1, series 1\)/);
  assert.match(text, /time span:\s+1970-01-01T00:00:00\.010Z \.\. 1970-01-01T00:00:00\.020Z/);
  assert.match(text, /locked_book\s+1\n\s+e\.g\. a\.csv:2: locked/);
  assert.match(text, /a\.csv:3: field "price": Cannot parse price/);
  assert.match(formatReport(new ReportBuilder("e", []).finish([])), /anomalies:\s+none/);
});
