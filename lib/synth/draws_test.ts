import assert from "node:assert/strict";
import { Prng } from "../random/prng.ts";
import { gammaDraw, studentTDraw } from "./draws.ts";
import { standardTCdf } from "../pricing/student_t.ts";

Deno.test("gammaDraw: mean and variance equal the shape (shapes below and above 1)", () => {
  for (const shape of [0.4, 1, 2.5, 9]) {
    const rng = new Prng(11);
    const n = 40_000;
    let s = 0;
    let s2 = 0;
    for (let i = 0; i < n; i++) {
      const g = gammaDraw(rng, shape);
      assert.ok(g >= 0);
      s += g;
      s2 += g * g;
    }
    const mean = s / n;
    const variance = s2 / n - mean * mean;
    assert.ok(Math.abs(mean / shape - 1) < 0.03, `shape ${shape}: mean ${mean}`);
    assert.ok(Math.abs(variance / shape - 1) < 0.08, `shape ${shape}: variance ${variance}`);
  }
});

Deno.test("studentTDraw: empirical CDF matches the t CDF (KS distance)", () => {
  for (const df of [1.5, 5, Infinity]) {
    const rng = new Prng(5);
    const n = 20_000;
    const xs = new Float64Array(n);
    for (let i = 0; i < n; i++) xs[i] = studentTDraw(rng, df);
    xs.sort();
    let ks = 0;
    for (let i = 0; i < n; i++) {
      const f = standardTCdf(xs[i], df);
      ks = Math.max(ks, Math.abs(f - i / n), Math.abs(f - (i + 1) / n));
    }
    // 1.63 / sqrt(n) is the 1% critical value of the KS statistic.
    assert.ok(ks < 1.63 / Math.sqrt(n), `df ${df}: KS ${ks}`);
  }
});

Deno.test("draws are deterministic and reject bad parameters", () => {
  const a = new Prng(3);
  const b = new Prng(3);
  for (let i = 0; i < 10; i++) assert.equal(studentTDraw(a, 4), studentTDraw(b, 4));
  const r = new Prng(1);
  assert.throws(() => gammaDraw(r, 0), /shape must be finite and > 0, current value is 0/);
  assert.throws(() => gammaDraw(r, Infinity), RangeError);
  assert.throws(() => studentTDraw(r, -2), /df must be > 0, current value is -2/);
});
