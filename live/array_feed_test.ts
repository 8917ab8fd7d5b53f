import assert from "node:assert/strict";
import type { TapeEvent } from "../lib/tape/events.ts";
import { ArrayFeed } from "./array_feed.ts";
import { FakeClock } from "./fake_clock.ts";

const ev = (ts: number, value = 1): TapeEvent => ({ kind: "underlying", ts, symbol: "BTC", value });

Deno.test("ArrayFeed: unpaced, hands out every event, then reports down", async () => {
  const events = [ev(1), ev(2), ev(2)];
  const feed = new ArrayFeed(events);
  const got: TapeEvent[] = [];
  for await (const e of feed.events()) got.push(e);
  assert.deepEqual(got, events);
  assert.equal(got[0], events[0], "the same objects");
  assert.equal(feed.health().mode, "down");
  assert.equal(feed.delivered, 3);
});

Deno.test("ArrayFeed: paced on a clock at a speed", async () => {
  const clock = new FakeClock(50_000);
  const feed = new ArrayFeed([ev(1000), ev(3000), ev(7000)], { clock, speed: 2 });
  const at: number[] = [];
  for await (const _ of feed.events()) {
    at.push(clock.now());
    assert.equal(feed.health().mode, "ws");
    assert.equal(feed.health().lastMessageTs, clock.now());
  }
  assert.deepEqual(at, [50_000, 51_000, 53_000]);
});

Deno.test("ArrayFeed: an absolute schedule emits each event at its ts on the clock", async () => {
  const clock = new FakeClock(900);
  const feed = new ArrayFeed([ev(500), ev(1000), ev(1500)], { clock, schedule: "absolute" });
  const at: number[] = [];
  for await (const _ of feed.events()) at.push(clock.now());
  assert.deepEqual(at, [900, 1000, 1500]);
});

Deno.test("ArrayFeed: close ends a paced iteration while it waits", async () => {
  const clock = new FakeClock(0);
  const feed = new ArrayFeed([ev(0), ev(10_000_000)], { clock });
  const it = feed.events()[Symbol.asyncIterator]();
  assert.equal((await it.next()).done, false);
  const next = it.next();
  await feed.close();
  assert.equal((await next).done, true);
  assert.equal(feed.health().mode, "down");
});

Deno.test("ArrayFeed: bad input is refused", async () => {
  assert.throws(
    () => new ArrayFeed([], { speed: 0 }),
    /Cannot create array feed.*current value is 0/,
  );
  assert.throws(() => new ArrayFeed([], { speed: Number.NaN }), /NaN/);
  const feed = new ArrayFeed([ev(1)]);
  for await (const _ of feed.events()) { /* drain */ }
  await assert.rejects(async () => {
    for await (const _ of feed.events()) { /* again */ }
  }, /Cannot iterate array feed/);
});
