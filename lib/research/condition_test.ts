import assert from "node:assert/strict";
import {
  assertComparison,
  assertCondition,
  compare,
  type FactorCondition,
  formatCondition,
  meetsCondition,
} from "./condition.ts";
import { sig } from "./test_support.ts";

Deno.test("compare: the four operators at, above and below the threshold", () => {
  const table: [string, boolean, boolean, boolean][] = [
    // op, below, equal, above
    [">=", false, true, true],
    [">", false, false, true],
    ["<=", true, true, false],
    ["<", true, false, false],
  ];
  for (const [op, below, equal, above] of table) {
    const o = op as FactorCondition["op"];
    assert.equal(compare(0.4, o, 0.5), below, `${op} below`);
    assert.equal(compare(0.5, o, 0.5), equal, `${op} equal`);
    assert.equal(compare(0.6, o, 0.5), above, `${op} above`);
  }
});

Deno.test("meetsCondition and formatCondition", () => {
  const c: FactorCondition = { factor: "skew", op: ">=", threshold: 0.6 };
  assert.equal(meetsCondition("x", sig(1, { skew: 0.6 }), c, 0), true);
  assert.equal(meetsCondition("x", sig(1, { skew: 0.59 }), c, 0), false);
  assert.throws(
    () => meetsCondition("stack factors", sig(1, { skew: NaN }), c, 7),
    /Cannot stack factors: signals\[7\]\.factors\.skew must be a finite number, current value is NaN/,
  );
  assert.throws(() => meetsCondition("x", sig(1), c, 0), /current value is undefined/);
  assert.equal(formatCondition({ factor: "skew", op: "<", threshold: 0.25 }), "skew < 0.25");
});

Deno.test("assertCondition / assertComparison: validation", () => {
  assertCondition("x", { factor: "skew", op: "<=", threshold: -1 });
  assert.throws(
    () => assertCondition("gate", { factor: "skew", op: "==" as ">=", threshold: 1 }),
    /Cannot gate: op must be ">=", ">", "<=" or "<", current value is "=="/,
  );
  assert.throws(
    () => assertCondition("gate", { factor: "skew", op: ">=", threshold: NaN }),
    /Cannot gate: threshold of skew must be a finite number, current value is NaN/,
  );
  assert.throws(
    () => assertCondition("gate", { factor: "", op: ">=", threshold: 1 }),
    /factor must be a non-empty string/,
  );
  assert.throws(
    () => assertCondition("gate", null as unknown as FactorCondition),
    /condition must be an object/,
  );
  assert.throws(() => assertComparison("gate", "=>" as ">="), /current value is "=>"/);
});
