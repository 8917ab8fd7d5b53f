import assert from "node:assert/strict";
import { inferLadder } from "../import/ticker_ladder.ts";
import { dayDate } from "../time/eastern.ts";
import { checkLadderTape } from "./test_checks.ts";
import {
  generateWeatherTape,
  syntheticClimate,
  WEATHER_ENS_SYMBOL,
  WEATHER_OBS_SYMBOL,
  weatherSynthHistory,
  weatherTapeName,
} from "./weather.ts";

Deno.test("generateWeatherTape: a valid, deterministic tape of KXHIGHNY ladders", () => {
  const o = { seed: 1, historyDays: 40, eventDays: 3 };
  const tape = generateWeatherTape(o);
  const s = checkLadderTape(tape);
  assert.equal(s.events.length, 3);
  for (const ev of s.events) {
    assert.match(ev.event, /^KXHIGHNY-\d\d[A-Z]{3}\d\d$/);
    assert.equal(ev.outcomeStep, 1);
    assert.equal(ev.mutuallyExclusive, true);
    const ms = [...s.markets.values()].filter((m) => m.event === ev.event);
    assert.equal(ms.length, 6, "4 two-degree bins and 2 tails");
    // The tickers follow Kalshi's convention: the importer infers the same strikes.
    const inferred = inferLadder(ev.event, ms.map((m) => m.market), { outcomeStep: 1 });
    assert.deepEqual(inferred.problems, []);
    for (const m of ms) {
      const shape = inferred.shapes.get(m.market)!;
      assert.equal(shape.strikeType, m.strikeType, m.market);
      assert.equal(shape.floorStrike, m.floorStrike, m.market);
      assert.equal(shape.capStrike, m.capStrike, m.market);
    }
    const one = ms.filter((m) => s.settlements.get(m.market)!.result === "yes");
    assert.equal(one.length, 1, `${ev.event} has one YES`);
  }
  const obs = s.underlying.filter((u) => u.symbol === WEATHER_OBS_SYMBOL);
  const ens = s.underlying.filter((u) => u.symbol === WEATHER_ENS_SYMBOL);
  assert.equal(obs.length, 43);
  assert.equal(ens.length, 430, "10 members a day");
  assert.ok(obs.every((u) => Number.isInteger(u.value)), "whole degrees");
  const fees = tape.filter((e) => e.kind === "series");
  assert.deepEqual(fees.map((e) => e.kind === "series" && e.series), ["KXHIGHNY"]);
  assert.deepEqual(generateWeatherTape(o), tape);
  assert.equal(weatherTapeName(4), "synthetic_weather_seed4.ndjson");
});

Deno.test("weatherSynthHistory: seasonal whole-degree maxima, members before, report after", () => {
  const h = weatherSynthHistory({ seed: 2, historyDays: 3 * 365, eventDays: 0 });
  const byMonth = new Map<number, number[]>();
  for (const d of h) {
    assert.ok(Number.isInteger(d.value));
    assert.equal(d.members.length, 10);
    assert.ok(d.membersTs < d.ts);
    const m = dayDate(d.day).month;
    byMonth.set(m, [...(byMonth.get(m) ?? []), d.value]);
  }
  const mean = (a: number[]) => a.reduce((s, x) => s + x, 0) / a.length;
  const jan = mean(byMonth.get(1)!);
  const jul = mean(byMonth.get(7)!);
  assert.ok(jul - jan > 35, `July ${jul} vs January ${jan}`);
  assert.ok(Math.abs(syntheticClimate(h[200].day) - 85) < 0.5, "warmest around 19 July");
  // Members exceed the outcome by the bias on average.
  let r = 0;
  for (const d of h) r += d.members.reduce((s, x) => s + x, 0) / 10 - d.value;
  assert.ok(Math.abs(r / h.length - 1) < 0.25, `mean residual ${r / h.length}`);
  // A point forecast is one member.
  assert.equal(weatherSynthHistory({ seed: 2, historyDays: 3, members: 1 })[0].members.length, 1);
});

Deno.test("generateWeatherTape rejects bad options", () => {
  const bad: object[] = [
    { seed: 1.5 },
    { seed: 1, historyDays: 0 },
    { seed: 1, eventDays: -1 },
    { seed: 1, phi: 1 },
    { seed: 1, members: 0 },
    { seed: 1, bandwidth: 0 },
    { seed: 1, spread: -1 },
    { seed: 1, bias: Number.NaN },
  ];
  for (const o of bad) {
    assert.throws(
      () => generateWeatherTape(o as { seed: number }),
      /^RangeError: Cannot generate synthetic weather data: .*, current value is/,
      JSON.stringify(o),
    );
  }
});
