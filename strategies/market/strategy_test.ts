import assert from "node:assert/strict";
import { arrayBlockSource } from "../../lib/tape/block.ts";
import type { TapeEvent } from "../../lib/tape/events.ts";
import { runInTemp, tinyLadderTape } from "../../tests/helpers.ts";
import { MarketBaselineStrategy, parseHorizons } from "./strategy.ts";

/** The tiny ladder tape plus underlying ticks at the given times (ms after the first event). */
function tapeWithTicks(offsets: number[]): TapeEvent[] {
  const base = tinyLadderTape();
  const t0 = base[0].ts;
  const ticks: TapeEvent[] = offsets.map((o) => ({
    kind: "underlying",
    ts: t0 + o,
    symbol: "X",
    value: 104,
  }));
  return [...base, ...ticks].sort((a, b) => a.ts - b.ts);
}

const MIN = 60_000;

Deno.test("parseHorizons sorts largest first, drops repeats and names a bad item", () => {
  assert.deepEqual(parseHorizons("15, 60,1440,60"), [1440 * MIN, 60 * MIN, 15 * MIN]);
  assert.throws(() => parseHorizons("60,,15"), /horizonsMin.*current value is ""/);
  assert.throws(() => parseHorizons("60,-5"), /current value is "-5"/);
  assert.throws(() => parseHorizons("abc"), /current value is "abc"/);
});

Deno.test("the market baseline forecasts the de-vigged market PMF once per horizon reached", async () => {
  // Close is 60 min after the first event; horizons 50, 30 and 10 min before close
  // are reached at +10, +30 and +50 min. Ticks at +15 min (50 due) and +55 min
  // (30 and 10 both due: only 10 is forecast, 30 is skipped, not backdated).
  const s = new MarketBaselineStrategy({ horizonsMin: "50,30,10" });
  const run = await runInTemp(s, [arrayBlockSource("t", tapeWithTicks([15 * MIN, 55 * MIN]))]);
  const ef = run.result.eventForecasts;
  assert.equal(ef.length, 2);
  const t0 = tinyLadderTape()[0].ts;
  assert.deepEqual(ef.map((f) => f.ts - t0), [15 * MIN, 55 * MIN]);
  for (const f of ef) {
    assert.ok(f.pmfMarket !== null);
    assert.deepEqual([...f.pmfModel], [...f.pmfMarket!]);
    assert.ok(Math.abs(f.pmfModel[0] - 0.2) < 1e-12 && Math.abs(f.pmfModel[1] - 0.5) < 1e-12);
  }
  assert.equal(run.result.orders.length, 0, "the baseline never trades");
  const h = run.scores.byHorizon;
  assert.equal(h.find((b) => b.label === "<=15m")!.n, 3, "+55 min is 5 min before close");
  assert.equal(h.find((b) => b.label === "15m-1h")!.n, 3, "+15 min is 45 min before close");
  for (const b of h) if (b.n > 0) assert.equal(b.modelBrier, b.marketBrier);
});

Deno.test("the market baseline skips a horizon when a bin has no two-sided quote", async () => {
  const tape = tapeWithTicks([15 * MIN]).filter((e) =>
    !(e.kind === "book_snapshot" && e.market.endsWith("-G"))
  );
  const s = new MarketBaselineStrategy({ horizonsMin: "50" });
  const run = await runInTemp(s, [arrayBlockSource("t", tape)]);
  assert.equal(run.result.eventForecasts.length, 0);
  assert.equal(s.skippedNoQuote, 1);
});

Deno.test("the market baseline follows only events with the given prefix", async () => {
  const s = new MarketBaselineStrategy({ horizonsMin: "50", eventPrefix: "KXOTHER" });
  const run = await runInTemp(s, [arrayBlockSource("t", tapeWithTicks([15 * MIN]))]);
  assert.equal(run.result.eventForecasts.length, 0);
});
