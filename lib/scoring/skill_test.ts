import assert from "node:assert/strict";
import { skillScore } from "./skill.ts";

Deno.test("skillScore: hand-computed", () => {
  assert.equal(skillScore(0.1, 0.2), 0.5);
  assert.equal(skillScore(0.3, 0.2), 1 - 0.3 / 0.2);
  assert.ok(Math.abs(skillScore(0.18, 0.24) - 0.25) < 1e-15);
  assert.equal(skillScore(0, 0.2), 1);
  assert.equal(skillScore(0.2, 0.2), 0);
  assert.equal(skillScore(0.4, 0.2), -1);
});

Deno.test("skillScore: reference 0 gives NaN", () => {
  assert.ok(Number.isNaN(skillScore(0.1, 0)));
  assert.ok(Number.isNaN(skillScore(0, 0)));
});

Deno.test("skillScore: validation", () => {
  assert.throws(() => skillScore(-0.1, 0.2), {
    name: "RangeError",
    message:
      "Cannot compute skill score: model score must be finite and >= 0, current value is -0.1",
  });
  assert.throws(() => skillScore(0.1, NaN), {
    message:
      "Cannot compute skill score: reference score must be finite and >= 0, current value is NaN",
  });
  assert.throws(() => skillScore(Infinity, 1), /model score/);
});
