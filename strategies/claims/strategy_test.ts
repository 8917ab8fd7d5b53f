import assert from "node:assert/strict";
import { generateClaimsTape } from "../../lib/synth/claims.ts";
import type { TapeEvent } from "../../lib/tape/events.ts";
import { deliverAll, FakeContext, testBook } from "../test_context.ts";
import { claimsModel } from "./model.ts";
import { ClaimsStrategy, DEFAULT_CLAIMS_STRATEGY_PARAMS } from "./strategy.ts";

const TAPE: TapeEvent[] = generateClaimsTape({ seed: 3, historyWeeks: 80, eventWeeks: 2 })
  .filter((e) => e.kind !== "book_snapshot" && e.kind !== "book_delta" && e.kind !== "trade");

Deno.test("ClaimsStrategy: defaults, params and validation", () => {
  const s = new ClaimsStrategy();
  assert.equal(s.name, "claims");
  assert.deepEqual({ ...s.params }, { ...DEFAULT_CLAIMS_STRATEGY_PARAMS });
  assert.equal(s.config.symbol, "ICSA");
  assert.throws(
    () => new ClaimsStrategy({ alpha: 1.5 }),
    /Cannot create ClaimsStrategy: alpha must be in \(0, 1\], current value is 1.5/,
  );
  assert.throws(() => new ClaimsStrategy({ harmonics: -1 }), /harmonics must be an integer >= 0/);
  assert.throws(() => new ClaimsStrategy({ symbol: "" }), /symbol must be a non-empty string/);
});

Deno.test("ClaimsStrategy on a synthetic tape: calibrates on what it saw, forecasts the model's PMF", () => {
  const s = new ClaimsStrategy();
  const ctx = new FakeContext();
  deliverAll(s, ctx, TAPE);
  assert.equal(new Set(ctx.forecasts.map((f) => f.event)).size, 2);
  assert.equal(s.calibrationCounts.failures, 0);
  assert.ok(s.model.fit !== undefined, "calibrated");
  const last = ctx.forecasts.at(-1)!;
  const ladder = ctx.ladders.get(last.event)!;
  const prints = s.data.main.filter((o) => o.ts <= last.ts);
  const direct = claimsModel.pmf(
    { now: last.ts, closeTs: ctx.closes.get(ladder.markets[0])!, prints },
    s.model,
    ladder,
  );
  assert.deepEqual(Array.from(last.pmf), Array.from(direct));
});

Deno.test("ClaimsStrategy trades a mispriced book", () => {
  const s = new ClaimsStrategy();
  const ctx = new FakeContext();
  const cut = TAPE.findIndex((e) => e.kind === "event");
  deliverAll(s, ctx, TAPE.slice(0, cut + 15)); // the event, 7 markets, 7 opens
  const ladder = [...ctx.ladders.values()][0];
  for (const m of ladder.markets) ctx.books.set(m, testBook(50, 100)); // YES offered at 1 cent
  deliverAll(s, ctx, [{ kind: "underlying", ts: ctx.now + 1, symbol: "ICSA", value: 220000 }]);
  assert.ok(ctx.orders.length > 0);
});
