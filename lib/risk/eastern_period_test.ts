import assert from "node:assert/strict";
import { easternDate, easternDayKey, EasternPeriods, easternWeekKey } from "./eastern_period.ts";

const MS_PER_HOUR = 3_600_000;
const utc = (m: number, d: number, h: number, min = 0, s = 0, ms = 0) =>
  Date.UTC(2026, m - 1, d, h, min, s, ms);

Deno.test("ET day boundary before and after spring forward (2026-03-08)", () => {
  // Midnight EST on Sunday March 8 is 05:00 UTC.
  assert.equal(easternDayKey(utc(3, 8, 4, 59, 59, 999)), "2026-03-07");
  assert.equal(easternDayKey(utc(3, 8, 5)), "2026-03-08");
  // Clocks jump 02:00 EST -> 03:00 EDT at 07:00 UTC; still March 8.
  assert.equal(easternDayKey(utc(3, 8, 7)), "2026-03-08");
  // Midnight EDT on Monday March 9 is 04:00 UTC: a fixed -5 offset would say March 8.
  assert.equal(easternDayKey(utc(3, 9, 3, 59, 59, 999)), "2026-03-08");
  assert.equal(easternDayKey(utc(3, 9, 4)), "2026-03-09");
});

Deno.test("ET day boundary around fall back (2026-11-01)", () => {
  // Midnight EDT on Sunday November 1 is 04:00 UTC.
  assert.equal(easternDayKey(utc(11, 1, 3, 59, 59, 999)), "2026-10-31");
  assert.equal(easternDayKey(utc(11, 1, 4)), "2026-11-01");
  // The day has 25 hours: midnight EST on Monday November 2 is 05:00 UTC.
  assert.equal(easternDayKey(utc(11, 2, 4, 59, 59, 999)), "2026-11-01");
  assert.equal(easternDayKey(utc(11, 2, 5)), "2026-11-02");
});

Deno.test("ET weeks start Monday 00:00 ET, across both DST changes", () => {
  // Sunday March 8 (DST starts) is in the week of Monday March 2.
  assert.equal(easternWeekKey(utc(3, 8, 12)), "2026-03-02");
  assert.equal(easternWeekKey(utc(3, 9, 3, 59, 59, 999)), "2026-03-02");
  assert.equal(easternWeekKey(utc(3, 9, 4)), "2026-03-09");
  // Monday 00:00 EST, the first week after fall back, is 05:00 UTC.
  assert.equal(easternWeekKey(utc(11, 2, 4, 59, 59, 999)), "2026-10-26");
  assert.equal(easternWeekKey(utc(11, 2, 5)), "2026-11-02");
  // Across a month and a year end.
  assert.equal(easternWeekKey(utc(3, 1, 12)), "2026-02-23"); // Sunday March 1
  assert.equal(easternWeekKey(Date.UTC(2027, 0, 1, 12)), "2026-12-28"); // Friday
  assert.equal(easternWeekKey(Date.UTC(2026, 0, 1, 4, 59)), "2025-12-29"); // Dec 31 ET
});

Deno.test("every hour of a DST week maps to a day and a week consistently", () => {
  const cache = new EasternPeriods();
  // Hour by hour from Monday March 2 00:00 EST (05:00 UTC) for two weeks.
  const start = utc(3, 2, 5);
  let days = 0;
  let prevDay = "";
  for (let t = start; t < start + 14 * 24 * MS_PER_HOUR; t += MS_PER_HOUR) {
    const p = cache.of(t);
    assert.equal(p.day, easternDayKey(t));
    assert.equal(p.week, easternWeekKey(t));
    if (p.day !== prevDay) days++;
    prevDay = p.day;
  }
  // The last sample, 335 hours on, is Monday March 16 00:00 EDT (the spring-forward
  // hour is gone), so 15 ET days are seen; a fixed -5 offset would see 14.
  assert.equal(days, 15);
});

Deno.test("EasternPeriods caches per UTC hour but follows every change of hour", () => {
  const cache = new EasternPeriods();
  assert.deepEqual(cache.of(utc(3, 9, 3, 59, 59, 999)), { day: "2026-03-08", week: "2026-03-02" });
  assert.deepEqual(cache.of(utc(3, 9, 4)), { day: "2026-03-09", week: "2026-03-09" });
  assert.deepEqual(cache.of(utc(3, 9, 3, 30)), { day: "2026-03-08", week: "2026-03-02" });
});

Deno.test("easternDate and keys reject non-integer times", () => {
  for (const bad of [Number.NaN, 1.5, Infinity, 2 ** 60]) {
    assert.throws(
      () => easternDate(bad),
      /Cannot find the Eastern date: time must be an integer of ms since the epoch, current value is/,
    );
    assert.throws(() => easternDayKey(bad), RangeError);
    assert.throws(() => easternWeekKey(bad), RangeError);
    assert.throws(() => new EasternPeriods().of(bad), /Cannot find the Eastern period/);
  }
  assert.deepEqual(easternDate(0), { year: 1969, month: 12, day: 31 });
});
