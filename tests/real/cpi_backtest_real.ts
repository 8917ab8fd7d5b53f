/**
 * Real data: the CPI family backtested on Kalshi's KXCPI-25JUL ladder (July 2025
 * CPI m/m, released 2025-08-12 08:30 ET).
 *
 * 1. `deno task import cpi-events-csv` (lib/import/cpi_events_csv.ts) of
 *    ../shared/data/kalshi_cpi_yf: events_table.csv -> 61 first-release m/m
 *    prints as `underlying` CPI_MOM at their release time (08:30 ET on or after
 *    each event's close); the KXCPI-25JUL markets extract -> the 6 "greater"
 *    markets (-0.1 .. 0.4) and their settlement; the daily candles of T0.2 ->
 *    its top of book at each candle's end.
 * 2. The CPI strategy reads `underlying` events of its `symbol`, default
 *    CPI_MOM: the importer's default symbol, so nothing is mapped.
 * 3. The replay opens a market only on a lifecycle `open`; the importer
 *    declares each market open at its `open_time` (2025-06-12 14:00 UTC), as
 *    every importer does for sources without a status history.
 * 4. `runBacktest` with the CPI strategy (defaults: trend of the last 6 prints +
 *    Student-t error, recalibrated when a print arrives). The strategy is
 *    wrapped to pass the time of its last calibration as the forecast's
 *    `calibratedTs` (the replay refuses a forecast calibrated after `now`).
 *
 * Asserted: the ladder is forecast before its close from prints published
 * earlier only (calibratedTs <= decision time, and every PMF recomputed from the
 * prints published by then equals the recorded one); a wrapper that claims a
 * later calibration is refused as look-ahead; the event settles on 0.2 (T0.2 NO:
 * "greater" is strict; T0.1 YES); two runs give one digest. Reported: Brier and
 * log loss of the model over the ladder's 6 markets, and model vs market on
 * T0.2, the only market with prices (daily candle closes).
 *
 * @module
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { DEFAULT_REPLAY_CONFIG } from "../../lib/venue/replay.ts";
import { runBacktest } from "../../lib/venue/run.ts";
import { tapeFileStream } from "../../lib/venue/stream.ts";
import type { ForecastMeta, Strategy, StrategyContext } from "../../lib/engine/strategy.ts";
import { binOfValue, buildLadder } from "../../lib/market/ladder.ts";
import { brierScore, logLoss } from "../../lib/scoring/binary.ts";
import type { EventEvent, MarketEvent, TapeEvent } from "../../lib/tape/events.ts";
import { parseNdjsonText } from "../../lib/tape/ndjson_reader.ts";
import type { Observation } from "../../strategies/family.ts";
import { cpiModel } from "../../strategies/cpi/model.ts";
import { CpiStrategy } from "../../strategies/cpi/strategy.ts";
import { runImportJob } from "../../tasks/import.ts";
import { realDataTest, requireShared } from "./shared_data.ts";

const EVENT = "KXCPI-25JUL";
const CLOSE = Date.parse("2025-08-12T12:29:00Z");

/** The CPI strategy, passing the time of its last calibration with each forecast. */
class CalibrationStamped implements Strategy {
  readonly name: string;
  readonly params: Readonly<Record<string, number | string | boolean>>;
  readonly inner = new CpiStrategy();
  /** Prints the strategy had seen at each forecast (for the recomputation). */
  readonly seen: { ts: number; calibratedTs: number; prints: Observation[] }[] = [];
  #calibratedTs = Number.NaN;

  constructor(readonly claimLater = false) {
    this.name = this.inner.name;
    this.params = this.inner.params;
  }

  onEvent(ev: TapeEvent, ctx: StrategyContext): void {
    const runs = this.inner.calibrationCounts.runs;
    const forecast = (event: string, pmf: Float64Array, meta?: ForecastMeta) => {
      // A calibration in this call ran at ctx.now, on prints with ts <= now.
      if (this.inner.calibrationCounts.runs > runs) this.#calibratedTs = ctx.now;
      const calibratedTs = this.claimLater ? ctx.now + 1 : this.#calibratedTs;
      this.seen.push({ ts: ctx.now, calibratedTs, prints: [...this.inner.data.main] });
      ctx.forecast(event, pmf, { ...meta, calibratedTs });
    };
    const proxy = new Proxy(ctx, {
      get(target, key) {
        if (key === "forecast") return forecast;
        const v = Reflect.get(target, key, target);
        return typeof v === "function" ? v.bind(target) : v;
      },
    });
    this.inner.onEvent(ev, proxy);
  }
}

async function importCpi(dir: string): Promise<string> {
  const tape = join(dir, "cpi.ndjson");
  const report = await runImportJob({
    format: "cpi-events-csv",
    files: [
      requireShared("kalshi_cpi_yf", "events_table.csv"),
      requireShared("kalshi_cpi_yf", "KXCPI-25JUL_markets_extract.csv"),
      requireShared("kalshi_cpi_yf", "KXCPI-25JUL-T0.2_daily_candles.csv"),
    ],
    out: tape,
    options: { strict: true },
  });
  assert.equal(report.rowsIn, 121);
  assert.equal(report.rowsUsed, 116);
  assert.equal(report.rejects.length, 0);
  return tape;
}

async function backtest(tape: string, dir: string, strategy: Strategy) {
  return await runBacktest({
    strategy,
    streams: [tapeFileStream(tape, { strict: true })],
    tapeNames: [tape],
    synthetic: false,
    replay: { ...DEFAULT_REPLAY_CONFIG },
    dbPath: join(dir, "results.sqlite"),
    outDir: dir,
    codeVersion: "test",
    startedAt: "2026-01-01T00:00:00.000Z",
    now: () => "2026-01-01T00:00:01.000Z",
    reports: false,
  });
}

Deno.test(
  "real data: CPI strategy on KXCPI-25JUL: walk-forward forecasts, settlement on 0.2, scores",
  realDataTest("kalshi_cpi_yf"),
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "kx-real-cpi-" });
    try {
      const tape = await importCpi(dir);
      const events = [...parseNdjsonText(Deno.readTextFileSync(tape), tape)].map((e) => ({
        ...e,
      })) as TapeEvent[];
      const prints = events.filter((e) => e.kind === "underlying").map((e) => ({
        ts: e.ts,
        value: (e as { value: number }).value,
        symbol: (e as { symbol: string }).symbol,
      }));
      assert.equal(prints.length, 61);
      // The strategy's symbol is the importer's default: nothing to map.
      assert.equal(new CpiStrategy().config.symbol, "CPI_MOM");
      assert.ok(prints.every((p) => p.symbol === "CPI_MOM"));
      const markets = events.filter((e) => e.kind === "market") as MarketEvent[];
      assert.equal(markets.length, 6);
      // The importer declares every market open at its open_time.
      const opens = events.filter((e) => e.kind === "lifecycle" && e.status === "open");
      assert.deepEqual(
        opens.map((e) => [e.ts, e.kind === "lifecycle" && e.market]),
        markets.map((m) => [m.openTs, m.market]),
      );
      const ladder = buildLadder(
        events.find((e) => e.kind === "event") as EventEvent,
        markets,
      );

      const s = new CalibrationStamped();
      const run = await backtest(tape, dir, s);
      const r = run.result;
      const fs = r.eventForecasts.filter((f) => f.event === EVENT);
      assert.ok(fs.length >= 40, `${fs.length} forecasts`);
      assert.equal(s.seen.length, fs.length);

      // Walk-forward: before the close, calibrated no later than the decision, from earlier prints.
      for (let i = 0; i < fs.length; i++) {
        const f = fs[i];
        const seen = s.seen[i];
        assert.equal(seen.ts, f.ts);
        assert.ok(f.ts < CLOSE, new Date(f.ts).toISOString());
        assert.ok(f.calibratedTs <= f.ts, `calibrated ${f.calibratedTs} after ${f.ts}`);
        const known = prints.filter((p) => p.ts <= f.ts).map(({ ts, value }) => ({ ts, value }));
        assert.deepEqual(
          seen.prints,
          known,
          "the strategy saw exactly the prints published by now",
        );
        const params = cpiModel.calibrate(
          prints.filter((p) => p.ts <= f.calibratedTs),
          { cutoffTs: f.calibratedTs + 1, window: 6 },
        );
        const pmf = cpiModel.pmf({ now: f.ts, closeTs: CLOSE, prints: known }, params, ladder);
        for (let b = 0; b < pmf.length; b++) {
          assert.ok(Math.abs(pmf[b] - f.pmfModel[b]) < 1e-12, `bin ${b} at ${f.ts}`);
        }
      }
      // The July print (0.2, released 2025-08-12 12:30 UTC) comes after the close: never seen.
      assert.ok(s.seen.every((x) => x.prints.every((p) => p.ts < CLOSE)));

      // Settlement: 0.2 is not "greater than 0.2".
      const outcome = r.eventOutcomes.get(EVENT);
      assert.equal(outcome, binOfValue(ladder, 0.2));
      const results = new Map(r.settlements.map((x) => [x.market, x.result]));
      assert.equal(results.get("KXCPI-25JUL-T0.2"), "no");
      assert.equal(results.get("KXCPI-25JUL-T0.1"), "yes");
      assert.equal(results.get("KXCPI-25JUL-T0.3"), "no");

      // Scores: the model over the 6 markets of every forecast.
      const m = run.scores.model;
      assert.equal(m.n, 6 * fs.length);
      assert.equal(run.scores.headToHead.market.n, 0, "only T0.2 has prices: no market PMF");
      // Model vs market on T0.2: the market mid where both sides were quoted.
      const quotes = events.filter((e) => e.kind === "quote" || e.kind === "book_snapshot");
      const t02 = ladder.marketIndex.get("KXCPI-25JUL-T0.2")!;
      const rows: { ts: number; model: number; mid: number | null }[] = [];
      for (const f of fs) {
        let mid: number | null = null;
        for (const q of quotes) {
          if (q.ts > f.ts) break;
          if (q.kind === "quote" && q.yesBid > 0 && q.yesAsk < 10_000) {
            mid = (q.yesBid + q.yesAsk) / 20_000;
          } else mid = null; // an empty book or a one-sided quote: no price
        }
        let model = 0;
        for (let b = ladder.binStart[t02]; b < ladder.binEnd[t02]; b++) model += f.pmfModel[b];
        rows.push({ ts: f.ts, model, mid });
      }
      const priced = rows.filter((x) => x.mid !== null);
      const y = priced.map(() => 0); // T0.2 settled NO
      const modelBrier = brierScore(priced.map((x) => x.model), y);
      const marketBrier = brierScore(priced.map((x) => x.mid!), y);
      const modelLl = logLoss(priced.map((x) => x.model), y);
      const marketLl = logLoss(priced.map((x) => x.mid!), y);
      console.log(
        `KXCPI-25JUL: ${fs.length} forecasts ${new Date(fs[0].ts).toISOString()} .. ${
          new Date(fs[fs.length - 1].ts).toISOString()
        }; settled on 0.2 (bin ${outcome}); fitted trend error ${
          s.inner.model.trend.scale.toFixed(3)
        } pp, df ${
          s.inner.model.trend.df.toFixed(1)
        }, ${s.inner.calibrationCounts.runs} calibrations`,
      );
      console.log(
        `model over the 6 markets: Brier ${m.brier.toFixed(4)}, log loss ${
          m.logLoss.toFixed(4)
        } (n ${m.n}); head to head with a market PMF: n 0 (only T0.2 is quoted)`,
      );
      console.log(
        `T0.2 where two-sided (n ${priced.length}): model Brier ${
          modelBrier.toFixed(4)
        } / log loss ${modelLl.toFixed(4)}, market mid Brier ${marketBrier.toFixed(4)} / log loss ${
          marketLl.toFixed(4)
        }`,
      );
      console.log("date        P(T0.2) model  market mid");
      for (const x of rows.filter((_, i) => i % 7 === 0 || i === rows.length - 1)) {
        console.log(
          `${new Date(x.ts).toISOString().slice(0, 10)}  ${x.model.toFixed(3)}          ${
            x.mid === null ? "-" : x.mid.toFixed(3)
          }`,
        );
      }
      console.log(
        `trading: ${run.scores.trading.orders} orders, ${run.scores.trading.fills} fills ` +
          `(candle quotes carry no size; assumedQuoteSize ${DEFAULT_REPLAY_CONFIG.assumedQuoteSize})`,
      );
      assert.ok(priced.length >= 30, `${priced.length} priced days`);
      for (const x of [m.brier, m.logLoss, modelBrier, marketBrier]) assert.ok(Number.isFinite(x));

      // Deterministic: a second run gives the same digest.
      const again = await backtest(tape, dir, new CalibrationStamped());
      assert.equal(again.digest, run.digest);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);

Deno.test(
  "real data: a CPI forecast claiming a calibration after its decision time is refused",
  realDataTest("kalshi_cpi_yf"),
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "kx-real-cpi-" });
    try {
      const tape = await importCpi(dir);
      await assert.rejects(
        () => backtest(tape, dir, new CalibrationStamped(true)),
        /Cannot record forecast for KXCPI-25JUL: calibrated at \d+, after now \d+ \(look-ahead\)/,
      );
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
