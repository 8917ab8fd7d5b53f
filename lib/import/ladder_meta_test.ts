import assert from "node:assert/strict";
import { feeFromOptions } from "./fee_options.ts";
import {
  buildLadderMetadata,
  CENT_PRICE_STEP,
  mergeByTs,
  outcomeStepOption,
} from "./ladder_meta.ts";
import { ImportOptionError } from "./option_error.ts";
import { ReportBuilder } from "./report.ts";

const span = (declareTs: number) => ({ declareTs, openTs: declareTs, closeTs: declareTs + 100 });

Deno.test("buildLadderMetadata: declarations at each event's first data time, in a fixed order", () => {
  const observed = new Map([
    ["KXHIGHNY-25DEC06-B40.5", span(50)],
    ["KXHIGHNY-25DEC06-T40", span(60)],
    ["KXHIGHNY-25DEC06-T41", span(70)],
    ["KXHIGHNY-25DEC05-T30", span(20)],
    ["KXHIGHNY-25DEC05-B30.5", span(10)],
    ["KXHIGHNY-25DEC05-T31", span(30)],
  ]);
  const b = new ReportBuilder("t", []);
  const m = buildLadderMetadata(observed, feeFromOptions({}), b);
  assert.deepEqual(
    m.meta.filter((e) => e.kind !== "lifecycle").map((e) => [
      e.ts,
      e.kind,
      e.kind === "market"
        ? e.market
        : e.kind === "event"
        ? e.event
        : e.kind === "series"
        ? e.series
        : "",
    ]),
    [
      [10, "series", "KXHIGHNY"],
      [10, "event", "KXHIGHNY-25DEC05"],
      [10, "market", "KXHIGHNY-25DEC05-B30.5"],
      [10, "market", "KXHIGHNY-25DEC05-T30"],
      [10, "market", "KXHIGHNY-25DEC05-T31"],
      [50, "event", "KXHIGHNY-25DEC06"],
      [50, "market", "KXHIGHNY-25DEC06-B40.5"],
      [50, "market", "KXHIGHNY-25DEC06-T40"],
      [50, "market", "KXHIGHNY-25DEC06-T41"],
    ],
  );
  // Each market is declared open at its declaration (the logs carry no status).
  assert.deepEqual(
    m.meta.filter((e) => e.kind === "lifecycle").map((e) =>
      e.kind === "lifecycle" && [e.ts, e.market, e.status]
    ),
    [
      [10, "KXHIGHNY-25DEC05-B30.5", "open"],
      [10, "KXHIGHNY-25DEC05-T30", "open"],
      [10, "KXHIGHNY-25DEC05-T31", "open"],
      [50, "KXHIGHNY-25DEC06-B40.5", "open"],
      [50, "KXHIGHNY-25DEC06-T40", "open"],
      [50, "KXHIGHNY-25DEC06-T41", "open"],
    ],
  );
  const t31 = m.markets.get("KXHIGHNY-25DEC05-T31")!;
  // Markets open and close with their event: the earliest open and latest close of its markets.
  assert.deepEqual([t31.strikeType, t31.floorStrike, t31.openTs, t31.closeTs, t31.priceStep], [
    "greater",
    31,
    10,
    130,
    CENT_PRICE_STEP,
  ]);
  assert.deepEqual(m.eventMarkets.get("KXHIGHNY-25DEC06"), [
    "KXHIGHNY-25DEC06-B40.5",
    "KXHIGHNY-25DEC06-T40",
    "KXHIGHNY-25DEC06-T41",
  ]);
  const r = b.finish([]);
  assert.equal(r.anomalies.find((a) => a.code === "ladder_not_partition"), undefined);
  assert.equal(r.anomalies.find((a) => a.code === "fee_assumed")?.count, 1);
});

Deno.test("buildLadderMetadata: a non-partition is counted per event; an unplaceable tail is not declared", () => {
  const observed = new Map([
    ["KXHIGHNY-25DEC05-B30.5", span(10)],
    ["KXHIGHNY-25DEC05-B34.5", span(10)],
    ["KXHIGHNY-25DEC05-T32", span(10)],
  ]);
  const b = new ReportBuilder("t", []);
  const m = buildLadderMetadata(observed, feeFromOptions({}), b);
  assert.equal(m.markets.has("KXHIGHNY-25DEC05-T32"), false);
  assert.match(m.unresolved.get("KXHIGHNY-25DEC05-T32")!, /Cannot infer strike/);
  const a = b.finish([]).anomalies.find((x) => x.code === "ladder_not_partition");
  assert.equal(a?.count, 1);
  assert.match(a!.examples[0], /^KXHIGHNY-25DEC05: open_low .*gap .*open_high/);
});

Deno.test("buildLadderMetadata: outcome step from the series, or the option", () => {
  const observed = new Map([["KXFOO-25DEC05-B30.5", span(1)]]);
  const ev = (step?: number) =>
    buildLadderMetadata(observed, feeFromOptions({}), new ReportBuilder("t", []), {
      outcomeStep: step,
    }).meta
      .find((e) => e.kind === "event");
  assert.equal(ev()?.kind === "event" && ev()?.outcomeStep, undefined);
  assert.equal(ev(1)?.kind === "event" && (ev(1) as { outcomeStep?: number }).outcomeStep, 1);
  assert.equal(outcomeStepOption({ extra: { outcome_step: "0.1" } }), 0.1);
  assert.equal(outcomeStepOption({}), undefined);
  assert.throws(() => outcomeStepOption({ extra: { outcome_step: "0" } }), ImportOptionError);
  assert.throws(() => outcomeStepOption({ extra: { outcome_step: "-1" } }), ImportOptionError);
});

Deno.test("mergeByTs: sorted merge; at equal ts earlier lists come first", () => {
  const a = [{ ts: 1, n: "a1" }, { ts: 5, n: "a5" }, { ts: 5, n: "a5b" }];
  const b = [{ ts: 1, n: "b1" }, { ts: 2, n: "b2" }, { ts: 5, n: "b5" }, { ts: 9, n: "b9" }];
  const c = [{ ts: 5, n: "c5" }, { ts: 5, n: "c5b" }];
  assert.deepEqual(mergeByTs(a, b, c).map((x) => x.n), [
    "a1",
    "b1",
    "b2",
    "a5",
    "a5b",
    "b5",
    "c5",
    "c5b",
    "b9",
  ]);
  assert.deepEqual(mergeByTs(c, [], a).map((x) => x.n), ["a1", "c5", "c5b", "a5", "a5b"]);
  assert.deepEqual(mergeByTs([], []), []);
});
