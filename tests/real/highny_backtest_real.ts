/**
 * The real-data backtest of the README: the KXHIGHNY top-of-book logs imported
 * (settlements inferred from final quotes) and replayed through the market
 * baseline, scored by time to close; and the 5-minute candles with their
 * recorded results. Deterministic: two runs give one digest.
 *
 * @module
 */

import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { runImportJob } from "../../tasks/import.ts";
import { runBacktest } from "../../lib/venue/run.ts";
import { tapeFileStream } from "../../lib/venue/stream.ts";
import { DEFAULT_REPLAY_CONFIG } from "../../lib/venue/replay.ts";
import { MarketBaselineStrategy } from "../../strategies/market/strategy.ts";
import { realDataTest, requireShared } from "./shared_data.ts";

const HORIZONS = "2160,1440,720,360,180,60,30,15";

async function baseline(tape: string, dir: string) {
  return await runBacktest({
    strategy: new MarketBaselineStrategy({ horizonsMin: HORIZONS }),
    streams: [tapeFileStream(tape, { strict: false })],
    tapeNames: [tape],
    synthetic: false,
    replay: { ...DEFAULT_REPLAY_CONFIG, strict: false },
    dbPath: join(dir, "results.sqlite"),
    outDir: dir,
    codeVersion: "test",
    startedAt: "2026-01-01T00:00:00.000Z",
    now: () => "2026-01-01T00:00:01.000Z",
    reports: false,
  });
}

Deno.test(
  "real data: KXHIGHNY top of book -> market baseline scored by time to close",
  realDataTest("kalshi_highny_jj", "top_of_book"),
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "kx-real-bt-" });
    const folder = requireShared("kalshi_highny_jj", "top_of_book");
    const files = readdirSync(folder).filter((f) => f.endsWith(".csv.gz")).sort()
      .map((f) => join(folder, f));
    const tape = join(dir, "tob.kxc");
    const report = await runImportJob({
      format: "top-of-book-csv",
      files,
      out: tape,
      options: { strict: true, tz: "America/Los_Angeles", extra: { settle_from_final: "95" } },
    });
    assert.equal(report.rowsIn, 910_778);
    const inferred = report.anomalies.find((a) => a.code === "settlement_inferred");
    assert.equal(inferred?.count, 21, "21 of 23 ladders end decided; 26JAN03/04 stop mid-day");
    const a = await baseline(tape, dir);
    const b = await baseline(tape, dir);
    assert.equal(a.digest, b.digest, "same tape, same digest");
    assert.equal(a.result.eventOutcomes.size, 21);
    const by = new Map(a.scores.byHorizon.map((h) => [h.label, h]));
    for (const label of ["15m-1h", "1h-6h", "6h-24h"]) {
      assert.ok(by.get(label)!.n >= 100, `${label}: ${by.get(label)!.n} pairs`);
    }
    // The market knows more close to the close: Brier falls from 6-24 h to 15 min-1 h.
    assert.ok(by.get("6h-24h")!.marketBrier > by.get("15m-1h")!.marketBrier);
    // Model = market by construction for the baseline.
    for (const h of a.scores.byHorizon) {
      if (h.n > 0) assert.equal(h.modelBrier, h.marketBrier);
    }
  },
);

Deno.test(
  "real data: KXHIGHNY 5-minute candles with recorded results replay and score",
  realDataTest("kalshi_highny_jj", "KXHIGHNY_candles_5m.csv"),
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "kx-real-bt-" });
    const tape = join(dir, "candles.ndjson");
    const results = requireShared("kalshi_highny_jj", "kalshi_settlement_vs_actual_weather.csv");
    await runImportJob({
      format: "candle-csv",
      files: [requireShared("kalshi_highny_jj", "KXHIGHNY_candles_5m.csv"), results],
      out: tape,
      options: { strict: true, extra: { results } },
    });
    const r = await baseline(tape, dir);
    // 85 result rows; 5 of those ladders miss markets in the source and cannot be scored.
    assert.ok(r.result.eventOutcomes.size >= 80, `${r.result.eventOutcomes.size} events`);
    assert.ok(r.scores.headToHead.market.n > 1000);
  },
);
