import assert from "node:assert/strict";
import type { TapeEvent } from "../lib/tape/events.ts";
import { ArrayFeed } from "./array_feed.ts";
import { FakeClock } from "./fake_clock.ts";
import { MergedFeed } from "./merged_feed.ts";

const u = (ts: number, symbol: string): TapeEvent => ({ kind: "underlying", ts, symbol, value: 1 });

Deno.test("MergedFeed: interleaves by arrival, clamps late timestamps, ends with both", async () => {
  const clock = new FakeClock(0);
  const a = new ArrayFeed([u(0, "A"), u(100, "A"), u(300, "A")], { clock, schedule: "absolute" });
  const b = new ArrayFeed([u(50, "B"), u(200, "B")], { clock, schedule: "absolute" });
  const m = new MergedFeed(a, b);
  const out: [number, string][] = [];
  for await (const ev of m.events()) out.push([ev.ts, (ev as { symbol: string }).symbol]);
  assert.deepEqual(out, [[0, "A"], [50, "B"], [100, "A"], [200, "B"], [300, "A"]]);
  assert.equal(m.health().counters.referenceEvents, 2);
  assert.equal(m.health().counters.mergeClamped, 0);
});

Deno.test("MergedFeed: an event older than the last one comes out raised to it", async () => {
  const m = new MergedFeed(new ArrayFeed([u(100, "A")]), new ArrayFeed([u(40, "B")]));
  const out: number[] = [];
  for await (const ev of m.events()) out.push(ev.ts);
  assert.deepEqual(out.sort((x, y) => x - y), out, "non-decreasing");
  assert.ok(out.length === 2);
});

Deno.test("MergedFeed: health is the primary's, adjusted; iterating twice is refused", async () => {
  const m = new MergedFeed(
    new ArrayFeed([]),
    new ArrayFeed([]),
    (h) => ({ ...h, lastMessageTs: 7 }),
  );
  assert.equal(m.health().lastMessageTs, 7);
  for await (const _ of m.events()) { /* empty */ }
  await assert.rejects(async () => {
    for await (const _ of m.events()) { /* again */ }
  }, /Cannot iterate merged feed/);
  await m.close();
});
