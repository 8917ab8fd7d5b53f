import assert from "node:assert/strict";
import {
  centsToTicks,
  contractsToCenti,
  countOf,
  dollarsToTicks,
  FieldError,
  KalshiRecord,
  rejectFieldErrors,
} from "./kalshi_fields.ts";

function fieldError(fn: () => unknown, field: string, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof FieldError, String(e));
    assert.equal(e.field, field);
    assert.match(e.detail, pattern);
    return true;
  });
}

Deno.test("kalshi fields: dollar prices parse exactly, in ticks", () => {
  assert.equal(dollarsToTicks("p", "0.5600"), 5600);
  assert.equal(dollarsToTicks("p", "0.560000"), 5600);
  assert.equal(dollarsToTicks("p", "0.0001"), 1);
  assert.equal(dollarsToTicks("p", "1"), 10000);
  assert.equal(dollarsToTicks("p", "0"), 0);
});

Deno.test("kalshi fields: bad dollar prices are errors naming the field", () => {
  fieldError(() => dollarsToTicks("a.b", "abc"), "a.b", /not a decimal number.*"abc"/);
  fieldError(() => dollarsToTicks("p", "1e-1"), "p", /not a decimal number/);
  fieldError(() => dollarsToTicks("p", "0.56001"), "p", /not a multiple of \$0\.0001/);
  fieldError(() => dollarsToTicks("p", "0.5600001"), "p", /more than 6 decimal places/);
  fieldError(() => dollarsToTicks("p", "1.0001"), "p", /outside \$0\.\.\$1/);
  fieldError(() => dollarsToTicks("p", "-0.01"), "p", /outside \$0\.\.\$1/);
  fieldError(() => dollarsToTicks("p", 0.56), "p", /expected a dollar string/);
  fieldError(() => dollarsToTicks("p", null), "p", /expected a dollar string/);
});

Deno.test("kalshi fields: integer cents and contracts (the older API)", () => {
  assert.equal(centsToTicks("c", 56), 5600);
  fieldError(() => centsToTicks("c", 56.5), "c", /integer cents/);
  fieldError(() => centsToTicks("c", 101), "c", /outside 0\.\.100 cents/);
  fieldError(() => centsToTicks("c", "56"), "c", /integer cents/);
  assert.equal(contractsToCenti("n", 3), 300);
  fieldError(() => contractsToCenti("n", -1), "n", /non-negative integer/);
  assert.equal(countOf("n", "2.50"), 250);
  fieldError(() => countOf("n", "2.505"), "n", /not a multiple of 0\.01/);
  fieldError(() => countOf("n", 2), "n", /expected a count string/);
});

Deno.test("kalshi fields: a record reads the _dollars field, else the cent field", () => {
  const r = new KalshiRecord({ yes_bid_dollars: "0.4200", yes_bid: 41, no_bid: 57 }, "m[0]");
  assert.equal(r.price("yes_bid_dollars", "yes_bid"), 4200);
  assert.equal(r.price("no_bid_dollars", "no_bid"), 5700);
  assert.equal(r.optPrice("yes_ask_dollars", "yes_ask"), undefined);
  fieldError(() => r.price("yes_ask_dollars", "yes_ask"), "m[0].yes_ask_dollars", /missing field/);
});

Deno.test("kalshi fields: a prefixed record (the old Python client) names its keys", () => {
  const r = new KalshiRecord({ _floor_strike: "5", _ts: 1720879203 }, "[0].X[1]", "_");
  assert.equal(r.field("floor_strike"), "[0].X[1]._floor_strike");
  fieldError(() => r.optNum("floor_strike"), "[0].X[1]._floor_strike", /not a finite number.*"5"/);
  assert.equal(r.unixSeconds("ts"), 1720879203000);
});

Deno.test("kalshi fields: times, strings and booleans are checked", () => {
  const r = new KalshiRecord(
    {
      t: "2025-08-12T13:09:49.950641Z",
      bad: "2025-08-12",
      n: 5,
      ms: 1720879203000,
      s: "",
      b: "true",
    },
    "",
  );
  assert.equal(r.time("t"), Date.UTC(2025, 7, 12, 13, 9, 49, 950));
  fieldError(() => r.time("bad"), "bad", /Cannot parse timestamp/);
  fieldError(() => r.time("n"), "n", /RFC 3339 time string/);
  fieldError(() => r.time("missing"), "missing", /missing field/);
  fieldError(() => r.unixSeconds("ms"), "ms", /Unix seconds/);
  fieldError(() => r.str("s"), "s", /non-empty string/);
  assert.equal(r.optStr("s"), undefined);
  fieldError(() => r.bool("b"), "b", /not a boolean/);
});

Deno.test("rejectFieldErrors turns a FieldError into a reject of the row; other errors propagate", () => {
  const rejects: [number, string, string][] = [];
  const sink = {
    reject: (row: number, field: string, detail: string) => rejects.push([row, field, detail]),
  };
  let undone = 0;
  rejectFieldErrors(sink, 7, () => {
    throw new FieldError("yes_bid", "Cannot parse price");
  }, () => undone++);
  rejectFieldErrors(sink, 8, () => {});
  assert.deepEqual(rejects, [[7, "yes_bid", "Cannot parse price"]]);
  assert.equal(undone, 1);
  assert.throws(() =>
    rejectFieldErrors(sink, 9, () => {
      throw new TypeError("bug");
    }), TypeError);
  assert.equal(rejects.length, 1);
});
