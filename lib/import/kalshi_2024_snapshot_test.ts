import assert from "node:assert/strict";
import { importKalshi2024Snapshot } from "./kalshi_2024_snapshot.ts";
import { TapeValidator } from "../tape/validator.ts";
import { formatEventLine } from "../tape/ndjson_writer.ts";
import { ImportError, type ImportInput, type ImportResult } from "./types.ts";

function market(over: Record<string, unknown>): Record<string, unknown> {
  return {
    _ticker: "FED-25JAN-T4.00",
    _event_ticker: "FED-25JAN",
    _strike_type: "greater",
    _floor_strike: 4,
    _cap_strike: null,
    _open_time: "2023-07-06T14:00:00Z",
    _close_time: "2025-01-29T18:55:00Z",
    _status: "active",
    _result: "",
    _expiration_value: "",
    _yes_bid: 87,
    _yes_ask: 94,
    discriminator: null,
    ...over,
  };
}

const EVENTS = [
  {
    _event_ticker: "FED-25JAN",
    _series_ticker: "FED",
    _mutually_exclusive: false,
    discriminator: null,
  },
  { _event_ticker: "OSCAR", _series_ticker: "OSCAR", _mutually_exclusive: true },
];
const MARKETS = [
  { "FED-25JAN": [market({}), market({ _ticker: "FED-25JAN-T4.25", _floor_strike: 4.25 })] },
  { OSCAR: [market({ _ticker: "OSCAR-O", _event_ticker: "OSCAR", _strike_type: "custom" })] },
  { OSCAR: [market({ _ticker: "OSCAR-P", _event_ticker: "OSCAR", _strike_type: null })] },
];
const HISTORY = [
  {
    "FED-25JAN-T4.00": [
      { _ts: 1720879203, _yes_bid: 86, _yes_ask: 90, _no_bid: 10, _no_ask: 14 },
      { _ts: 1720879223, _yes_bid: 0, _yes_ask: 90 },
    ],
  },
  { "OSCAR-O": [{ _ts: 1720879203, _yes_bid: 5, _yes_ask: 9 }] },
  {
    "HIGHNY-24JUL14-B88.5": [{ _ts: 1720879300, _yes_bid: 20, _yes_ask: 25 }],
    discriminator: null,
  },
  { "HIGHNY-24JUL14-T88": [{ _ts: 1720879300, _yes_bid: 30, _yes_ask: 35 }] },
  { "HIGHNY-24JUL14-T89": [{ _ts: 1720879300, _yes_bid: 40, _yes_ask: 45 }] },
  { "BTCD-24JUL15-17-51250": [{ _ts: 1720879300, _yes_bid: 1, _yes_ask: 3 }] },
];
const BOOKS = [{ "FED-25JAN-T4.00": { _yes: [[86, 100], [85, 5]], _no: [[10, 20]] } }];

function inputs(over: Partial<Record<"e" | "m" | "h" | "o", unknown>> = {}): ImportInput[] {
  return [
    { name: "event_data.json", text: JSON.stringify(over.e ?? EVENTS) },
    { name: "market_data.json", text: JSON.stringify(over.m ?? MARKETS) },
    { name: "market_history.json", text: JSON.stringify(over.h ?? HISTORY) },
    { name: "orderbook_data.json", text: JSON.stringify(over.o ?? BOOKS) },
  ];
}

function run(ins: ImportInput[], extra: Record<string, string> = { fetched_at: "1720929599000" }) {
  return importKalshi2024Snapshot(ins, { strict: false, extra });
}

function valid(r: ImportResult): string {
  const v = new TapeValidator("t", { strict: true });
  r.events.forEach((e, i) => v.check(e, i + 1));
  const p = r.report;
  assert.equal(p.rowsIn, p.rowsUsed + p.rejects.length + p.skipped);
  return r.events.map(formatEventLine).join("\n");
}

Deno.test("kalshi-2024-snapshot: markets, history in cents, books and inferred temperature ladders", () => {
  const r = run(inputs());
  const tape = valid(r);
  // 2 events + 4 markets + 7 points + 1 book.
  assert.equal(r.report.rowsIn, 14);
  const kinds = r.events.map((e) => e.kind);
  assert.equal(kinds.filter((k) => k === "market").length, 2 + 3);
  const q = r.events.find((e) => e.kind === "quote" && e.market === "FED-25JAN-T4.00");
  assert.ok(q?.kind === "quote");
  assert.deepEqual([q.ts, q.yesBid, q.yesAsk], [1720879203000, 8600, 9000]);
  const book = r.events.find((e) => e.kind === "book_snapshot" && e.yesPrices.length > 0);
  assert.ok(book?.kind === "book_snapshot");
  assert.deepEqual([book.ts, book.yesPrices, book.noPrices], [1720929599000, [8600, 8500], [1000]]);
  // A point with no bid is an empty book.
  assert.ok(r.report.anomalies.some((a) => a.code === "one_sided_book"));
  // Temperature markets without records: strikes from the tickers, times from the data.
  const t88 = r.events.find((e) => e.kind === "market" && e.market === "HIGHNY-24JUL14-T88");
  assert.ok(t88?.kind === "market");
  assert.deepEqual([t88.strikeType, t88.capStrike, t88.openTs, t88.closeTs], [
    "less",
    88,
    1720879300000,
    1720879300000,
  ]);
  const ev = r.events.find((e) => e.kind === "event" && e.event === "HIGHNY-24JUL14");
  assert.ok(ev?.kind === "event" && ev.mutuallyExclusive && ev.outcomeStep === 1);
  // Rejects: custom and null strike types, and the BTCD point (no record, not inferable).
  assert.deepEqual(r.report.rejects.map((j) => j.field), [
    "[1].OSCAR[0]._strike_type",
    "[2].OSCAR[0]._strike_type",
    "[5].BTCD-24JUL15-17-51250[0]",
  ]);
  // The custom market's history is skipped, its event too (no market left).
  const codes = Object.fromEntries(r.report.anomalies.map((a) => [a.code, a.count]));
  assert.equal(codes.market_rejected, 1);
  assert.equal(codes.event_without_markets, 1);
  assert.equal(run(inputs()).events.map(formatEventLine).join("\n"), tape);
});

Deno.test("kalshi-2024-snapshot: order books need fetched_at", () => {
  const r = run(inputs(), {});
  valid(r);
  assert.deepEqual(r.report.rejects.filter((j) => j.field === "fetched_at").length, 1);
  assert.equal(r.events.filter((e) => e.kind === "quote" && e.ts === 1720929599000).length, 0);
});

Deno.test("kalshi-2024-snapshot: bad input is rejected with file, record and field", () => {
  const cut = inputs();
  cut[1] = { name: "market_data.json", text: JSON.stringify(MARKETS).slice(0, 100) };
  const r = run(cut);
  valid(r);
  assert.equal(r.report.rejects[0].file, "market_data.json");
  assert.equal(r.report.rejects[0].field, "(file)");
  assert.match(r.report.rejects[0].detail, /Cannot parse JSON/);

  const badPrice = run(
    inputs({ h: [{ "FED-25JAN-T4.00": [{ _ts: 1, _yes_bid: 101, _yes_ask: 102 }] }] }),
  );
  assert.equal(badPrice.report.rejects.at(-1)?.field, "[0].FED-25JAN-T4.00[0]._yes_bid");
  const textPrice = run(
    inputs({ h: [{ "FED-25JAN-T4.00": [{ _ts: 1, _yes_bid: "86", _yes_ask: 90 }] }] }),
  );
  assert.match(textPrice.report.rejects.at(-1)?.detail ?? "", /integer cents/);
  const noTs = run(
    inputs({ h: [{ "FED-25JAN-T4.00": [{ _ts: "x", _yes_bid: 1, _yes_ask: 2 }] }] }),
  );
  assert.equal(noTs.report.rejects.at(-1)?.field, "[0].FED-25JAN-T4.00[0]._ts");
  const wrongType = run(inputs({ m: [{ "FED-25JAN": [market({ _floor_strike: "4" })] }] }));
  assert.equal(wrongType.report.rejects[0].field, "[0].FED-25JAN[0]._floor_strike");
  const notList = run(inputs({ e: { a: 1 } }));
  assert.match(notList.report.rejects[0].detail, /not a JSON list/);
  const strange = run(inputs({ e: [{ a: 1, b: 2 }] }));
  assert.match(strange.report.rejects[0].detail, /Cannot detect snapshot element/);
  assert.throws(
    () => importKalshi2024Snapshot(inputs(), { strict: true }),
    (e: unknown) => e instanceof ImportError && e.field === "[1].OSCAR[0]._strike_type",
  );
});
