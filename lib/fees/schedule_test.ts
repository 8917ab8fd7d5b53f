import assert from "node:assert/strict";
import type { FeeParams } from "./fees.ts";
import { FeeSchedule } from "./schedule.ts";

const FULL: FeeParams = { feeType: "quadratic", multiplier: 10_000 };
const HALF: FeeParams = { feeType: "quadratic", multiplier: 5_000 };
const MAKER: FeeParams = { feeType: "quadratic_with_maker_fees", multiplier: 10_000 };

Deno.test("FeeSchedule: empty", () => {
  const s = new FeeSchedule();
  assert.equal(s.size, 0);
  assert.equal(s.at(0), undefined);
  assert.equal(s.at(Number.MAX_SAFE_INTEGER), undefined);
});

Deno.test("FeeSchedule: the entry in force at a time", () => {
  const s = new FeeSchedule();
  s.set(1_000, FULL);
  s.set(2_000, HALF);
  s.set(3_000, MAKER);
  assert.equal(s.size, 3);
  const cases: [number, FeeParams | undefined][] = [
    [-5, undefined],
    [999, undefined],
    [1_000, FULL],
    [1_999, FULL],
    [2_000, HALF],
    [2_500, HALF],
    [3_000, MAKER],
    [1e15, MAKER],
  ];
  for (const [ts, want] of cases) {
    assert.deepEqual(s.at(ts), want, String(ts));
  }
});

Deno.test("FeeSchedule: an entry at the same time supersedes the previous one", () => {
  const s = new FeeSchedule();
  s.set(1_000, FULL);
  s.set(1_000, HALF);
  assert.equal(s.size, 2);
  assert.deepEqual(s.at(1_000), HALF);
  assert.deepEqual(s.at(5_000), HALF);
  assert.equal(s.at(999), undefined);
});

Deno.test("FeeSchedule: out-of-order or invalid entries are RangeError", () => {
  const s = new FeeSchedule();
  s.set(2_000, FULL);
  assert.throws(() => s.set(1_999, HALF), {
    name: "RangeError",
    message: "Cannot set fee schedule entry: fromTs is earlier than the last entry (2000), " +
      "current value is 1999",
  });
  assert.throws(() => s.set(2_500.5, HALF), RangeError);
  assert.throws(() => s.set(NaN, HALF), RangeError);
  assert.throws(() => s.set(3_000, { feeType: "quadratic", multiplier: -1 }), RangeError);
  assert.throws(() => s.set(3_000, { feeType: "bogus" as "flat", multiplier: 1 }), RangeError);
  assert.equal(s.size, 1);
});

Deno.test("FeeSchedule: stores a frozen copy of the params", () => {
  const s = new FeeSchedule();
  const params = { feeType: "quadratic" as const, multiplier: 10_000 };
  s.set(0, params);
  params.multiplier = 1;
  const got = s.at(0);
  assert.equal(got?.multiplier, 10_000);
  assert.ok(Object.isFrozen(got));
});

Deno.test("FeeSchedule: binary search agrees with a linear scan", () => {
  const s = new FeeSchedule();
  const entries: [number, FeeParams][] = [];
  let ts = 0;
  for (let i = 0; i < 200; i++) {
    // Deterministic gaps, with some repeated timestamps.
    ts += (i * 7919) % 13 === 0 ? 0 : ((i * 104_729) % 97) + 1;
    const params: FeeParams = { feeType: "quadratic", multiplier: i };
    entries.push([ts, params]);
    s.set(ts, params);
  }
  for (let q = -3; q <= ts + 3; q++) {
    let want: FeeParams | undefined;
    for (const [from, params] of entries) {
      if (from <= q) want = params;
    }
    assert.deepEqual(s.at(q), want, String(q));
  }
});
