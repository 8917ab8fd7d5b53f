import assert from "node:assert/strict";
import { CENTI_PER_CONTRACT, formatCount, parseCount, parseSignedCount } from "./quantity.ts";

Deno.test("CENTI_PER_CONTRACT", () => {
  assert.equal(CENTI_PER_CONTRACT, 100);
});

Deno.test("parseCount: valid strings", () => {
  const cases: [string, number][] = [
    ["10.00", 1000],
    ["10", 1000],
    ["0.5", 50],
    ["0.01", 1],
    ["0", 0],
    ["0.00", 0],
    ["-0", 0],
    ["1.000000", 100],
    ["2.370", 237],
    ["007.5", 750],
    ["90071992547409.91", Number.MAX_SAFE_INTEGER],
  ];
  for (const [s, want] of cases) {
    assert.equal(parseCount(s), want, s);
  }
  assert.ok(Object.is(parseCount("-0.00"), 0), "no negative zero");
});

Deno.test("parseCount: malformed strings are SyntaxError", () => {
  for (
    const s of ["", "abc", "1e3", " 1", "1 ", "--1", "+1", "1.2.3", "NaN", "Infinity", ".5", "1."]
  ) {
    assert.throws(() => parseCount(s), SyntaxError, JSON.stringify(s));
  }
});

Deno.test("parseCount: negative, sub-centi or too large is RangeError", () => {
  for (const s of ["-1", "-0.01", "0.001", "1.005", "90071992547409.92"]) {
    assert.throws(() => parseCount(s), RangeError, s);
  }
});

Deno.test("parseCount: error message style", () => {
  assert.throws(() => parseCount("-2"), {
    name: "RangeError",
    message: 'Cannot parse count: must not be negative, current value is "-2"',
  });
  assert.throws(() => parseCount("0.005"), {
    name: "RangeError",
    message: 'Cannot parse count: not a multiple of 0.01 contracts, current value is "0.005"',
  });
});

Deno.test("parseSignedCount: signed deltas", () => {
  const cases: [string, number][] = [
    ["-2.50", -250],
    ["-10", -1000],
    ["3.00", 300],
    ["-0.01", -1],
    ["-0", 0],
  ];
  for (const [s, want] of cases) {
    assert.equal(parseSignedCount(s), want, s);
  }
  for (const s of ["--1", "- 1", "", "1e2", "-"]) {
    assert.throws(() => parseSignedCount(s), SyntaxError, JSON.stringify(s));
  }
  for (const s of ["-0.001", "-90071992547409.92"]) {
    assert.throws(() => parseSignedCount(s), RangeError, s);
  }
});

Deno.test("formatCount: table", () => {
  const cases: [number, string][] = [
    [1000, "10.00"],
    [-50, "-0.50"],
    [0, "0.00"],
    [1, "0.01"],
    [237, "2.37"],
  ];
  for (const [centi, want] of cases) {
    assert.equal(formatCount(centi), want);
  }
  for (const c of [0.5, NaN, -Infinity]) {
    assert.throws(() => formatCount(c), RangeError, String(c));
  }
});

Deno.test("parseSignedCount/formatCount round trip", () => {
  for (let c = -20_000; c <= 20_000; c++) {
    assert.equal(parseSignedCount(formatCount(c)), c);
    if (c >= 0) assert.equal(parseCount(formatCount(c)), c);
  }
});
