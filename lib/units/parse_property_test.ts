/**
 * Property test of the fast fixed-point parsers (char-code loop) against the
 * regular-expression + BigInt reference implementation (`parseFixedPointSlow`):
 * on ~100k random valid and invalid strings both must return the same value or
 * throw the same error class with the same message.
 */
import assert from "node:assert/strict";
import { Prng } from "../random/prng.ts";
import {
  type FixedPointOptions,
  parseFixedPoint,
  parseFixedPointSlow as oracleFixedPoint,
  parseMoney,
  parsePrice,
  parsePriceInOrNaN,
  parsePriceOrNaN,
  scanFixedPoint,
  scanFixedPointIn,
} from "./price.ts";
import {
  parseCount,
  parseCountInOrNaN,
  parseCountOrNaN,
  parseSignedCount,
  parseSignedCountOrNaN,
} from "./quantity.ts";

const PRICE: FixedPointOptions = {
  scale: 4,
  signed: true,
  maxDecimals: 6,
  what: "price",
  unitName: "$0.0001",
};

function oraclePrice(s: string): number {
  const ticks = oracleFixedPoint(s, PRICE);
  if (ticks < 0 || ticks > 10_000) {
    throw new RangeError(
      `Cannot parse price: outside $0..$1, current value is ${JSON.stringify(s)}`,
    );
  }
  return ticks;
}

const COUNT: FixedPointOptions = {
  scale: 2,
  signed: false,
  what: "count",
  unitName: "0.01 contracts",
};

const oracles: [string, (s: string) => number, (s: string) => number, (s: string) => number][] = [
  ["price", oraclePrice, parsePrice, parsePriceOrNaN],
  [
    "money",
    (s) => oracleFixedPoint(s, { ...PRICE, what: "money" }),
    parseMoney,
    (s) => typeof s === "string" ? scanFixedPoint(s, 4, true, 6) : NaN,
  ],
  ["count", (s) => oracleFixedPoint(s, COUNT), parseCount, parseCountOrNaN],
  [
    "signed count",
    (s) => oracleFixedPoint(s, { ...COUNT, signed: true }),
    parseSignedCount,
    parseSignedCountOrNaN,
  ],
  [
    "scale 0",
    (s) => oracleFixedPoint(s, { ...COUNT, scale: 0, unitName: "1" }),
    (s) => parseFixedPoint(s, { ...COUNT, scale: 0, unitName: "1" }),
    (s) => (typeof s === "string" ? scanFixedPoint(s, 0, false, -1) : NaN),
  ],
  [
    "scale 8, max 10 decimals, signed",
    (s) => oracleFixedPoint(s, { ...COUNT, scale: 8, maxDecimals: 10, signed: true }),
    (s) => parseFixedPoint(s, { ...COUNT, scale: 8, maxDecimals: 10, signed: true }),
    (s) => (typeof s === "string" ? scanFixedPoint(s, 8, true, 10) : NaN),
  ],
];

type Outcome = { value: number } | { error: string; message: string };

function outcome(f: (s: string) => number, s: string): Outcome {
  try {
    return { value: f(s) };
  } catch (e) {
    return { error: (e as Error).constructor.name, message: (e as Error).message };
  }
}

// ------------------------------------------------------------ random strings

const DIGITS = "0123456789";
/** Characters of near-misses: signs, dots, exponents, spaces, other digits. */
const NOISE = "0123456789012345678900000.-+eE xabN\u0660\uff10";

function randomValid(rng: Prng): string {
  let s = rng.next() < 0.15 ? "-" : "";
  const intLen = 1 + rng.int(rng.next() < 0.1 ? 20 : 3);
  for (let i = 0; i < intLen; i++) s += DIGITS[rng.int(10)];
  if (rng.next() < 0.8) {
    s += ".";
    const fracLen = 1 + rng.int(rng.next() < 0.1 ? 12 : 7);
    for (let i = 0; i < fracLen; i++) s += rng.next() < 0.3 ? "0" : DIGITS[rng.int(10)];
  }
  return s;
}

function randomNoise(rng: Prng): string {
  const len = rng.int(14);
  let s = "";
  for (let i = 0; i < len; i++) s += NOISE[rng.int(NOISE.length)];
  return s;
}

/** A valid string with one character replaced, inserted or deleted. */
function randomMutant(rng: Prng): string {
  const s = randomValid(rng);
  const at = rng.int(s.length + 1);
  const c = NOISE[rng.int(NOISE.length)];
  switch (rng.int(3)) {
    case 0:
      return s.slice(0, at) + c + s.slice(at + 1);
    case 1:
      return s.slice(0, at) + c + s.slice(at);
    default:
      return s.slice(0, at) + s.slice(at + 1);
  }
}

const EDGES = [
  "",
  "-",
  ".",
  "-.",
  "0.",
  ".5",
  "-0",
  "-0.0000",
  "1",
  "1.000000",
  "1.0000001",
  "0.0000001",
  "0.00001",
  "9007199254740991",
  "9007199254740992",
  "90071992547409.91",
  "90071992547409.92",
  "89999999999999.99",
  "90000000000000.00",
  "900719925474.0991",
  "-9007199254740991",
  "00000000000000000000000001.5",
  "1e3",
  "NaN",
  "Infinity",
  " 1",
  "1 ",
];

/** The edge cases, then random valid strings, near misses and noise, `n` strings in all. */
function randomInputs(rng: Prng, n: number): string[] {
  const inputs: string[] = [...EDGES];
  while (inputs.length < n) {
    const u = rng.next();
    inputs.push(u < 0.45 ? randomValid(rng) : u < 0.75 ? randomMutant(rng) : randomNoise(rng));
  }
  return inputs;
}

Deno.test("fast fixed-point parsers agree with the regex + BigInt oracle on 100k strings", () => {
  const inputs = randomInputs(new Prng(20260105), 100_000);
  let valid = 0;
  for (const s of inputs) {
    for (const [what, oracle, parse, orNaN] of oracles) {
      const want = outcome(oracle, s);
      const got = outcome(parse, s);
      assert.deepEqual(got, want, `${what} of ${JSON.stringify(s)}`);
      const fast = orNaN(s);
      if ("value" in want) {
        valid++;
        // NaN only for values the fast path leaves to the slow one (>= 9e15 units).
        if (Number.isNaN(fast)) assert.ok(Math.abs(want.value) >= 9e15, `${what} of ${s}`);
        else assert.ok(Object.is(fast, want.value), `${what} of ${JSON.stringify(s)}`);
      } else {
        assert.ok(Number.isNaN(fast), `${what} of ${JSON.stringify(s)} should be NaN`);
      }
    }
  }
  // Both kinds were exercised in earnest.
  assert.ok(valid > 100_000, `valid outcomes: ${valid}`);
  assert.ok(valid < inputs.length * oracles.length - 100_000);
});

Deno.test("non-string input: same TypeError, and NaN from the OrNaN forms", () => {
  for (const v of [5, null, undefined, {}, 0.5]) {
    const s = v as unknown as string;
    assert.deepEqual(outcome(parsePrice, s), outcome(oraclePrice, s));
    assert.deepEqual(outcome(parseCount, s), outcome((x) => oracleFixedPoint(x, COUNT), s));
    assert.ok(Number.isNaN(parsePriceOrNaN(s)));
    assert.ok(Number.isNaN(parseCountOrNaN(s)));
    assert.ok(Number.isNaN(parseSignedCountOrNaN(s)));
  }
});

Deno.test("in-place forms read a range of a longer string as the fast forms read it cut out", () => {
  const rng = new Prng(20261121);
  const inputs = randomInputs(rng, 30_000);
  let values = 0;
  for (const s of inputs) {
    // Text around the range that would change the verdict if it were read.
    const before = randomNoise(rng) + ["", "-", "1", "."][rng.int(4)];
    const after = ["", "0", "5", ".", "9x"][rng.int(5)] + randomNoise(rng);
    const text = before + s + after;
    const from = before.length;
    const to = from + s.length;
    const same = (got: number, want: number, what: string) =>
      assert.ok(Object.is(got, want), `${what} of ${JSON.stringify(s)} in ${JSON.stringify(text)}`);
    same(parsePriceInOrNaN(text, from, to), parsePriceOrNaN(s), "price");
    same(parseCountInOrNaN(text, from, to, false), parseCountOrNaN(s), "count");
    same(parseCountInOrNaN(text, from, to, true), parseSignedCountOrNaN(s), "signed count");
    same(scanFixedPointIn(text, from, to, 8, true, 10), scanFixedPoint(s, 8, true, 10), "scale 8");
    if (!Number.isNaN(parseSignedCountOrNaN(s))) values++;
  }
  // Both verdicts were exercised in earnest.
  assert.ok(values > 5_000 && values < inputs.length - 5_000, `valid signed counts: ${values}`);
});
