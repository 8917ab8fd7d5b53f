import assert from "node:assert/strict";
import {
  assertFactorName,
  assertSignal,
  assertSignals,
  factorValue,
  isPositiveClv,
  type Signal,
} from "./signal.ts";
import { sig } from "./test_support.ts";

const A = "analyze buckets";

Deno.test("assertSignal: a good signal passes, pnl optional", () => {
  assertSignal(A, sig(5, { skew: 0.5 }), 0);
  assertSignal(A, { ...sig(-2.5), pnl: -100 }, 0);
  assertSignal(A, sig(0, {}, 1_700_000_000_000, "no"), 3);
});

Deno.test("assertSignal: each bad field is named with its value", () => {
  const bad = (s: unknown, re: RegExp) => assert.throws(() => assertSignal(A, s as Signal, 2), re);
  bad({ ...sig(1), ts: 1.5 }, /^RangeError: Cannot analyze buckets: signals\[2\]\.ts must be/);
  bad({ ...sig(1), ts: NaN }, /ts must be an integer of milliseconds, current value is NaN/);
  bad({ ...sig(1), market: "" }, /market must be a non-empty string, current value is ""/);
  bad({ ...sig(1), side: "buy" }, /side must be "yes" or "no", current value is "buy"/);
  bad(sig(NaN), /signals\[2\]\.clv must be a finite number of ticks, current value is NaN/);
  bad(sig(Infinity), /clv must be a finite number of ticks, current value is Infinity/);
  bad({ ...sig(1), clv: "3" }, /clv must be a finite number of ticks, current value is 3/);
  bad({ ...sig(1), pnl: NaN }, /pnl must be a finite number of ticks, current value is NaN/);
  bad({ ...sig(1), factors: null }, /factors must be an object, current value is null/);
  bad(null, /signals\[2\] must be a signal object, current value is null/);
});

Deno.test("assertSignals: order is checked only when asked", () => {
  const xs = [sig(1, {}, 10), sig(1, {}, 5)];
  assertSignals(A, xs, false);
  assert.throws(
    () => assertSignals(A, xs, true),
    {
      message: "Cannot analyze buckets: signals must be in time order, signals[1].ts is before " +
        "signals[0].ts, current value is 5 < 10",
    },
  );
  assertSignals(A, [sig(1, {}, 5), sig(1, {}, 5)], true); // equal times are fine
  assertSignals(A, [], true);
  assert.throws(() => assertSignals(A, {} as unknown as Signal[], false), /must be an array/);
});

Deno.test("factorValue: present and finite, else a clear error", () => {
  const s = sig(1, { skew: 0.7, zero: 0, neg: -3 });
  assert.equal(factorValue(A, s, "skew", 0), 0.7);
  assert.equal(factorValue(A, s, "zero", 0), 0);
  assert.equal(factorValue(A, s, "neg", 0), -3);
  assert.throws(() => factorValue(A, s, "spread", 4), {
    name: "RangeError",
    message:
      "Cannot analyze buckets: signals[4].factors.spread must be a finite number, current value is undefined",
  });
  assert.throws(
    () => factorValue(A, sig(1, { skew: NaN }), "skew", 0),
    /factors\.skew must be a finite number, current value is NaN/,
  );
  assert.throws(() => factorValue(A, sig(1, { skew: -Infinity }), "skew", 0), /-Infinity/);
  // Inherited properties are not factors.
  assert.throws(() => factorValue(A, sig(1), "toString", 0), /undefined/);
});

Deno.test("assertFactorName and isPositiveClv", () => {
  assertFactorName(A, "skew");
  assert.throws(() => assertFactorName(A, ""), /factor must be a non-empty string/);
  assert.throws(() => assertFactorName(A, 3 as unknown as string), /current value is 3/);
  assert.equal(isPositiveClv(sig(1)), true);
  assert.equal(isPositiveClv(sig(0.5)), true);
  assert.equal(isPositiveClv(sig(0)), false);
  assert.equal(isPositiveClv(sig(-0)), false);
  assert.equal(isPositiveClv(sig(-1)), false);
});
