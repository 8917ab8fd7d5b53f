import assert from "node:assert/strict";
import {
  eventDateCode,
  inferLadder,
  parseLadderTicker,
  seriesOfTicker,
  seriesOutcomeStep,
  TickerCheck,
} from "./ticker_ladder.ts";

const DEC05 = ["T30", "B30.5", "B32.5", "B34.5", "B36.5", "T37"].map((s) =>
  `KXHIGHNY-25DEC05-${s}`
);

Deno.test("parseLadderTicker: series, event, kind and strike", () => {
  assert.deepEqual(parseLadderTicker("KXHIGHNY-25DEC05-B30.5"), {
    market: "KXHIGHNY-25DEC05-B30.5",
    event: "KXHIGHNY-25DEC05",
    series: "KXHIGHNY",
    kind: "B",
    strike: 30.5,
  });
  assert.equal(parseLadderTicker("KXBTCD-26FEB0620-T72999.99").strike, 72999.99);
  assert.throws(() => parseLadderTicker("KXLOW-25JAN01-T-5"), /Cannot parse ticker/);
});

Deno.test("parseLadderTicker: unknown shapes are refused with the ticker named", () => {
  for (
    const t of [
      "KXHIGHNY",
      "KXHIGHNY-25DEC05",
      "KXHIGHNY-25DEC05-X30",
      "KXHIGHNY-25DEC05-B",
      "KXHIGHNY-25DEC05-B3.",
      "-25DEC05-B30.5",
      "KXHIGHNY--B30.5",
      "",
    ]
  ) {
    assert.throws(() => parseLadderTicker(t), (e: unknown) =>
      e instanceof SyntaxError &&
      e.message ===
        `Cannot parse ticker: not SERIES-DATE-B<mid> or SERIES-DATE-T<strike>, current value is ${
          JSON.stringify(t)
        }`, t);
  }
});

Deno.test("inferLadder: KXHIGHNY-25DEC05 (T30 B30.5 .. B36.5 T37) partitions whole degrees", () => {
  const l = inferLadder("KXHIGHNY-25DEC05", DEC05, { outcomeStep: 1 });
  assert.deepEqual(l.problems, []);
  assert.deepEqual(l.unresolved, []);
  assert.deepEqual(l.shapes.get("KXHIGHNY-25DEC05-T30"), { strikeType: "less", capStrike: 30 });
  assert.deepEqual(l.shapes.get("KXHIGHNY-25DEC05-B30.5"), {
    strikeType: "between",
    floorStrike: 30,
    capStrike: 31,
  });
  assert.deepEqual(l.shapes.get("KXHIGHNY-25DEC05-B36.5"), {
    strikeType: "between",
    floorStrike: 36,
    capStrike: 37,
  });
  assert.deepEqual(l.shapes.get("KXHIGHNY-25DEC05-T37"), {
    strikeType: "greater",
    floorStrike: 37,
  });
});

Deno.test("inferLadder: a missing bin is a partition problem, not silently accepted", () => {
  const l = inferLadder("KXHIGHNY-25DEC05", DEC05.filter((t) => !t.endsWith("B32.5")), {
    outcomeStep: 1,
  });
  assert.equal(l.problems.length, 1);
  assert.equal(l.problems[0].kind, "gap");
  assert.match(l.problems[0].detail, /32\.\.33/);
  const noTail = inferLadder("KXHIGHNY-25DEC05", DEC05.filter((t) => !t.endsWith("T37")), {
    outcomeStep: 1,
  });
  assert.deepEqual(noTail.problems.map((p) => p.kind), ["open_high"]);
});

Deno.test("inferLadder: a T inside the B range, or with no B at all, is unresolved", () => {
  const l = inferLadder("E-1", ["E-1-B30.5", "E-1-B32.5", "E-1-T32"], { outcomeStep: 1 });
  assert.deepEqual(l.unresolved.map((u) => u.market), ["E-1-T32"]);
  assert.match(
    l.unresolved[0].detail,
    /T32 is neither at or below the lowest B floor 30 nor at or above the highest B cap 33/,
  );
  const onlyT = inferLadder("E-1", ["E-1-T30", "E-1-T40"]);
  assert.equal(onlyT.unresolved.length, 2);
  assert.match(onlyT.unresolved[0].detail, /has no B market/);
  assert.equal(onlyT.shapes.size, 0);
});

Deno.test("inferLadder: a ticker of another event is refused", () => {
  assert.throws(() => inferLadder("E-1", ["E-2-B30.5"]), /market belongs to event E-2/);
});

Deno.test("inferLadder: uneven bins (spacing 3) do not partition the grid", () => {
  const l = inferLadder("E-1", ["E-1-T30", "E-1-B30.5", "E-1-B33.5", "E-1-T34"], {
    outcomeStep: 1,
  });
  assert.deepEqual(l.problems.map((p) => p.kind), ["gap"]);
});

Deno.test("seriesOutcomeStep, seriesOfTicker, eventDateCode", () => {
  assert.equal(seriesOutcomeStep("KXHIGHNY"), 1);
  assert.equal(seriesOutcomeStep("KXHIGHMIA"), 1);
  assert.equal(seriesOutcomeStep("KXBTCD"), 0.01);
  assert.equal(seriesOutcomeStep("KXCPI"), undefined);
  assert.equal(seriesOfTicker("KXHIGHNY-25DEC05-B30.5"), "KXHIGHNY");
  assert.equal(eventDateCode("2025-08-02"), "25AUG02");
  assert.equal(eventDateCode("2026-01-04"), "26JAN04");
  for (const bad of ["2025-13-01", "2025-8-2", "20250802", "2025-08-00"]) {
    assert.throws(() => eventDateCode(bad), /Cannot parse date: not YYYY-MM-DD/, bad);
  }
});

Deno.test("TickerCheck: caches the verdict per ticker", () => {
  const c = new TickerCheck();
  assert.equal(c.problem("KXHIGHNY-25DEC05-B30.5"), null);
  assert.match(c.problem("NOPE")!, /Cannot parse ticker/);
  assert.match(c.problem("NOPE")!, /Cannot parse ticker/);
});
