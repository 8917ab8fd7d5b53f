import assert from "node:assert/strict";
import { proportionsZTest } from "./proportion_ztest.ts";
import { near } from "./test_support.ts";

Deno.test("proportionsZTest: reference values (statsmodels 0.13.5 proportions_ztest)", () => {
  const cases: [
    number,
    number,
    number,
    number,
    "two-sided" | "larger" | "smaller",
    number,
    number,
  ][] = [
    [7, 10, 3, 10, "two-sided", 1.7888543819998317, 0.07363827012030266],
    [0, 10, 3, 12, "two-sided", -1.7013926184468013, 0.08886928647264575],
    [0, 10, 3, 12, "smaller", -1.7013926184468013, 0.044434643236322874],
    [4, 10, 6, 12, "larger", -0.4690415759823428, 0.6804800408142625],
    [500, 1000, 100, 1000, "two-sided", 19.518001458970662, 7.719934594295634e-85],
    [500, 1000, 100, 1000, "smaller", 19.518001458970662, 1.0],
  ];
  for (const [c1, n1, c2, n2, alt, z, p] of cases) {
    const r = proportionsZTest(c1, n1, c2, n2, alt);
    assert.ok(near(r.z, z, 1e-14), `z ${r.z} vs ${z}`);
    // Relative precision even at 7.7e-85: the tail is computed directly.
    assert.ok(Math.abs(r.pValue - p) <= 1e-13 * p, `p ${r.pValue} vs ${p}`);
  }
});

Deno.test("proportionsZTest: hand formula, diff and pooled", () => {
  const r = proportionsZTest(12, 40, 5, 35);
  const p1 = 12 / 40, p2 = 5 / 35, pool = 17 / 75;
  const z = (p1 - p2) / Math.sqrt(pool * (1 - pool) * (1 / 40 + 1 / 35));
  assert.ok(near(r.z, z));
  assert.ok(near(r.diff, p1 - p2));
  assert.equal(r.pooled, 17 / 75);
});

Deno.test("proportionsZTest: alternatives and symmetry", () => {
  const two = proportionsZTest(30, 70, 20, 80);
  const larger = proportionsZTest(30, 70, 20, 80, "larger");
  const smaller = proportionsZTest(30, 70, 20, 80, "smaller");
  assert.ok(larger.z > 0);
  assert.ok(near(larger.pValue + smaller.pValue, 1));
  assert.ok(near(two.pValue, 2 * larger.pValue));
  const swapped = proportionsZTest(20, 80, 30, 70);
  assert.equal(swapped.z, -two.z);
  assert.equal(swapped.pValue, two.pValue);
  assert.equal(proportionsZTest(20, 80, 30, 70, "smaller").pValue, larger.pValue);
});

Deno.test("proportionsZTest: identical proportions give z = 0 exactly", () => {
  // 1/3 and 2/6 round to the same double, so diff is exactly 0.
  assert.deepEqual(proportionsZTest(1, 3, 2, 6), { z: 0, pValue: 1, diff: 0, pooled: 3 / 9 });
  assert.equal(proportionsZTest(1, 3, 2, 6, "larger").pValue, 0.5);
  assert.equal(proportionsZTest(5, 10, 5, 10, "smaller").pValue, 0.5);
});

Deno.test("proportionsZTest: a zero count and pooled 0 or 1 (statsmodels gives NaN)", () => {
  const r = proportionsZTest(0, 15, 4, 15);
  assert.ok(r.z < 0 && r.pValue > 0 && r.pValue < 1);
  assert.deepEqual(proportionsZTest(0, 10, 0, 20), { z: 0, pValue: 1, diff: 0, pooled: 0 });
  assert.deepEqual(proportionsZTest(10, 10, 20, 20), { z: 0, pValue: 1, diff: 0, pooled: 1 });
  assert.equal(proportionsZTest(0, 1, 0, 1, "larger").pValue, 0.5);
  // All successes on one side, none on the other: a finite z.
  const extreme = proportionsZTest(10, 10, 0, 10);
  assert.ok(near(extreme.z, Math.sqrt(20)));
});

Deno.test("proportionsZTest: validation", () => {
  assert.throws(() => proportionsZTest(0, 0, 1, 2), {
    name: "RangeError",
    message: "Cannot run two-proportion z-test: n1 must be an integer >= 1, current value is 0",
  });
  assert.throws(
    () => proportionsZTest(1, 2, 0, 0),
    /n2 must be an integer >= 1, current value is 0/,
  );
  assert.throws(
    () => proportionsZTest(3, 2, 0, 1),
    /count1 must be an integer in \[0, 2\], current value is 3/,
  );
  assert.throws(() => proportionsZTest(1, 2, -1, 3), /count2 must be an integer in \[0, 3\]/);
  assert.throws(() => proportionsZTest(NaN, 2, 1, 3), /count1 .* current value is NaN/);
  assert.throws(() => proportionsZTest(1, 2.5, 1, 3), /n1 .* current value is 2.5/);
  assert.throws(() => proportionsZTest(1, 2, 1, NaN), /n2 .* current value is NaN/);
  assert.throws(
    () => proportionsZTest(1, 2, 1, 3, "greater" as "larger"),
    /alternative must be "two-sided", "larger" or "smaller", current value is "greater"/,
  );
});
