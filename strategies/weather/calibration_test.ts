import assert from "node:assert/strict";
import { ImportError } from "../../lib/import/types.ts";
import { binOfValue } from "../../lib/market/ladder.ts";
import { dayNumber, easternWallToUtc, formatIsoDay } from "../../lib/time/eastern.ts";
import { calibrateWalkForward } from "../walk_forward.ts";
import {
  highNyLadder,
  kalshiLikeOffset,
  weatherDecisionTs,
  weatherForecastTask,
  weatherHistoryFromCsv,
  weatherNotes,
  weatherParamsSummary,
} from "./calibration.ts";
import { weatherPublishTs } from "./model.ts";

/** A GHCN-style CSV of `n` days from 2015-01-01: a seasonal cycle plus seeded noise. */
function ghcnCsv(n: number, seed = 3): string {
  let s = seed;
  const u = () => {
    s = (s * 16807) % 2147483647;
    return s / 2147483647;
  };
  const lines = ['"STATION","NAME","DATE","TMAX","TMIN"'];
  const d0 = dayNumber(2015, 1, 1);
  for (let i = 0; i < n; i++) {
    const t = 60 - 22 * Math.cos((2 * Math.PI * i) / 365.25) + 12 * (u() + u() + u() - 1.5);
    lines.push(`"X","CP","${formatIsoDay(d0 + i)}","${Math.round(t)}","${Math.round(t) - 12}"`);
  }
  return lines.join("\n") + "\n";
}

Deno.test("weatherHistoryFromCsv: TMAX by day, published 06:00 ET the next day", () => {
  const h = weatherHistoryFromCsv(
    "cp.csv",
    '"DATE","TMAX"\n"2020-07-01","88"\n"2020-07-02",""\n"2020-07-03","91"\n',
  );
  assert.equal(h.length, 2); // the blank TMAX is skipped
  assert.equal(h[0].day, dayNumber(2020, 7, 1));
  assert.equal(h[0].value, 88);
  assert.equal(h[0].ts, easternWallToUtc(2020, 7, 2, 6, 0));
  assert.equal(h[1].ts, weatherPublishTs(dayNumber(2020, 7, 3)));
});

Deno.test("weatherHistoryFromCsv: bad input names file, line and field, or the day", () => {
  assert.throws(
    () => weatherHistoryFromCsv("cp.csv", "DATE,TMAX\n2020-07-01,hot\n"),
    (e) => e instanceof ImportError && /cp\.csv:2: field "TMAX"/.test(e.message),
  );
  assert.throws(
    () => weatherHistoryFromCsv("cp.csv", "DATE,TMIN\n2020-07-01,70\n"),
    (e) => e instanceof ImportError && /TMAX/.test(e.message),
  );
  assert.throws(
    () => weatherHistoryFromCsv("cp.csv", "DATE,TMAX\n2020-07-01,88.5\n"),
    /Cannot read cp\.csv: TMAX of 2020-07-01 must be a whole degree F, current value is 88\.5/,
  );
});

Deno.test("highNyLadder: tails < c-4 and > c+3 around four two-degree bins", () => {
  const l = highNyLadder(50);
  assert.equal(l.bins.length, 6);
  assert.equal(l.outcomeStep, 1);
  const bins = [45, 46, 47, 48, 49, 50, 51, 52, 53, 54].map((v) => binOfValue(l, v));
  assert.deepEqual(bins, [0, 1, 1, 2, 2, 3, 3, 4, 4, 5]);
  assert.equal(binOfValue(l, 30), 0);
  assert.equal(binOfValue(l, 90), 5);
  assert.throws(
    () => highNyLadder(50.5),
    /Cannot build a KXHIGHNY ladder: the centre must be a whole degree, current value is 50\.5/,
  );
});

Deno.test("weatherDecisionTs and kalshiLikeOffset: 10:00 ET the day before; offsets in -3..3", () => {
  const day = dayNumber(2024, 3, 11); // the day after the DST change
  assert.equal(weatherDecisionTs(day), easternWallToUtc(2024, 3, 10, 10, 0));
  assert.ok(weatherDecisionTs(day) < weatherPublishTs(day));
  const seen = new Set<number>();
  for (let d = 0; d < 500; d++) seen.add(kalshiLikeOffset(20000 + d, 1));
  assert.deepEqual([...seen].sort((a, b) => a - b), [-3, -2, -1, 0, 1, 2, 3]);
  assert.equal(kalshiLikeOffset(20000, 1), kalshiLikeOffset(20000, 1));
});

Deno.test("weatherForecastTask: climatology-placed ladders beat uniform, Kalshi-like do not", () => {
  const days = weatherHistoryFromCsv("x.csv", ghcnCsv(5 * 365));
  const task = weatherForecastTask(days);
  assert.equal(task.decisionTs(days[400]), weatherDecisionTs(days[400].day));
  const a = calibrateWalkForward(task);
  assert.ok(a.oos.n > 300, `${a.oos.n}`);
  assert.equal(a.oos.refits, Math.ceil(a.oos.n / 30));
  assert.ok(Math.abs(a.oos.uniformLogLoss - Math.log(6)) < 1e-12);
  assert.ok(a.oos.logLoss < a.oos.uniformLogLoss, `A ${a.oos.logLoss}`);
  // The first year has no climatology: skipped by minKnown.
  assert.ok(a.inSample.n <= days.length - 364);
  // A kernel bandwidth below the noise sd (6 F): the samples carry the spread themselves.
  assert.ok(
    a.params.climBandwidth > 0.5 && a.params.climBandwidth < 6,
    `${a.params.climBandwidth}`,
  );
  assert.match(
    weatherParamsSummary(a.params),
    /^climatology bandwidth \d+\.\d\d F, window \+\/-15 d$/,
  );
  const b = calibrateWalkForward(weatherForecastTask(days, { placement: "kalshi-like" }));
  assert.equal(b.oos.n, a.oos.n);
  assert.ok(b.oos.logLoss > b.oos.uniformLogLoss, `B ${b.oos.logLoss}`);
  const notes = weatherNotes(days, a);
  assert.match(notes[0], /favours climatology/);
  assert.match(
    notes[1],
    new RegExp(
      `log loss ${b.oos.logLoss.toFixed(4)} vs uniform 1\\.7918 \\(n ${b.oos.n}\\): loses`,
    ),
  );
});

Deno.test("weatherForecastTask: bad options are refused", () => {
  assert.throws(
    () => weatherForecastTask([], { placement: "forecast" as "climatology" }),
    /Cannot build the weather task: placement must be "climatology" or "kalshi-like", current value is "forecast"/,
  );
  assert.throws(
    () => weatherForecastTask([], { seed: 1.5 }),
    /Cannot build the weather task: seed must be an integer, current value is 1\.5/,
  );
});
