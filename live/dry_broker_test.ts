import assert from "node:assert/strict";
import { join } from "node:path";
import type { OrderIntent, StrategyContext } from "../lib/engine/strategy.ts";
import { AuditLog, parseAuditLog } from "./audit_log.ts";
import { DryBroker, type DryBrokerOptions } from "./dry_broker.ts";
import { FakeClock } from "./fake_clock.ts";
import { denoFs } from "./io.ts";
import { DEFAULT_STALENESS } from "./rails/staleness.ts";
import { KillSwitch } from "./rails/kill_switch.ts";
import { OrderStateStore } from "./rails/order_state.ts";
import { WriteLimiter } from "./rails/write_limiter.ts";

const intent: OrderIntent = {
  market: "M",
  side: "yes",
  limitPrice: 5000,
  count: 100,
  timeInForce: "ioc",
};

/** A venue context that logs what reaches it. */
function fakeVenue(log: string[]) {
  let id = 0;
  const ctx = {
    now: 1000,
    random: () => 0.5,
    ladder: () => undefined,
    seriesOf: () => undefined,
    fees: () => undefined,
    book: () => ({
      bestYesBid: 4900,
      bestYesAsk: 5100,
      bestYesBidSize: 100,
      bestYesAskSize: 100,
      valid: true,
      updatedTs: 1000,
    }),
    position: () => 0,
    closeTs: () => undefined,
    isOpen: () => true,
    marketNumber: () => -1,
    submit: () => {
      log.push("venue.submit");
      return ++id;
    },
    cancel: (x: number) => log.push(`venue.cancel ${x}`),
    openOrders: () => [],
    forecast: () => {},
  };
  return ctx as StrategyContext & { now: number };
}

function setup(over: Partial<DryBrokerOptions> = {}) {
  const dir = Deno.makeTempDirSync();
  const clock = new FakeClock(50_000);
  const log: string[] = [];
  const audit = new AuditLog(join(dir, "audit.jsonl"), { fs: denoFs, clock, session: "t" });
  const state = OrderStateStore.open(join(dir, "state"), denoFs);
  const origRecord = state.recordSending.bind(state);
  state.recordSending = (o) => {
    log.push("state.journal");
    origRecord(o);
  };
  const broker = new DryBroker({
    strategyName: "s",
    mode: "dry",
    clock,
    audit,
    state,
    killSwitch: new KillSwitch(join(dir, "KILL"), denoFs),
    heartbeatAgeMs: () => 0,
    staleness: DEFAULT_STALENESS,
    limiter: WriteLimiter.forTier("prime", () => clock.now()),
    feedHealth: () => ({ mode: "ws", lastMessageTs: clock.now(), invalidBooks: [], counters: {} }),
    bookReceivedAt: () => clock.now(),
    recorder: { flush: () => log.push("recorder.flush") },
    ...over,
  });
  const records = () => parseAuditLog(Deno.readTextFileSync(join(dir, "audit.jsonl")));
  return { dir, clock, log, broker, state, records, ctx: fakeVenue(log) };
}

Deno.test("DryBroker: flushes the tape and journals the client id BEFORE the venue sees the order", () => {
  const { broker, log, ctx } = setup();
  const r = broker.submit(intent, ctx);
  assert.equal(r.id, 1);
  assert.equal(r.blocked, undefined);
  assert.deepEqual(log, ["recorder.flush", "state.journal", "venue.submit"]);
});

Deno.test("DryBroker: the index among orders of one decision time makes ids distinct and repeatable", () => {
  const a = setup();
  const ids = () =>
    a.records().filter((r) => r.type === "intent").map((r) => [r.index, r.clientId]);
  a.broker.submit(intent, a.ctx);
  a.broker.submit(intent, a.ctx);
  a.ctx.now = 2000;
  a.broker.submit(intent, a.ctx);
  const got = ids();
  assert.deepEqual(got.map((x) => x[0]), [0, 1, 0]);
  assert.equal(new Set(got.map((x) => x[1])).size, 3);
  // A fresh broker on a fresh state derives the same ids from the same decisions.
  const b = setup();
  b.broker.submit(intent, b.ctx);
  b.broker.submit(intent, b.ctx);
  b.ctx.now = 2000;
  b.broker.submit(intent, b.ctx);
  assert.deepEqual(
    b.records().filter((r) => r.type === "intent").map((r) => r.clientId),
    got.map((x) => x[1]),
  );
});

Deno.test("DryBroker: a blocked order never reaches the venue and is reported rejected", () => {
  const { broker, log, ctx, dir, records } = setup();
  Deno.writeTextFileSync(join(dir, "KILL"), "");
  const r = broker.submit(intent, ctx);
  assert.ok(r.id < 0);
  assert.equal(r.blocked?.state, "rejected");
  assert.equal(r.blocked?.rejectReason, "risk");
  assert.ok(!log.includes("venue.submit"));
  assert.ok(!log.includes("state.journal"), "a blocked order is not journaled as sent");
  const blocked = records().find((x) => x.type === "blocked")!;
  assert.equal(blocked.rail, "kill_switch");
  assert.deepEqual(broker.counts.blockedByRail, { kill_switch: 1 });
});

Deno.test("DryBroker: the staleness inputs come from the feed, the book and the heartbeat", () => {
  const cases: [Partial<DryBrokerOptions>, string][] = [
    [{ heartbeatAgeMs: () => 60_000 }, "stale_heartbeat"],
    [
      { feedHealth: () => ({ mode: "down", lastMessageTs: 0, invalidBooks: [], counters: {} }) },
      "feed_down",
    ],
    [{
      feedHealth: () => ({
        mode: "ws",
        lastMessageTs: Number.NaN,
        invalidBooks: ["M"],
        counters: {},
      }),
    }, "book_invalid"],
    [{ bookReceivedAt: () => undefined }, "stale_book"],
  ];
  for (const [over, rail] of cases) {
    const { broker, ctx, records } = setup(over);
    broker.submit(intent, ctx);
    assert.equal(records().find((x) => x.type === "blocked")?.rail, rail);
  }
});

Deno.test("DryBroker: an order the venue refuses at once leaves nothing outstanding", () => {
  const { broker, ctx, state } = setup();
  ctx.submit = () => {
    // The venue's risk layer rejects inside submit and reports it at once.
    broker.onDone({
      id: 9,
      market: "M",
      side: "yes",
      limitPrice: 5000,
      count: 100,
      timeInForce: "ioc",
      submitTs: 1000,
      arrivalTs: 1000,
      expireTs: undefined,
      clientTag: undefined,
      reason: undefined,
      filled: 0,
      state: "rejected",
      queueAheadAtArrival: 0,
      queueAhead: 0,
      doneTs: 1000,
      rejectReason: "risk",
      rejectMessage: "risk:order_size",
    });
    return 9;
  };
  broker.submit(intent, ctx);
  assert.deepEqual(state.outstanding(), []);
  assert.deepEqual(broker.liveOrders(), []);
});

Deno.test("DryBroker: cancels of blocked (negative) ids are ignored; others go through the queue", () => {
  const { broker, ctx, log } = setup();
  broker.cancel(-1, ctx);
  const { id } = broker.submit({ ...intent, timeInForce: "gtc" }, ctx);
  broker.cancel(id, ctx);
  assert.deepEqual(log.filter((l) => l.startsWith("venue.cancel")), [`venue.cancel ${id}`]);
  assert.equal(broker.counts.cancelsRequested, 1);
});
