import assert from "node:assert/strict";
import type { MarketEvent, StrikeType } from "../tape/events.ts";
import {
  compareIntervals,
  formatInterval,
  intervalContains,
  intervalGridRange,
  marketInterval,
} from "./interval.ts";

function market(
  strikeType: StrikeType,
  extra: Partial<MarketEvent> = {},
): MarketEvent {
  return {
    kind: "market",
    ts: 0,
    market: "KXTEST-25NOV24-X",
    event: "KXTEST-25NOV24",
    strikeType,
    openTs: 0,
    closeTs: 1,
    priceStep: 100,
    ...extra,
  };
}

Deno.test("marketInterval: defaults per strike type", () => {
  assert.deepEqual(marketInterval(market("greater", { floorStrike: 10 })), {
    lo: 10,
    loInclusive: false,
    hi: Infinity,
    hiInclusive: false,
  });
  assert.deepEqual(marketInterval(market("greater_or_equal", { floorStrike: 10 })), {
    lo: 10,
    loInclusive: true,
    hi: Infinity,
    hiInclusive: false,
  });
  assert.deepEqual(marketInterval(market("less", { capStrike: 10 })), {
    lo: -Infinity,
    loInclusive: false,
    hi: 10,
    hiInclusive: false,
  });
  assert.deepEqual(marketInterval(market("less_or_equal", { capStrike: 10 })), {
    lo: -Infinity,
    loInclusive: false,
    hi: 10,
    hiInclusive: true,
  });
  assert.deepEqual(marketInterval(market("between", { floorStrike: 45, capStrike: 46 })), {
    lo: 45,
    loInclusive: true,
    hi: 46,
    hiInclusive: true,
  });
});

Deno.test("marketInterval: explicit inclusivity overrides the defaults", () => {
  assert.deepEqual(
    marketInterval(market("greater", { floorStrike: 10, floorInclusive: true })),
    { lo: 10, loInclusive: true, hi: Infinity, hiInclusive: false },
  );
  assert.deepEqual(
    marketInterval(market("less_or_equal", { capStrike: 10, capInclusive: false })),
    { lo: -Infinity, loInclusive: false, hi: 10, hiInclusive: false },
  );
  assert.deepEqual(
    marketInterval(
      market("between", {
        floorStrike: 1,
        capStrike: 2,
        floorInclusive: false,
        capInclusive: false,
      }),
    ),
    { lo: 1, loInclusive: false, hi: 2, hiInclusive: false },
  );
  // The unused strike's inclusivity does not make an infinite end inclusive.
  assert.deepEqual(
    marketInterval(market("greater", { floorStrike: 10, capInclusive: true })),
    { lo: 10, loInclusive: false, hi: Infinity, hiInclusive: false },
  );
  // A point bucket [5, 5] is allowed.
  assert.deepEqual(marketInterval(market("between", { floorStrike: 5, capStrike: 5 })), {
    lo: 5,
    loInclusive: true,
    hi: 5,
    hiInclusive: true,
  });
});

Deno.test("marketInterval: invalid strikes are RangeErrors naming ticker and field", () => {
  assert.throws(
    () => marketInterval(market("greater")),
    (e: unknown) =>
      e instanceof RangeError && e.message.includes("KXTEST-25NOV24-X") &&
      e.message.includes('"floorStrike"'),
  );
  assert.throws(
    () => marketInterval(market("less", { capStrike: NaN })),
    (e: unknown) => e instanceof RangeError && e.message.includes('"capStrike"'),
  );
  assert.throws(
    () => marketInterval(market("between", { floorStrike: 1, capStrike: Infinity })),
    (e: unknown) => e instanceof RangeError && e.message.includes('"capStrike"'),
  );
  assert.throws(
    () => marketInterval(market("between", { floorStrike: 3, capStrike: 2 })),
    (e: unknown) =>
      e instanceof RangeError && e.message.includes("KXTEST-25NOV24-X") &&
      e.message.includes("floorStrike"),
  );
  assert.throws(
    () => marketInterval(market("between", { floorStrike: 2, capStrike: 2, capInclusive: false })),
    RangeError,
  );
  assert.throws(
    () => marketInterval(market("functional" as StrikeType, { floorStrike: 1 })),
    (e: unknown) => e instanceof RangeError && e.message.includes('"strikeType"'),
  );
});

Deno.test("intervalContains respects inclusivity and rejects NaN", () => {
  const iv = { lo: 45, loInclusive: true, hi: 46, hiInclusive: false };
  assert.equal(intervalContains(iv, 45), true);
  assert.equal(intervalContains(iv, 45.999), true);
  assert.equal(intervalContains(iv, 46), false);
  assert.equal(intervalContains(iv, 44.999), false);
  assert.equal(intervalContains(iv, NaN), false);
  const tail = { lo: 10, loInclusive: false, hi: Infinity, hiInclusive: false };
  assert.equal(intervalContains(tail, 10), false);
  assert.equal(intervalContains(tail, 1e300), true);
  assert.equal(intervalContains(tail, Infinity), false);
});

Deno.test("intervalGridRange: whole degrees and tenths", () => {
  assert.deepEqual(
    intervalGridRange({ lo: 45, loInclusive: true, hi: 46, hiInclusive: true }, 1),
    { first: 45, last: 46 },
  );
  assert.deepEqual(
    intervalGridRange({ lo: 45, loInclusive: false, hi: 46, hiInclusive: false }, 1),
    { first: 46, last: 45 },
  );
  assert.deepEqual(
    intervalGridRange({ lo: 44.5, loInclusive: true, hi: 46.5, hiInclusive: false }, 1),
    { first: 45, last: 46 },
  );
  assert.deepEqual(
    intervalGridRange({ lo: -Infinity, loInclusive: false, hi: 0.3, hiInclusive: true }, 0.1),
    { first: -Infinity, last: 3 },
  );
  assert.deepEqual(
    intervalGridRange({ lo: 0.3, loInclusive: false, hi: Infinity, hiInclusive: false }, 0.1),
    { first: 4, last: Infinity },
  );
  assert.throws(
    () => intervalGridRange({ lo: 0, loInclusive: true, hi: 1, hiInclusive: true }, 0),
    RangeError,
  );
});

Deno.test("formatInterval and compareIntervals", () => {
  assert.equal(
    formatInterval({ lo: -Infinity, loInclusive: false, hi: 44, hiInclusive: true }),
    "(-inf, 44]",
  );
  assert.equal(
    formatInterval({ lo: 72999.99, loInclusive: false, hi: Infinity, hiInclusive: false }),
    "(72999.99, +inf)",
  );
  const a = { lo: 1, loInclusive: true, hi: 2, hiInclusive: true };
  const b = { lo: 1, loInclusive: false, hi: 2, hiInclusive: true };
  const c = { lo: 1, loInclusive: true, hi: 2, hiInclusive: false };
  assert.ok(compareIntervals(a, b) < 0);
  assert.ok(compareIntervals(c, a) < 0);
  assert.equal(compareIntervals(a, { ...a }), 0);
});

Deno.test("a 4-decimal cap at index levels is off a 0.01 grid (Kalshi range 6850..6874.9999)", () => {
  const r = intervalGridRange(
    { lo: 6850, loInclusive: true, hi: 6874.9999, hiInclusive: true },
    0.01,
  );
  assert.deepEqual(r, { first: 685000, last: 687499 });
  const next = intervalGridRange(
    { lo: 6875, loInclusive: true, hi: 6899.9999, hiInclusive: true },
    0.01,
  );
  assert.equal(next.first, r.last + 1, "adjacent ranges do not overlap");
  // Binary noise in a value that is on the grid still counts as on it.
  assert.deepEqual(
    intervalGridRange({ lo: 0.1 + 0.2, loInclusive: true, hi: 0.7, hiInclusive: true }, 0.1),
    { first: 3, last: 7 },
  );
});
