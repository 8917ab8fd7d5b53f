import assert from "node:assert/strict";
import { generateCpiTape } from "../../lib/synth/cpi.ts";
import type { TapeEvent } from "../../lib/tape/events.ts";
import { deliverAll, FakeContext, testBook } from "../test_context.ts";
import { cpiModel } from "./model.ts";
import { CpiStrategy, DEFAULT_CPI_STRATEGY_PARAMS } from "./strategy.ts";

const TAPE: TapeEvent[] = generateCpiTape({ seed: 7, historyMonths: 48, eventMonths: 2 })
  .filter((e) => e.kind !== "book_snapshot" && e.kind !== "book_delta" && e.kind !== "trade");

Deno.test("CpiStrategy: defaults, params and validation", () => {
  const s = new CpiStrategy();
  assert.equal(s.name, "cpi");
  assert.deepEqual({ ...s.params }, { ...DEFAULT_CPI_STRATEGY_PARAMS });
  assert.equal(DEFAULT_CPI_STRATEGY_PARAMS.symbol, "CPI_MOM");
  assert.equal(new CpiStrategy({ window: 3 }).config.window, 3);
  assert.throws(
    () => new CpiStrategy({ window: 0 }),
    /Cannot create CpiStrategy: window must be an integer >= 1, current value is 0/,
  );
  assert.throws(() => new CpiStrategy({ scale: -1 }), /scale must be finite and > 0/);
  assert.throws(() => new CpiStrategy({ df: 0 }), /df must be > 0/);
  assert.throws(
    () => new CpiStrategy({ edgeTicks: Number.NaN }),
    /Cannot create cpi: edgeTicks must be finite/,
  );
});

Deno.test("CpiStrategy on a synthetic tape: calibrates on what it saw, forecasts the model's PMF", () => {
  const s = new CpiStrategy();
  const ctx = new FakeContext();
  deliverAll(s, ctx, TAPE);
  const events = new Set(ctx.forecasts.map((f) => f.event));
  assert.equal(events.size, 2, [...events].join());
  assert.ok(s.calibrationCounts.runs > 0);
  assert.equal(s.calibrationCounts.failures, 0);
  const model = s.model;
  assert.ok(model.nowcast?.fit !== undefined, "the nowcast error was fitted");
  assert.ok(model.trend.fit !== undefined);
  for (const f of ctx.forecasts) {
    let sum = 0;
    for (const p of f.pmf) sum += p;
    assert.ok(Math.abs(sum - 1) < 1e-12);
  }
  // The last forecast equals the model evaluated directly on the data known then.
  const last = ctx.forecasts.at(-1)!;
  const data = s.data;
  const upTo = (xs: readonly { ts: number; value: number }[]) => xs.filter((o) => o.ts <= last.ts);
  const close = ctx.closes.get(ctx.ladders.get(last.event)!.markets[0])!;
  const direct = cpiModel.pmf(
    {
      now: last.ts,
      closeTs: close,
      prints: upTo(data.main),
      nowcasts: upTo(data.aux.get("CPI_NOWCAST")!),
    },
    model,
    ctx.ladders.get(last.event)!,
  );
  assert.deepEqual(Array.from(last.pmf), Array.from(direct));
  assert.equal(ctx.orders.length, 0, "no books, no orders");
});

Deno.test("CpiStrategy trades a mispriced book and uses no randomness or clock", () => {
  const realRandom = Math.random;
  const realNow = Date.now;
  Math.random = () => {
    throw new Error("Math.random used");
  };
  Date.now = () => {
    throw new Error("Date.now used");
  };
  try {
    const s = new CpiStrategy();
    const ctx = new FakeContext();
    const cut = TAPE.findIndex((e) => e.kind === "event");
    deliverAll(s, ctx, TAPE.slice(0, cut + 15)); // the event, 7 markets, 7 opens
    const ladder = [...ctx.ladders.values()][0];
    for (const m of ladder.markets) ctx.books.set(m, testBook(50, 100)); // YES offered at 1 cent
    const before = ctx.orders.length;
    deliverAll(s, ctx, [{
      kind: "underlying",
      ts: ctx.now + 1,
      symbol: "CPI_NOWCAST",
      value: 0.3,
    }]);
    assert.ok(ctx.orders.length > before, "orders sent");
    for (const o of ctx.orders) assert.match(o.reason!, /^ev=\d+\.\dticks p=\d\.\d{4}$/);
  } finally {
    Math.random = realRandom;
    Date.now = realNow;
  }
});
