import assert from "node:assert/strict";
import { dayNumber, easternWallToUtc } from "../../lib/time/eastern.ts";
import {
  isSessionDay,
  SESSION_MINUTES,
  sessionClock,
  sessionCloseTs,
  sessionOpenTs,
} from "./session.ts";

Deno.test("session open and close follow America/New_York across DST changes", () => {
  // EDT (UTC-4) in August, EST (UTC-5) in November.
  assert.equal(sessionOpenTs(dayNumber(2025, 8, 12)), Date.UTC(2025, 7, 12, 13, 30));
  assert.equal(sessionOpenTs(dayNumber(2025, 11, 3)), Date.UTC(2025, 10, 3, 14, 30));
  // The Mondays after the changes (9 March and 2 November 2025).
  assert.equal(sessionOpenTs(dayNumber(2025, 3, 10)), Date.UTC(2025, 2, 10, 13, 30));
  assert.equal(sessionOpenTs(dayNumber(2025, 3, 7)), Date.UTC(2025, 2, 7, 14, 30));
  for (const d of [dayNumber(2025, 3, 10), dayNumber(2025, 11, 3), dayNumber(2025, 8, 12)]) {
    const c = sessionCloseTs(d);
    assert.equal(c - sessionOpenTs(d), SESSION_MINUTES * 60_000);
  }
  assert.equal(sessionCloseTs(dayNumber(2025, 11, 3)), easternWallToUtc(2025, 11, 3, 16, 0));
  assert.throws(
    () => sessionOpenTs(1.5),
    /day must be an integer day number, current value is 1.5/,
  );
});

Deno.test("sessionClock: fractional minutes since 09:30 ET of the Eastern day", () => {
  const d = dayNumber(2025, 11, 3);
  const open = sessionOpenTs(d);
  assert.deepEqual(sessionClock(open), { day: d, minute: 0 });
  assert.deepEqual(sessionClock(open + 90 * 60_000), { day: d, minute: 90 });
  assert.deepEqual(sessionClock(open + 30_000), { day: d, minute: 0.5 });
  assert.deepEqual(sessionClock(open - 60 * 60_000), { day: d, minute: -60 });
  assert.deepEqual(sessionClock(sessionCloseTs(d) + 60_000), { day: d, minute: 391 });
  // 23:30 ET is still the same Eastern day (04:30Z the next UTC day).
  assert.equal(sessionClock(easternWallToUtc(2025, 11, 3, 23, 30)).day, d);
  assert.throws(() => sessionClock(Number.NaN), /ts must be a finite ms timestamp/);
});

Deno.test("isSessionDay: Monday to Friday", () => {
  const mon = dayNumber(2025, 11, 3);
  assert.deepEqual(
    Array.from({ length: 7 }, (_, i) => isSessionDay(mon + i)),
    [true, true, true, true, true, false, false],
  );
});
