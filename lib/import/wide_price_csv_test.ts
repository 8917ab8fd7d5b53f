import assert from "node:assert/strict";
import type { TapeEvent } from "../tape/events.ts";
import { TapeValidator } from "../tape/validator.ts";
import { ImportOptionError } from "./option_error.ts";
import { parseResultLabel } from "./result_labels.ts";
import { ImportError, type ImportOptions } from "./types.ts";
import { eventOfExportName, tickerSuffixOfLabel, WIDE_PRICE_CSV } from "./wide_price_csv.ts";

const NAME = "kalshi-price-history-kxhighmia-26apr20-minute.csv";
const HEAD = "timestamp,78° or below,79° to 80°,81° to 82°,83° to 84°,85° to 86°,87° or above\n";
const ROWS = [
  "2026-04-19T14:02:00Z,4.00,,,,,60.00",
  "2026-04-19T14:03:00Z,1.29,25.00,59.00,,25.90,26.90",
];

function run(rows: string[], options: ImportOptions = { strict: true }, name = NAME, head = HEAD) {
  return WIDE_PRICE_CSV.run([{ name, text: head + rows.join("\n") }], options);
}

function validate(events: readonly TapeEvent[]): void {
  const v = new TapeValidator("test", { strict: true });
  events.forEach((e, i) => v.check(e, i + 1));
}

Deno.test("eventOfExportName / tickerSuffixOfLabel", () => {
  assert.deepEqual(eventOfExportName(`dir/${NAME}`), {
    event: "KXHIGHMIA-26APR20",
    intervalMs: 60_000,
  });
  assert.deepEqual(eventOfExportName("kalshi-price-history-kxhighmia-26may03-hour.csv.gz"), {
    event: "KXHIGHMIA-26MAY03",
    intervalMs: 3_600_000,
  });
  assert.equal(eventOfExportName("prices.csv"), null);
  assert.equal(tickerSuffixOfLabel(parseResultLabel("79° to 80°"), ""), "B79.5");
  assert.equal(tickerSuffixOfLabel(parseResultLabel("78° or below"), ""), "T79");
  assert.equal(tickerSuffixOfLabel(parseResultLabel("87° or above"), ""), "T86");
  assert.throws(
    () => tickerSuffixOfLabel(parseResultLabel("79° to 81°"), "79° to 81°"),
    /not two whole degrees wide/,
  );
});

Deno.test("wide-price-csv: each value is a locked quote at the END of its minute; blanks give nothing", () => {
  const { events, report } = run(ROWS);
  validate(events);
  const quotes = events.filter((e) => e.kind === "quote");
  assert.equal(quotes.length, 7);
  assert.deepEqual(quotes[0], {
    kind: "quote",
    ts: Date.UTC(2026, 3, 19, 14, 3),
    market: "KXHIGHMIA-26APR20-T79",
    yesBid: 400,
    yesAsk: 400,
    yesBidSize: 0,
    yesAskSize: 0,
  });
  const m = events.find((e) => e.kind === "market" && e.market === "KXHIGHMIA-26APR20-T86");
  assert(m?.kind === "market");
  assert.deepEqual([m.strikeType, m.floorStrike, m.openTs, m.closeTs], [
    "greater",
    86,
    Date.UTC(2026, 3, 19, 14, 2),
    Date.UTC(2026, 3, 19, 14, 4),
  ]);
  assert.deepEqual([report.rowsIn, report.rowsUsed, report.markets], [2, 2, 6]);
  assert.equal(report.anomalies.find((a) => a.code === "ladder_not_partition"), undefined);
});

Deno.test("wide-price-csv: 0 and 100 give empty books; blank rows and repeats are skipped", () => {
  // A chance of 0 or 100 is a locked quote at $0 or $1: no price on either side.
  const rows = [
    ...ROWS,
    "2026-04-19T14:04:00Z,0.00,100.00,,,,",
    "2026-04-19T14:05:00Z,,,,,,",
    ROWS[1],
  ];
  const { events, report } = run(rows);
  validate(events);
  assert.equal(report.anomalies.find((a) => a.code === "empty_book")?.count, 2);
  assert.equal(events.filter((e) => e.kind === "book_snapshot").length, 2);
  assert.deepEqual([report.skipped, report.rowsUsed], [2, 3]);
});

Deno.test("wide-price-csv: bad rows and headers name file, line and field", () => {
  const cases: [string, string, RegExp][] = [
    ["2026-04-19T14:04:00Z,4.00,abc,,,,", "79° to 80°", /not a number of cents/],
    ["2026-04-19T14:04:00Z,4.00,101,,,,", "79° to 80°", /outside 0\.\.100 cents/],
    ["2026-04-19T14:04:00,4.00,,,,,", "timestamp", /no time zone option given/],
    ["2026-04-19T14:04:00Z,4.00", "(row)", /expected 7 fields/],
    ["2026-04-19T14:03:00Z,2.00,,,,,", "timestamp", /already has a different row at this time/],
  ];
  for (const [row, field, re] of cases) {
    assert.throws(() => run([...ROWS, row]), (e: unknown) => {
      assert(e instanceof ImportError, row);
      assert.deepEqual([e.line, e.field], [4, field], row);
      assert.match(e.message, re, row);
      return true;
    });
    assert.equal(run([...ROWS, row], { strict: false }).report.rejects.length, 1, row);
  }
  assert.throws(
    () => run(ROWS, { strict: false }, NAME, "time,78° or below\n"),
    /:1: field "time": Cannot read header: the first column must be "timestamp"/,
  );
  assert.throws(
    () => run(ROWS, { strict: false }, NAME, "timestamp,78° to 81°\n"),
    /:1: field "78° to 81°": Cannot name the market of a bucket/,
  );
});

Deno.test("wide-price-csv: a name without event needs --extra event and interval_minutes", () => {
  assert.throws(
    () => run(ROWS, {}, "prices.csv"),
    (e: unknown) => e instanceof ImportOptionError && e.option === "event",
  );
  const r = run(
    ROWS,
    { extra: { event: "KXHIGHMIA-26APR20", interval_minutes: "60" } },
    "prices.csv",
  );
  assert.equal(r.events.find((e) => e.kind === "quote")?.ts, Date.UTC(2026, 3, 19, 15, 2));
  assert.throws(
    () => run(ROWS, { extra: { event: "bad ticker", interval_minutes: "1" } }, "prices.csv"),
    ImportOptionError,
  );
});
