import assert from "node:assert/strict";
import { join } from "node:path";
import { ResultsDb } from "../lib/store/results_db.ts";
import type { TapeEvent } from "../lib/tape/events.ts";
import type { OrderIntent } from "../lib/engine/strategy.ts";
import { readNdjsonFile } from "../lib/tape/ndjson_reader.ts";
import { denoFs, type LiveFs } from "./io.ts";
import { FakeClock } from "./fake_clock.ts";
import { parseTradingWindows } from "./rails/trading_windows.ts";
import { OrderStateStore } from "./rails/order_state.ts";
import { buyYes, MARKET, oneMarketTape, runTestLane, ScriptStrategy, T0 } from "./test_support.ts";
import type { AuditRecord } from "./audit_log.ts";

const ofType = (audit: AuditRecord[], type: string) => audit.filter((r) => r.type === type);

Deno.test("lane: a dry session records the tape, audits every order, writes the heartbeat and the results", async () => {
  const tape = oneMarketTape(60);
  const strategy = new ScriptStrategy((_ctx, s) => (s === 5 || s === 10 ? [buyYes(`s${s}`)] : []));
  const { outcome, audit, dir } = await runTestLane({ strategy, tape, session: "one" });
  assert.equal(outcome.stopReason, "feed_end");
  assert.equal(outcome.mode, "dry");
  assert.equal(outcome.counts.sent, 2);
  assert.equal(outcome.counts.blocked, 0);
  assert.equal(strategy.fills, 2);
  // The recorded tape is exactly what was consumed: here the whole input.
  const back: TapeEvent[] = [];
  for await (const e of readNdjsonFile(outcome.tapePath)) back.push(e);
  assert.deepEqual(back, tape);
  assert.equal(outcome.tapePath, join(dir, "tapes", "live-one.ndjson"));
  // Audit: intents, sends, fills and venue outcomes, with client ids throughout.
  const types = audit.map((r) => r.type);
  assert.equal(types[0], "session_start");
  assert.equal(types.at(-1), "session_end");
  const intents = ofType(audit, "intent");
  const sent = ofType(audit, "sent");
  assert.equal(intents.length, 2);
  assert.deepEqual(sent.map((r) => r.clientId), intents.map((r) => r.clientId));
  assert.deepEqual(sent[0].rails, ["duplicate", "kill_switch", "staleness", "rate_limit"]);
  assert.equal(ofType(audit, "fill").length, 2);
  assert.deepEqual(ofType(audit, "venue_done").map((r) => r.state), ["filled", "filled"]);
  assert.equal(ofType(audit, "positions").length, 1);
  // Results database: the run, its orders and fills, as a backtest stores them.
  const db = ResultsDb.open(outcome.dbPath);
  try {
    assert.equal(db.run(outcome.run.runId)!.status, "complete");
    assert.equal(db.orders(outcome.run.runId).length, 2);
    assert.equal(db.fills(outcome.run.runId).length, 2);
  } finally {
    db.close();
  }
  const hb = JSON.parse(await Deno.readTextFile(outcome.heartbeatPath));
  assert.equal(hb.mode, "dry");
  assert.equal(hb.state, "stopped");
  assert.deepEqual(hb.outstandingOrders, []);
  assert.ok(outcome.heartbeatWrites >= 30, `heartbeat writes: ${outcome.heartbeatWrites}`);
});

Deno.test("lane: while the kill-switch file exists no order reaches the venue; its appearance cancels all", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kx-live-" });
  const kill = join(dir, "KILL");
  const strategy = new ScriptStrategy((ctx, s) => {
    if (s === 20) Deno.writeTextFileSync(kill, "stop");
    if (s === 40) Deno.removeSync(kill);
    if (s % 5 !== 0) return [];
    // A resting bid below the market (never fills) and an IOC that fills.
    const rest: OrderIntent = {
      market: MARKET,
      side: "yes",
      limitPrice: 4000,
      count: 100,
      timeInForce: "gtc",
      reason: `t${ctx.now}`,
    };
    return [rest, buyYes()];
  });
  const { outcome, audit } = await runTestLane({ strategy, outDir: dir, killSwitchPollMs: 0 });
  const blocked = ofType(audit, "blocked");
  assert.ok(blocked.length >= 8, `blocked ${blocked.length}`);
  assert.ok(blocked.every((r) => r.rail === "kill_switch"));
  // No order sent at a time the file existed (seconds 20..39).
  const orders = outcome.run.result.orders;
  assert.ok(orders.length > 0);
  for (const o of orders) {
    const s = (o.ts - T0) / 1000;
    assert.ok(s < 20 || s >= 40, `order sent at second ${s} while the kill switch existed`);
  }
  const ks = ofType(audit, "kill_switch").map((r) => r.state);
  assert.deepEqual(ks, ["engaged", "released"]);
  const intent = ofType(audit, "cancel_all_intent");
  assert.equal(intent.length, 1);
  assert.equal((intent[0].orders as unknown[]).length, 3, "the resting bids of seconds 5, 10, 15");
  // Each of them was cancelled at the venue.
  const cancelled = ofType(audit, "venue_done").filter((r) =>
    r.state === "cancelled" && (r.doneTs as number) < T0 + 21_000
  );
  assert.equal(cancelled.length, 3, "cancelled within the cancel latency of second 20");
  // The strategy was told each blocked order finished (rejected, negative id).
  const rejected = strategy.done.filter((d) => d.id < 0);
  assert.equal(rejected.length, blocked.length);
  assert.match(rejected[0].message, /rail kill_switch blocked it/);
});

Deno.test("lane: a stale heartbeat (writes failing) blocks every order until it is fresh again", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kx-live-" });
  const hbPath = join(dir, "heartbeat.json");
  const clock = new FakeClock(T0);
  const fs: LiveFs = {
    ...denoFs,
    writeAtomic: (p, text) => {
      const t = clock.now();
      if (p === hbPath && t >= T0 + 30_000 && t < T0 + 70_000) throw new Error("EIO: heartbeat");
      denoFs.writeAtomic(p, text);
    },
  };
  const strategy = new ScriptStrategy(() => [buyYes()]);
  const { outcome, audit } = await runTestLane({ strategy, outDir: dir, fs, clock });
  const blocked = ofType(audit, "blocked");
  assert.ok(blocked.length >= 25, `blocked ${blocked.length}`);
  assert.ok(blocked.every((r) => r.rail === "stale_heartbeat"), JSON.stringify(blocked[0]));
  // Last good write at second ~28-30; stale from 10 s later until writes succeed at 70.
  const sentSeconds = outcome.run.result.orders.map((o) => (o.ts - T0) / 1000);
  for (const s of sentSeconds) {
    assert.ok(s <= 40 || s >= 70, `order at second ${s} with a stale heartbeat`);
  }
  assert.ok(sentSeconds.some((s) => s >= 70), "orders resume once the heartbeat is fresh");
  assert.ok(outcome.heartbeatFailures > 0);
});

Deno.test("lane: a book that stops updating blocks orders on it (stale_book), then resumes", async () => {
  // Remove the book deltas of seconds 30..89: the book is 60 s old by second 89.
  const tape = oneMarketTape(120).filter((e) =>
    !(e.kind === "book_delta" && e.ts >= T0 + 30_000 && e.ts < T0 + 90_000)
  ).map((e) => e.kind === "book_delta" && e.ts >= T0 + 90_000 ? { ...e, seq: e.seq - 60 } : e);
  const strategy = new ScriptStrategy(() => [buyYes()]);
  const { outcome, audit } = await runTestLane({
    strategy,
    tape,
    staleness: { maxHeartbeatAgeMs: 10_000, maxFeedSilenceMs: 30_000, maxBookAgeMs: 20_000 },
  });
  const blocked = ofType(audit, "blocked");
  assert.ok(blocked.length > 0 && blocked.every((r) => r.rail === "stale_book"));
  for (const o of outcome.run.result.orders) {
    const s = (o.ts - T0) / 1000;
    assert.ok(s <= 49 || s >= 90, `order at second ${s} on a stale book`);
  }
  assert.equal(outcome.run.result.anomalyCount, 0, "the shifted seqs keep the tape valid");
});

Deno.test("lane: trading windows and the tier's write limit block orders, audited with the rail", async () => {
  // 10:00-10:01 EST is inside 10:00-10:01 only for the first 60 s of the tape.
  const windows = parseTradingWindows({ KXTEST: [{ start: "10:00", end: "10:01" }] });
  const strategy = new ScriptStrategy((
    _ctx,
    s,
  ) => (s === 30 ? Array(12).fill(buyYes()) : s === 70 ? [buyYes()] : []));
  const { audit } = await runTestLane({ strategy, windows, tier: "basic" });
  const rails = ofType(audit, "blocked").map((r) => r.rail);
  assert.deepEqual(rails, ["rate_limit", "rate_limit", "trading_window"]);
  assert.equal(ofType(audit, "sent").length, 10, "a burst of 10 writes on the basic tier");
  // The 12 identical orders of one second still get 12 different client ids.
  const ids = new Set(ofType(audit, "intent").map((r) => r.clientId));
  assert.equal(ids.size, 13);
});

Deno.test("lane: failing cancels are retried with backoff, then dropped and audited", async () => {
  const strategy = new ScriptStrategy((ctx, s) => {
    if (s === 5) {
      return [{ market: MARKET, side: "yes", limitPrice: 4000, count: 100, timeInForce: "gtc" }];
    }
    if (s === 6) ctx.cancel(strategy.ids[0]);
    return [];
  });
  let attempts = 0;
  const { audit, outcome } = await runTestLane({
    strategy,
    sendCancel: () => (attempts++, false),
    cancelQueue: { capacity: 4, maxAttempts: 3, backoffMs: 500, backoffMaxMs: 1000 },
  });
  assert.equal(attempts, 3);
  const dropped = ofType(audit, "cancel_dropped");
  assert.equal(dropped.length, 1);
  assert.equal(dropped[0].reason, "retries_exhausted");
  assert.equal(outcome.counts.cancelsSent, 0);
});

Deno.test("lane: a restart on the same state folder never sends a client order id twice", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kx-live-" });
  const script = (_ctx: unknown, s: number) => (s % 7 === 0 ? [buyYes()] : []);
  // Session 1 stops at second 60 (as if killed); session 2 replays the whole tape.
  const clock1 = new FakeClock(T0);
  const one = await runTestLane({
    strategy: new ScriptStrategy(script),
    outDir: dir,
    clock: clock1,
    durationMs: 60_500,
    session: "a",
  });
  assert.equal(one.outcome.stopReason, "time_limit");
  const firstSent = ofType(one.audit, "sent").map((r) => r.clientId);
  assert.equal(firstSent.length, 8, "seconds 7..56");
  const two = await runTestLane({
    strategy: new ScriptStrategy(script),
    outDir: dir,
    session: "b",
  });
  const all = two.audit; // the audit log holds both sessions
  const sent = ofType(all, "sent").map((r) => r.clientId as string);
  assert.equal(new Set(sent).size, sent.length, "no client id sent twice");
  const dups = ofType(all, "blocked").filter((r) => r.session === "b");
  assert.equal(dups.length, 8);
  assert.ok(dups.every((r) => r.rail === "duplicate"));
  // Together the sessions sent exactly what one uninterrupted session sends.
  const whole = await runTestLane({ strategy: new ScriptStrategy(script) });
  assert.deepEqual(
    [...sent].sort(),
    ofType(whole.audit, "sent").map((r) => r.clientId as string).sort(),
  );
  assert.equal(ofType(all, "recovered").length, 1);
});

Deno.test("lane: orders outstanding before a restart are recovered and closed as orphaned", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kx-live-" });
  const st = OrderStateStore.open(join(dir, "state"), denoFs);
  st.recordSending({
    clientId: "kx-old",
    market: MARKET,
    side: "yes",
    limitPrice: 4000,
    count: 100,
    timeInForce: "gtc",
    decisionTs: T0 - 1000,
    sentAt: T0 - 1000,
  });
  const { audit } = await runTestLane({
    strategy: new ScriptStrategy(() => []),
    outDir: dir,
    tape: oneMarketTape(5),
  });
  const orphaned = ofType(audit, "orphaned");
  assert.equal(orphaned.length, 1);
  assert.deepEqual((orphaned[0].orders as { clientId: string }[]).map((o) => o.clientId), [
    "kx-old",
  ]);
  assert.deepEqual(OrderStateStore.open(join(dir, "state"), denoFs).outstanding(), []);
});

Deno.test("lane: a failing feed fails the run, stored as failed and audited", async () => {
  const tape = oneMarketTape(10);
  const feed = {
    async *events() {
      yield* tape.slice(0, 8);
      throw new Error("feed broke");
    },
    health: () => ({
      mode: "ws" as const,
      lastMessageTs: Number.NaN,
      invalidBooks: [],
      counters: {},
    }),
    close: () => Promise.resolve(),
  };
  const dir = await Deno.makeTempDir({ prefix: "kx-live-" });
  await assert.rejects(
    () => runTestLane({ strategy: new ScriptStrategy(() => []), feed, outDir: dir }),
    /feed broke/,
  );
  const db = ResultsDb.open(join(dir, "results.sqlite"));
  try {
    assert.equal(db.runs()[0].status, "failed");
  } finally {
    db.close();
  }
  const end = Deno.readTextFileSync(join(dir, "audit.jsonl")).trim().split("\n").at(-1)!;
  assert.match(end, /"type":"session_end".*feed broke/);
});
