import assert from "node:assert/strict";
import type { TapeEvent } from "../tape/events.ts";
import { TapeValidator } from "../tape/validator.ts";
import { QUOTE_SNAPSHOT_CSV } from "./quote_snapshot_csv.ts";
import { ImportError, type ImportOptions } from "./types.ts";

const HEAD =
  "timestamp,ticker,yes_bid,yes_ask,no_bid,no_ask,last_price,open_interest,volume,liquidity\n";
const TS = "2025-11-24T23:05:38.527224+00:00";
const E = "KXHIGHNY-25NOV25";
const ROWS = [
  `${TS},${E}-T59,5,8,92,95,3,214,227,181972`,
  `${TS},${E}-T52,1,3,97,99,1,219,219,130310`,
  `${TS},${E}-B58.5,21,22,78,79,18,602,645,320468`,
  `${TS},${E}-B56.5,32,33,67,68,33,1653,2103,340730`,
  `${TS},${E}-B54.5,20,22,78,80,20,100,100,1000`,
  `${TS},${E}-B52.5,10,12,88,90,11,100,100,1000`,
];

function run(rows: string[], options: ImportOptions = { strict: true }) {
  return QUOTE_SNAPSHOT_CSV.run(
    [{ name: "snap.csv", text: HEAD + rows.join("\n") + "\n" }],
    options,
  );
}

function validate(events: readonly TapeEvent[]): void {
  const v = new TapeValidator("test", { strict: true });
  events.forEach((e, i) => v.check(e, i + 1));
}

Deno.test("quote-snapshot-csv: rows become quotes from the YES side; the ladder is declared", () => {
  const { events, report } = run(ROWS);
  validate(events);
  const q = events.find((e) => e.kind === "quote" && e.market === `${E}-T59`);
  assert.deepEqual(q, {
    kind: "quote",
    ts: Date.UTC(2025, 10, 24, 23, 5, 38, 527),
    market: `${E}-T59`,
    yesBid: 500,
    yesAsk: 800,
    yesBidSize: 0,
    yesAskSize: 0,
  });
  assert.deepEqual([report.rowsIn, report.rowsUsed, report.markets], [6, 6, 6]);
  assert.equal(report.anomalies.find((a) => a.code === "ladder_not_partition"), undefined);
});

Deno.test("quote-snapshot-csv: no bid (0) or no ask (100) gives a one-sided quote; NO-side mismatch is counted", () => {
  const rows = [
    ...ROWS,
    `2025-11-24T23:06:38Z,${E}-T59,0,1,99,100,1,0,0,0`,
    `2025-11-24T23:06:38Z,${E}-T52,99,100,0,1,99,0,0,0`,
    `2025-11-24T23:06:38Z,${E}-B58.5,21,22,70,79,18,0,0,0`,
  ];
  const { events, report } = run(rows);
  validate(events);
  assert.equal(report.anomalies.find((a) => a.code === "one_sided_book")?.count, 2);
  assert.equal(report.anomalies.find((a) => a.code === "implied_price_mismatch")?.count, 1);
  assert.equal(events.filter((e) => e.kind === "book_snapshot").length, 0);
  const t59 = events.filter((e) => e.kind === "quote" && e.market === `${E}-T59`).at(-1);
  assert.ok(t59 !== undefined && t59.kind === "quote");
  assert.deepEqual([t59.yesBid, t59.yesAsk], [0, 100], "no YES bid, YES ask 1 cent");
});

Deno.test("quote-snapshot-csv: bad rows name file, line and field", () => {
  const cases: [string, string, RegExp][] = [
    [
      `${TS},${E}-T59,5,800,92,95,3,214,227,1`,
      "yes_ask",
      /outside 0\.\.100 cents, current value is "800"/,
    ],
    [`${TS},${E}-T59,five,8,92,95,3,214,227,1`, "yes_bid", /not a number of cents/],
    [
      `2025-11-24T23:05:38,${E}-T59,5,8,92,95,3,214,227,1`,
      "timestamp",
      /no time zone option given/,
    ],
    [`${TS},${E}-T59,5,8,92,95,3`, "(row)", /expected 10 fields/],
    [`${TS},KXHIGHNY,5,8,92,95,3,214,227,1`, "ticker", /Cannot parse ticker/],
  ];
  for (const [row, field, re] of cases) {
    assert.throws(() => run([...ROWS, row]), (e: unknown) => {
      assert(e instanceof ImportError, row);
      assert.deepEqual([e.file, e.line, e.field], ["snap.csv", 8, field], row);
      assert.match(e.message, re, row);
      return true;
    });
    assert.equal(run([...ROWS, row], { strict: false }).report.rejects.length, 1);
  }
});

Deno.test("quote-snapshot-csv: zone-less timestamps are read with --tz; duplicates skipped", () => {
  const r = run([`2025-11-24T18:05:38,${E}-B58.5,5,8,92,95,3,214,227,1`], {
    strict: true,
    tz: "America/New_York",
  });
  assert.equal(r.events.find((e) => e.kind === "quote")?.ts, Date.UTC(2025, 10, 24, 23, 5, 38));
  const d = run([...ROWS, ROWS[0]]);
  assert.equal(d.report.skipped, 1);
});
