import assert from "node:assert/strict";
import { Prng } from "../../lib/random/prng.ts";
import { dayNumber } from "../../lib/time/eastern.ts";
import {
  calendarDistance,
  calendarPosition,
  climatologySamples,
  type DayValue,
  fitClimatologyBandwidth,
} from "./climatology.ts";

Deno.test("calendarPosition: 365-day calendar, 29 February shares 28 February", () => {
  assert.equal(calendarPosition(dayNumber(2023, 1, 1)), 0);
  assert.equal(calendarPosition(dayNumber(2023, 12, 31)), 364);
  assert.equal(calendarPosition(dayNumber(2024, 12, 31)), 364);
  assert.equal(calendarPosition(dayNumber(2024, 2, 28)), 58);
  assert.equal(calendarPosition(dayNumber(2024, 2, 29)), 58);
  assert.equal(calendarPosition(dayNumber(2024, 3, 1)), calendarPosition(dayNumber(2023, 3, 1)));
});

Deno.test("calendarDistance wraps at the year end", () => {
  assert.equal(calendarDistance(0, 364), 1);
  assert.equal(calendarDistance(364, 0), 1);
  assert.equal(calendarDistance(10, 20), 10);
  assert.equal(calendarDistance(0, 182), 182);
  assert.equal(calendarDistance(0, 183), 182);
});

/** One value per day from `from` for `n` days: value = f(day). */
function series(from: number, n: number, f: (day: number, i: number) => number): DayValue[] {
  return Array.from({ length: n }, (_, i) => ({ day: from + i, value: f(from + i, i) }));
}

Deno.test("climatologySamples: same window in earlier seasons only", () => {
  const start = dayNumber(2020, 1, 1);
  // Value encodes the year so we can see which seasons were used.
  const days = series(start, 4 * 366, (d) => 2020 + Math.floor((d - start) / 365.25));
  const target = dayNumber(2023, 7, 15);
  const s = climatologySamples(days, target, 3);
  assert.equal(s.length, 3 * 7, "7 days in each of 2020, 2021, 2022");
  assert.deepEqual([...new Set(s)].sort(), [2020, 2021, 2022]);
  // Limited to the latest 2 seasons.
  const two = climatologySamples(days, target, 3, 2);
  assert.deepEqual([...new Set(two)].sort(), [2021, 2022]);
  assert.equal(two.length, 14);
  // A window over the year end: 1 January draws on late December too.
  const ny = climatologySamples(days, dayNumber(2023, 1, 1), 2);
  assert.equal(ny.length, 5 * 3 - 2, "2020's window starts on Jan 1 (no Dec 2019 data)");
  // The current season's recent days are not climatology.
  assert.ok(!s.includes(2023));
});

Deno.test("climatologySamples rejects bad input", () => {
  const d = [{ day: 1, value: 50 }];
  assert.throws(() => climatologySamples(d, 400, -1), /windowDays must be an integer in 0..90/);
  assert.throws(() => climatologySamples(d, 400, 91), /current value is 91/);
  assert.throws(() => climatologySamples(d, 400, 5, -1), /maxYears must be an integer >= 0/);
  assert.throws(() => climatologySamples(d, 400.5, 5), /targetDay must be an integer day number/);
  assert.throws(
    () => climatologySamples([{ day: 1, value: Number.NaN }], 400, 5),
    /value 0 must be finite, current value is NaN/,
  );
});

/** 12 years of a seasonal climate plus normal noise of sd 5, rounded. */
function seasonal(seed: number, sd = 5): DayValue[] {
  const rng = new Prng(seed);
  const start = dayNumber(2010, 1, 1);
  return series(
    start,
    12 * 365,
    (d) =>
      Math.round(
        62 + 20 * Math.cos((2 * Math.PI * (d - start - 200)) / 365.25) + sd * rng.normal(),
      ),
  );
}

Deno.test("fitClimatologyBandwidth: the fit maximizes the leave-one-season-out likelihood", () => {
  const days = seasonal(7);
  const fit = fitClimatologyBandwidth(days, { windowDays: 15 });
  assert.equal(fit.fit.n, days.length, "every day is scored against the other seasons");
  const at = (h: number) =>
    fitClimatologyBandwidth(days, { windowDays: 15, bandwidth: h }).fit.logLikelihood;
  assert.ok(fit.fit.logLikelihood >= at(fit.bandwidth * 0.8));
  assert.ok(fit.fit.logLikelihood >= at(fit.bandwidth * 1.25));
  // Noise of sd 5 with ~340 samples a day: Silverman's rule gives 1.06 * 5.3 * 340^-0.2 = 1.6;
  // the seasonal slope inside the window widens the samples, so expect a little more.
  assert.ok(fit.bandwidth > 1 && fit.bandwidth < 4, `bandwidth ${fit.bandwidth}`);
  // Log loss on 2-degree bins of a ~N(., 5.5) outcome: about ln(2 * 5.5 * sqrt(2 pi) / 2) = 2.6.
  assert.ok(fit.fit.logLoss > 2.3 && fit.fit.logLoss < 2.9, `log loss ${fit.fit.logLoss}`);
  assert.equal(fit.fit.binWidth, 2);
  // Noisier data: a wider kernel.
  const wide = fitClimatologyBandwidth(seasonal(7, 10), { windowDays: 15 });
  assert.ok(wide.bandwidth > fit.bandwidth * 1.5, `${wide.bandwidth} vs ${fit.bandwidth}`);
});

Deno.test("fitClimatologyBandwidth rejects bad input and too little history", () => {
  assert.throws(
    () => fitClimatologyBandwidth([{ day: 1, value: 50.5 }], { windowDays: 5 }),
    /value 0 must be a whole degree, current value is 50.5/,
  );
  assert.throws(
    () => fitClimatologyBandwidth([{ day: 1.5, value: 50 }], { windowDays: 5 }),
    /day 0 must be an integer day number/,
  );
  assert.throws(
    () => fitClimatologyBandwidth(series(0, 300, () => 50), { windowDays: 5 }),
    /at least 2 days with 10 samples in earlier seasons are needed, current value is 0/,
  );
  assert.throws(
    () => fitClimatologyBandwidth(series(0, 800, () => 50), { windowDays: 5, minSamples: 0 }),
    /minSamples must be an integer >= 1/,
  );
  assert.throws(
    () => fitClimatologyBandwidth(series(0, 800, () => 50), { windowDays: 5, bandwidth: 0 }),
    /bandwidth must be finite and > 0, current value is 0/,
  );
});
