import assert from "node:assert/strict";
import { F64Scratch, F64Slab } from "./f64_slab.ts";

Deno.test("F64Slab: copies are exact, zero-filled allocations, and never overlap", () => {
  const slab = new F64Slab();
  const kept: Float64Array[] = [];
  const want: number[][] = [];
  // Enough arrays of mixed lengths to fill several chunks.
  for (let i = 0; i < 20_000; i++) {
    const n = 1 + (i * 7) % 13;
    const src = Float64Array.from({ length: n }, (_, k) => i + k / 16 + (k === 0 ? -0 : 0.1));
    const copy = i % 3 === 0 ? slab.alloc(n) : slab.copyOf(src);
    if (i % 3 === 0) {
      assert.deepEqual([...copy], new Array(n).fill(0), `alloc(${n}) #${i} is zero-filled`);
      copy.set(src);
    }
    assert.equal(copy.length, n);
    kept.push(copy);
    want.push([...src]);
  }
  // Writing every array to its end after all were handed out: any overlap
  // would show as a changed neighbour.
  for (let i = 0; i < kept.length; i++) {
    assert.deepEqual([...kept[i]], want[i], `array ${i} unchanged by later allocations`);
  }
  // Bit for bit (negative zero, NaN payloads).
  const odd = Float64Array.of(-0, Number.NaN, Number.MIN_VALUE, -Infinity);
  const c = slab.copyOf(odd);
  assert.ok(Object.is(c[0], -0));
  assert.ok(Number.isNaN(c[1]));
  assert.equal(c[2], Number.MIN_VALUE);
  assert.equal(c[3], -Infinity);
});

Deno.test("F64Slab: arrays share chunks but cannot reach each other; a long array gets its own buffer", () => {
  const slab = new F64Slab();
  const a = slab.alloc(8);
  const b = slab.alloc(8);
  assert.equal(a.buffer, b.buffer);
  a.fill(1);
  assert.deepEqual([...b], new Array(8).fill(0));
  const big = slab.alloc(40_000);
  assert.equal(big.length, 40_000);
  assert.equal(big.byteOffset, 0);
  assert.equal(big.buffer.byteLength, 40_000 * 8);
  assert.equal(slab.alloc(0).length, 0);
  assert.throws(() => slab.alloc(-1), {
    name: "RangeError",
    message: /length must be an integer >= 0, current value is -1/,
  });
  assert.throws(() => slab.alloc(1.5), { name: "RangeError", message: /current value is 1\.5/ });
});

Deno.test("F64Scratch: one array per length, reused", () => {
  const s = new F64Scratch();
  const a = s.get(7);
  assert.equal(a.length, 7);
  assert.equal(s.get(7), a);
  assert.notEqual(s.get(8), a);
  assert.equal(s.get(8).length, 8);
});
