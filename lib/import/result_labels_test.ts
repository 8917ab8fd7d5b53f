import assert from "node:assert/strict";
import type { MarketEvent } from "../tape/events.ts";
import { formatResultLabel, marketsForLabel, parseResultLabel } from "./result_labels.ts";

function m(market: string, s: Partial<MarketEvent>): MarketEvent {
  return {
    kind: "market",
    ts: 0,
    market,
    event: "E",
    strikeType: "between",
    openTs: 0,
    closeTs: 0,
    priceStep: 100,
    ...s,
  } as MarketEvent;
}

const LADDER = [
  m("T30", { strikeType: "less", capStrike: 30 }),
  m("B30.5", { floorStrike: 30, capStrike: 31 }),
  m("B32.5", { floorStrike: 32, capStrike: 33 }),
  m("T33", { strikeType: "greater", floorStrike: 33 }),
];

Deno.test("parseResultLabel: ranges and tails, degree sign optional", () => {
  assert.deepEqual(parseResultLabel("79° to 80°"), { lo: 79, hi: 80 });
  assert.deepEqual(parseResultLabel("79 to 80"), { lo: 79, hi: 80 });
  assert.deepEqual(parseResultLabel(" 78° or below "), { lo: -Infinity, hi: 78 });
  assert.deepEqual(parseResultLabel("87° or above"), { lo: 87, hi: Infinity });
  assert.deepEqual(parseResultLabel("-3° to -2°"), { lo: -3, hi: -2 });
});

Deno.test("parseResultLabel: other text and reversed ranges are refused", () => {
  for (const bad of ["", "80° to 79°", "79°-80°", "above 87°", "79° to", "x° to 80°"]) {
    assert.throws(
      () => parseResultLabel(bad),
      (e: unknown) =>
        e instanceof SyntaxError && e.message.endsWith(`current value is ${JSON.stringify(bad)}`),
      bad,
    );
  }
});

Deno.test("formatResultLabel: round trip", () => {
  for (const s of ["79° to 80°", "78° or below", "87° or above"]) {
    assert.equal(formatResultLabel(parseResultLabel(s)), s);
  }
});

Deno.test("marketsForLabel: exactly the market with that grid range", () => {
  assert.deepEqual(marketsForLabel(parseResultLabel("29° or below"), LADDER, 1), ["T30"]);
  assert.deepEqual(marketsForLabel(parseResultLabel("30° to 31°"), LADDER, 1), ["B30.5"]);
  assert.deepEqual(marketsForLabel(parseResultLabel("34° or above"), LADDER, 1), ["T33"]);
  assert.deepEqual(marketsForLabel(parseResultLabel("30° or below"), LADDER, 1), []);
  assert.deepEqual(marketsForLabel(parseResultLabel("31° to 32°"), LADDER, 1), []);
});
