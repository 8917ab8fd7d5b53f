import assert from "node:assert/strict";
import type { Strategy, StrategyContext } from "../lib/engine/strategy.ts";
import type { TapeEvent } from "../lib/tape/events.ts";
import { ArrayBlock, type BlockSource } from "../lib/tape/block.ts";
import { runInTemp, tinyLadderTape } from "./helpers.ts";

/**
 * A source of one-event blocks that counts how far the engine has pulled. (Real
 * sources hand out larger blocks; the strategy never gets a handle on them.)
 */
function countingStream(events: TapeEvent[], pulled: { n: number }): BlockSource {
  let i = 0;
  return {
    name: "counting",
    nextBlock: () => {
      if (i >= events.length) return Promise.resolve(null);
      pulled.n++;
      return Promise.resolve(new ArrayBlock([events[i]], ++i));
    },
    anomalyCount: () => 0,
  };
}

Deno.test("a strategy never sees an event later than now, and the engine pulls one stream ahead at most", async () => {
  const events = tinyLadderTape();
  const pulled = { n: 0 };
  let delivered = 0;
  let maxSeen = 0;
  const spy: Strategy = {
    name: "spy",
    params: {},
    onEvent(ev: TapeEvent, ctx: StrategyContext) {
      delivered++;
      assert.equal(ev.ts, ctx.now, "the event delivered is the current time");
      assert.ok(ev.ts >= maxSeen, "time never goes backwards");
      maxSeen = ev.ts;
      // With a single stream the engine has pulled exactly the events delivered:
      // nothing from the future exists anywhere in the process yet.
      assert.equal(pulled.n, delivered);
      // The context reflects only applied events: a book exists only once its snapshot arrived.
      const b = ctx.book("KXTEST-26JAN05-B");
      if (b !== undefined && ctx.now < events.find((e) => e.kind === "book_snapshot")!.ts) {
        assert.equal(b.valid, false);
      }
    },
  };
  await runInTemp(spy, [countingStream(events, pulled)]);
  assert.equal(delivered, events.length);
});

Deno.test("with two streams the merge keeps exactly one event of lookahead per stream", async () => {
  const events = tinyLadderTape();
  const a = events.filter((_, i) => i % 2 === 0 || events[i].kind !== "underlying");
  const pulledA = { n: 0 };
  const pulledB = { n: 0 };
  const extra: TapeEvent[] = [
    { kind: "underlying", ts: events[0].ts + 5, symbol: "Y", value: 1 },
    { kind: "underlying", ts: events[0].ts + 50_000, symbol: "Y", value: 2 },
  ];
  let delivered = 0;
  const spy: Strategy = {
    name: "spy",
    params: {},
    onEvent(ev, ctx) {
      delivered++;
      assert.equal(ev.ts, ctx.now);
      assert.ok(pulledA.n + pulledB.n <= delivered + 2, "at most one event per stream ahead");
    },
  };
  await runInTemp(spy, [countingStream(a, pulledA), countingStream(extra, pulledB)]);
  assert.equal(delivered, a.length + extra.length);
});

Deno.test("an order is matched only after its latency, against the book of that time", async () => {
  const events = tinyLadderTape();
  let sent = false;
  const buyer: Strategy = {
    name: "buyer",
    params: {},
    onEvent(_ev, ctx) {
      const b = ctx.book("KXTEST-26JAN05-B");
      if (!sent && b?.valid) {
        sent = true;
        ctx.submit({
          market: "KXTEST-26JAN05-B",
          side: "no",
          limitPrice: 5100,
          count: 1000,
          timeInForce: "ioc",
        });
      }
    },
  };
  // Latency 70 s: the order arrives after the delta at +60 s removed 500 of the 1000 at the YES bid 4900.
  const out = await runInTemp(buyer, [countingStream(events, { n: 0 })], {
    replay: { latencyMs: 70_000 },
  });
  assert.equal(out.result.fills.length, 1);
  assert.equal(out.result.fills[0].count, 500);
  assert.equal(out.result.fills[0].ts, events.find((e) => e.kind === "book_snapshot")!.ts + 70_000);
});
