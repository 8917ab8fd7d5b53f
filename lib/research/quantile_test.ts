import assert from "node:assert/strict";
import { assertQuantileLevel, quantileSorted } from "./quantile.ts";

Deno.test("quantileSorted: numpy.quantile reference values", () => {
  const x = [3, 1, 4, 1, 5, 9, 2, 6].sort((a, b) => a - b);
  const qs = [0, 0.1, 0.25, 0.5, 0.7, 0.75, 0.9, 1];
  // numpy 1.24: np.quantile([3, 1, 4, 1, 5, 9, 2, 6], qs)
  const ref = [1.0, 1.0, 1.75, 3.5, 4.8999999999999995, 5.25, 6.8999999999999995, 9.0];
  assert.deepEqual(qs.map((q) => quantileSorted(x, q)), ref);
});

Deno.test("quantileSorted: one value, two values, ties, typed arrays", () => {
  assert.equal(quantileSorted([7], 0), 7);
  assert.equal(quantileSorted([7], 0.5), 7);
  assert.equal(quantileSorted([7], 1), 7);
  assert.equal(quantileSorted([0, 10], 0.25), 2.5);
  assert.equal(quantileSorted([0, 10], 0.75), 7.5);
  assert.equal(quantileSorted([2, 2, 2, 5], 0.5), 2);
  assert.equal(quantileSorted(new Float64Array([-3, -1]), 0.5), -2);
});

Deno.test("quantileSorted and assertQuantileLevel: validation", () => {
  assert.throws(() => quantileSorted([], 0.5), {
    name: "RangeError",
    message: "Cannot compute quantile: need at least one value, current value is 0 values",
  });
  assert.throws(
    () => quantileSorted([1], 1.5),
    /Cannot compute quantile: quantile must be in \[0, 1\], current value is 1.5/,
  );
  assert.throws(() => quantileSorted([1], NaN), /current value is NaN/);
  assert.throws(() => quantileSorted([1], -0.1), /current value is -0.1/);
  assertQuantileLevel("x", 0);
  assertQuantileLevel("x", 1);
});
