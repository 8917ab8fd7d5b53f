import assert from "node:assert/strict";
import { Prng } from "./prng.ts";

Deno.test("Prng: fixed first values for seed 1 (cross-checked with a Python sfc32)", () => {
  const r = new Prng(1);
  assert.deepEqual([r.nextUint32(), r.nextUint32(), r.nextUint32()], [
    2420951833,
    2513034076,
    3847892949,
  ]);
  const u = new Prng(1);
  assert.deepEqual([u.next(), u.next(), u.next()], [
    0.5636717720710586,
    0.8959073941886353,
    0.2723428182814803,
  ]);
  const s = new Prng(12345);
  assert.deepEqual([s.int(100), s.int(100), s.int(100)], [25, 61, 57]);
  assert.deepEqual([s.normal(), s.normal()], [-1.6454664797247702, 0.7773084854282849]);
});

Deno.test("Prng: same seed same sequence, different seed differs, seeds mod 2^32", () => {
  const a = new Prng(99);
  const b = new Prng(99);
  const c = new Prng(100);
  const xs = Array.from({ length: 50 }, () => a.next());
  const ys = Array.from({ length: 50 }, () => b.next());
  const zs = Array.from({ length: 50 }, () => c.next());
  assert.deepEqual(xs, ys);
  assert.notDeepEqual(xs, zs);
  assert.equal(new Prng(-1).nextUint32(), new Prng(4294967295).nextUint32());
});

Deno.test("Prng: fork is deterministic, independent of draws, label-sensitive", () => {
  const p = new Prng(1);
  const f1 = p.fork(7).nextUint32();
  p.next();
  p.next();
  assert.equal(p.fork(7).nextUint32(), f1);
  assert.equal(new Prng(1).fork(7).nextUint32(), 370814407);
  assert.notEqual(p.fork(8).nextUint32(), f1);
  assert.notEqual(new Prng(2).fork(7).nextUint32(), f1);
  assert.notEqual(p.fork(1).fork(2).nextUint32(), p.fork(2).fork(1).nextUint32());
});

Deno.test("Prng: rejects bad arguments", () => {
  assert.throws(() => new Prng(1.5), RangeError);
  assert.throws(() => new Prng(Number.NaN), RangeError);
  assert.throws(() => new Prng(2 ** 33), RangeError);
  const r = new Prng(3);
  assert.throws(() => r.int(0), RangeError);
  assert.throws(() => r.int(2.5), RangeError);
  assert.throws(() => r.exponential(0), RangeError);
  assert.throws(() => r.exponential(Number.POSITIVE_INFINITY), RangeError);
  assert.throws(() => r.fork(0.5), RangeError);
});

Deno.test("Prng: moments on 100k draws", () => {
  const r = new Prng(2024);
  const n = 100_000;
  let su = 0, su2 = 0, sz = 0, sz2 = 0, sz4 = 0, se = 0, se2 = 0;
  const counts = new Array(10).fill(0);
  for (let i = 0; i < n; i++) {
    const u = r.next();
    assert.ok(u >= 0 && u < 1);
    su += u;
    su2 += u * u;
    const z = r.normal();
    sz += z;
    sz2 += z * z;
    sz4 += z ** 4;
    const e = r.exponential(2);
    assert.ok(e >= 0);
    se += e;
    se2 += e * e;
    counts[r.int(10)]++;
  }
  const mu = su / n;
  assert.ok(Math.abs(mu - 0.5) < 0.01, `uniform mean ${mu}`);
  assert.ok(Math.abs(su2 / n - mu * mu - 1 / 12) < 0.005, "uniform variance");
  assert.ok(Math.abs(sz / n) < 0.02, `normal mean ${sz / n}`);
  assert.ok(Math.abs(sz2 / n - 1) < 0.03, `normal variance ${sz2 / n}`);
  assert.ok(Math.abs(sz4 / n - 3) < 0.15, `normal kurtosis ${sz4 / n}`);
  assert.ok(Math.abs(se / n - 0.5) < 0.01, `exponential mean ${se / n}`);
  assert.ok(Math.abs(se2 / n - (se / n) ** 2 - 0.25) < 0.02, "exponential variance");
  for (const c of counts) assert.ok(Math.abs(c - n / 10) < 600, `int bucket ${c}`);
});
