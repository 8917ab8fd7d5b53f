/**
 * Real-data checks of the NYC high (weather) and index families.
 *
 * Weather: the climatology baseline (strategies/weather: +/- 15-day calendar
 * window of earlier seasons, Gaussian kernel with a fitted bandwidth) is fitted
 * walk-forward on the Central Park daily maxima (GHCN-D USW00094728,
 * ../shared/data/nyc_centralpark_ts, 2013-07..2024-03, the station KXHIGHNY
 * settles on): for each test year Y = 2015..2024 the bandwidth is calibrated on
 * the days published before 00:00 ET on 1 January Y, and each day D of Y is
 * forecast at 10:00 ET on D - 1 (when Kalshi lists the next day's ladder) from
 * the days published by then. It is scored by log loss against a uniform PMF
 * over the ladder's 6 bins (ln 6 = 1.792 nats) on three sets of ladders:
 *
 * A. KXHIGHNY-shaped ladders placed by climatology (asserted): 4 two-degree
 *    bins {c-4, c-3}, {c-2, c-1}, {c, c+1}, {c+2, c+3} and the tails < c - 4 and
 *    > c + 3, c = the median of the climatology samples known at decision time
 *    (the ladder a lister with no forecast would draw).
 * B. The same shape placed like Kalshi's (reported): c = the observed value plus
 *    a seeded uniform integer offset in -3..3 (a forecast error of a few
 *    degrees). The placement carries information climatology does not use.
 * C. The 38 real KXHIGHNY ladders of ../shared/data/kalshi_weather_jm (settled
 *    2026-04-22..05-29; strikes inferred from the tickers, outcome = the market
 *    that settled YES), with the climatology fitted on the whole Central Park
 *    history, which ends before them (reported).
 *
 * Index: the S&P 500 / Nasdaq-100 minute bars of ../shared/data/kalshi_sys_mb
 * are Parquet files written by Polars with ZSTD-compressed pages; the index
 * calibration job reads them with nodejs-polars and fits sigma_tod on them
 * (strategies/index/calibration.ts, tests/real/calibrate_real.ts). This test
 * checks the files are what that job expects, and that the fitting code
 * recovers a known curve from synthetic minute bars (lib/synth/index_tape.ts).
 *
 * @module
 */

import assert from "node:assert/strict";
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse } from "csv-parse/sync";
import { inferLadder } from "../../lib/import/ticker_ladder.ts";
import { binOfValue, buildLadder, type Ladder } from "../../lib/market/ladder.ts";
import { Prng } from "../../lib/random/prng.ts";
import { LOG_LOSS_FLOOR } from "../../lib/scoring/binary.ts";
import { indexSynthSessions, syntheticSigmaTod } from "../../lib/synth/index_tape.ts";
import type { MarketEvent } from "../../lib/tape/events.ts";
import { dayDate, easternWallToUtc, parseIsoDay } from "../../lib/time/eastern.ts";
import { climatologySamples } from "../../strategies/weather/climatology.ts";
import {
  type WeatherDay,
  weatherDistribution,
  weatherModel,
  weatherPublishTs,
} from "../../strategies/weather/model.ts";
import { fitSigmaTod } from "../../strategies/index/sigma_tod.ts";
import { realDataTest, requireShared } from "./shared_data.ts";

const UNIFORM = Math.log(6);

function at(day: number, hour: number): number {
  const { year, month, day: d } = dayDate(day);
  return easternWallToUtc(year, month, d, hour, 0);
}

function market(event: string, suffix: string, fields: Partial<MarketEvent>): MarketEvent {
  return {
    kind: "market",
    ts: 0,
    market: `${event}-${suffix}`,
    event,
    strikeType: "between",
    openTs: 0,
    closeTs: 1,
    priceStep: 100,
    ...fields,
  };
}

/** A KXHIGHNY-shaped ladder around c (see the module docs). */
function ladderAround(c: number): Ladder {
  const ev = "KXHIGHNY-REAL";
  const ms = [
    market(ev, `T${c - 4}`, { strikeType: "less", capStrike: c - 4 }),
    market(ev, `T${c + 3}`, { strikeType: "greater", floorStrike: c + 3 }),
  ];
  for (let x = c - 4; x <= c + 2; x += 2) {
    ms.push(market(ev, `B${x}.5`, { floorStrike: x, capStrike: x + 1 }));
  }
  return buildLadder(
    {
      kind: "event",
      ts: 0,
      event: ev,
      series: "KXHIGHNY",
      mutuallyExclusive: true,
      outcomeStep: 1,
    },
    ms,
  );
}

function loss(p: number): number {
  return -Math.log(p > LOG_LOSS_FLOOR ? p : LOG_LOSS_FLOOR);
}

function centralPark(): WeatherDay[] {
  const path = requireShared("nyc_centralpark_ts", "central_park_weather.csv");
  const rows = parse(readFileSync(path, "utf8"), { columns: true }) as Record<string, string>[];
  return rows.map((r) => {
    const day = parseIsoDay(r.DATE);
    const value = Number(r.TMAX);
    assert.ok(Number.isInteger(value), `TMAX of ${r.DATE} is a whole degree: ${r.TMAX}`);
    return { ts: weatherPublishTs(day), day, value };
  });
}

Deno.test({
  name: "weather climatology, walk-forward on Central Park, beats a uniform PMF out of sample",
  ...realDataTest("nyc_centralpark_ts"),
  fn() {
    const hist = centralPark();
    assert.equal(hist.length, 3927);
    const rng = new Prng(1);
    const years: { year: number; bandwidth: number; a: number; b: number; n: number }[] = [];
    for (let year = 2015; year <= 2024; year++) {
      const cutoff = at(parseIsoDay(`${year}-01-01`), 0);
      const params = weatherModel.calibrate(hist, { cutoffTs: cutoff });
      // Walk-forward: nothing at or after the cutoff can change the parameters.
      assert.deepEqual(
        weatherModel.calibrate(hist.filter((d) => d.ts < cutoff), { cutoffTs: cutoff }),
        params,
      );
      let a = 0;
      let b = 0;
      let n = 0;
      let known = 0;
      for (const d of hist) {
        if (dayDate(d.day).year !== year) continue;
        const now = at(d.day - 1, 10);
        while (known < hist.length && hist[known].ts <= now) known++;
        const state = { now, targetDay: d.day, history: hist.slice(0, known) };
        assert.equal(weatherDistribution(state, params).source, "climatology");
        const samples = climatologySamples(state.history, d.day, params.climWindowDays)
          .sort((x, y) => x - y);
        const ladA = ladderAround(samples[samples.length >> 1]);
        const ladB = ladderAround(d.value + rng.int(7) - 3);
        const pa = weatherModel.pmf(state, params, ladA);
        const pb = weatherModel.pmf(state, params, ladB);
        a += loss(pa[binOfValue(ladA, d.value)]);
        b += loss(pb[binOfValue(ladB, d.value)]);
        n++;
      }
      years.push({ year, bandwidth: params.climBandwidth, a: a / n, b: b / n, n });
    }
    const n = years.reduce((s, y) => s + y.n, 0);
    const a = years.reduce((s, y) => s + y.a * y.n, 0) / n;
    const b = years.reduce((s, y) => s + y.b * y.n, 0) / n;
    console.log("year  bandwidth  log loss A (climatology-placed)  B (forecast-placed)  days");
    for (const y of years) {
      console.log(
        `${y.year}  ${y.bandwidth.toFixed(2)}  ${y.a.toFixed(3)}  ${y.b.toFixed(3)}  ${y.n}`,
      );
    }
    console.log(
      `all ${n} days: A ${a.toFixed(3)}, B ${b.toFixed(3)}, uniform ${UNIFORM.toFixed(3)} nats`,
    );
    assert.equal(n, 9 * 365 + 2 + 91, "2015..2023 and 2024-01..03");
    assert.ok(a < UNIFORM - 0.1, `A: climatology ${a} vs uniform ${UNIFORM}`);
    const beaten = years.filter((y) => y.a < UNIFORM).length;
    assert.ok(beaten >= 9, `A: climatology beats uniform in ${beaten} of 10 years`);
    // B is reported, not asserted: a ladder centred on a forecast carries information
    // climatology ignores (see the module docs).
    assert.ok(Number.isFinite(b));
  },
});

Deno.test({
  name: "weather climatology on the real KXHIGHNY ladders of 2026 (reported)",
  ...realDataTest("kalshi_weather_jm"),
  fn() {
    const hist = centralPark();
    const params = weatherModel.calibrate(hist, { cutoffTs: Infinity });
    const path = requireShared("kalshi_weather_jm", "kalshi_markets.csv");
    const rows = (parse(readFileSync(path, "utf8"), { columns: true }) as Record<string, string>[])
      .filter((r) => r.city === "NY");
    const byEvent = new Map<string, Record<string, string>[]>();
    for (const r of rows) byEvent.set(r.event_ticker, [...(byEvent.get(r.event_ticker) ?? []), r]);
    let total = 0;
    let n = 0;
    for (const [event, ms] of byEvent) {
      const inferred = inferLadder(event, ms.map((r) => r.market_ticker), { outcomeStep: 1 });
      assert.deepEqual(inferred.problems, [], event);
      const ladder = buildLadder(
        {
          kind: "event",
          ts: 0,
          event,
          series: "KXHIGHNY",
          mutuallyExclusive: true,
          outcomeStep: 1,
        },
        [...inferred.shapes].map(([m, s]) => market(event, m.slice(event.length + 1), s)),
      );
      const day = parseIsoDay(ms[0].settle_date);
      const yes = ms.filter((r) => r.result === "yes");
      assert.equal(yes.length, 1, `${event} has one YES`);
      const pmf = weatherModel.pmf(
        { now: at(day - 1, 10), targetDay: day, history: hist },
        params,
        ladder,
      );
      assert.ok(Math.abs(pmf.reduce((s, x) => s + x, 0) - 1) < 1e-12);
      total += loss(pmf[ladder.marketIndex.get(yes[0].market_ticker)!]);
      n++;
    }
    assert.equal(n, 38);
    console.log(
      `C: ${n} real KXHIGHNY ladders: climatology ${(total / n).toFixed(3)} vs uniform ${
        UNIFORM.toFixed(3)
      } nats (Kalshi centres its ladders on the forecast; climatology alone does not beat that)`,
    );
  },
});

Deno.test({
  name: "index minute bars are Parquet; the sigma_tod fit recovers a known curve on synthetic bars",
  ...realDataTest("kalshi_sys_mb"),
  fn() {
    const dir = requireShared("kalshi_sys_mb", "spx_ndx_minute_days");
    const files = readdirSync(dir).filter((f) => f.endsWith(".parquet")).sort();
    assert.deepEqual(files, [
      "I_NDX_2025-10-31.parquet",
      "I_NDX_2025-11-04.parquet",
      "I_SPX_2025-10-31.parquet",
      "I_SPX_2025-11-04.parquet",
    ]);
    for (const f of files) {
      const bytes = readFileSync(join(dir, f));
      const magic = (o: number) => new TextDecoder().decode(bytes.subarray(o, o + 4));
      assert.equal(magic(0), "PAR1", f);
      assert.equal(magic(bytes.length - 4), "PAR1", f);
      let zstd = 0; // ZSTD frame magic 28 B5 2F FD
      for (let i = 0; i + 3 < bytes.length; i++) {
        if (
          bytes[i] === 0x28 && bytes[i + 1] === 0xb5 && bytes[i + 2] === 0x2f &&
          bytes[i + 3] === 0xfd
        ) {
          zstd++;
        }
      }
      assert.ok(zstd > 0, `${f}: ZSTD-compressed pages`);
    }
    // sigma_tod from synthetic minute bars recovers the generating curve (the real bars
    // are fitted by the index calibration job: tests/real/calibrate_real.ts).
    const sessions = indexSynthSessions({ seed: 7, historyDays: 60, eventDays: 0 });
    const levels = sessions.flatMap((s) => s.levels.map((value, i) => ({ ts: s.ts[i], value })));
    const fit = fitSigmaTod(levels, {});
    const truth = syntheticSigmaTod({});
    const sum = (v: readonly number[]) => v.reduce((s, x) => s + x, 0);
    assert.ok(Math.abs(sum(fit.varPerMinute) / sum(truth) - 1) < 0.05);
  },
});
