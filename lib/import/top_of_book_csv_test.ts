import assert from "node:assert/strict";
import type { TapeEvent } from "../tape/events.ts";
import { TapeValidator } from "../tape/validator.ts";
import { ImportOptionError } from "./option_error.ts";
import { TOP_OF_BOOK_CSV } from "./top_of_book_csv.ts";
import { ImportError, type ImportOptions } from "./types.ts";

const HEAD = "timestamp,market_ticker,best_yes_bid,best_no_bid,implied_no_ask,implied_yes_ask\n";
const E = "KXHIGHNY-25DEC05";
/** A full ladder, one row per market at 12:27:16 local (LA) = 20:27:16Z. */
const LADDER = [
  `2025-12-04T12:27:16.079996,${E}-T37,1,96,99,4`,
  `2025-12-04T12:27:16.080242,${E}-B32.5,45,54,55,46`,
  `2025-12-04T12:27:16.080335,${E}-B34.5,28,70,72,30`,
  `2025-12-04T12:27:16.080631,${E}-T30,5,94,95,6`,
  `2025-12-04T12:27:16.080724,${E}-B36.5,7,92,93,8`,
  `2025-12-04T12:27:16.081370,${E}-B30.5,18,81,82,19`,
];
const LA: ImportOptions = { tz: "America/Los_Angeles", strict: true };

function run(files: Record<string, string[]>, options: ImportOptions = LA) {
  const inputs = Object.entries(files).map(([name, rows]) => ({
    name,
    text: HEAD + rows.join("\n") + "\n",
  }));
  return TOP_OF_BOOK_CSV.run(inputs, options);
}

function validate(events: readonly TapeEvent[]): void {
  const v = new TapeValidator("test", { strict: true });
  events.forEach((e, i) => v.check(e, i + 1));
}

Deno.test("top-of-book-csv: a ladder becomes series, event, markets and quotes", () => {
  const { events, report } = run({ "a.csv": LADDER });
  validate(events);
  assert.deepEqual(events.slice(0, 2).map((e) => e.kind), ["series", "event"]);
  assert.deepEqual(events[0], {
    kind: "series",
    ts: Date.UTC(2025, 11, 4, 20, 27, 16, 79),
    series: "KXHIGHNY",
    feeType: "quadratic",
    feeMultiplier: 10000,
  });
  assert.deepEqual(events[1], {
    kind: "event",
    ts: events[0].ts,
    event: E,
    series: "KXHIGHNY",
    mutuallyExclusive: true,
    outcomeStep: 1,
  });
  const markets = events.filter((e) => e.kind === "market");
  assert.equal(markets.length, 6);
  const t30 = markets.find((m) => m.kind === "market" && m.market === `${E}-T30`);
  assert.deepEqual(t30, {
    kind: "market",
    ts: events[0].ts,
    market: `${E}-T30`,
    event: E,
    strikeType: "less",
    capStrike: 30,
    // The event's first and last rows (markets open and close with their event).
    openTs: Date.UTC(2025, 11, 4, 20, 27, 16, 79),
    closeTs: Date.UTC(2025, 11, 4, 20, 27, 16, 81),
    priceStep: 100,
  });
  const q = events.find((e) => e.kind === "quote" && e.market === `${E}-B32.5`);
  assert.deepEqual(q, {
    kind: "quote",
    ts: Date.UTC(2025, 11, 4, 20, 27, 16, 80),
    market: `${E}-B32.5`,
    yesBid: 4500,
    yesAsk: 4600,
    yesBidSize: 0,
    yesAskSize: 0,
  });
  assert.equal(report.rowsIn, 6);
  assert.equal(report.rowsUsed, 6);
  assert.equal(report.eventsOut, 20, "2 + 6 markets + 6 open lifecycle events + 6 quotes");
  assert.deepEqual([report.markets, report.events, report.series], [6, 1, 1]);
  assert.equal(report.anomalies.find((a) => a.code === "ladder_not_partition"), undefined);
  assert.equal(report.anomalies.find((a) => a.code === "fee_assumed")?.count, 1);
});

Deno.test("top-of-book-csv: missing --tz is an option error, not a guess", () => {
  assert.throws(
    () => run({ "a.csv": LADDER }, { strict: true }),
    (e: unknown) => e instanceof ImportOptionError && e.option === "tz",
  );
});

Deno.test("top-of-book-csv: bad rows name file, line and field (strict throws the first)", () => {
  const cases: [string, string, RegExp][] = [
    [
      `2025-12-04T12:27:17,${E}-B30.5,18,81,82`,
      "(row)",
      /expected 6 fields \(as the header\), found 5/,
    ],
    [`2025-12-04T12:27:17,${E}-B30.5,18,81,82,19,7`, "(row)", /found 7/],
    [
      `2025-12-04T12:27:17,${E}-B30.5,abc,81,82,19`,
      "best_yes_bid",
      /Cannot parse price: not a number of cents, current value is "abc"/,
    ],
    [
      `2025-12-04T12:27:17,${E}-B30.5,18,181,82,19`,
      "best_no_bid",
      /outside 0\.\.100 cents, current value is "181"/,
    ],
    [`2025-12-04T12:27:17,${E}-B30.5,18,81,-82,19`, "implied_no_ask", /outside 0\.\.100 cents/],
    [`2025-12-04 12:27:17Z,${E}-B30.5,18,81,82,19`, "timestamp", /unexpected text after the time/],
    [`yesterday,${E}-B30.5,18,81,82,19`, "timestamp", /Cannot parse timestamp/],
    [
      `2025-12-04T12:27:17,KXHIGHNY-25DEC05-Q30,18,81,82,19`,
      "market_ticker",
      /Cannot parse ticker: not SERIES-DATE-B<mid> or SERIES-DATE-T<strike>, current value is "KXHIGHNY-25DEC05-Q30"/,
    ],
    [`2025-03-09T02:30:00,${E}-B30.5,18,81,82,19`, "timestamp", /daylight saving gap/],
  ];
  for (const [row, field, re] of cases) {
    assert.throws(() => run({ "bad.csv": [...LADDER, row] }), (e: unknown) => {
      assert(e instanceof ImportError, row);
      assert.equal(e.file, "bad.csv");
      assert.equal(e.line, 8, row);
      assert.equal(e.field, field, row);
      assert.match(e.message, re, row);
      return true;
    });
    const lenient = run({ "bad.csv": [...LADDER, row] }, { ...LA, strict: false });
    assert.equal(lenient.report.rejects.length, 1, row);
    assert.equal(lenient.report.rowsIn, 7);
    assert.equal(
      lenient.report.rowsUsed + lenient.report.rejects.length + lenient.report.skipped,
      7,
    );
    validate(lenient.events);
  }
});

Deno.test("top-of-book-csv: a T strike that cannot be placed rejects its rows", () => {
  const rows = [...LADDER, `2025-12-04T12:28:00,${E}-T33,5,90,95,10`];
  assert.throws(
    () => run({ "a.csv": rows }),
    /a\.csv:8: field "market_ticker": Cannot infer strike: T33 is neither/,
  );
  const r = run({ "a.csv": rows }, { ...LA, strict: false });
  assert.equal(r.report.rejects.length, 1);
  assert.equal(r.report.markets, 6);
});

Deno.test("top-of-book-csv: a ladder with a missing bin is reported, not silently accepted", () => {
  const r = run({ "a.csv": LADDER.filter((l) => !l.includes("B32.5")) });
  const a = r.report.anomalies.find((x) => x.code === "ladder_not_partition");
  assert.equal(a?.count, 1);
  assert.match(
    a!.examples[0],
    /KXHIGHNY-25DEC05: gap \(no market covers the grid values 32\.\.33\)/,
  );
  validate(r.events);
});

Deno.test("top-of-book-csv: one-sided, empty, crossed and locked books; implied-ask mismatch", () => {
  const rows = [
    ...LADDER,
    `2025-12-04T12:30:00,${E}-T37,0,97,100,3`, // one-sided (no yes bid)
    `2025-12-04T12:30:01,${E}-B32.5,99,0,1,100`, // one-sided (no yes ask)
    `2025-12-04T12:30:02,${E}-B34.5,0,0,100,100`, // empty
    `2025-12-04T12:30:03,${E}-B30.5,40,61,60,39`, // crossed: yes bid 40 > yes ask 39
    `2025-12-04T12:30:04,${E}-B36.5,24,76,76,24`, // locked
    `2025-12-04T12:30:05,${E}-T30,5,94,95,7`, // implied yes ask 7 != 100 - 94
  ];
  const { events, report } = run({ "a.csv": rows });
  validate(events);
  const count = (code: string) => report.anomalies.find((a) => a.code === code)?.count ?? 0;
  assert.equal(count("one_sided_book"), 2);
  assert.equal(count("empty_book"), 1);
  assert.equal(count("crossed_book"), 1);
  assert.equal(count("locked_book"), 1);
  assert.equal(count("implied_ask_mismatch"), 1);
  assert.equal(report.rowsUsed, 12);
  // The empty and the crossed book become empty snapshots; one-sided books stay quotes.
  const snaps = events.filter((e) => e.kind === "book_snapshot");
  assert.equal(snaps.length, 2);
  const t37 = events.find((e) => e.kind === "quote" && e.market === `${E}-T37` && e.yesBid === 0);
  assert.ok(t37 !== undefined && t37.kind === "quote" && t37.yesAsk === 300);
  const last = events[events.length - 1];
  assert.deepEqual(last, {
    kind: "quote",
    ts: Date.UTC(2025, 11, 4, 20, 30, 5),
    market: `${E}-T30`,
    yesBid: 500,
    yesAsk: 600,
    yesBidSize: 0,
    yesAskSize: 0,
  });
});

Deno.test("top-of-book-csv: exact duplicate rows are skipped and counted", () => {
  const rows = [...LADDER, LADDER[1], LADDER[1].replace("16.080242", "16.080243")];
  const { report, events } = run({ "a.csv": rows });
  assert.equal(report.skipped, 1);
  assert.equal(report.rowsUsed, 7);
  assert.equal(report.anomalies.find((a) => a.code === "duplicate_row")?.count, 1);
  assert.match(
    report.anomalies.find((a) => a.code === "duplicate_row")!.examples[0],
    /a\.csv:8: KXHIGHNY-25DEC05-B32\.5/,
  );
  assert.equal(events.filter((e) => e.kind === "quote").length, 7);
});

Deno.test("top-of-book-csv: files merge in time order; argument order does not change the tape", () => {
  const E2 = "KXHIGHNY-25DEC06";
  const f2 = [
    `2025-12-04T12:27:16.080000,${E2}-T40,3,96,97,4`,
    `2025-12-04T12:27:16.080000,${E2}-B40.5,30,60,70,40`,
    `2025-12-04T12:27:16.080000,${E2}-T41,30,60,70,40`,
  ];
  const a = run({ "a.csv": LADDER, "b.csv": f2 });
  const b = TOP_OF_BOOK_CSV.run([
    { name: "b.csv", text: HEAD + f2.join("\n") },
    { name: "a.csv", text: HEAD + LADDER.join("\n") },
  ], LA);
  assert.deepEqual(a.events, b.events);
  validate(a.events);
  for (let i = 1; i < a.events.length; i++) assert(a.events[i].ts >= a.events[i - 1].ts);
  assert.equal(a.report.events, 2);
  assert.deepEqual(a.report.files, ["a.csv", "b.csv"]);
});

Deno.test("top-of-book-csv: rows out of order in a file are placed by time and counted", () => {
  const rows = [
    ...LADDER,
    `2025-12-04T12:40:00,${E}-T30,5,94,95,6`,
    `2025-12-04T12:35:00,${E}-T30,6,93,94,7`,
  ];
  const { events, report } = run({ "a.csv": rows });
  validate(events);
  assert.equal(report.anomalies.find((a) => a.code === "out_of_order_row")?.count, 1);
});

Deno.test("top-of-book-csv: gaps longer than gap_minutes within trading are counted", () => {
  const rows = [
    ...LADDER,
    `2025-12-04T13:00:00,${E}-T30,5,94,95,6`, // 33 min after the ladder rows
    `2025-12-04T13:10:00,${E}-T30,6,93,94,7`,
    `2025-12-04T15:00:00,${E}-T30,0,0,100,100`, // after the last two-sided row: not a gap
  ];
  const r = run({ "a.csv": rows });
  assert.equal(r.report.anomalies.find((a) => a.code === "gap")?.count, 1);
  const r5 = run({ "a.csv": rows }, { ...LA, extra: { gap_minutes: "5" } });
  assert.equal(r5.report.anomalies.find((a) => a.code === "gap")?.count, 2);
});

Deno.test("top-of-book-csv: header problems and empty files", () => {
  assert.throws(
    () =>
      TOP_OF_BOOK_CSV.run([{ name: "h.csv", text: "timestamp,market_ticker,best_yes_bid\n" }], LA),
    /h\.csv:1: field "best_no_bid": Cannot find column/,
  );
  const empty = TOP_OF_BOOK_CSV.run([{ name: "e.csv", text: HEAD }], LA);
  assert.deepEqual([empty.events.length, empty.report.rowsIn, empty.report.firstTs], [0, 0, null]);
});

Deno.test("top-of-book-csv: fee options are declared and stated", () => {
  const r = run({ "a.csv": LADDER }, {
    ...LA,
    extra: { fee_type: "quadratic_with_maker_fees", fee_multiplier: "0.5" },
  });
  assert.deepEqual(r.events[0], {
    ...r.events[0],
    feeType: "quadratic_with_maker_fees",
    feeMultiplier: 5000,
  });
  assert.equal(r.report.anomalies.find((a) => a.code === "fee_from_options")?.count, 1);
});
