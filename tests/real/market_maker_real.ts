/**
 * The market maker on a real imported ladder: the KXHIGHNY top-of-book logs.
 * The logs hold no trades, and a resting order fills only from trades at or
 * through its level (docs/FILLS.md), so it quotes tens of thousands of times and
 * never fills: the report shows its quotes against the book and fill rates of 0
 * by distance from the touch, with their Wilson intervals. That is the honest
 * answer these data allow.
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
import { parseParams, STRATEGIES } from "../../strategies/registry.ts";
import { realDataTest, requireShared } from "./shared_data.ts";

Deno.test(
  "real data: the market maker quotes the KXHIGHNY logs and reports execution (no trades, no fills)",
  realDataTest("kalshi_highny_jj", "top_of_book"),
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "kx-real-mm-" });
    const folder = requireShared("kalshi_highny_jj", "top_of_book");
    const tob = join(dir, "tob.kxc");
    await runImportJob({
      format: "top-of-book-csv",
      files: readdirSync(folder).filter((f) => f.endsWith(".csv.gz")).sort().map((f) =>
        join(folder, f)
      ),
      out: tob,
      options: { strict: true, tz: "America/Los_Angeles", extra: { settle_from_final: "95" } },
    });
    const entry = STRATEGIES.market_maker;
    const run = await runBacktest({
      strategy: entry.create(parseParams(entry, [])),
      streams: [tapeFileStream(tob, { strict: false })],
      tapeNames: [tob],
      synthetic: false,
      replay: { ...DEFAULT_REPLAY_CONFIG, strict: false },
      dbPath: join(dir, "results.sqlite"),
      outDir: dir,
      codeVersion: "test",
      startedAt: "2026-01-01T00:00:00.000Z",
      now: () => "2026-01-01T00:00:01.000Z",
      reports: true,
    });
    assert.ok(run.result.orders.length > 10_000, `${run.result.orders.length} orders`);
    assert.equal(
      run.result.fills.length,
      0,
      "no trades in the logs: nothing can fill a resting order",
    );
    assert.ok(run.result.orders.every((o) => o.filled === 0));
    const ex = run.reportData.execution!;
    assert.ok(ex.quotes !== undefined && ex.quotes.ts.length > 100, "quotes vs the book");
    assert.ok(ex.makerBuckets.length >= 3 && ex.makerBuckets.every((b) => b.fillRate === 0));
    const html = await Deno.readTextFile(run.htmlPath!);
    assert.match(html, /id="chart-quotes"/);
    assert.match(html, /Resting orders: fill rate by distance from the touch/);
  },
);
