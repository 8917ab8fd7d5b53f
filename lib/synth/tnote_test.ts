import assert from "node:assert/strict";
import { generateTnoteTape, tnoteSynthHistory, tnoteTapeName } from "./tnote.ts";
import { checkLadderTape } from "./test_checks.ts";
import { dayNumber, weekdayOf } from "../time/eastern.ts";

Deno.test("generateTnoteTape: a valid, deterministic tape of daily range ladders", () => {
  const tape = generateTnoteTape({ seed: 1, historyDays: 30, eventDays: 4 });
  const s = checkLadderTape(tape);
  assert.equal(s.events.length, 4);
  for (const e of s.events) {
    assert.equal(e.mutuallyExclusive, true);
    assert.equal(e.outcomeStep, 0.01);
    const ms = [...s.markets.values()].filter((m) => m.event === e.event);
    assert.equal(ms.length, 8);
    assert.equal(ms.filter((m) => m.strikeType === "between").length, 6);
  }
  assert.deepEqual(generateTnoteTape({ seed: 1, historyDays: 30, eventDays: 4 }), tape);
  assert.equal(tnoteTapeName(3), "synthetic_tnote_seed3.ndjson");
});

Deno.test("tnoteSynthHistory: business days, 2 decimals, daily scale", () => {
  const h = tnoteSynthHistory({
    seed: 2,
    historyDays: 3000,
    eventDays: 0,
    scale: 0.05,
    df: Infinity,
  });
  for (const d of h.days) assert.ok(weekdayOf(d) >= 1 && weekdayOf(d) <= 5);
  assert.equal(h.days[0], dayNumber(2024, 1, 2));
  let ss = 0;
  for (let i = 1; i < h.yields.length; i++) {
    const v = h.yields[i].value;
    assert.ok(Math.abs(v * 100 - Math.round(v * 100)) < 1e-6);
    ss += (v - h.yields[i - 1].value) ** 2;
  }
  assert.ok(Math.abs(Math.sqrt(ss / 2999) / 0.05 - 1) < 0.05);
});

Deno.test("generateTnoteTape rejects bad options", () => {
  for (
    const o of [{ seed: 1, startDay: dayNumber(2024, 1, 6) }, { seed: 1, kappa: 1 }, {
      seed: 1,
      scale: -1,
    }]
  ) {
    assert.throws(
      () => generateTnoteTape(o),
      /Cannot generate synthetic 10-year data/,
      JSON.stringify(o),
    );
  }
});
