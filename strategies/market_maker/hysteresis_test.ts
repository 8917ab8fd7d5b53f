import assert from "node:assert/strict";
import { HysteresisGate } from "./hysteresis.ts";

Deno.test("HysteresisGate.above: stops above stop, resumes only below resume", () => {
  const g = HysteresisGate.above(1000, 600);
  const seq: [number, boolean, boolean][] = [
    // value, blocked after, caution after
    [500, false, false],
    [800, false, true], // between: caution, still open
    [1000, false, true], // at stop: not above
    [1001, true, false],
    [900, true, false],
    [600, true, false], // at resume: not below
    [599, false, false],
    [700, false, true],
  ];
  for (const [x, blocked, caution] of seq) {
    assert.equal(g.update(x), blocked, `blocked after ${x}`);
    assert.equal(g.blocked, blocked);
    assert.equal(g.caution, caution, `caution after ${x}`);
  }
});

Deno.test("HysteresisGate.below: stops below stop, resumes only above resume", () => {
  const g = HysteresisGate.below(500, 2000);
  assert.equal(g.update(3000), false);
  assert.equal(g.update(1000), false);
  assert.equal(g.caution, true);
  assert.equal(g.update(499), true);
  assert.equal(g.update(1999), true);
  assert.equal(g.update(2000), true);
  assert.equal(g.update(2001), false);
  assert.equal(g.caution, false);
});

Deno.test("HysteresisGate: NaN leaves the state; reset opens; equal thresholds work", () => {
  const g = HysteresisGate.above(10, 10);
  g.update(11);
  assert.equal(g.update(NaN), true);
  assert.equal(g.lastValue, 11);
  assert.equal(g.update(10), true, "not below 10");
  assert.equal(g.update(9), false);
  g.update(20);
  g.reset();
  assert.equal(g.blocked, false);
  assert.ok(Number.isNaN(g.lastValue));
  assert.equal(g.caution, false);
});

Deno.test("HysteresisGate: thresholds the wrong way round are rejected", () => {
  assert.throws(
    () => HysteresisGate.above(600, 1000),
    /Cannot create hysteresis gate: need resume <= stop, current value is stop=600 resume=1000/,
  );
  assert.throws(() => HysteresisGate.below(2000, 500), /need resume >= stop/);
  assert.throws(() => HysteresisGate.above(NaN, 1), /stop=NaN/);
});
