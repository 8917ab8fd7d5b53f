import assert from "node:assert/strict";
import { goldenMax } from "./golden.ts";

Deno.test("goldenMax finds an interior maximum within tol", () => {
  const r = goldenMax((t) => -((t - 2.345) ** 2), 0, 10, 1e-8);
  assert.ok(Math.abs(r.x - 2.345) < 1e-7, String(r.x));
  assert.ok(r.evaluations < 80);
  const s = goldenMax(Math.sin, 0, 3, 1e-9);
  assert.ok(Math.abs(s.x - Math.PI / 2) < 1e-7);
});

Deno.test("goldenMax finds a maximum at either bound", () => {
  assert.equal(goldenMax((t) => t, -1, 4).x, 4);
  assert.equal(goldenMax((t) => -t, -1, 4).x, -1);
  assert.equal(goldenMax((t) => t, 3, 3).x, 3);
});

Deno.test("goldenMax treats NaN as -Infinity", () => {
  const r = goldenMax((t) => (t < 1 ? Number.NaN : -((t - 2) ** 2)), 0, 5, 1e-8);
  assert.ok(Math.abs(r.x - 2) < 1e-6);
});

Deno.test("goldenMax rejects bad bounds and tol", () => {
  assert.throws(
    () => goldenMax((t) => t, 2, 1),
    /bounds must be finite with lo <= hi, current value is \[2, 1\]/,
  );
  assert.throws(() => goldenMax((t) => t, 0, Infinity), RangeError);
  assert.throws(() => goldenMax((t) => t, 0, 1, 0), /tol must be > 0, current value is 0/);
});
