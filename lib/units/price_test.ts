import assert from "node:assert/strict";
import {
  formatFixedPoint,
  formatMoney,
  formatPrice,
  parseFixedPoint,
  parseMoney,
  parsePrice,
  TICKS_PER_CENT,
  TICKS_PER_DOLLAR,
} from "./price.ts";

Deno.test("constants", () => {
  assert.equal(TICKS_PER_DOLLAR, 10_000);
  assert.equal(TICKS_PER_CENT, 100);
});

Deno.test("parsePrice: valid strings", () => {
  const cases: [string, number][] = [
    ["0.5600", 5600],
    ["0.56", 5600],
    ["0.5", 5000],
    ["1", 10000],
    ["1.0000", 10000],
    ["1.000000", 10000],
    ["0", 0],
    ["0.0000", 0],
    ["-0", 0],
    ["0.0001", 1],
    ["0.0150", 150],
    ["0.4567", 4567],
    ["0.456700", 4567],
    ["0.999", 9990],
    ["00.07", 700],
  ];
  for (const [s, want] of cases) {
    assert.equal(parsePrice(s), want, s);
  }
  assert.ok(Object.is(parsePrice("-0"), 0), "no negative zero");
});

Deno.test("parsePrice: malformed strings are SyntaxError", () => {
  const bad = [
    "",
    "abc",
    "1e3",
    " 0.5",
    "0.5 ",
    "--1",
    "+0.5",
    "0.5.6",
    "NaN",
    "Infinity",
    "-Infinity",
    ".5",
    "1.",
    "-",
    ".",
    "0x10",
    "0,5",
    "$0.50",
    "0.5000000", // more than 6 decimals
  ];
  for (const s of bad) {
    assert.throws(() => parsePrice(s), SyntaxError, JSON.stringify(s));
  }
});

Deno.test("parsePrice: out of range or off the tick grid is RangeError", () => {
  const bad = [
    "1.0001",
    "2",
    "-0.01",
    "-1",
    "0.00001",
    "0.123456",
    "0.56005",
    "99999999999999999999",
  ];
  for (const s of bad) {
    assert.throws(() => parsePrice(s), RangeError, s);
  }
});

Deno.test("parsePrice: non-string input is TypeError", () => {
  assert.throws(() => parsePrice(0.5 as unknown as string), TypeError);
});

Deno.test("parsePrice: error message style", () => {
  assert.throws(() => parsePrice("abc"), {
    name: "SyntaxError",
    message: 'Cannot parse price: not a decimal number, current value is "abc"',
  });
  assert.throws(() => parsePrice("1.5"), {
    name: "RangeError",
    message: 'Cannot parse price: outside $0..$1, current value is "1.5"',
  });
  assert.throws(() => parsePrice("0.123456"), {
    name: "RangeError",
    message: 'Cannot parse price: not a multiple of $0.0001, current value is "0.123456"',
  });
});

Deno.test("formatPrice: table", () => {
  const cases: [number, string][] = [
    [5600, "0.5600"],
    [0, "0.0000"],
    [1, "0.0001"],
    [150, "0.0150"],
    [10000, "1.0000"],
  ];
  for (const [ticks, want] of cases) {
    assert.equal(formatPrice(ticks), want);
  }
});

Deno.test("formatPrice: invalid ticks are RangeError", () => {
  for (const t of [-1, 10001, 0.5, NaN, Infinity]) {
    assert.throws(() => formatPrice(t), RangeError, String(t));
  }
});

Deno.test("parsePrice/formatPrice round trip over every tick", () => {
  for (let t = 0; t <= TICKS_PER_DOLLAR; t++) {
    const s = formatPrice(t);
    assert.equal(parsePrice(s), t);
    assert.equal(formatPrice(parsePrice(s)), s);
  }
});

Deno.test("parseMoney: table", () => {
  const cases: [string, number][] = [
    ["-1.2345", -12345],
    ["1.2345", 12345],
    ["250", 2500000],
    ["-0.01", -100],
    ["0", 0],
    ["-0", 0],
    ["12.000000", 120000],
    ["900719925474.0991", Number.MAX_SAFE_INTEGER],
    ["-900719925474.0991", -Number.MAX_SAFE_INTEGER],
  ];
  for (const [s, want] of cases) {
    assert.equal(parseMoney(s), want, s);
  }
  assert.ok(Object.is(parseMoney("-0.0000"), 0), "no negative zero");
});

Deno.test("parseMoney: bad inputs", () => {
  for (const s of ["", "abc", "1e3", " 1", "--1", "1.2.3", "NaN", "Infinity", "+1", "1.0000000"]) {
    assert.throws(() => parseMoney(s), SyntaxError, JSON.stringify(s));
  }
  for (const s of ["0.00001", "-1.23456", "900719925474.0992", "1000000000000000000000"]) {
    assert.throws(() => parseMoney(s), RangeError, s);
  }
});

Deno.test("formatMoney: table and round trip", () => {
  const cases: [number, string][] = [
    [-12345, "-1.2345"],
    [12345, "1.2345"],
    [-1, "-0.0001"],
    [0, "0.0000"],
    [1800, "0.1800"],
    [2500000, "250.0000"],
  ];
  for (const [ticks, want] of cases) {
    assert.equal(formatMoney(ticks), want);
    assert.equal(parseMoney(want), ticks);
  }
  for (let t = -30_000; t <= 30_000; t += 7) {
    assert.equal(parseMoney(formatMoney(t)), t);
  }
  for (const t of [0.5, NaN, Infinity, Number.MAX_SAFE_INTEGER + 1]) {
    assert.throws(() => formatMoney(t), RangeError, String(t));
  }
});

Deno.test("parseFixedPoint / formatFixedPoint: other scales", () => {
  const opts = { scale: 2, signed: false, what: "count", unitName: "0.01" } as const;
  assert.equal(parseFixedPoint("10.50", opts), 1050);
  assert.equal(parseFixedPoint("10.5000", opts), 1050);
  assert.throws(() => parseFixedPoint("10.501", opts), RangeError);
  assert.throws(() => parseFixedPoint("-1", opts), RangeError);
  assert.equal(formatFixedPoint(-5, 2, "count"), "-0.05");
  assert.equal(formatFixedPoint(7, 0, "x"), "7");
});
