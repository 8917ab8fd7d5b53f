import assert from "node:assert/strict";
import { parseCents } from "./cents.ts";

Deno.test("parseCents: cents to ticks exactly", () => {
  assert.equal(parseCents("45"), 4500);
  assert.equal(parseCents("1.0"), 100);
  assert.equal(parseCents("99.50"), 9950);
  assert.equal(parseCents("0.01"), 1);
  assert.equal(parseCents("0"), 0);
  assert.equal(parseCents("100"), 10000);
  assert.equal(parseCents("12.3400"), 1234);
});

Deno.test("parseCents: malformed, too fine and out-of-range values are refused", () => {
  const bad: [string, RegExp][] = [
    ["", /not a number of cents/],
    ["abc", /not a number of cents/],
    ["4 5", /not a number of cents/],
    ["1e2", /not a number of cents/],
    ["+5", /not a number of cents/],
    ["NaN", /not a number of cents/],
    ["1.005", /finer than \$0\.0001/],
    ["101", /outside 0\.\.100 cents/],
    ["-1", /outside 0\.\.100 cents/],
    ["100.01", /outside 0\.\.100 cents/],
  ];
  for (const [s, re] of bad) {
    assert.throws(() => parseCents(s), re, s);
    assert.throws(
      () => parseCents(s),
      (e: unknown) => (e as Error).message.endsWith(`current value is ${JSON.stringify(s)}`),
    );
  }
});
