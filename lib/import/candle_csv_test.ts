import assert from "node:assert/strict";
import type { TapeEvent } from "../tape/events.ts";
import { TapeValidator } from "../tape/validator.ts";
import { CANDLE_CSV } from "./candle_csv.ts";
import { ImportOptionError } from "./option_error.ts";
import { ImportError, type ImportOptions } from "./types.ts";

const HEAD = "market_id,ticker,start,open,high,low,close,count\n";
const RHEAD = "date,kalshi_settlement_temp,winning_market,synoptic_temp\n";
const E = "KXHIGHNY-25AUG12";
const T = (s: string) => `${E}-${s}`;
const c = (m: string, start: string, o: string, h: string, l: string, cl: string, n = "1") =>
  `${T(m)},${T(m)},${start},${o},${h},${l},${cl},${n}`;
const CANDLES = [
  c("T86", "2025-08-11T18:25:00+00:00", "1.0", "1.0", "1.0", "1.0"),
  c("B86.5", "2025-08-11T18:25:00+00:00", "10.0", "12.0", "9.0", "11.0", "3"),
  c("B88.5", "2025-08-11T18:30:00+00:00", "40", "41", "39", "40"),
  c("B90.5", "2025-08-11T18:35:00+00:00", "30", "30", "30", "30"),
  c("B92.5", "2025-08-11T18:40:00+00:00", "10", "10", "10", "10"),
  c("T93", "2025-08-12T03:25:00+00:00", "3.0", "3.0", "3.0", "3.0"),
];

function run(candles: string[], results?: string[], options: ImportOptions = { strict: true }) {
  const inputs = [{ name: "candles.csv", text: HEAD + candles.join("\n") + "\n" }];
  let extra = options.extra ?? {};
  if (results !== undefined) {
    inputs.push({ name: "results.csv", text: RHEAD + results.join("\n") + "\n" });
    extra = { ...extra, results: "results.csv" };
  }
  return CANDLE_CSV.run(inputs, { ...options, extra });
}

function validate(events: readonly TapeEvent[]): void {
  const v = new TapeValidator("test", { strict: true });
  events.forEach((e, i) => v.check(e, i + 1));
}

Deno.test("candle-csv: each candle is a locked quote at its END (start + 5 min), never its start", () => {
  const { events, report } = run(CANDLES);
  validate(events);
  const quotes = events.filter((e) => e.kind === "quote");
  assert.equal(quotes.length, 6);
  assert.deepEqual(quotes[0], {
    kind: "quote",
    ts: Date.UTC(2025, 7, 11, 18, 30),
    market: T("B86.5"),
    yesBid: 1100,
    yesAsk: 1100,
    yesBidSize: 0,
    yesAskSize: 0,
  });
  const start = Date.UTC(2025, 7, 11, 18, 25);
  assert(events.every((e) => e.ts >= start + 300_000), "nothing is stamped at a candle's start");
  const m = events.find((e) => e.kind === "market" && e.market === T("T93"));
  assert(m !== undefined && m.kind === "market");
  assert.deepEqual([m.strikeType, m.floorStrike, m.openTs, m.closeTs], [
    "greater",
    93,
    Date.UTC(2025, 7, 11, 18, 25), // the event's first candle: markets open with their event
    Date.UTC(2025, 7, 12, 3, 30),
  ]);
  assert.equal(report.anomalies.find((a) => a.code === "unsettled_market")?.count, 6);
  assert.match(
    report.anomalies.find((a) => a.code === "unsettled_market")!.examples[0],
    /no --results given/,
  );
});

Deno.test("candle-csv: results settle every market of the event, exactly one YES, at the event's last close", () => {
  const { events, report } = run(CANDLES, ["2025-08-12,89.5,88° to 89°,89.1"]);
  validate(events);
  const s = events.filter((e) => e.kind === "settlement");
  assert.equal(s.length, 6);
  assert.deepEqual(
    s.filter((e) => e.kind === "settlement" && e.result === "yes").map((e) => e.market),
    [T("B88.5")],
  );
  assert(s.every((e) => e.ts === Date.UTC(2025, 7, 12, 3, 30)));
  assert.equal(events[events.length - 1].kind, "settlement");
  assert.equal(report.rowsIn, 7);
  assert.equal(report.rowsUsed, 7);
  assert.equal(report.anomalies.find((a) => a.code === "unsettled_market"), undefined);
});

Deno.test("candle-csv: tail labels settle the tails", () => {
  const low = run(CANDLES, ["2025-08-12,85,85° or below,85"]).events.filter((e) =>
    e.kind === "settlement" && e.result === "yes"
  );
  assert.deepEqual(low.map((e) => e.kind === "settlement" && e.market), [T("T86")]);
  const high = run(CANDLES, ["2025-08-12,95,94° or above,95"]).events.filter((e) =>
    e.kind === "settlement" && e.result === "yes"
  );
  assert.deepEqual(high.map((e) => e.kind === "settlement" && e.market), [T("T93")]);
});

Deno.test("candle-csv: a label that no inferred bin matches is rejected with file:line:field", () => {
  for (const label of ["87° to 88°", "86° or above", "91° or below", "hot"]) {
    assert.throws(() => run(CANDLES, [`2025-08-12,0,${label},0`]), (e: unknown) => {
      assert(e instanceof ImportError, label);
      assert.deepEqual([e.file, e.line, e.field], ["results.csv", 2, "winning_market"]);
      return true;
    });
  }
  const r = run(CANDLES, ["2025-08-12,0,87° to 88°,0"], { strict: false });
  assert.match(
    r.report.rejects[0].detail,
    /Cannot settle KXHIGHNY-25AUG12: no market of the ladder cover exactly that bin \(markets: .*B86\.5 86\.\.87/,
  );
  assert.equal(r.events.filter((e) => e.kind === "settlement").length, 0);
  assert.equal(r.report.anomalies.find((a) => a.code === "unsettled_market")?.count, 6);
});

Deno.test("candle-csv: results for events not in the candles are skipped; repeats are checked", () => {
  const r = run(CANDLES, [
    "2025-08-02,79.5,79° to 80°,80",
    "2025-08-12,89.5,88° to 89°,89",
    "2025-08-12,89.5,88° to 89°,89",
  ]);
  assert.equal(r.report.skipped, 2);
  assert.deepEqual(
    r.report.anomalies.filter((a) =>
      a.code === "result_without_event" || a.code === "duplicate_row"
    ).map((a) => a.count),
    [1, 1],
  );
  assert.throws(
    () => run(CANDLES, ["2025-08-12,89.5,88° to 89°,89", "2025-08-12,90,90° to 91°,90"]),
    /results\.csv:3: field "winning_market": Cannot settle KXHIGHNY-25AUG12: already settled as "88° to 89°" by results\.csv:2/,
  );
  assert.throws(
    () => run(CANDLES, ["08/12/2025,89.5,88° to 89°,89"]),
    /results\.csv:2: field "date": Cannot parse date/,
  );
});

Deno.test("candle-csv: bad candle rows name file, line and field", () => {
  const cases: [string, string, RegExp][] = [
    [
      c("T86", "2025-08-11T18:45:00+00:00", "1", "1", "1", "0"),
      "close",
      /not strictly between 0 and 100 cents, current value is "0"/,
    ],
    [
      c("T86", "2025-08-11T18:45:00+00:00", "1", "1", "1", "100"),
      "close",
      /current value is "100"/,
    ],
    [c("T86", "2025-08-11T18:45:00+00:00", "x", "1", "1", "1"), "open", /not a number of cents/],
    [
      c("T86", "2025-08-11T18:45:00+00:00", "5", "4", "3", "3"),
      "high",
      /open 5 and close 3 must lie within low 3 \.\. high 4/,
    ],
    [c("T86", "2025-08-11T18:45:00+00:00", "3", "4", "5", "4"), "low", /must lie within/],
    [
      c("T86", "2025-08-11T18:45:00+00:00", "3", "3", "3", "3", "0"),
      "count",
      /not a positive integer, current value is "0"/,
    ],
    [
      c("T86", "2025-08-11T18:45:00+00:00", "3", "3", "3", "3", "1.5"),
      "count",
      /current value is "1.5"/,
    ],
    [c("T86", "2025-08-11T18:45:00", "3", "3", "3", "3"), "start", /no time zone option given/],
    [`${T("T86")},${T("T86")},2025-08-11T18:45:00Z,3,3,3`, "(row)", /expected 8 fields/],
    [
      `${T("T85")},${T("T86")},2025-08-11T18:45:00Z,3,3,3,3,1`,
      "market_id",
      /market_id differs from ticker/,
    ],
    [`X,X,2025-08-11T18:45:00Z,3,3,3,3,1`, "ticker", /Cannot parse ticker/],
    [
      c("T86", "2025-08-11T18:25:00+00:00", "2.0", "2.0", "2.0", "2.0"),
      "start",
      /already has a different candle at this start \(candles\.csv:2\)/,
    ],
  ];
  for (const [row, field, re] of cases) {
    assert.throws(() => run([...CANDLES, row]), (e: unknown) => {
      assert(e instanceof ImportError, row);
      assert.deepEqual([e.file, e.line, e.field], ["candles.csv", 8, field], row);
      assert.match(e.message, re, row);
      return true;
    });
    const lenient = run([...CANDLES, row], undefined, { strict: false });
    assert.equal(lenient.report.rejects.length, 1, row);
    validate(lenient.events);
  }
});

Deno.test("candle-csv: an identical repeated candle is skipped; zone-less starts read with --tz", () => {
  const r = run([...CANDLES, CANDLES[0]]);
  assert.equal(r.report.skipped, 1);
  const z = run([c("B86.5", "2025-08-11T14:25:00", "10", "10", "10", "10")], undefined, {
    strict: true,
    tz: "America/New_York",
  });
  assert.equal(z.events.find((e) => e.kind === "quote")?.ts, Date.UTC(2025, 7, 11, 18, 30));
});

Deno.test("candle-csv: option errors", () => {
  assert.throws(
    () => run(CANDLES, undefined, { extra: { interval_minutes: "0" } }),
    ImportOptionError,
  );
  assert.throws(
    () => CANDLE_CSV.run([{ name: "a.csv", text: HEAD }], { extra: { results: "missing.csv" } }),
    (e: unknown) => e instanceof ImportOptionError && e.option === "results",
  );
  const other = c("B86.5", "2025-08-11T18:25:00+00:00", "10", "10", "10", "10").replaceAll(
    "KXHIGHNY",
    "KXHIGHMIA",
  );
  assert.throws(
    () => run([...CANDLES, other], ["2025-08-12,89.5,88° to 89°,89"]),
    (e: unknown) => e instanceof ImportOptionError && e.option === "results_series",
  );
  const ok = run([...CANDLES, other], ["2025-08-12,89.5,88° to 89°,89"], {
    extra: { results_series: "KXHIGHNY" },
  });
  assert.equal(ok.events.filter((e) => e.kind === "settlement").length, 6);
});

Deno.test("candle-csv: an incomplete ladder is reported as not partitioning", () => {
  const r = run(CANDLES.filter((l) => !l.includes("B88.5")));
  assert.equal(r.report.anomalies.find((a) => a.code === "ladder_not_partition")?.count, 1);
});
