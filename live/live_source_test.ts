import assert from "node:assert/strict";
import { join } from "node:path";
import type { TapeEvent } from "../lib/tape/events.ts";
import { readNdjsonFile } from "../lib/tape/ndjson_reader.ts";
import type { EventBlock } from "../lib/tape/block.ts";
import type { FeedHealth, LiveFeed } from "./feed_port.ts";
import { ArrayFeed } from "./array_feed.ts";
import { FakeClock } from "./fake_clock.ts";
import { denoFs } from "./io.ts";
import { LiveSource } from "./live_source.ts";
import { TapeRecorder } from "./recorder.ts";

const u = (ts: number, value = 1): TapeEvent => ({ kind: "underlying", ts, symbol: "BTC", value });

async function drain(src: LiveSource): Promise<TapeEvent[]> {
  const out: TapeEvent[] = [];
  let b: EventBlock | null;
  while ((b = await src.nextBlock()) !== null) {
    assert.ok(b.length >= 1, "a block holds at least one event");
    for (let i = 0; i < b.length; i++) out.push(b.event(i));
  }
  return out;
}

Deno.test("LiveSource: delivers the feed's events in blocks, records each, ends with the feed", async () => {
  const dir = Deno.makeTempDirSync();
  const clock = new FakeClock(0);
  const events = Array.from({ length: 10 }, (_, i) => u(1000 + i * 10, i));
  const rec = new TapeRecorder(join(dir, "r.ndjson"), { fs: denoFs, clock });
  const src = new LiveSource(new ArrayFeed(events), {
    name: "r",
    clock,
    recorder: rec,
    maxBlock: 3,
  });
  const got = await drain(src);
  rec.close();
  assert.deepEqual(got, events);
  assert.equal(src.stopReason, "feed_end");
  assert.equal(src.delivered, 10);
  const back: TapeEvent[] = [];
  for await (const e of readNdjsonFile(join(dir, "r.ndjson"))) back.push(e);
  assert.deepEqual(back, events);
});

Deno.test("LiveSource: invalid events are counted and dropped (lenient), never recorded", async () => {
  const dir = Deno.makeTempDirSync();
  const clock = new FakeClock(0);
  const rec = new TapeRecorder(join(dir, "r.ndjson"), { fs: denoFs, clock });
  const events = [
    u(10),
    u(5),
    u(20),
    {
      kind: "trade",
      ts: 30,
      market: "NOPE",
      price: 5000,
      count: 100,
      takerSide: "yes",
    } as TapeEvent,
  ];
  const src = new LiveSource(new ArrayFeed(events), { name: "r", clock, recorder: rec });
  const got = await drain(src);
  rec.close();
  assert.deepEqual(got.map((e) => e.ts), [10, 20]);
  assert.equal(src.anomalyCount(), 2);
  assert.match(src.anomalies[0].detail, /5/);
  assert.equal(rec.recorded, 2);
});

Deno.test("LiveSource: strict mode throws on the first invalid event", async () => {
  const clock = new FakeClock(0);
  const src = new LiveSource(new ArrayFeed([u(10), u(5)]), { name: "r", clock, strict: true });
  await assert.rejects(() => drain(src), /r:2/);
});

Deno.test("LiveSource: stops at the deadline and on the signal; queued events are not consumed", async () => {
  const clock = new FakeClock(0);
  const events = Array.from({ length: 100 }, (_, i) => u(i * 1000));
  const feed = new ArrayFeed(events, { clock });
  const src = new LiveSource(feed, { name: "r", clock, deadline: 10_500 });
  const got = await drain(src);
  assert.equal(src.stopReason, "time_limit");
  assert.ok(got.length >= 10 && got.length <= 11, `got ${got.length}`);
  await src.close();

  const ac = new AbortController();
  const clock2 = new FakeClock(0);
  const src2 = new LiveSource(new ArrayFeed(events, { clock: clock2 }), {
    name: "r",
    clock: clock2,
    signal: ac.signal,
  });
  const first = await src2.nextBlock();
  assert.ok(first !== null);
  ac.abort();
  assert.equal(await src2.nextBlock(), null);
  assert.equal(src2.stopReason, "stopped");
  await src2.close();
});

Deno.test("LiveSource: ticks while idle and stamps book arrivals on the wall clock", async () => {
  const clock = new FakeClock(0);
  const events: TapeEvent[] = [
    { kind: "series", ts: 0, series: "S", feeType: "quadratic", feeMultiplier: 10000 },
    { kind: "event", ts: 0, event: "E", series: "S", mutuallyExclusive: false },
    {
      kind: "market",
      ts: 0,
      market: "M",
      event: "E",
      strikeType: "greater",
      floorStrike: 1,
      openTs: 0,
      closeTs: 100_000,
      priceStep: 100,
    },
    {
      kind: "quote",
      ts: 5000,
      market: "M",
      yesBid: 4000,
      yesAsk: 6000,
      yesBidSize: 0,
      yesAskSize: 0,
    },
  ];
  let ticks = 0;
  const src = new LiveSource(new ArrayFeed(events, { clock }), {
    name: "r",
    clock,
    idleTickMs: 1000,
    onTick: () => ticks++,
  });
  await drain(src);
  assert.ok(ticks >= 5, `idle ticks while waiting 5 s: ${ticks}`);
  assert.equal(src.bookReceivedAt("M"), 5000);
  assert.equal(src.bookReceivedAt("X"), undefined);
});

Deno.test("LiveSource: a feed that fails ends the run with its error", async () => {
  const feed: LiveFeed = {
    async *events() {
      yield u(1);
      throw new Error("socket exploded");
    },
    health: (): FeedHealth => ({
      mode: "down",
      lastMessageTs: Number.NaN,
      invalidBooks: [],
      counters: {},
    }),
    close: () => Promise.resolve(),
  };
  const src = new LiveSource(feed, { name: "r", clock: new FakeClock(0) });
  await assert.rejects(() => drain(src), /socket exploded/);
});

Deno.test("LiveSource: bad options are refused", () => {
  const feed = new ArrayFeed([]);
  const clock = new FakeClock();
  assert.throws(() => new LiveSource(feed, { name: "r", clock, maxBlock: 0 }), /maxBlock.*0/);
  assert.throws(() => new LiveSource(feed, { name: "r", clock, idleTickMs: 0 }), /idleTickMs.*0/);
  assert.throws(
    () => new LiveSource(feed, { name: "r", clock, deadline: Number.NaN }),
    /deadline.*NaN/,
  );
});
