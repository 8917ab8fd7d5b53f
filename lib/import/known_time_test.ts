import assert from "node:assert/strict";
import {
  addDays,
  knownTimeOfDate,
  type KnownTimeRule,
  nextLocalTimeAtOrAfter,
  parseClockTime,
} from "./known_time.ts";
import { ZoneResolver } from "./zoned_time.ts";

const NY = new ZoneResolver("America/New_York");
const UTC = new ZoneResolver("UTC");

function rule(over: Partial<KnownTimeRule>): KnownTimeRule {
  return { zone: NY, period: "day", lagDays: 0, at: "end_of_day", ...over };
}

Deno.test("known time: a daily value is known when its day ends (in the zone)", () => {
  const d = { year: 2025, month: 9, day: 23 };
  assert.equal(knownTimeOfDate(d, rule({ zone: UTC })), Date.UTC(2025, 8, 24));
  // New York, daylight time: midnight is 04:00 UTC.
  assert.equal(knownTimeOfDate(d, rule({})), Date.UTC(2025, 8, 24, 4));
  // Winter: 05:00 UTC.
  assert.equal(
    knownTimeOfDate({ year: 2025, month: 1, day: 5 }, rule({})),
    Date.UTC(2025, 0, 6, 5),
  );
});

Deno.test("known time: a monthly value dated by its month is known after the month, plus the lag", () => {
  const jan = { year: 2025, month: 1, day: 1 };
  const at = { hour: 8, minute: 30 };
  // January's print known at 08:30 EST on 15 February, never on 1 January.
  assert.equal(
    knownTimeOfDate(jan, rule({ period: "month", lagDays: 15, at })),
    Date.UTC(2025, 1, 15, 13, 30),
  );
  assert.equal(knownTimeOfDate(jan, rule({ period: "month" })), Date.UTC(2025, 1, 1, 5));
  // Leap February ends on the 29th.
  assert.equal(
    knownTimeOfDate({ year: 2024, month: 2, day: 1 }, rule({ zone: UTC, period: "month" })),
    Date.UTC(2024, 2, 1),
  );
});

Deno.test("known time: weekly and lagged clock times", () => {
  // ICSA dated Saturday 2025-12-27, released Thursday 2026-01-01 08:30 EST.
  const sat = { year: 2025, month: 12, day: 27 };
  assert.equal(
    knownTimeOfDate(sat, rule({ lagDays: 5, at: { hour: 8, minute: 30 } })),
    Date.UTC(2026, 0, 1, 13, 30),
  );
  assert.equal(
    knownTimeOfDate({ year: 2025, month: 12, day: 1 }, rule({ zone: UTC, period: "week" })),
    Date.UTC(2025, 11, 8),
  );
});

Deno.test("known time: a clock time in a DST gap is an error", () => {
  const spring = { year: 2025, month: 3, day: 9 };
  assert.throws(
    () => knownTimeOfDate(spring, rule({ at: { hour: 2, minute: 30 } })),
    /daylight saving gap/,
  );
});

Deno.test("known time: the next local clock time at or after an instant", () => {
  const at = { hour: 8, minute: 30 };
  // Closed 08:29 EDT: released one minute later.
  assert.equal(
    nextLocalTimeAtOrAfter(NY, Date.UTC(2025, 7, 12, 12, 29), at),
    Date.UTC(2025, 7, 12, 12, 30),
  );
  // Exactly at the time: that instant.
  assert.equal(
    nextLocalTimeAtOrAfter(NY, Date.UTC(2025, 7, 12, 12, 30), at),
    Date.UTC(2025, 7, 12, 12, 30),
  );
  // Closed 23:00 UTC (19:00 EDT): the next morning.
  assert.equal(
    nextLocalTimeAtOrAfter(NY, Date.UTC(2021, 8, 13, 23), at),
    Date.UTC(2021, 8, 14, 12, 30),
  );
  // Closed 04:59 UTC in January (23:59 EST the day before): that morning 08:30 EST.
  assert.equal(
    nextLocalTimeAtOrAfter(NY, Date.UTC(2022, 0, 12, 4, 59), at),
    Date.UTC(2022, 0, 12, 13, 30),
  );
});

Deno.test("known time: clock times and dates", () => {
  assert.deepEqual(parseClockTime("08:30"), { hour: 8, minute: 30 });
  for (const bad of ["8:30", "24:00", "08:60", "0830", ""]) {
    assert.throws(() => parseClockTime(bad), SyntaxError, bad);
  }
  assert.deepEqual(addDays({ year: 2024, month: 12, day: 31 }, 1), {
    year: 2025,
    month: 1,
    day: 1,
  });
  assert.deepEqual(addDays({ year: 2024, month: 3, day: 1 }, -1), {
    year: 2024,
    month: 2,
    day: 29,
  });
});
