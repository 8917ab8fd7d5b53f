import assert from "node:assert/strict";
import normalCdf from "@stdlib/stats-base-dists-normal-cdf";
import { Prng } from "../random/prng.ts";
import { normalCdfInto } from "./normal_cdf.ts";

/** Index of the first point where two arrays differ bit for bit (NaN equals NaN), or -1. */
function firstDifference(a: Float64Array, b: Float64Array): number {
  for (let i = 0; i < a.length; i++) {
    if (!Object.is(a[i], b[i])) return i;
  }
  return -1;
}

/** The library's value at every point (the reference). */
function reference(xs: Float64Array, mean: number, sd: number): Float64Array {
  return xs.map((x) => normalCdf(x, mean, sd));
}

Deno.test("normalCdfInto equals the library bit for bit in every branch of erfc", () => {
  const rng = new Prng(7);
  // The erfc argument is -(x - mean) / (sd * sqrt 2); count the points per branch.
  const branch = new Map<string, number>();
  const regionOf = (arg: number) => {
    const a = Math.abs(arg);
    if (a < 1.3877787807814457e-17) return "tiny";
    if (a < 0.84375) return arg < 0.25 ? "small<0.25" : "small>=0.25";
    if (a < 1.25) return arg < 0 ? "mid-" : "mid+";
    if (a < 2.857142857142857) return arg < 0 ? "ra-" : "ra+";
    if (a < 28) return arg < -6 ? "<-6" : arg < 0 ? "rb-" : "rb+";
    return arg < 0 ? "huge-" : "huge+";
  };
  const n = 4096;
  const xs = new Float64Array(n);
  const out = new Float64Array(n);
  for (let round = 0; round < 200; round++) {
    const mean = (rng.next() - 0.5) * 10 ** (rng.int(7) - 2);
    const sd = 10 ** (rng.next() * 6 - 3);
    // Spread the points over the ranges of every branch, up to 40 sd from the mean.
    const scale = [1e-18, 0.5, 1.2, 2.5, 8, 25, 40][round % 7];
    for (let i = 0; i < n; i++) {
      xs[i] = mean + (rng.next() * 2 - 1) * scale * sd * Math.SQRT2;
      const region = regionOf(-(xs[i] - mean) / (sd * Math.sqrt(2)));
      branch.set(region, (branch.get(region) ?? 0) + 1);
    }
    normalCdfInto(xs, n, mean, sd, out);
    const ref = reference(xs, mean, sd);
    const i = firstDifference(out, ref);
    assert.equal(
      i,
      -1,
      i < 0 ? "" : `x=${xs[i]} mean=${mean} sd=${sd}: ${out[i]} vs library ${ref[i]}`,
    );
  }
  for (
    const r of [
      "tiny",
      "small<0.25",
      "small>=0.25",
      "mid-",
      "mid+",
      "ra-",
      "ra+",
      "rb-",
      "rb+",
      "<-6",
      "huge-",
      "huge+",
    ]
  ) {
    assert.ok((branch.get(r) ?? 0) > 100, `branch ${r} covered by ${branch.get(r) ?? 0} points`);
  }
});

Deno.test("normalCdfInto: special values as the library gives them", () => {
  const xs = Float64Array.of(NaN, Infinity, -Infinity, 0, -0, 3, 1e308, -1e308);
  const out = new Float64Array(xs.length);
  for (
    const [mean, sd] of [
      [0, 1],
      [3, 0],
      [0, Infinity],
      [Infinity, 1],
      [-Infinity, 2],
      [NaN, 1],
      [0, NaN],
      [0, -1],
      [1e-300, 1e-300],
    ]
  ) {
    normalCdfInto(xs, xs.length, mean, sd, out);
    const ref = reference(xs, mean, sd);
    const i = firstDifference(out, ref);
    assert.equal(i, -1, i < 0 ? "" : `x=${xs[i]} mean=${mean} sd=${sd}: ${out[i]} vs ${ref[i]}`);
  }
});

Deno.test("normalCdfInto writes only the first n entries", () => {
  const out = Float64Array.of(-1, -1, -1);
  normalCdfInto(Float64Array.of(0, 0, 0), 2, 0, 1, out);
  assert.deepEqual(Array.from(out), [0.5, 0.5, -1]);
  normalCdfInto(Float64Array.of(0, 0, 0), 2, 0, -1, out);
  assert.deepEqual(Array.from(out), [NaN, NaN, -1]);
});
