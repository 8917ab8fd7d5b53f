import assert from "node:assert/strict";
import { generateTnoteTape } from "../../lib/synth/tnote.ts";
import type { TapeEvent } from "../../lib/tape/events.ts";
import { deliverAll, FakeContext, testBook } from "../test_context.ts";
import { tnoteModel } from "./model.ts";
import { DEFAULT_TNOTE_STRATEGY_PARAMS, TnoteStrategy } from "./strategy.ts";

const TAPE: TapeEvent[] = generateTnoteTape({ seed: 4, historyDays: 100, eventDays: 3 })
  .filter((e) => e.kind !== "book_snapshot" && e.kind !== "book_delta" && e.kind !== "trade");

Deno.test("TnoteStrategy: defaults, params and validation", () => {
  const s = new TnoteStrategy();
  assert.equal(s.name, "tnote");
  assert.deepEqual({ ...s.params }, { ...DEFAULT_TNOTE_STRATEGY_PARAMS });
  assert.equal(s.config.symbol, "DGS10");
  assert.throws(
    () => new TnoteStrategy({ kappa: 1 }),
    /Cannot create TnoteStrategy: kappa must be in \[0, 1\), current value is 1/,
  );
  assert.throws(() => new TnoteStrategy({ scale: 0 }), /scale must be finite and > 0/);
  assert.throws(() => new TnoteStrategy({ mu: Number.NaN }), /mu must be finite/);
});

Deno.test("TnoteStrategy on a synthetic tape: calibrates on what it saw, forecasts the model's PMF", () => {
  const s = new TnoteStrategy({ meanReversion: true });
  const ctx = new FakeContext();
  deliverAll(s, ctx, TAPE);
  assert.equal(new Set(ctx.forecasts.map((f) => f.event)).size, 3);
  assert.equal(s.calibrationCounts.failures, 0);
  assert.ok(s.model.fit !== undefined, "calibrated");
  const last = ctx.forecasts.at(-1)!;
  const ladder = ctx.ladders.get(last.event)!;
  const yields = s.data.main.filter((o) => o.ts <= last.ts);
  const direct = tnoteModel.pmf(
    { now: last.ts, closeTs: ctx.closes.get(ladder.markets[0])!, yields },
    s.model,
    ladder,
  );
  assert.deepEqual(Array.from(last.pmf), Array.from(direct));
});

Deno.test("TnoteStrategy trades a mispriced book", () => {
  const s = new TnoteStrategy();
  const ctx = new FakeContext();
  const cut = TAPE.findIndex((e) => e.kind === "event");
  deliverAll(s, ctx, TAPE.slice(0, cut + 17)); // the event, 8 markets, 8 opens
  const ladder = [...ctx.ladders.values()][0];
  for (const m of ladder.markets) ctx.books.set(m, testBook(50, 100)); // YES offered at 1 cent
  // No new data: the next decision comes once decisionIntervalMs has passed.
  const t = ctx.now + DEFAULT_TNOTE_STRATEGY_PARAMS.decisionIntervalMs;
  deliverAll(s, ctx, [{ kind: "underlying", ts: t - 1, symbol: "OTHER", value: 1 }]);
  assert.equal(ctx.orders.length, 0);
  deliverAll(s, ctx, [{
    kind: "trade",
    ts: t,
    market: ladder.markets[0],
    price: 100,
    count: 100,
    takerSide: "yes",
  }]);
  assert.ok(ctx.orders.length > 0);
});
