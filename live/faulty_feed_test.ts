import assert from "node:assert/strict";
import type { TapeEvent } from "../lib/tape/events.ts";
import { TapeValidator } from "../lib/tape/validator.ts";
import { STRATEGIES } from "../strategies/registry.ts";
import { FakeClock } from "./fake_clock.ts";
import { FaultyFeed } from "./faulty_feed.ts";

async function collect(feed: FaultyFeed): Promise<TapeEvent[]> {
  const out: TapeEvent[] = [];
  for await (const ev of feed.events()) out.push(ev);
  return out;
}

const tape = STRATEGIES.market_maker.synthetic!.generate(1);

Deno.test("FaultyFeed: with every fault on, the output is still a valid tape and every gap is resynced", async () => {
  const clock = new FakeClock(tape[0].ts);
  const feed = new FaultyFeed(tape, clock, 50, {
    seed: 7,
    gapRate: 0.01,
    disconnectRate: 0.001,
    stallRate: 0.001,
    stallMs: 2000,
  });
  const out = await collect(feed);
  const v = new TapeValidator("faulty", { strict: true });
  out.forEach((ev, i) => v.check(ev, i + 1)); // throws on any problem
  const c = feed.counts;
  assert.ok(c.gaps > 5 && c.disconnects > 1 && c.stalls > 1, JSON.stringify(c));
  assert.equal(c.gapResyncs + c.gapsResyncedByReconnect, c.gaps, JSON.stringify(c));
  assert.equal(c.reconnects, c.disconnects);
  assert.ok(c.lostEvents > 0);
  assert.deepEqual(feed.invalidBooks(), []);
  assert.equal(feed.health().mode, "down", "down after the end");
});

Deno.test("FaultyFeed: without faults it is the tape itself", async () => {
  const clock = new FakeClock(tape[0].ts);
  const out = await collect(new FaultyFeed(tape, clock, 1000, { seed: 1 }));
  assert.deepEqual(out, tape);
});

Deno.test("FaultyFeed: a gap lists the book as invalid until its snapshot comes", async () => {
  const clock = new FakeClock(tape[0].ts);
  const feed = new FaultyFeed(tape, clock, 100, { seed: 3, gapRate: 0.05, gapMs: 60_000 });
  let sawInvalid = false;
  for await (const ev of feed.events()) {
    const invalid = feed.health().invalidBooks;
    if (invalid.length > 0) sawInvalid = true;
    if ("market" in ev && (ev.kind === "book_delta")) {
      assert.ok(!invalid.includes(ev.market), "no delta of a book waiting for its resync");
    }
  }
  assert.ok(sawInvalid);
});

Deno.test("FaultyFeed: bad options are refused", () => {
  const c = new FakeClock();
  assert.throws(() => new FaultyFeed([], c, 0, { seed: 1 }), /speed must be > 0/);
  assert.throws(
    () => new FaultyFeed([], c, 1, { seed: 1, gapRate: 2 }),
    /gapRate .* current value is 2/,
  );
});
