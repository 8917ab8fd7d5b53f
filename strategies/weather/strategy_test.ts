import assert from "node:assert/strict";
import { generateWeatherTape, WEATHER_ENS_SYMBOL } from "../../lib/synth/weather.ts";
import type { TapeEvent } from "../../lib/tape/events.ts";
import { dayNumber, easternWallToUtc } from "../../lib/time/eastern.ts";
import type { Observation } from "../family.ts";
import { deliverAll, FakeContext, testBook } from "../test_context.ts";
import { weatherDistribution, weatherModel, weatherTargetDay } from "./model.ts";
import {
  batchesByTarget,
  DEFAULT_WEATHER_STRATEGY_PARAMS,
  latestBatch,
  weatherHistory,
  WeatherStrategy,
} from "./strategy.ts";

const TAPE: TapeEvent[] = generateWeatherTape({ seed: 5, historyDays: 420, eventDays: 3 })
  .filter((e) => e.kind !== "book_snapshot" && e.kind !== "book_delta" && e.kind !== "trade");

Deno.test("WeatherStrategy: defaults, params and validation", () => {
  const s = new WeatherStrategy();
  assert.equal(s.name, "weather");
  assert.deepEqual({ ...s.params }, { ...DEFAULT_WEATHER_STRATEGY_PARAMS });
  assert.equal(s.config.obsSymbol, "NYC_TMAX");
  const bad: [object, RegExp][] = [
    [{ obsSymbol: "" }, /obsSymbol must be a non-empty string/],
    [{ bandwidth: 0 }, /bandwidth must be finite and > 0, current value is 0/],
    [{ climWindowDays: -1 }, /climWindowDays must be an integer in 0..90, current value is -1/],
    [{ climBandwidth: Number.NaN }, /climBandwidth must be finite and > 0/],
    [{ climYears: -2 }, /climYears must be an integer >= 0/],
    [{ minForecastDays: 4 }, /minForecastDays must be an integer >= 5/],
    [{ bias: Infinity }, /bias must be finite/],
    [{ edgeTicks: Number.NaN }, /edgeTicks must be finite/],
  ];
  for (const [p, re] of bad) {
    assert.throws(() => new WeatherStrategy(p), (e: Error) => {
      assert.match(e.message, /^Cannot create (WeatherStrategy|weather): /);
      assert.match(e.message, re);
      return true;
    });
  }
});

Deno.test("WeatherStrategy on a synthetic tape: calibrates, forecasts the model's PMF", () => {
  const s = new WeatherStrategy();
  const ctx = new FakeContext();
  deliverAll(s, ctx, TAPE);
  assert.equal(new Set(ctx.forecasts.map((f) => f.event)).size, 3);
  assert.equal(s.calibrationCounts.failures, 0);
  assert.ok(s.model.forecastFit !== undefined && s.model.climFit !== undefined, "calibrated");
  assert.ok(Math.abs(s.model.bias - 1) < 0.5, `bias ${s.model.bias}`);
  // Every forecast equals the model on what was known at its time, and both the
  // climatology (before the members) and the forecast (after) were used.
  const sources = new Set<string>();
  for (const f of ctx.forecasts) {
    const ladder = ctx.ladders.get(f.event)!;
    const close = ctx.closes.get(ladder.markets[0])!;
    const main = s.data.main.filter((o) => o.ts <= f.ts);
    const aux = new Map<string, Observation[]>();
    for (const [k, v] of s.data.aux) aux.set(k, v.filter((o) => o.ts <= f.ts));
    const data = { main, aux };
    const targetDay = weatherTargetDay(f.event, close);
    const batch = latestBatch(aux, "NYC_TMAX_ENS", targetDay, f.ts);
    const state = {
      now: f.ts,
      targetDay,
      history: weatherHistory(data, "NYC_TMAX_ENS"),
      ...(batch !== undefined ? { members: batch.members } : {}),
    };
    sources.add(weatherDistribution(state, s.model).source);
    if (f === ctx.forecasts.at(-1)) {
      assert.deepEqual(Array.from(f.pmf), Array.from(weatherModel.pmf(state, s.model, ladder)));
    }
  }
  assert.ok(sources.has("climatology") && sources.has("forecast"), [...sources].join(","));
});

Deno.test("latestBatch: complete batches only, latest over the leads", () => {
  const day = dayNumber(2025, 8, 12);
  const at = (d: number, h: number) => easternWallToUtc(2025, 8, d, h, 0);
  const aux = new Map<string, Observation[]>([
    ["FC_D1", [
      { ts: at(10, 16), value: 80 }, // for Aug 11
      { ts: at(11, 16), value: 70 },
      { ts: at(11, 16), value: 72 },
    ]],
    ["FC_D0", [{ ts: at(12, 6), value: 75 }, { ts: at(12, 6), value: 77 }]],
  ]);
  assert.equal(latestBatch(aux, "FC", day, at(11, 16)), undefined, "not before its ts");
  assert.deepEqual(latestBatch(aux, "FC", day, at(11, 16) + 1), {
    ts: at(11, 16),
    members: [70, 72],
  });
  assert.deepEqual(latestBatch(aux, "FC", day, at(12, 7))?.members, [75, 77], "D0 is later");
  assert.deepEqual(latestBatch(aux, "FC", day - 1, at(12, 7))?.members, [80]);
  assert.equal(latestBatch(aux, "FC", day + 1, at(12, 7)), undefined);
  assert.equal(latestBatch(new Map(), "FC", day, at(12, 7)), undefined);
  const byTarget = batchesByTarget(aux, "FC");
  assert.deepEqual(byTarget.get(day)?.map((b) => b.members), [[70, 72], [75, 77]]);
  assert.equal(byTarget.get(day - 1)?.length, 1);
});

Deno.test("WeatherStrategy trades a mispriced book", () => {
  const s = new WeatherStrategy();
  const ctx = new FakeContext();
  const first = TAPE.findIndex((e) => e.kind === "event");
  deliverAll(s, ctx, TAPE.slice(0, first + 13)); // the event, 6 markets, 6 opens
  const ladder = [...ctx.ladders.values()][0];
  assert.equal(ladder.markets.length, 6);
  for (const m of ladder.markets) ctx.books.set(m, testBook(50, 100)); // YES offered at 1 cent
  deliverAll(s, ctx, [{
    kind: "underlying",
    ts: ctx.now + 1,
    symbol: WEATHER_ENS_SYMBOL,
    value: 1,
  }]);
  assert.ok(ctx.orders.length > 0);
  assert.ok(ctx.orders.every((o) => o.timeInForce === "ioc"));
});

Deno.test("weatherHistory: whole degrees, the day before publication, the final batch", () => {
  const at = (d: number, h: number) => easternWallToUtc(2025, 8, d, h, 0);
  const aux = new Map<string, Observation[]>([
    ["FC_D1", [
      { ts: at(10, 16), value: 80 },
      { ts: at(10, 16), value: 84 },
      { ts: at(12, 16), value: 90 }, // for Aug 13: after the report of Aug 11
    ]],
    ["FC_D0", [{ ts: at(11, 6), value: 83 }]],
  ]);
  const main = [{ ts: at(12, 6), value: 82.6 }, { ts: at(13, 6), value: 79.4 }];
  const h = weatherHistory({ main, aux }, "FC");
  assert.deepEqual(h, [
    { ts: at(12, 6), day: dayNumber(2025, 8, 11), value: 83, members: [83] },
    { ts: at(13, 6), day: dayNumber(2025, 8, 12), value: 79 },
  ]);
});
