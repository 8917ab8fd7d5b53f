import assert from "node:assert/strict";
import { SeqTracker } from "./ws_seq.ts";

Deno.test("SeqTracker: next, gap, late arrival, duplicate", () => {
  const t = new SeqTracker(1);
  assert.deepEqual(t.check(1), { verdict: "next" });
  assert.deepEqual(t.check(2), { verdict: "next" });
  assert.deepEqual(t.check(5), { verdict: "gap", expected: 3 });
  assert.equal(t.missingCount, 2);
  assert.deepEqual(t.check(4), { verdict: "out_of_order" });
  assert.deepEqual(t.check(4), { verdict: "duplicate" });
  assert.deepEqual(t.check(2), { verdict: "duplicate" });
  assert.deepEqual(t.check(6), { verdict: "next" });
  assert.equal(t.last, 6);
  assert.equal(t.missingCount, 1);
});

Deno.test("SeqTracker: a subscription whose first message is not 1 starts with a gap", () => {
  const t = new SeqTracker(1);
  assert.deepEqual(t.check(3), { verdict: "gap", expected: 1 });
});

Deno.test("SeqTracker: without a start, the first seq seen is the start", () => {
  const t = new SeqTracker();
  assert.ok(Number.isNaN(t.last));
  assert.deepEqual(t.check(41), { verdict: "next" });
  assert.deepEqual(t.check(42), { verdict: "next" });
});

Deno.test("SeqTracker: remembers at most maxMissing skipped numbers", () => {
  const t = new SeqTracker(1, 2);
  t.check(1);
  t.check(10); // 2..9 skipped; only 8 and 9 remembered
  assert.equal(t.missingCount, 2);
  assert.equal(t.check(9).verdict, "out_of_order");
  assert.equal(t.check(3).verdict, "duplicate", "forgotten numbers read as duplicates");
});

Deno.test("SeqTracker: bad input is an error", () => {
  assert.throws(() => new SeqTracker(-1), /first must be an integer >= 0, current value is -1/);
  assert.throws(
    () => new SeqTracker(1, 1.5),
    /maxMissing must be an integer >= 0, current value is 1.5/,
  );
  assert.throws(
    () => new SeqTracker(1).check(2.5),
    /Cannot check seq: not an integer >= 0, current value is 2.5/,
  );
  assert.throws(() => new SeqTracker(1).check(-3), /current value is -3/);
});
