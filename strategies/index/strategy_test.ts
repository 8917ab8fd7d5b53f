import assert from "node:assert/strict";
import { generateIndexTape } from "../../lib/synth/index_tape.ts";
import type { TapeEvent } from "../../lib/tape/events.ts";
import { dayDate, easternDayNumber, easternWallToUtc } from "../../lib/time/eastern.ts";
import { deliverAll, FakeContext, testBook } from "../test_context.ts";
import { indexModel } from "./model.ts";
import { DEFAULT_INDEX_STRATEGY_PARAMS, IndexStrategy } from "./strategy.ts";

const TAPE: TapeEvent[] = generateIndexTape({
  seed: 5,
  historyDays: 5,
  eventDays: 1,
  nasdaq: true,
}).filter((e) => e.kind !== "book_snapshot" && e.kind !== "book_delta" && e.kind !== "trade");

Deno.test("IndexStrategy: defaults, params and validation", () => {
  const s = new IndexStrategy();
  assert.equal(s.name, "index");
  assert.deepEqual({ ...s.params }, { ...DEFAULT_INDEX_STRATEGY_PARAMS });
  const bad: [object, RegExp][] = [
    [{ spxSymbol: "" }, /spxSymbol must be a non-empty string/],
    [{ ndxSymbol: "SPX" }, /ndxSymbol must be different from spxSymbol, current value is SPX/],
    [{ dailyVol: 0 }, /dailyVol must be finite and > 0/],
    [{ gapSd: -1 }, /gapSd must be finite and >= 0/],
    [{ tailFloor: 0.1 }, /tailFloor must be in \[0, 0.05\], current value is 0.1/],
    [{ smoothMinutes: Number.NaN }, /smoothMinutes must be finite and >= 0/],
    [{ clampSd: 0 }, /clampSd must be finite and > 0/],
    [{ minDays: 0 }, /minDays must be an integer >= 1/],
    [{ maxContracts: -1 }, /maxContracts must be an integer >= 0/],
  ];
  for (const [p, re] of bad) {
    assert.throws(() => new IndexStrategy(p), (e: Error) => {
      assert.match(e.message, /^Cannot create (IndexStrategy|index): /);
      assert.match(e.message, re);
      return true;
    });
  }
});

Deno.test("IndexStrategy on a synthetic tape: both indices, calibrated on earlier days", () => {
  const s = new IndexStrategy();
  const ctx = new FakeContext();
  deliverAll(s, ctx, TAPE);
  const events = new Set(ctx.forecasts.map((f) => f.event));
  // 7 range ladders and 2 above/below ladders per index.
  assert.equal(events.size, 18);
  assert.ok([...events].some((e) => e.startsWith("KXNASDAQ100U-")));
  for (const part of [s.spx, s.ndx]) {
    assert.equal(part.calibrationCounts.failures, 0);
    assert.ok(part.model.fit !== undefined, "calibrated");
  }
  // The fit uses only the sessions before the event day (00:00 ET).
  const last = ctx.forecasts.filter((f) => f.event.startsWith("KXINX-")).at(-1)!;
  const { year, month, day } = dayDate(easternDayNumber(last.ts));
  const midnight = easternWallToUtc(year, month, day, 0, 0);
  const before = s.spx.data.main.filter((o) => o.ts < midnight);
  assert.equal(before.length, 5 * 391);
  const params = indexModel.calibrate(before, {
    cutoffTs: midnight,
    initial: { ...s.spx.model, gapVariance: 0.005 ** 2 },
  });
  assert.deepEqual(s.spx.model, params);
  // The last forecast is the model's PMF on what was known then.
  const ladder = ctx.ladders.get(last.event)!;
  const levels = s.spx.data.main.filter((o) => o.ts <= last.ts);
  const direct = indexModel.pmf(
    { now: last.ts, closeTs: ctx.closes.get(ladder.markets[0])!, levels },
    s.spx.model,
    ladder,
  );
  assert.deepEqual(Array.from(last.pmf), Array.from(direct));
});

Deno.test("IndexStrategy trades a mispriced book", () => {
  const s = new IndexStrategy({ decideOnUpdate: true });
  const ctx = new FakeContext();
  const first = TAPE.findIndex((e) => e.kind === "event");
  const openTs = TAPE[first].ts;
  // Everything up to the event day's open (metadata, the open level, lifecycle opens).
  const cut = TAPE.findIndex((e, i) => i > first && e.kind === "underlying" && e.ts > openTs);
  deliverAll(s, ctx, TAPE.slice(0, cut));
  assert.equal(ctx.orders.length, 0, "no books yet");
  const ladder = ctx.ladders.get(TAPE[first].kind === "event" ? TAPE[first].event : "")!;
  for (const m of ladder.markets) ctx.books.set(m, testBook(9800, 9900)); // YES bid at 98 cents
  deliverAll(s, ctx, [TAPE[cut]]);
  assert.ok(ctx.orders.length > 0);
  assert.ok(ctx.orders.every((o) => o.side === "no"), "sell the overpriced YES by buying NO");
  assert.ok(ctx.orders.every((o) => ladder.marketIndex.has(o.market)));
});
