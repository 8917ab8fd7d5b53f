import assert from "node:assert/strict";
import { generateGasTape } from "../../lib/synth/gas.ts";
import type { TapeEvent } from "../../lib/tape/events.ts";
import { deliverAll, FakeContext, testBook } from "../test_context.ts";
import { gasModel } from "./model.ts";
import { DEFAULT_GAS_STRATEGY_PARAMS, GasStrategy } from "./strategy.ts";

const TAPE: TapeEvent[] = generateGasTape({ seed: 5, historyDays: 100, eventDays: 3 })
  .filter((e) => e.kind !== "book_snapshot" && e.kind !== "book_delta" && e.kind !== "trade");

Deno.test("GasStrategy: defaults, params and validation", () => {
  const s = new GasStrategy();
  assert.equal(s.name, "gas");
  assert.deepEqual({ ...s.params }, { ...DEFAULT_GAS_STRATEGY_PARAMS });
  assert.equal(s.config.symbol, "AAA_GAS");
  assert.throws(
    () => new GasStrategy({ momentumDays: 0 }),
    /Cannot create GasStrategy: momentumDays must be an integer >= 1, current value is 0/,
  );
  assert.throws(() => new GasStrategy({ beta: Number.NaN }), /beta must be finite/);
  assert.throws(() => new GasStrategy({ df: -2 }), /df must be > 0/);
});

Deno.test("GasStrategy on a synthetic tape: calibrates on what it saw, forecasts the model's PMF", () => {
  const s = new GasStrategy();
  const ctx = new FakeContext();
  deliverAll(s, ctx, TAPE);
  assert.equal(new Set(ctx.forecasts.map((f) => f.event)).size, 3);
  assert.equal(s.calibrationCounts.failures, 0);
  assert.ok(s.model.fit !== undefined, "calibrated");
  const last = ctx.forecasts.at(-1)!;
  const ladder = ctx.ladders.get(last.event)!;
  const prices = s.data.main.filter((o) => o.ts <= last.ts);
  const direct = gasModel.pmf(
    { now: last.ts, closeTs: ctx.closes.get(ladder.markets[0])!, prices },
    s.model,
    ladder,
  );
  assert.deepEqual(Array.from(last.pmf), Array.from(direct));
});

Deno.test("GasStrategy trades a mispriced book", () => {
  const s = new GasStrategy();
  const ctx = new FakeContext();
  const cut = TAPE.findIndex((e) => e.kind === "event");
  deliverAll(s, ctx, TAPE.slice(0, cut + 15)); // the event, 7 markets, 7 opens
  const ladder = [...ctx.ladders.values()][0];
  for (const m of ladder.markets) ctx.books.set(m, testBook(50, 100)); // YES offered at 1 cent
  deliverAll(s, ctx, [{
    kind: "underlying",
    ts: ctx.now + 1,
    symbol: "AAA_GAS",
    value: s.data.main.at(-1)!.value,
  }]);
  assert.ok(ctx.orders.length > 0);
});
