import assert from "node:assert/strict";
import { cappedKellyFraction, kellyCount, kellyFraction, kellySize } from "./kelly.ts";
import type { Side } from "../tape/events.ts";

const close = (a: number, b: number, msg?: string) =>
  assert.ok(Math.abs(a - b) < 1e-12, msg ?? `${a} != ${b}`);

Deno.test("kellyFraction against hand-computed values", () => {
  close(kellyFraction(0.6, 5000), 0.2); // (0.6 - 0.5) / 0.5
  close(kellyFraction(0.4, 3000), 1 / 7); // (0.4 - 0.3) / 0.7
  close(kellyFraction(0.9, 8000), 0.5); // (0.9 - 0.8) / 0.2
  close(kellyFraction(0.05, 100), (0.05 - 0.01) / 0.99);
  close(kellyFraction(0.5, 5000), 0); // fair price: no edge
  close(kellyFraction(0.3, 5000), -0.4); // negative edge
  close(kellyFraction(1, 9999), 1); // a sure thing: stake everything
  close(kellyFraction(0, 1), -0.0001 / 0.9999);
});

Deno.test("cappedKellyFraction applies the multiplier, the cap and the floor at 0", () => {
  close(cappedKellyFraction(0.6, 5000, 0.5, 0.25), 0.1);
  close(cappedKellyFraction(0.6, 5000, 1, 0.25), 0.2);
  close(cappedKellyFraction(0.9, 5000, 1, 0.25), 0.25); // f* = 0.8, capped
  close(cappedKellyFraction(0.9, 5000, 0.25, 0.25), 0.2); // 0.25 x 0.8 = 0.2 under the cap
  assert.equal(cappedKellyFraction(0.3, 5000, 1, 1), 0);
  assert.equal(cappedKellyFraction(0.5, 5000, 1, 1), 0);
});

Deno.test("kellyCount rounds down to whole centi-contracts in integers", () => {
  assert.equal(kellyCount(10_000_000, 0.1, 5000), 20_000); // $100 at $0.50: 200 contracts
  assert.equal(kellyCount(10_000, 0.1, 3000), 33); // $0.10 at $0.30: 0.333 contracts
  assert.equal(kellyCount(10_000, 0.1, 3001), 33);
  assert.equal(kellyCount(9_999, 0.1, 3000), 33); // budget 999 ticks
  assert.equal(kellyCount(100, 1, 9999), 1); // budget 100 ticks: 1 centi costs 99.99
  assert.equal(kellyCount(99, 1, 9999), 0);
  assert.equal(kellyCount(0, 0.5, 5000), 0);
  assert.equal(kellyCount(-1_000, 0.5, 5000), 0);
  assert.equal(kellyCount(1_000_000, 0, 5000), 0);
  // A huge bankroll stays exact (BigInt division).
  assert.equal(kellyCount(90_000_000_000_000, 1, 3), 3_000_000_000_000_000);
  assert.equal(kellyCount(90_000_000_000_001, 1, 3), 3_000_000_000_000_033);
  assert.throws(() => kellyCount(9_000_000_000_000_000, 1, 3), /count exceeds a safe integer/);
  // The float-noise allowance adds at most the one tick of rounding, even when huge.
  assert.equal(kellyCount(9_000_000_000_000, 0.5, 1), 450_000_000_000_000);
});

Deno.test("kellyCount absorbs float noise of the fraction but never rounds a real shortfall up", () => {
  // 0.6 - 0.5 is 0.09999999999999998 in floating point: the half-Kelly budget of
  // $1000 must still be $100 (1,000,000 ticks), i.e. exactly 200 contracts.
  const f = cappedKellyFraction(0.6, 5000, 0.5, 1);
  assert.ok(f < 0.1);
  assert.equal(kellyCount(10_000_000, f, 5000), 20_000);
  // A fraction truly below the next tick of budget still rounds down.
  assert.equal(kellyCount(10_000_000, 0.09999999, 5000), 19_999);
});

Deno.test("kellySize: YES and NO sides by hand", () => {
  const base = { bankrollTicks: 10_000_000, multiplier: 0.5, maxFraction: 0.25 };
  // YES at $0.50 with 60%: half Kelly 0.1 -> $100 -> 200 contracts.
  assert.equal(kellySize({ ...base, side: "yes", yesProbability: 0.6, costTicks: 5000 }), 20_000);
  // NO at $0.30 with P(YES) 0.6 (NO wins 40%): f* = 1/7, half 1/14 -> $71.428 -> 238.09.
  assert.equal(kellySize({ ...base, side: "no", yesProbability: 0.6, costTicks: 3000 }), 23_809);
  // The other side of a YES edge has no edge.
  assert.equal(kellySize({ ...base, side: "no", yesProbability: 0.6, costTicks: 5000 }), 0);
  // Capped: P(YES) 0.95 at $0.50, f* = 0.9, half 0.45 -> cap 0.25 -> $250 -> 500 contracts.
  assert.equal(kellySize({ ...base, side: "yes", yesProbability: 0.95, costTicks: 5000 }), 50_000);
  // All-in cost at or above $1: no edge possible.
  assert.equal(kellySize({ ...base, side: "yes", yesProbability: 1, costTicks: 10_000 }), 0);
  assert.equal(kellySize({ ...base, side: "yes", yesProbability: 1, costTicks: 10_050 }), 0);
});

Deno.test("Kelly functions reject bad input", () => {
  for (const q of [-0.01, 1.01, Number.NaN]) {
    assert.throws(
      () => kellyFraction(q, 5000),
      /Cannot compute Kelly fraction: probability must be in \[0, 1\]/,
    );
  }
  for (const c of [0, 10_000, 50.5, Number.NaN]) {
    assert.throws(
      () => kellyFraction(0.5, c),
      /cost per contract must be an integer number of ticks in 1\.\.9999/,
    );
  }
  assert.throws(() => cappedKellyFraction(0.6, 5000, 1.5, 1), /multiplier must be in \[0, 1\]/);
  assert.throws(() => cappedKellyFraction(0.6, 5000, 1, -1), /maxFraction must be in \[0, 1\]/);
  assert.throws(() => kellyCount(1.5, 0.1, 5000), /bankroll must be an integer of ticks/);
  assert.throws(() => kellyCount(100, 2, 5000), /fraction must be in \[0, 1\]/);
  const ok = {
    side: "yes" as Side,
    yesProbability: 0.6,
    costTicks: 5000,
    bankrollTicks: 1000,
    multiplier: 1,
    maxFraction: 1,
  };
  assert.throws(() => kellySize({ ...ok, side: "up" as Side }), /side must be "yes" or "no"/);
  assert.throws(() => kellySize({ ...ok, costTicks: 0 }), /positive integer of ticks/);
  assert.throws(() => kellySize({ ...ok, yesProbability: 2 }), /probability must be in \[0, 1\]/);
  assert.throws(() => kellySize({ ...ok, bankrollTicks: Number.NaN }), /bankroll/);
});
