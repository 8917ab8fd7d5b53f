import assert from "node:assert/strict";
import { TapeAssembly } from "./tape_assembly.ts";
import { feeFromOptions } from "./fee_options.ts";
import { ImportError } from "./types.ts";
import type { MarketDecl } from "./tape_assembly.ts";

function assembly(strict = false): TapeAssembly {
  return new TapeAssembly({ format: "t", files: ["f"], strict, fee: feeFromOptions({}) });
}

const M: MarketDecl = {
  market: "S-E-B1",
  event: "S-E",
  strikeType: "between",
  floorStrike: 1,
  capStrike: 2,
  openTs: 100,
  closeTs: 900,
  priceStep: 100,
};

function quote(ts: number, market = "S-E-B1") {
  return {
    kind: "quote" as const,
    ts,
    market,
    yesBid: 4000,
    yesAsk: 4100,
    yesBidSize: 0,
    yesAskSize: 0,
  };
}

Deno.test("tape assembly: metadata is declared at the earliest time needed, in kind order", () => {
  const a = assembly();
  const r0 = a.row("f", 2);
  a.series(r0, { series: "S", feeType: "flat", feeMultiplier: 5000 }, "ticker");
  const r1 = a.row("f", 3);
  a.event(r1, { event: "S-E", series: "S", mutuallyExclusive: true }, "event_ticker");
  const r2 = a.row("f", 4);
  a.market(r2, M, "ticker");
  const r3 = a.row("f", 5);
  a.data(r3, quote(50), "ticker");
  const { events, report } = a.finish();
  assert.deepEqual(events.map((e) => [e.kind, e.ts]), [
    ["series", 50],
    ["event", 50],
    ["market", 50],
    ["quote", 50],
    ["lifecycle", 100], // declared open at its open time (the source has no status history)
  ]);
  assert.equal(report.rowsUsed, 4);
  assert.deepEqual([report.markets, report.events, report.series], [1, 1, 1]);
});

Deno.test("tape assembly: missing event and series are assumed and counted", () => {
  const a = assembly();
  a.market(a.row("f", 2), M, "ticker");
  const { events, report } = a.finish();
  assert.deepEqual(events.map((e) => e.kind), ["series", "event", "market", "lifecycle"]);
  assert.equal(events[0].kind === "series" && events[0].series, "S");
  assert.ok(report.anomalies.some((x) => x.code === "event_assumed"));
  assert.ok(report.anomalies.some((x) => x.code === "fee_assumed"));
});

Deno.test("tape assembly: every row has one fate and the counts reconcile", () => {
  const a = assembly();
  const used = a.row("f", 2);
  a.market(used, M, "ticker");
  const dup = a.row("f", 3);
  a.market(dup, M, "ticker");
  const conflict = a.row("f", 4);
  a.market(conflict, { ...M, closeTs: 901 }, "ticker");
  const orphan = a.row("f", 5);
  a.data(orphan, quote(200, "S-E-UNKNOWN"), "ticker");
  const dropped = a.row("f", 6);
  a.marketRejected("S-E-GONE");
  a.data(dropped, quote(200, "S-E-GONE"), "ticker");
  const skipped = a.row("f", 7);
  a.skip(skipped, "blank_value");
  const { report } = a.finish();
  assert.equal(report.rowsIn, 6);
  assert.equal(report.rowsUsed, 1);
  assert.equal(report.rejects.length, 2);
  assert.equal(report.skipped, 3);
  assert.deepEqual(report.rejects.map((j) => j.line), [4, 5]);
  assert.match(report.rejects[0].detail, /different content/);
  assert.match(report.rejects[1].detail, /no record in the inputs describes it/);
  const codes = Object.fromEntries(report.anomalies.map((x) => [x.code, x.count]));
  assert.equal(codes.duplicate_record, 1);
  assert.equal(codes.market_rejected, 1);
  assert.equal(codes.blank_value, 1);
});

Deno.test("tape assembly: strict mode throws at the first reject", () => {
  const a = assembly(true);
  const r = a.row("f.csv", 9);
  assert.throws(
    () => a.reject(r, "price", 'Cannot parse price: bad, current value is "x"'),
    (e: unknown) =>
      e instanceof ImportError &&
      e.message === 'f.csv:9: field "price": Cannot parse price: bad, current value is "x"',
  );
  const b = assembly(true);
  b.data(b.row("f", 2), quote(1), "ticker");
  assert.throws(() => b.finish(), ImportError);
});

Deno.test("tape assembly: a second, different settlement is rejected; the same one is skipped", () => {
  const a = assembly();
  a.market(a.row("f", 2), M, "ticker");
  const s = { kind: "settlement" as const, ts: 900, market: M.market, result: "yes" as const };
  a.data(a.row("f", 3), s, "ticker");
  a.data(a.row("f", 4), s, "ticker");
  a.data(a.row("f", 5), { ...s, result: "no" }, "ticker");
  const { events, report } = a.finish();
  assert.equal(events.filter((e) => e.kind === "settlement").length, 1);
  assert.equal(report.rejects.length, 1);
  assert.equal(report.rejects[0].line, 5);
  assert.equal(report.skipped, 1);
});

Deno.test("tape assembly: ties sort by kind, then name, then source order", () => {
  const a = assembly();
  a.market(a.row("f", 2), { ...M, market: "S-E-B2" }, "ticker");
  a.market(a.row("f", 3), M, "ticker");
  const r = a.row("f", 4);
  a.data(r, { kind: "settlement", ts: 500, market: "S-E-B2", result: "no" }, "ticker");
  a.data(a.row("f", 5), { ...quote(500, "S-E-B2"), yesBid: 1 }, "ticker");
  a.data(a.row("f", 6), { ...quote(500, "S-E-B2"), yesBid: 2 }, "ticker");
  a.data(a.row("f", 7), quote(500), "ticker");
  const { events } = a.finish();
  const at500 = events.filter((e) => e.ts === 500).map((e) =>
    e.kind === "quote" ? `${e.market}:${e.yesBid}` : `${e.kind}:${"market" in e ? e.market : ""}`
  );
  assert.deepEqual(at500, ["S-E-B1:4000", "S-E-B2:1", "S-E-B2:2", "settlement:S-E-B2"]);
});

Deno.test("tape assembly: an inferred market yields to a record of the same market", () => {
  const a = assembly();
  a.inferMarket({ ...M, closeTs: 500 });
  a.market(a.row("f", 2), M, "ticker");
  const { events, report } = a.finish();
  const m = events.find((e) => e.kind === "market");
  assert.equal(m?.kind === "market" && m.closeTs, 900);
  assert.equal(report.rowsUsed, 1);
});
