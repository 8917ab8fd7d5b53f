import assert from "node:assert/strict";
import {
  dayDate,
  dayNumber,
  easternDayNumber,
  easternDayTime,
  easternMonthIndex,
  easternParts,
  easternWallToUtc,
  formatIsoDay,
  monthIndex,
  parseIsoDay,
  weekdayOf,
  weekdaysBetween,
} from "./eastern.ts";

Deno.test("easternWallToUtc: EDT, EST and both DST changes", () => {
  assert.equal(easternWallToUtc(2025, 8, 12, 8, 30), Date.UTC(2025, 7, 12, 12, 30));
  assert.equal(easternWallToUtc(2026, 1, 8, 8, 30), Date.UTC(2026, 0, 8, 13, 30));
  // 2025-03-09: 02:30 does not exist; 01:59 EST and 03:00 EDT do.
  assert.equal(easternWallToUtc(2025, 3, 9, 1, 59), Date.UTC(2025, 2, 9, 6, 59));
  assert.equal(easternWallToUtc(2025, 3, 9, 3, 0), Date.UTC(2025, 2, 9, 7, 0));
  const skipped = easternWallToUtc(2025, 3, 9, 2, 30);
  assert.equal(easternParts(skipped).hour, 3, "a skipped time moves an hour later");
  // 2025-11-02: 01:30 happens twice; the first (EDT) is chosen.
  assert.equal(easternWallToUtc(2025, 11, 2, 1, 30), Date.UTC(2025, 10, 2, 5, 30));
  assert.equal(easternWallToUtc(2025, 11, 2, 3, 0), Date.UTC(2025, 10, 2, 8, 0));
  // Midnight at a year boundary.
  assert.equal(easternWallToUtc(2026, 1, 1, 0, 0), Date.UTC(2026, 0, 1, 5, 0));
});

Deno.test("easternParts and day/month numbers round-trip", () => {
  const ts = Date.UTC(2026, 0, 1, 4, 59); // 2025-12-31 23:59 EST
  assert.deepEqual(easternParts(ts), {
    year: 2025,
    month: 12,
    day: 31,
    hour: 23,
    minute: 59,
    second: 0,
  });
  assert.equal(easternDayNumber(ts), dayNumber(2025, 12, 31));
  assert.equal(easternMonthIndex(ts), monthIndex(2025, 12));
  assert.equal(monthIndex(1970, 1), 0);
  assert.equal(dayNumber(1970, 1, 1), 0);
  assert.deepEqual(dayDate(dayNumber(2024, 2, 29)), { year: 2024, month: 2, day: 29 });
  assert.equal(formatIsoDay(parseIsoDay("1999-12-31")), "1999-12-31");
  assert.equal(weekdayOf(dayNumber(2025, 8, 12)), 2, "2025-08-12 was a Tuesday");
  assert.equal(weekdayOf(dayNumber(1969, 12, 28)), 0, "a Sunday before the epoch");
});

Deno.test("weekdaysBetween counts Mon..Fri in (a, b]", () => {
  const fri = dayNumber(2026, 1, 9);
  assert.equal(weekdaysBetween(fri, fri), 0);
  assert.equal(weekdaysBetween(fri, fri + 1), 0, "Sat");
  assert.equal(weekdaysBetween(fri, fri + 3), 1, "Mon");
  assert.equal(weekdaysBetween(fri - 1, fri), 1, "Thu -> Fri");
  assert.equal(weekdaysBetween(fri, fri + 14), 10);
  assert.equal(weekdaysBetween(fri + 3, fri), -1);
  // Brute force over many pairs, including before 1970.
  for (let a = -20; a < 20; a += 3) {
    for (let b = a; b < a + 40; b += 5) {
      let count = 0;
      for (let d = a + 1; d <= b; d++) if (weekdayOf(d) >= 1 && weekdayOf(d) <= 5) count++;
      assert.equal(weekdaysBetween(a, b), count, `${a}..${b}`);
    }
  }
});

Deno.test("calendar rejects bad input", () => {
  assert.throws(
    () => easternParts(Number.NaN),
    /ts must be a finite ms timestamp, current value is NaN/,
  );
  assert.throws(() => easternWallToUtc(2025, 13, 1), /month is out of range, current value is 13/);
  assert.throws(() => easternWallToUtc(2025, 1, 1, 24), /hour is out of range/);
  assert.throws(
    () => parseIsoDay("2025-02-30"),
    /no such calendar date, current value is "2025-02-30"/,
  );
  assert.throws(() => parseIsoDay("2025-2-3"), /expected YYYY-MM-DD/);
});

Deno.test("easternDayTime: the wall time of a day number, either side of a DST change", () => {
  assert.equal(easternDayTime(dayNumber(2025, 8, 12), 18, 0), Date.UTC(2025, 7, 12, 22, 0));
  assert.equal(easternDayTime(dayNumber(2025, 12, 1), 9, 30), Date.UTC(2025, 11, 1, 14, 30));
  assert.equal(easternDayTime(dayNumber(2025, 3, 9), 12, 0), easternWallToUtc(2025, 3, 9, 12, 0));
});
