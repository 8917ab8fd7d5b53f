import assert from "node:assert/strict";
import { NeumaierAccumulator, neumaierSum } from "./neumaier.ts";

Deno.test("neumaierSum: empty is 0", () => {
  assert.equal(neumaierSum([]), 0);
});

Deno.test("neumaierSum: recovers terms lost by plain summation", () => {
  // Plain left-to-right: 1 + 1e100 = 1e100, + 1 = 1e100, - 1e100 = 0.
  assert.equal(neumaierSum([1, 1e100, 1, -1e100]), 2);
  assert.equal(neumaierSum([1e100, 1, -1e100]), 1);
  assert.equal(neumaierSum(new Float64Array([0.1, 0.2, 0.3])), 0.6);
  assert.equal(neumaierSum(new Array(10).fill(0.1)), 1);
});

Deno.test("neumaierSum: many small terms", () => {
  const xs = new Float64Array(1_000_000).fill(0.1);
  let plain = 0;
  for (const x of xs) plain += x;
  assert.notEqual(plain, 100000);
  assert.equal(neumaierSum(xs), 100000); // 1e6 x the double 0.1 = 100000.0000000000055..., rounded
});

Deno.test("neumaierSum: non-finite terms give the plain sum", () => {
  assert.equal(neumaierSum([1, Infinity]), Infinity);
  assert.equal(neumaierSum([-Infinity, 1]), -Infinity);
  assert.ok(Number.isNaN(neumaierSum([Infinity, -Infinity])));
  assert.ok(Number.isNaN(neumaierSum([1, NaN])));
});

Deno.test("NeumaierAccumulator: value, count, reset", () => {
  const acc = new NeumaierAccumulator();
  assert.equal(acc.value, 0);
  assert.equal(acc.count, 0);
  for (const x of [1, 1e100, 1, -1e100]) acc.add(x);
  assert.equal(acc.value, 2);
  assert.equal(acc.count, 4);
  acc.reset();
  assert.equal(acc.value, 0);
  assert.equal(acc.count, 0);
  for (let i = 0; i < 10; i++) acc.add(0.1);
  assert.equal(acc.value, 1);
  acc.add(Infinity);
  assert.equal(acc.value, Infinity);
});

Deno.test("NeumaierAccumulator agrees with neumaierSum", () => {
  const xs = [3.5, -1e-17, 2e16, 1, -2e16, 0.25, 1e-300];
  const acc = new NeumaierAccumulator();
  for (const x of xs) acc.add(x);
  assert.equal(acc.value, neumaierSum(xs));
  assert.equal(acc.value, 4.75);
});
