import assert from "node:assert/strict";
import { easternDayNumber } from "../lib/time/eastern.ts";
import { observationDay, observationDays } from "./observation_day.ts";

Deno.test("observationDay is the Eastern day of the publication time, across midnight ET", () => {
  // 2026-01-05 04:59Z is 23:59 ET on Jan 4; 05:00Z is 00:00 ET on Jan 5.
  const before = { ts: Date.UTC(2026, 0, 5, 4, 59), value: 1 };
  const after = { ts: Date.UTC(2026, 0, 5, 5, 0), value: 1 };
  assert.equal(observationDay(after) - observationDay(before), 1);
  assert.equal(observationDay(after), easternDayNumber(after.ts));
  assert.equal(observationDay(after), easternDayNumber(after.ts), "a cached lookup agrees");
  assert.deepEqual(
    [...observationDays([before, after])],
    [easternDayNumber(before.ts), easternDayNumber(after.ts)],
  );
});
