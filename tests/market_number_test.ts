import assert from "node:assert/strict";
import type { Strategy } from "../lib/engine/strategy.ts";
import type { TapeEvent } from "../lib/tape/events.ts";
import { arrayStream } from "../lib/venue/stream.ts";
import { runInTemp, tinyLadderTape } from "./helpers.ts";

/** Records, per delivered event, its kind, ticker (if any), the number passed and ctx's answer. */
function numberSpy(seen: [string, string, number, number][]): Strategy {
  return {
    name: "numbers",
    params: {},
    onEvent(ev: TapeEvent, ctx, market) {
      const ticker = "market" in ev ? ev.market : "";
      seen.push([ev.kind, ticker, market, ticker === "" ? -1 : ctx.marketNumber(ticker)]);
      assert.equal(ctx.marketNumber("KXTEST-NOT-DECLARED"), -1);
    },
  };
}

Deno.test("market numbers: declaration order, passed with every event of the market, -1 for the rest", async () => {
  const events = tinyLadderTape();
  const seen: [string, string, number, number][] = [];
  await runInTemp(numberSpy(seen), [arrayStream("tiny", events)]);
  assert.equal(seen.length, events.length);
  const declared = events.filter((e) => e.kind === "market").map((e) => e.market);
  assert.ok(declared.length >= 3);
  for (const [kind, ticker, market, fromCtx] of seen) {
    if (ticker === "") {
      assert.ok(["series", "event", "underlying"].includes(kind), kind);
      assert.equal(market, -1, `${kind} names no market`);
    } else {
      assert.equal(market, declared.indexOf(ticker), `${kind} ${ticker}`);
      assert.equal(fromCtx, market, "ctx.marketNumber agrees with the number passed");
    }
  }
  // Every kind that names a market was seen with a number.
  const kinds = new Set(seen.filter((s) => s[2] >= 0).map((s) => s[0]));
  for (const k of ["market", "lifecycle", "book_snapshot", "book_delta", "trade", "settlement"]) {
    assert.ok(kinds.has(k), k);
  }
});

Deno.test("market numbers: the same with two merged streams as with one", async () => {
  const events = tinyLadderTape();
  const meta = events.filter((e) => ["series", "event", "market"].includes(e.kind));
  const rest = events.filter((e) => !["series", "event", "market"].includes(e.kind));
  const one: [string, string, number, number][] = [];
  const two: [string, string, number, number][] = [];
  await runInTemp(numberSpy(one), [arrayStream("tiny", events)]);
  await runInTemp(numberSpy(two), [arrayStream("meta", meta), arrayStream("rest", rest)]);
  const byTicker = (rows: [string, string, number, number][]) =>
    new Map(rows.filter((r) => r[1] !== "").map((r) => [r[1], r[2]]));
  assert.deepEqual(byTicker(two), byTicker(one));
});
