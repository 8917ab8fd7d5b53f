import assert from "node:assert/strict";
import { importSettledLadderCsv } from "./settled_ladder_csv.ts";
import { TapeValidator } from "../tape/validator.ts";
import { formatEventLine } from "../tape/ndjson_writer.ts";
import { ImportError, type ImportResult } from "./types.ts";

const HEADER =
  "city,settle_date,event_ticker,market_ticker,lower,upper,side,open_yes,open_ts,close_yes,close_ts,result";
const ROWS = [
  "NY,2026-04-22,KXHIGHNY-26APR22,KXHIGHNY-26APR22-T57,-100.0,57.0,tail_lo,0.39,2026-04-22T17:55:23.047052Z,0.99,2026-04-23T04:45:14.106562Z,yes",
  "NY,2026-04-22,KXHIGHNY-26APR22,KXHIGHNY-26APR22-B57.5,57.5,58.5,bracket,0.57,2026-04-22T17:02:04.991218Z,0.01,2026-04-23T04:42:58.362704Z,no",
  "NY,2026-04-22,KXHIGHNY-26APR22,KXHIGHNY-26APR22-B59.5,59.5,60.5,bracket,0.02,2026-04-21T14:00:41.991932Z,0.01,2026-04-22T20:56:20.655752Z,no",
  "NY,2026-04-22,KXHIGHNY-26APR22,KXHIGHNY-26APR22-T60,60.0,200.0,tail_hi,0.02,2026-04-21T14:00:41.790035Z,0.01,2026-04-23T04:58:29.179809Z,no",
];

function csv(rows: string[] = ROWS): string {
  return [HEADER, ...rows].join("\n") + "\n";
}

function run(text: string, strict = false): ImportResult {
  return importSettledLadderCsv([{ name: "m.csv", text }], { strict });
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

Deno.test("settled-ladder-csv: strikes from tickers, trades as locked quotes, settlements", () => {
  const r = run(csv(), true);
  valid(r);
  assert.equal(r.report.rowsUsed, 4);
  const m = new Map(
    r.events.filter((e) => e.kind === "market").map((
      e,
    ) => [e.kind === "market" ? e.market : "", e]),
  );
  const b = m.get("KXHIGHNY-26APR22-B57.5");
  assert.ok(b?.kind === "market");
  assert.deepEqual([b.strikeType, b.floorStrike, b.capStrike], ["between", 57, 58]);
  assert.deepEqual([b.openTs, b.closeTs], [
    Date.parse("2026-04-22T17:02:04.991Z"),
    Date.parse("2026-04-23T04:42:58.362Z"),
  ]);
  const lo = m.get("KXHIGHNY-26APR22-T57");
  assert.ok(lo?.kind === "market");
  assert.deepEqual([lo.strikeType, lo.capStrike], ["less", 57]);
  const hi = m.get("KXHIGHNY-26APR22-T60");
  assert.ok(hi?.kind === "market");
  assert.deepEqual([hi.strikeType, hi.floorStrike], ["greater", 60]);
  const quotes = r.events.filter((e) =>
    e.kind === "quote" && e.market === "KXHIGHNY-26APR22-B57.5"
  );
  assert.deepEqual(quotes.map((q) => q.kind === "quote" && [q.yesBid, q.yesAsk, q.yesBidSize]), [
    [5700, 5700, 0],
    [100, 100, 0],
  ]);
  const settle = r.events.filter((e) => e.kind === "settlement");
  assert.equal(settle.length, 4);
  // At the event's last observed trade.
  assert.ok(settle.every((s) => s.ts === Date.parse("2026-04-23T04:58:29.179Z")));
  assert.deepEqual(
    settle.filter((s) => s.kind === "settlement" && s.result === "yes").map((s) =>
      s.kind === "settlement" && s.market
    ),
    ["KXHIGHNY-26APR22-T57"],
  );
  const ev = r.events.find((e) => e.kind === "event");
  assert.ok(ev?.kind === "event" && ev.mutuallyExclusive && ev.outcomeStep === 1);
  assert.equal(anomaly(r, "bounds_disagree"), 0);
  assert.equal(anomaly(r, "ladder_not_partition"), 0);
});

Deno.test("settled-ladder-csv: recorder bounds that disagree with the ticker are counted", () => {
  const rows = [...ROWS];
  rows[1] = rows[1].replace("57.5,58.5,bracket", "57.0,58.0,bracket");
  rows[3] = rows[3].replace("tail_hi", "tail_lo");
  const r = run(csv(rows));
  valid(r);
  assert.equal(anomaly(r, "bounds_disagree"), 2);
  const m = r.events.find((e) => e.kind === "market" && e.market.endsWith("B57.5"));
  assert.ok(m?.kind === "market" && m.floorStrike === 57 && m.capStrike === 58, "the ticker wins");
});

Deno.test("settled-ladder-csv: an event without exactly one YES is rejected whole", () => {
  const two = [...ROWS];
  two[1] = two[1].replace(/,no$/, ",yes");
  const r = run(csv(two));
  valid(r);
  assert.equal(r.report.rejects.length, 4);
  assert.ok(r.report.rejects.every((j) => j.field === "result"));
  assert.match(r.report.rejects[0].detail, /2 of its 4 markets settle yes/);
  assert.equal(r.events.length, 0);
  const none = run(csv(ROWS.map((x) => x.replace(/,yes$/, ",no"))));
  assert.match(none.report.rejects[0].detail, /0 of its 4/);
  assert.throws(() => run(csv(two), true), ImportError);
});

Deno.test("settled-ladder-csv: a gap in the ladder is counted, not hidden", () => {
  // B57.5 missing: T57 is below 57, B59.5 is 59..60, so 57 and 58 are covered by nothing.
  const r = run(csv([ROWS[0], ROWS[2], ROWS[3]]));
  valid(r);
  assert.equal(anomaly(r, "ladder_not_partition"), 1);
  assert.match(
    r.report.anomalies.find((a) => a.code === "ladder_not_partition")!.examples[0],
    /gap/,
  );
  assert.equal(r.report.markets, 3);
});

Deno.test("settled-ladder-csv: bad rows are rejected with line and field", () => {
  const cases: [string, string, RegExp][] = [
    [ROWS[1].replace("0.57,", "abc,"), "open_yes", /not a decimal number/],
    [ROWS[1].replace("0.57,", "1.20,"), "open_yes", /outside \$0\.\.\$1/],
    [ROWS[1].replace("0.57,", "1,"), "open_yes", /strictly between/],
    [ROWS[1].replace("0.57,", "0.57001,"), "open_yes", /not a multiple of \$0\.0001/],
    [
      ROWS[1].replace("2026-04-22T17:02:04.991218Z", "2026-04-22 17:02"),
      "open_ts",
      /Cannot parse timestamp/,
    ],
    [
      ROWS[1].replace("2026-04-23T04:42:58.362704Z", "2026-04-20T00:00:00Z"),
      "close_ts",
      /before first trade/,
    ],
    [
      ROWS[1].replace("KXHIGHNY-26APR22-B57.5", "KXHIGHNY-26APR22-X57.5"),
      "market_ticker",
      /Cannot parse ticker/,
    ],
    [
      ROWS[1].replace("KXHIGHNY-26APR22-B57.5", "KXHIGHNY-26APR23-B57.5"),
      "market_ticker",
      /not of event/,
    ],
    [ROWS[1].replace(/,no$/, ",maybe"), "result", /not "yes" or "no"/],
    [ROWS[1].replace("57.5,58.5", "x,58.5"), "lower", /not a decimal/],
    [ROWS[1].replace(",no", ""), "(row)", /expected 12 fields/],
  ];
  for (const [row, field, pattern] of cases) {
    const r = run(csv([ROWS[0], row, ROWS[2], ROWS[3]]));
    valid(r);
    const j = r.report.rejects[0];
    assert.ok(j !== undefined, field);
    assert.equal(j.line, 3, field);
    assert.equal(j.field, field);
    assert.match(j.detail, pattern, field);
  }
  assert.throws(() => run("event_ticker,market_ticker\n"), /Cannot find column/);
});

Deno.test("settled-ladder-csv: repeated rows are skipped, conflicting ones rejected", () => {
  const r = run(csv([...ROWS, ROWS[1], ROWS[2].replace("0.02,", "0.03,")]));
  valid(r);
  assert.equal(r.report.skipped, 1);
  assert.equal(r.report.rejects.length, 1);
  assert.match(r.report.rejects[0].detail, /already read with different values/);
});
