import assert from "node:assert/strict";
import { parseTradingWindows, windowCheck } from "./trading_windows.ts";

const weekdays = [1, 2, 3, 4, 5];

Deno.test("windowCheck: Eastern wall clock across the DST change (not a fixed offset)", () => {
  const w = parseTradingWindows({ KXINX: [{ start: "09:30", end: "16:00", days: weekdays }] });
  // Friday 2026-03-06 is EST (UTC-5): 09:30 ET = 14:30 UTC.
  assert.equal(windowCheck(w, "KXINX", Date.UTC(2026, 2, 6, 14, 29)).ok, false);
  assert.equal(windowCheck(w, "KXINX", Date.UTC(2026, 2, 6, 14, 30)).ok, true);
  // Monday 2026-03-09 is EDT (UTC-4): 09:30 ET = 13:30 UTC.
  assert.equal(windowCheck(w, "KXINX", Date.UTC(2026, 2, 9, 13, 30)).ok, true);
  assert.equal(windowCheck(w, "KXINX", Date.UTC(2026, 2, 9, 13, 29)).ok, false);
  // The end is exclusive: 16:00 EDT = 20:00 UTC.
  assert.equal(windowCheck(w, "KXINX", Date.UTC(2026, 2, 9, 19, 59)).ok, true);
  assert.equal(windowCheck(w, "KXINX", Date.UTC(2026, 2, 9, 20, 0)).ok, false);
  // Saturday is not listed.
  const sat = windowCheck(w, "KXINX", Date.UTC(2026, 2, 7, 15, 0));
  assert.equal(sat.ok, false);
  if (!sat.ok) assert.match(sat.detail, /KXINX is outside .* 10:00 ET \(ISO weekday 6\)/);
});

Deno.test("windowCheck: '*' is the default; unlisted series with no default are free", () => {
  const w = parseTradingWindows({ "*": [{ start: "08:00", end: "09:00" }] });
  assert.equal(windowCheck(w, "ANY", Date.UTC(2026, 0, 5, 13, 30)).ok, true); // 08:30 EST
  assert.equal(windowCheck(w, "ANY", Date.UTC(2026, 0, 5, 15, 0)).ok, false);
  const none = parseTradingWindows({ KXINX: [{ start: "09:30", end: "16:00" }] });
  assert.equal(windowCheck(none, "KXBTCD", Date.UTC(2026, 0, 5, 3, 0)).ok, true);
  const closed = parseTradingWindows({ KXBTCD: [] });
  assert.equal(windowCheck(closed, "KXBTCD", Date.UTC(2026, 0, 5, 15, 0)).ok, false);
});

Deno.test("windowCheck: a window past midnight belongs to the day it starts", () => {
  const w = parseTradingWindows({ S: [{ start: "22:00", end: "02:00", days: [5] }] }); // Friday night
  assert.equal(windowCheck(w, "S", Date.UTC(2026, 0, 10, 3, 30)).ok, true); // Fri 22:30 EST
  assert.equal(windowCheck(w, "S", Date.UTC(2026, 0, 10, 6, 30)).ok, true); // Sat 01:30 EST
  assert.equal(windowCheck(w, "S", Date.UTC(2026, 0, 10, 7, 30)).ok, false); // Sat 02:30
  assert.equal(windowCheck(w, "S", Date.UTC(2026, 0, 9, 6, 30)).ok, false); // Fri 01:30 (Thu's)
});

Deno.test("parseTradingWindows: malformed input is refused with the series named", () => {
  assert.throws(() => parseTradingWindows([]), /expected an object/);
  assert.throws(() => parseTradingWindows({ S: {} }), /windows of S must be an array/);
  assert.throws(
    () => parseTradingWindows({ S: [{ start: "9:30", end: "16:00" }] }),
    /start of S.*"9:30"/,
  );
  assert.throws(
    () => parseTradingWindows({ S: [{ start: "09:60", end: "16:00" }] }),
    /not a time of day/,
  );
  assert.throws(() => parseTradingWindows({ S: [{ start: "09:00", end: "24:01" }] }), /end of S/);
  assert.throws(() => parseTradingWindows({ S: [{ start: "09:00", end: "09:00" }] }), /empty/);
  assert.throws(
    () => parseTradingWindows({ S: [{ start: "09:00", end: "10:00", days: [0] }] }),
    /ISO weekdays/,
  );
  assert.throws(
    () => parseTradingWindows({ S: [{ start: "09:00", end: "10:00", tz: "UTC" }] }),
    /unknown field "tz"/,
  );
  assert.equal(
    parseTradingWindows({ S: [{ start: "00:00", end: "24:00" }] }).get("S")![0].endMin,
    1440,
  );
});
