import assert from "node:assert/strict";
import { buildLadder, type Ladder } from "../../lib/market/ladder.ts";
import { testEvent, testMarket, weatherLadder } from "../../lib/market/test_fixtures.ts";
import { marketProbabilities } from "../../lib/pricing/pmf.ts";
import { weatherSynthHistory } from "../../lib/synth/weather.ts";
import { dayNumber } from "../../lib/time/eastern.ts";
import {
  DEFAULT_WEATHER_PARAMS,
  observedDayOf,
  type WeatherDay,
  weatherDistribution,
  weatherModel,
  type WeatherParams,
  weatherPublishTs,
  weatherTargetDay,
} from "./model.ts";

const DAY = dayNumber(2025, 8, 12);

function sum(a: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i];
  return s;
}

/** `years` of days before DAY with value = 45 + (day % 7), published the next morning. */
function history(years: number, value = (d: number) => 45 + (d % 7)): WeatherDay[] {
  const out: WeatherDay[] = [];
  for (let d = DAY - Math.round(365.25 * years); d < DAY; d++) {
    out.push({ ts: weatherPublishTs(d), day: d, value: value(d) });
  }
  return out;
}

/** The synthetic generator's days as the model's history. */
function synthDays(seed: number, n: number, members = 10): WeatherDay[] {
  return weatherSynthHistory({ seed, historyDays: n, eventDays: 0, members }).map((d) => ({
    ts: d.ts,
    day: d.day,
    value: d.value,
    members: d.members,
  }));
}

const NOW = weatherPublishTs(DAY - 1) + 3_600_000; // 07:00 ET on the target day

Deno.test("weather days: publication 06:00 ET the next day; target day of an event", () => {
  assert.equal(weatherPublishTs(DAY), Date.UTC(2025, 7, 13, 10, 0), "EDT");
  assert.equal(weatherPublishTs(dayNumber(2025, 12, 1)), Date.UTC(2025, 11, 2, 11, 0), "EST");
  assert.equal(observedDayOf(weatherPublishTs(DAY)), DAY);
  assert.equal(weatherTargetDay("KXHIGHNY-25AUG12", Number.NaN), DAY);
  assert.equal(weatherTargetDay("KXHIGHNY-25AUG12-B45.5", Number.NaN), DAY, "a market ticker");
  // No (or an impossible) date code: the Eastern day of the instant before the close.
  const close = Date.UTC(2025, 7, 13, 4, 0); // 00:00 EDT on 13 August
  assert.equal(weatherTargetDay("WX-TEST", close), DAY);
  assert.equal(weatherTargetDay("KXHIGHNY-25FEB30", close), DAY);
  assert.throws(
    () => weatherTargetDay("WX-TEST", Number.NaN),
    /Cannot find the target day of WX-TEST: no date code in the ticker and no close time/,
  );
});

Deno.test("weather pmf: sums to 1 for every source; a known day is a point mass", () => {
  const l = weatherLadder(); // ..44, [45,46], ..., [55,56], 57..
  const hist = history(5);
  const p = DEFAULT_WEATHER_PARAMS;
  const cases: [string, object][] = [
    ["climatology", { now: NOW, targetDay: DAY, history: hist }],
    ["forecast", { now: NOW, targetDay: DAY, history: hist, members: [50, 52.5, 49] }],
    ["recent", { now: NOW, targetDay: DAY, history: hist.slice(-40) }],
  ];
  for (const [source, s] of cases) {
    const state = s as Parameters<typeof weatherModel.pmf>[0];
    assert.equal(weatherDistribution(state, p).source, source);
    const pmf = weatherModel.pmf(state, p, l);
    assert.ok(Math.abs(sum(pmf) - 1) < 1e-12, `${source}: ${sum(pmf)}`);
    assert.ok(pmf.every((x) => x >= 0));
  }
  const known = [...hist, { ts: weatherPublishTs(DAY), day: DAY, value: 52 }];
  const state = { now: weatherPublishTs(DAY), targetDay: DAY, history: known, members: [70] };
  assert.equal(weatherDistribution(state, p).source, "observed");
  const pmf = weatherModel.pmf(state, p, l);
  assert.deepEqual(Array.from(pmf), [0, 0, 0, 0, 1, 0, 0, 0], "52 is in [51, 52]");
  // One ms earlier the report is not out yet: the members rule.
  const before = { ...state, now: weatherPublishTs(DAY) - 1 };
  assert.equal(weatherDistribution(before, p).source, "forecast");
});

Deno.test("weather pmf: zero on bins holding no whole degree", () => {
  const ev = "KXHIGHNY-25AUG12";
  const l = buildLadder(testEvent(ev, true, 1), [
    testMarket(ev, "T45", "less", { capStrike: 45 }),
    testMarket(ev, "B45.05", "between", { floorStrike: 45, capStrike: 45.1 }),
    testMarket(ev, "B45.5", "between", { floorStrike: 45.2, capStrike: 45.8 }),
    testMarket(ev, "B46", "between", { floorStrike: 45.9, capStrike: 46 }),
    testMarket(ev, "T46", "greater", { floorStrike: 46 }),
  ]);
  const pmf = weatherModel.pmf(
    { now: NOW, targetDay: DAY, history: [], members: [45.6] },
    DEFAULT_WEATHER_PARAMS,
    l,
  );
  assert.equal(pmf[2], 0, "(45.2..45.8) holds no whole degree");
  assert.ok(pmf[1] > 0 && pmf[3] > 0);
  assert.ok(Math.abs(sum(pmf) - 1) < 1e-12);
  // The same with a ladder that carries no outcome step: step 1 is assumed.
  const noStep = buildLadder(testEvent(ev, true), [
    testMarket(ev, "T45", "less", { capStrike: 45 }),
    testMarket(ev, "B45.5", "between", { floorStrike: 45, capStrike: 46 }),
    testMarket(ev, "T46", "greater", { floorStrike: 46 }),
  ]);
  const q = weatherModel.pmf(
    { now: NOW, targetDay: DAY, history: [], members: [45.5] },
    DEFAULT_WEATHER_PARAMS,
    noStep,
  );
  assert.ok(Math.abs(sum(q) - 1) < 1e-12);
});

function above(l: Ladder, pmf: Float64Array): number[] {
  // P(outcome >= lower end of each bin) from the top down.
  const out: number[] = [];
  let s = 0;
  for (let b = pmf.length - 1; b >= 0; b--) {
    s += pmf[b];
    out.unshift(s);
  }
  assert.equal(out.length, l.bins.length);
  return out;
}

Deno.test("weather pmf: monotone in the point forecast and in the members", () => {
  const l = weatherLadder();
  let prev: number[] | undefined;
  for (let f = 38; f <= 64; f += 0.37) {
    const up = above(
      l,
      weatherModel.pmf(
        { now: NOW, targetDay: DAY, history: [], members: [f] },
        DEFAULT_WEATHER_PARAMS,
        l,
      ),
    );
    if (prev !== undefined) {
      for (let b = 0; b < up.length; b++) assert.ok(up[b] >= prev[b] - 1e-12, `f ${f} bin ${b}`);
    }
    prev = up;
  }
  // Raising one member of an ensemble never lowers any "at least" probability.
  const base = above(
    l,
    weatherModel.pmf(
      { now: NOW, targetDay: DAY, history: [], members: [48, 50, 53] },
      DEFAULT_WEATHER_PARAMS,
      l,
    ),
  );
  const raised = above(
    l,
    weatherModel.pmf(
      { now: NOW, targetDay: DAY, history: [], members: [48, 52, 53] },
      DEFAULT_WEATHER_PARAMS,
      l,
    ),
  );
  for (let b = 0; b < base.length; b++) assert.ok(raised[b] >= base[b] - 1e-12);
  // A positive bias shifts the distribution down.
  const biased = above(
    l,
    weatherModel.pmf(
      { now: NOW, targetDay: DAY, history: [], members: [48, 50, 53] },
      { ...DEFAULT_WEATHER_PARAMS, bias: 2 },
      l,
    ),
  );
  assert.ok(biased[4] < base[4]);
});

Deno.test("weather climatology: earlier seasons only, published by now", () => {
  const l = weatherLadder();
  const hist = history(4);
  const p = DEFAULT_WEATHER_PARAMS;
  const pmf = weatherModel.pmf({ now: NOW, targetDay: DAY, history: hist }, p, l);
  // The current season's last 30 days are not climatology: changing them changes nothing.
  const recentHot = hist.map((d) => (DAY - d.day <= 30 ? { ...d, value: 99 } : d));
  assert.deepEqual(
    Array.from(weatherModel.pmf({ now: NOW, targetDay: DAY, history: recentHot }, p, l)),
    Array.from(pmf),
  );
  // A day a year ago is: changing the window a year back changes the PMF.
  const lastYear = hist.map((d) => (Math.abs(DAY - 365 - d.day) <= 5 ? { ...d, value: 99 } : d));
  const q = weatherModel.pmf({ now: NOW, targetDay: DAY, history: lastYear }, p, l);
  assert.ok(q[7] > pmf[7] + 0.05, "more mass on 57 and above");
  // Days published after now are ignored.
  const future = [...hist, { ts: NOW + 1, day: DAY, value: 40 }];
  assert.deepEqual(
    Array.from(weatherModel.pmf({ now: NOW, targetDay: DAY, history: future }, p, l)),
    Array.from(pmf),
  );
});

Deno.test("weather pmf rejects bad params, bad history and an empty state", () => {
  const l = weatherLadder();
  const s = { now: NOW, targetDay: DAY, history: history(1) };
  const bad: [Partial<WeatherParams>, RegExp][] = [
    [{ bias: Infinity }, /bias must be finite/],
    [{ bandwidth: 0 }, /bandwidth must be finite and > 0, current value is 0/],
    [{ climWindowDays: 100 }, /climWindowDays must be an integer in 0..90/],
    [{ climBandwidth: -1 }, /climBandwidth must be finite and > 0/],
    [{ climYears: 1.5 }, /climYears must be an integer >= 0/],
  ];
  for (const [p, re] of bad) {
    assert.throws(() => weatherModel.pmf(s, { ...DEFAULT_WEATHER_PARAMS, ...p }, l), re);
  }
  assert.throws(
    () => weatherModel.pmf({ now: NOW, targetDay: DAY, history: [] }, DEFAULT_WEATHER_PARAMS, l),
    /Cannot forecast the NYC high: nothing is known at/,
  );
  const unordered = [history(1)[5], history(1)[4]];
  assert.throws(
    () => weatherModel.pmf({ ...s, history: unordered }, DEFAULT_WEATHER_PARAMS, l),
    /history must be in time order/,
  );
  assert.throws(
    () =>
      weatherModel.pmf(
        { ...s, history: [{ ts: 1, day: 1, value: 50.5 }] },
        DEFAULT_WEATHER_PARAMS,
        l,
      ),
    /history\[0\].value must be a whole degree, current value is 50.5/,
  );
  assert.throws(
    () => weatherModel.pmf({ ...s, targetDay: 1.5 }, DEFAULT_WEATHER_PARAMS, l),
    /targetDay must be an integer day number/,
  );
});

Deno.test("weather calibrate recovers the synthetic bias and bandwidth", () => {
  // Synthetic truth: bias 1, bandwidth 2 (lib/synth/weather.ts defaults).
  // Tolerance: bias within 0.25 F (about 4 standard errors), bandwidth within 10%.
  for (const seed of [1, 2]) {
    const days = synthDays(seed, 1500);
    const p = weatherModel.calibrate(days, { cutoffTs: days.at(-1)!.ts + 1 });
    assert.ok(Math.abs(p.bias - 1) < 0.25, `seed ${seed}: bias ${p.bias}`);
    assert.ok(Math.abs(p.bandwidth / 2 - 1) < 0.1, `seed ${seed}: bandwidth ${p.bandwidth}`);
    assert.equal(p.forecastFit?.n, 1500);
    assert.ok(p.climFit !== undefined && p.climBandwidth > 1 && p.climBandwidth < 6);
  }
});

Deno.test("weather calibrate is walk-forward: data at or after the cutoff cannot change it", () => {
  const days = synthDays(3, 800);
  const cutoff = days[600].ts; // days 0..599 are before it
  const base = weatherModel.calibrate(days, { cutoffTs: cutoff });
  const tampered = days.map((d, i) =>
    i >= 600 ? { ...d, value: d.value + 40, members: d.members!.map((m) => m - 30) } : d
  );
  assert.deepEqual(weatherModel.calibrate(tampered, { cutoffTs: cutoff }), base);
  assert.deepEqual(weatherModel.calibrate(days.slice(0, 600), { cutoffTs: cutoff }), base);
  // ...but data before it does.
  const earlier = days.map((d, i) => (i === 599 ? { ...d, value: d.value + 40 } : d));
  assert.notDeepEqual(weatherModel.calibrate(earlier, { cutoffTs: cutoff }), base);
});

Deno.test("weather calibrate: parts without data keep their initial values", () => {
  // Climatology only (no members), one year of days: too few seasons to fit it -> throws.
  const plain = synthDays(4, 300).map(({ ts, day, value }) => ({ ts, day, value }));
  assert.throws(
    () => weatherModel.calibrate(plain, { cutoffTs: Infinity }),
    /Cannot calibrate the NYC high: too little history before the cutoff/,
  );
  // Members on 300 days but no second season: the forecast part is fitted, the climatology kept.
  const fc = weatherModel.calibrate(synthDays(4, 300), { cutoffTs: Infinity });
  assert.ok(fc.forecastFit !== undefined && fc.climFit === undefined);
  assert.equal(fc.climBandwidth, DEFAULT_WEATHER_PARAMS.climBandwidth);
  // Fixed values are honoured.
  const fixed = weatherModel.calibrate(synthDays(4, 300), {
    cutoffTs: Infinity,
    bias: 0.5,
    climBandwidth: 3.3,
  });
  assert.equal(fixed.bias, 0.5);
  assert.equal(fixed.climBandwidth, 3.3);
  // Two years without members: only the climatology.
  const clim = weatherModel.calibrate(
    synthDays(5, 800).map(({ ts, day, value }) => ({ ts, day, value })),
    { cutoffTs: Infinity },
  );
  assert.ok(clim.climFit !== undefined && clim.forecastFit === undefined);
  assert.equal(clim.bias, 0);
});

Deno.test("weather calibrate rejects bad options and history", () => {
  const days = synthDays(6, 100);
  assert.throws(
    () => weatherModel.calibrate(days, { cutoffTs: Number.NaN }),
    /the cutoff must be a number/,
  );
  assert.throws(
    () => weatherModel.calibrate(days, { cutoffTs: Infinity, minForecastDays: 2 }),
    /minForecastDays must be an integer >= 5/,
  );
  assert.throws(
    () => weatherModel.calibrate(days, { cutoffTs: Infinity, minClimDays: 1 }),
    /minClimDays must be an integer >= 2/,
  );
  assert.throws(
    () =>
      weatherModel.calibrate(days, {
        cutoffTs: Infinity,
        initial: { ...DEFAULT_WEATHER_PARAMS, bandwidth: -2 },
      }),
    /Cannot calibrate the NYC high: bandwidth must be finite and > 0, current value is -2/,
  );
  assert.throws(
    () => weatherModel.calibrate([days[1], days[0]], { cutoffTs: Infinity }),
    /history must be in time order/,
  );
  assert.throws(
    () => weatherModel.calibrate([{ ...days[0], ts: 1.5 }], { cutoffTs: Infinity }),
    /history\[0\].ts must be an integer ms/,
  );
});

Deno.test("weather market probabilities follow from the PMF", () => {
  const l = weatherLadder();
  const pmf = weatherModel.pmf(
    { now: NOW, targetDay: DAY, history: [], members: [50.2] },
    DEFAULT_WEATHER_PARAMS,
    l,
  );
  const p = marketProbabilities(l, pmf);
  assert.ok(Math.abs(sum(p) - 1) < 1e-12, "a mutually exclusive ladder");
  assert.equal(p.indexOf(Math.max(...p)), l.marketIndex.get("KXHIGHNY-25NOV24-B49.5"));
});
