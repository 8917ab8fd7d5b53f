/**
 * Real data through the research lane: the KXHIGHNY top-of-book logs (with
 * settlements inferred from final quotes) and the Central Park daily highs are
 * imported, the weather strategy trades them (assuming 10 contracts at the
 * touch, since the logs carry no sizes), `deno task factors` analyses the run,
 * and its HTML report is rendered in headless Chromium with every chart drawn.
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

const CHROMIUM = "/usr/bin/chromium";

Deno.test(
  "real data: factors on a KXHIGHNY weather run print tables and render their charts",
  realDataTest("kalshi_highny_jj", "top_of_book"),
  async () => {
    const dir = await Deno.makeTempDir({ prefix: "kx-real-factors-" });
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
    const cp = join(dir, "cp.ndjson");
    await runImportJob({
      format: "underlying-csv",
      files: [requireShared("nyc_centralpark_ts", "central_park_weather.csv")],
      out: cp,
      options: {
        strict: true,
        tz: "America/New_York",
        symbol: "NYC_TMAX",
        extra: {
          date_column: "DATE",
          value_column: "TMAX",
          known_at: "06:00",
          known_lag_days: "1",
        },
      },
    });
    const entry = STRATEGIES.weather;
    const dbPath = join(dir, "results.sqlite");
    const run = await runBacktest({
      strategy: entry.create(parseParams(entry, [])),
      streams: [tapeFileStream(cp, { strict: false }), tapeFileStream(tob, { strict: false })],
      tapeNames: [cp, tob],
      synthetic: false,
      replay: { ...DEFAULT_REPLAY_CONFIG, strict: false, assumedQuoteSize: 1000 },
      dbPath,
      outDir: dir,
      codeVersion: "test",
      startedAt: "2026-01-01T00:00:00.000Z",
      now: () => "2026-01-01T00:00:01.000Z",
      reports: false,
    });
    assert.ok(run.result.fills.length > 50, `${run.result.fills.length} fills`);

    const out = join(dir, "factors");
    const cmd = await new Deno.Command(Deno.execPath(), {
      args: [
        "run",
        "--allow-read",
        "--allow-write",
        new URL("../../tasks/factors.ts", import.meta.url).pathname,
        "--db",
        dbPath,
        "--run",
        String(run.runId),
        "--factor",
        "skew",
        "--quantiles",
        "3",
        "--out",
        out,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    const stdout = new TextDecoder().decode(cmd.stdout);
    assert.equal(cmd.code, 0, new TextDecoder().decode(cmd.stderr));
    assert.match(stdout, /## Buckets of skew/);
    assert.match(stdout, /p Holm/);

    const html = join(out, `run-${run.runId}`, "factors-skew.html");
    const res = await new Deno.Command(CHROMIUM, {
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        `--user-data-dir=${join(dir, "profile")}`,
        "--virtual-time-budget=8000",
        "--dump-dom",
        new URL(`file://${html}`).href,
      ],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.equal(res.code, 0, new TextDecoder().decode(res.stderr));
    const dom = new TextDecoder().decode(res.stdout);
    for (const id of ["chart-rate", "chart-clv", "chart-stability"]) {
      const start = dom.indexOf(`id="${id}"`);
      assert.ok(start >= 0, `${id} in the DOM`);
      assert.match(dom.slice(start, start + 20_000), /<svg class="main-svg"/, `${id} drawn`);
    }
  },
);
