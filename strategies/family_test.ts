import assert from "node:assert/strict";
import { latestBefore, type Observation, observationsBefore } from "./family.ts";

Deno.test("observationsBefore keeps ts < cutoff and copies", () => {
  const h: Observation[] = [{ ts: 1, value: 0.1 }, { ts: 5, value: 0.2 }, { ts: 5, value: 0.3 }];
  assert.deepEqual(observationsBefore(h, 5, "x"), [{ ts: 1, value: 0.1 }]);
  assert.deepEqual(observationsBefore(h, 6, "x").length, 3);
  assert.deepEqual(observationsBefore(h, -Infinity, "x"), []);
  assert.deepEqual(observationsBefore(h, Infinity, "x").length, 3);
  assert.notEqual(observationsBefore(h, Infinity, "x"), h);
  assert.deepEqual(observationsBefore([], 10, "x"), []);
});

Deno.test("observationsBefore rejects bad history even after the cutoff", () => {
  assert.throws(
    () => observationsBefore([{ ts: 1, value: 1 }, { ts: 0, value: 1 }], 1, "fit X"),
    /Cannot fit X: history must be in time order, history\[1\]\.ts goes back to 0 after 1/,
  );
  assert.throws(
    () => observationsBefore([{ ts: 1.5, value: 1 }], 10, "fit X"),
    /history\[0\]\.ts must be an integer ms timestamp, current value is 1.5/,
  );
  assert.throws(
    () => observationsBefore([{ ts: 1, value: Number.NaN }], 10, "fit X"),
    /history\[0\]\.value must be a finite number, current value is NaN/,
  );
  assert.throws(() => observationsBefore([], Number.NaN, "fit X"), /cutoffTs must be a number/);
});

Deno.test("latestBefore: the last count observations before the cutoff", () => {
  const h: Observation[] = [1, 2, 3, 4, 5].map((ts) => ({ ts, value: ts * 10 }));
  assert.deepEqual(latestBefore(h, 4, 2, "x").map((o) => o.ts), [2, 3]);
  assert.deepEqual(latestBefore(h, 4, 10, "x").map((o) => o.ts), [1, 2, 3]);
  assert.deepEqual(latestBefore(h, Infinity, 1, "x").map((o) => o.ts), [5]);
  assert.deepEqual(latestBefore(h, 1, 3, "x"), []);
  assert.deepEqual(latestBefore([], 1, 3, "x"), []);
  // Same as the tail of observationsBefore.
  for (let c = 0; c <= 6; c++) {
    for (let k = 1; k <= 6; k++) {
      assert.deepEqual(latestBefore(h, c, k, "x"), observationsBefore(h, c, "x").slice(-k));
    }
  }
  assert.throws(
    () => latestBefore(h, 4, 0, "fit X"),
    /Cannot fit X: count must be an integer >= 1, current value is 0/,
  );
  assert.throws(() => latestBefore(h, Number.NaN, 1, "fit X"), /cutoffTs must be a number/);
  assert.throws(
    () => latestBefore([{ ts: 1, value: Number.NaN }], 5, 1, "fit X"),
    /value must be a finite number/,
  );
});
