import assert from "node:assert/strict";
import { EventCloses, ladderCloseTs } from "./event_closes.ts";
import { FakeContext } from "./test_context.ts";
import { btcThresholdLadder } from "../lib/market/test_fixtures.ts";

Deno.test("EventCloses keeps each event's earliest market close", () => {
  const c = new EventCloses();
  assert.ok(Number.isNaN(c.get("E")));
  assert.equal(c.note("E", 500), 500);
  assert.equal(c.note("E", 700), 500);
  assert.equal(c.note("E", 300), 300);
  assert.equal(c.get("E"), 300);
  c.delete("E");
  assert.ok(Number.isNaN(c.get("E")));
});

Deno.test("ladderCloseTs: the ladder's first market's close, undefined without a ladder or close", () => {
  const ctx = new FakeContext();
  const ladder = btcThresholdLadder();
  assert.equal(ladderCloseTs(ctx, ladder.event), undefined);
  ctx.ladders.set(ladder.event, ladder);
  assert.equal(ladderCloseTs(ctx, ladder.event), undefined);
  ctx.closes.set(ladder.markets[0], 1234);
  assert.equal(ladderCloseTs(ctx, ladder.event), 1234);
});
