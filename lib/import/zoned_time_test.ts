import assert from "node:assert/strict";
import {
  assertIanaZone,
  parseLocalDateTime,
  parseTimestamp,
  parseZonedTimestamp,
  ZoneResolver,
} from "./zoned_time.ts";

const LA = new ZoneResolver("America/Los_Angeles");

Deno.test("ZoneResolver: winter and summer local times use the zone's offset then (Intl)", () => {
  // PST = UTC-8 in December, PDT = UTC-7 in July.
  assert.equal(LA.toUtcMs("2025-12-04T12:27:16"), Date.UTC(2025, 11, 4, 20, 27, 16));
  assert.equal(LA.toUtcMs("2025-07-04T12:00:00"), Date.UTC(2025, 6, 4, 19, 0, 0));
  const ny = new ZoneResolver("America/New_York");
  assert.equal(ny.toUtcMs("2025-12-04 10:00:00"), Date.UTC(2025, 11, 4, 15));
});

Deno.test("ZoneResolver: fractions are truncated to ms, never rounded up", () => {
  assert.equal(LA.toUtcMs("2025-12-04T12:27:16.079996"), Date.UTC(2025, 11, 4, 20, 27, 16, 79));
  assert.equal(LA.toUtcMs("2025-12-04T12:27:16.9999"), Date.UTC(2025, 11, 4, 20, 27, 16, 999));
  assert.equal(LA.toUtcMs("2025-12-04T12:27:16.5"), Date.UTC(2025, 11, 4, 20, 27, 16, 500));
  assert.equal(LA.toUtcMs("2025-12-04T12:27:16.05"), Date.UTC(2025, 11, 4, 20, 27, 16, 50));
});

Deno.test("ZoneResolver: DST overlap takes the earlier instant", () => {
  // 2025-11-02 01:30 occurs at 08:30Z (PDT) and 09:30Z (PST).
  assert.equal(LA.toUtcMs("2025-11-02T01:30:00"), Date.UTC(2025, 10, 2, 8, 30));
  assert.equal(LA.toUtcMs("2025-11-02T00:59:59"), Date.UTC(2025, 10, 2, 7, 59, 59));
  assert.equal(LA.toUtcMs("2025-11-02T02:00:00"), Date.UTC(2025, 10, 2, 10, 0));
  // A half-hour shift (Lord Howe: +11 -> +10:30 at 02:00 local).
  const lh = new ZoneResolver("Australia/Lord_Howe");
  assert.equal(lh.toUtcMs("2025-04-06T01:45:00"), Date.UTC(2025, 3, 5, 14, 45));
  assert.equal(lh.toUtcMs("2025-04-06T02:15:00"), Date.UTC(2025, 3, 5, 15, 45));
});

Deno.test("ZoneResolver: a DST gap is an error naming the zone and the value", () => {
  assert.throws(
    () => LA.toUtcMs("2025-03-09T02:30:00"),
    /Cannot convert local time: it does not exist in America\/Los_Angeles \(daylight saving gap\), current value is "2025-03-09T02:30:00"/,
  );
  assert.equal(LA.toUtcMs("2025-03-09T01:59:59.999"), Date.UTC(2025, 2, 9, 9, 59, 59, 999));
  assert.equal(LA.toUtcMs("2025-03-09T03:00:00"), Date.UTC(2025, 2, 9, 10));
});

Deno.test("ZoneResolver: the hour cache gives the same answers as a fresh resolver", () => {
  const cached = new ZoneResolver("America/Los_Angeles");
  for (let m = 0; m < 24 * 60; m += 7) {
    const s = `2025-11-02T${String(Math.floor(m / 60)).padStart(2, "0")}:${
      String(m % 60).padStart(2, "0")
    }:00`;
    cached.toUtcMs(s);
    assert.equal(cached.toUtcMs(s), new ZoneResolver("America/Los_Angeles").toUtcMs(s), s);
  }
});

Deno.test("parseZonedTimestamp: Z and numeric offsets", () => {
  assert.equal(
    parseZonedTimestamp("2025-11-24T23:05:38.527224+00:00"),
    Date.UTC(2025, 10, 24, 23, 5, 38, 527),
  );
  assert.equal(parseZonedTimestamp("2025-08-11T14:25:00-04:00"), Date.UTC(2025, 7, 11, 18, 25));
  assert.equal(parseZonedTimestamp("2025-08-11T14:25:00-0400"), Date.UTC(2025, 7, 11, 18, 25));
  assert.equal(parseZonedTimestamp("2025-08-11T23:25:00+05"), Date.UTC(2025, 7, 11, 18, 25));
  assert.equal(parseZonedTimestamp("2026-04-19T14:02:00Z"), Date.UTC(2026, 3, 19, 14, 2));
});

Deno.test("timestamps: bad input is refused with the value named", () => {
  const bad: [string, RegExp][] = [
    ["", /too short/],
    ["2025-12-04", /too short/],
    ["2025/12/04T12:00:00", /not YYYY-MM-DDTHH:MM:SS/],
    ["2025-13-04T12:00:00", /month outside 1\.\.12/],
    ["2025-02-29T12:00:00", /day outside the month/],
    ["2025-12-04T24:00:00", /time of day out of range/],
    ["2025-12-04T12:00:60", /time of day out of range/],
    ["2025-12-04T12:00:00.", /no digits after the decimal point/],
    ["2025-12-04T12:00:00+00:00", /unexpected text after the time/],
    ["0999-12-04T12:00:00", /year before 1000/],
  ];
  for (const [s, re] of bad) {
    assert.throws(() => LA.toUtcMs(s), re, s);
    assert.throws(
      () => LA.toUtcMs(s),
      (e: unknown) => (e as Error).message.endsWith(`current value is ${JSON.stringify(s)}`),
      s,
    );
  }
  assert.throws(() => parseZonedTimestamp("2025-12-04T12:00:00"), /no zone/);
  assert.throws(() => parseZonedTimestamp("2025-12-04T12:00:00+25:00"), /zone offset out of range/);
  assert.throws(() => parseZonedTimestamp("2025-12-04T12:00:00 UTC"), /zone is not Z/);
  assert.throws(() => parseZonedTimestamp("2025-12-04T12:00:00Zx"), /unexpected text after Z/);
  assert.equal(parseLocalDateTime("2024-02-29T00:00:00").day, 29);
});

Deno.test("assertIanaZone: unknown names and fixed offsets are refused", () => {
  assertIanaZone("UTC");
  assertIanaZone("America/Los_Angeles");
  assert.throws(
    () => assertIanaZone("Mars/Olympus"),
    /unknown IANA zone, current value is "Mars\/Olympus"/,
  );
  assert.throws(() => assertIanaZone("+05:00"), /not an IANA zone name/);
  assert.throws(() => assertIanaZone("-0800"), /not an IANA zone name/);
  assert.throws(() => assertIanaZone(""), /not an IANA zone name/);
  assert.throws(() => new ZoneResolver("PST8PDTX"), /unknown IANA zone/);
});

Deno.test("parseTimestamp: a zoned string ignores the zone option; a zone-less one needs it", () => {
  assert.equal(parseTimestamp("2025-11-24T23:05:38Z", LA), Date.UTC(2025, 10, 24, 23, 5, 38));
  assert.equal(parseTimestamp("2025-12-04T12:00:00", LA), Date.UTC(2025, 11, 4, 20));
  assert.throws(() => parseTimestamp("2025-12-04T12:00:00"), /no time zone option given \(--tz\)/);
});
