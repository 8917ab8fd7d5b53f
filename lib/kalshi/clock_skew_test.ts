import assert from "node:assert/strict";
import {
  checkSkew,
  DATE_HEADER_RESOLUTION_MS,
  measureSkew,
  parseHttpDate,
  readExchangeTime,
  type SkewSample,
} from "./clock_skew.ts";

const NEW_YEAR = 1_767_225_600_000; // 2026-01-01T00:00:00Z, a Thursday
const HEADER = "Thu, 01 Jan 2026 00:00:00 GMT";

Deno.test("parseHttpDate: IMF-fixdate to ms, as Date.parse agrees", () => {
  assert.equal(parseHttpDate(HEADER), NEW_YEAR);
  assert.equal(parseHttpDate("Sun, 06 Nov 1994 08:49:37 GMT"), Date.UTC(1994, 10, 6, 8, 49, 37));
  assert.equal(parseHttpDate("Thu, 29 Feb 2024 23:59:59 GMT"), Date.UTC(2024, 1, 29, 23, 59, 59));
  assert.equal(parseHttpDate(`  ${HEADER}\t`), NEW_YEAR);
  // A real header from this runtime's own formatter round-trips.
  const now = new Date(Date.UTC(2026, 6, 14, 13, 5, 9));
  assert.equal(parseHttpDate(now.toUTCString()), now.getTime());
});

Deno.test("parseHttpDate: a leap second is the next minute's first ms", () => {
  assert.equal(parseHttpDate("Sat, 31 Dec 2016 23:59:60 GMT"), Date.UTC(2017, 0, 1));
});

Deno.test("parseHttpDate: malformed values are errors naming the value", () => {
  const bad: [string, RegExp][] = [
    ["", /expected IMF-fixdate.*current value is ""$/],
    ["2026-01-01T00:00:00Z", /expected IMF-fixdate/],
    ["Thursday, 01-Jan-26 00:00:00 GMT", /expected IMF-fixdate/], // RFC 850: not accepted
    ["Thu Jan  1 00:00:00 2026", /expected IMF-fixdate/], // asctime: not accepted
    ["Thu, 01 Jan 2026 00:00:00 UTC", /expected IMF-fixdate/],
    ["Thu, 1 Jan 2026 00:00:00 GMT", /expected IMF-fixdate/],
    ["thu, 01 jan 2026 00:00:00 GMT", /expected IMF-fixdate/],
    ["Thu, 01 Jan 2026 24:00:00 GMT", /time of day is out of range/],
    ["Thu, 01 Jan 2026 00:60:00 GMT", /time of day is out of range/],
    ["Thu, 01 Jan 2026 00:00:61 GMT", /time of day is out of range/],
    ["Fri, 30 Feb 2026 00:00:00 GMT", /Feb 2026 has no day 30/],
    ["Sun, 29 Feb 2026 00:00:00 GMT", /Feb 2026 has no day 29/],
    ["Thu, 00 Jan 2026 00:00:00 GMT", /Jan 2026 has no day 0/],
    ["Fri, 01 Jan 2026 00:00:00 GMT", /2026-01-01 is a Thu, not a Fri/],
  ];
  for (const [value, pattern] of bad) {
    assert.throws(() => parseHttpDate(value), (e: Error) => {
      assert.ok(e instanceof RangeError, value);
      assert.match(e.message, /^Cannot parse HTTP Date header: /);
      assert.match(e.message, pattern);
      assert.ok(e.message.endsWith(`current value is ${JSON.stringify(value)}`), e.message);
      return true;
    });
  }
  assert.throws(() => parseHttpDate(5 as unknown as string), /TypeError.*of type number/);
});

Deno.test("readExchangeTime: header has 1 s resolution, ms is exact", () => {
  assert.deepEqual(readExchangeTime(HEADER), { ms: NEW_YEAR, resolutionMs: 1000 });
  assert.deepEqual(readExchangeTime(NEW_YEAR + 7), { ms: NEW_YEAR + 7, resolutionMs: 0 });
  assert.equal(DATE_HEADER_RESOLUTION_MS, 1000);
  assert.throws(() => readExchangeTime(null as unknown as string), TypeError);
  assert.throws(() => readExchangeTime(1.5), /exchange time must be .*current value is 1.5$/);
  assert.throws(() => readExchangeTime(-1), /current value is -1$/);
});

Deno.test("measureSkew: ms exchange time and one local reading", () => {
  const m = measureSkew({ exchange: NEW_YEAR, localMs: NEW_YEAR + 1234 });
  assert.deepEqual(m, {
    skewMs: 1234,
    localMs: NEW_YEAR + 1234,
    exchangeMs: NEW_YEAR,
    exchangeReadingMs: NEW_YEAR,
    resolutionMs: 0,
    roundTripMs: 0,
    minSkewMs: 1234,
    maxSkewMs: 1234,
  });
  assert.equal(measureSkew({ exchange: NEW_YEAR + 900, localMs: NEW_YEAR }).skewMs, -900);
});

Deno.test("measureSkew: the round trip's midpoint is the local time", () => {
  const m = measureSkew({
    exchange: NEW_YEAR,
    sentMs: NEW_YEAR + 1000,
    receivedMs: NEW_YEAR + 1400,
  });
  assert.equal(m.localMs, NEW_YEAR + 1200);
  assert.equal(m.skewMs, 1200);
  assert.equal(m.roundTripMs, 400);
  assert.equal(m.minSkewMs, 1000);
  assert.equal(m.maxSkewMs, 1400);
  // An odd round trip: the midpoint is floored to a whole ms.
  assert.equal(
    measureSkew({ exchange: NEW_YEAR, sentMs: NEW_YEAR, receivedMs: NEW_YEAR + 3 }).skewMs,
    1,
  );
});

Deno.test("measureSkew: a Date header is taken at the middle of its second", () => {
  // Local clock in sync: sent 0.3 s and received 0.5 s into the second the header names.
  const m = measureSkew({ exchange: HEADER, sentMs: NEW_YEAR + 300, receivedMs: NEW_YEAR + 500 });
  assert.equal(m.exchangeReadingMs, NEW_YEAR);
  assert.equal(m.exchangeMs, NEW_YEAR + 500);
  assert.equal(m.localMs, NEW_YEAR + 400);
  assert.equal(m.skewMs, -100);
  assert.equal(m.resolutionMs, 1000);
  // The true skew lies within [sent - (reading + 1000), received - reading].
  assert.equal(m.minSkewMs, -700);
  assert.equal(m.maxSkewMs, 500);
  assert.ok(m.minSkewMs <= 0 && 0 <= m.maxSkewMs);
  // The module's example.
  const ex = measureSkew({
    exchange: HEADER,
    sentMs: 1_767_225_603_000,
    receivedMs: 1_767_225_603_200,
  });
  assert.equal(ex.skewMs, 2600);
});

Deno.test("measureSkew: bad samples are clear errors", () => {
  const bad: [unknown, RegExp][] = [
    [null, /TypeError: Cannot measure clock skew: expected a sample object, current value is null/],
    [
      { exchange: NEW_YEAR },
      /give either localMs or both sentMs and receivedMs, current value is \{\}$/,
    ],
    [
      { exchange: NEW_YEAR, localMs: 1, sentMs: 1, receivedMs: 2 },
      /current value is \{localMs, sentMs, receivedMs\}$/,
    ],
    [{ exchange: NEW_YEAR, sentMs: 1 }, /current value is \{sentMs\}$/],
    [{ exchange: NEW_YEAR, receivedMs: 1 }, /current value is \{receivedMs\}$/],
    [
      { exchange: NEW_YEAR, sentMs: 10, receivedMs: 9 },
      /receivedMs is before sentMs \(10\), current value is 9$/,
    ],
    [{ exchange: NEW_YEAR, localMs: Number.NaN }, /localMs must be .*current value is NaN$/],
    [{ exchange: NEW_YEAR, localMs: "1" }, /localMs must be .*current value is "1"$/],
    [{ exchange: NEW_YEAR, sentMs: -5, receivedMs: 1 }, /sentMs must be .*current value is -5$/],
    [{ exchange: "yesterday", localMs: 1 }, /Cannot parse HTTP Date header/],
    [{ exchange: undefined, localMs: 1 }, /exchange time must be a Date header string or ms/],
  ];
  for (const [sample, pattern] of bad) {
    assert.throws(() => measureSkew(sample as SkewSample), pattern);
  }
});

Deno.test("checkSkew: within the bound is ok, the bound itself included", () => {
  assert.deepEqual(checkSkew(0, 1000), { ok: true, skewMs: 0, boundMs: 1000 });
  assert.deepEqual(checkSkew(1000, 1000), { ok: true, skewMs: 1000, boundMs: 1000 });
  assert.deepEqual(checkSkew(-1000, 1000), { ok: true, skewMs: -1000, boundMs: 1000 });
  assert.equal(checkSkew(0, 0).ok, true);
});

Deno.test("checkSkew: beyond the bound is refused, naming the skew, direction and bound", () => {
  const ahead = checkSkew(6200, 5000);
  assert.equal(ahead.ok, false);
  assert.ok(!ahead.ok);
  assert.equal(
    ahead.message,
    "Cannot sign Kalshi requests: the local clock is 6200 ms ahead of the exchange's, beyond " +
      "the bound of 5000 ms; synchronize the system clock (NTP), current value is 6200 ms",
  );
  const behind = checkSkew(-1001, 1000);
  assert.ok(!behind.ok);
  assert.match(behind.message, /1001 ms behind the exchange's, beyond the bound of 1000 ms/);
  assert.match(behind.message, /current value is -1001 ms$/);
  assert.equal(checkSkew(1, 0).ok, false);
});

Deno.test("checkSkew: bad input is a RangeError", () => {
  assert.throws(() => checkSkew(Number.NaN, 1000), /the skew must be a finite number.*NaN$/);
  assert.throws(() => checkSkew(Infinity, 1000), /current value is Infinity$/);
  assert.throws(() => checkSkew(0, -1), /the bound must be a finite number of ms >= 0.*-1$/);
  assert.throws(() => checkSkew(0, Number.NaN), /bound.*NaN$/);
  assert.throws(() => checkSkew("5" as unknown as number, 10), RangeError);
});

Deno.test("measureSkew + checkSkew: a clock 3 s fast is refused at a 1 s bound", () => {
  const m = measureSkew({ exchange: HEADER, sentMs: NEW_YEAR + 3400, receivedMs: NEW_YEAR + 3600 });
  const v = checkSkew(m.skewMs, 1000);
  assert.equal(v.ok, false);
  assert.equal(v.skewMs, 3000);
});
