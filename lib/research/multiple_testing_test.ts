import assert from "node:assert/strict";
import { adjustPValues, bhAdjust, holmAdjust } from "./multiple_testing.ts";

// multipletests(p, method="holm" / "fdr_bh") of statsmodels 0.13.5; ties, 0 and 1 included.
const P = [0.01, 0.2, 0.01, 1.0, 0.04, 0.0, 0.5, 0.04];
const HOLM = [0.07, 0.6000000000000001, 0.07, 1.0, 0.2, 0.0, 1.0, 0.2];
const BH = [
  0.02666666666666667,
  0.26666666666666666,
  0.02666666666666667,
  1.0,
  0.064,
  0.0,
  0.5714285714285714,
  0.064,
];

Deno.test("holmAdjust / bhAdjust: statsmodels reference values, ties and p = 0, 1", () => {
  assert.deepEqual(holmAdjust(P), HOLM);
  assert.deepEqual(bhAdjust(P), BH);
  assert.deepEqual(holmAdjust([0.01, 0.04, 0.03]), [0.03, 0.06, 0.06]);
  assert.deepEqual(bhAdjust([0.01, 0.04, 0.03]), [0.030000000000000002, 0.04, 0.04]);
});

Deno.test("holmAdjust / bhAdjust: empty, single, all ones, all equal", () => {
  assert.deepEqual(holmAdjust([]), []);
  assert.deepEqual(bhAdjust([]), []);
  assert.deepEqual(holmAdjust([0.3]), [0.3]);
  assert.deepEqual(bhAdjust([0.3]), [0.3]);
  assert.deepEqual(holmAdjust([1, 1, 1]), [1, 1, 1]);
  assert.deepEqual(bhAdjust([1, 1, 1]), [1, 1, 1]);
  assert.deepEqual(holmAdjust([0.02, 0.02, 0.02]), [0.06, 0.06, 0.06]);
  assert.deepEqual(bhAdjust([0.02, 0.02, 0.02]), [0.02, 0.02, 0.02]);
  assert.deepEqual(holmAdjust([0.4, 0.4]), [0.8, 0.8]);
  assert.deepEqual(holmAdjust([0.6, 0.6]), [1, 1]);
});

Deno.test("holmAdjust / bhAdjust: permutation invariant, ordered, bounded", () => {
  const p = [0.001, 0.3, 0.02, 0.02, 0.9, 0.04, 0.0005, 1, 0.2];
  const h = holmAdjust(p);
  const b = bhAdjust(p);
  const perm = [3, 8, 0, 5, 1, 7, 2, 6, 4];
  const hp = holmAdjust(perm.map((i) => p[i]));
  const bp = bhAdjust(perm.map((i) => p[i]));
  perm.forEach((i, k) => {
    assert.equal(hp[k], h[i]);
    assert.equal(bp[k], b[i]);
  });
  for (let i = 0; i < p.length; i++) {
    assert.ok(h[i] >= p[i] && h[i] <= 1);
    assert.ok(b[i] >= p[i] && b[i] <= 1);
    assert.ok(h[i] >= b[i], "Holm is never less conservative than BH");
    for (let j = 0; j < p.length; j++) {
      if (p[i] <= p[j]) {
        assert.ok(h[i] <= h[j]);
        assert.ok(b[i] <= b[j]);
      }
    }
  }
});

Deno.test("adjustPValues: dispatch and copy for none", () => {
  const p = [0.01, 0.04, 0.03];
  assert.deepEqual(adjustPValues(p, "holm"), holmAdjust(p));
  assert.deepEqual(adjustPValues(p, "bh"), bhAdjust(p));
  const none = adjustPValues(p, "none");
  assert.deepEqual(none, p);
  assert.notEqual(none, p);
  assert.deepEqual(adjustPValues(new Float64Array([0.5]), "none"), [0.5]);
});

Deno.test("holmAdjust / bhAdjust / adjustPValues: validation", () => {
  assert.throws(() => holmAdjust([0.1, NaN]), {
    name: "RangeError",
    message:
      "Cannot compute Holm adjustment: p[1] must be a p-value in [0, 1], current value is NaN",
  });
  assert.throws(
    () => bhAdjust([1.5]),
    /Cannot compute Benjamini-Hochberg adjustment: p\[0\] must be a p-value in \[0, 1\], current value is 1.5/,
  );
  assert.throws(() => holmAdjust([-0.1]), /current value is -0.1/);
  assert.throws(() => adjustPValues([Infinity], "none"), /p\[0\] .* current value is Infinity/);
  assert.throws(
    () => adjustPValues([0.1], "bonferroni" as "holm"),
    /Cannot adjust p-values: adjustment must be "holm", "bh" or "none", current value is "bonferroni"/,
  );
});
