/**
 * Shared pieces of the cross-module tests: a tiny hand-built ladder tape and a
 * run helper writing into a temporary folder.
 *
 * @module
 */

import { join } from "node:path";
import type { Strategy } from "../lib/engine/strategy.ts";
import type { TapeEvent } from "../lib/tape/events.ts";
import { runBacktest, type RunOutcome } from "../lib/venue/run.ts";
import { DEFAULT_REPLAY_CONFIG, type ReplayConfig } from "../lib/venue/replay.ts";
import type { BlockSource } from "../lib/tape/block.ts";

/** Run a backtest into a fresh temp folder (no reports unless asked). */
export async function runInTemp(
  strategy: Strategy,
  streams: BlockSource[],
  opts: { seed?: number; reports?: boolean; dir?: string; replay?: Partial<ReplayConfig> } = {},
): Promise<RunOutcome & { dir: string; dbPath: string }> {
  const dir = opts.dir ?? await Deno.makeTempDir({ prefix: "kx-test-" });
  const dbPath = join(dir, "results.sqlite");
  const outcome = await runBacktest({
    strategy,
    streams,
    tapeNames: streams.map((s) => s.name),
    synthetic: true,
    replay: { ...DEFAULT_REPLAY_CONFIG, seed: opts.seed ?? 1, ...opts.replay },
    dbPath,
    outDir: dir,
    codeVersion: "test",
    startedAt: "2026-01-01T00:00:00.000Z",
    now: () => "2026-01-01T00:00:01.000Z",
    reports: opts.reports ?? false,
  });
  return { ...outcome, dir, dbPath };
}

const T0 = Date.UTC(2026, 0, 5, 14, 0);

/**
 * A three-bin ladder (below 100, 100 to 110, above 110) with books, one trade
 * and settlement of the middle bin. Small enough to reason about by hand.
 */
export function tinyLadderTape(): TapeEvent[] {
  const close = T0 + 3_600_000;
  const markets = [
    { market: "KXTEST-26JAN05-L", strikeType: "less" as const, capStrike: 100 },
    {
      market: "KXTEST-26JAN05-B",
      strikeType: "between" as const,
      floorStrike: 100,
      capStrike: 110,
      floorInclusive: true,
      capInclusive: false,
    },
    { market: "KXTEST-26JAN05-G", strikeType: "greater_or_equal" as const, floorStrike: 110 },
  ];
  const ev: TapeEvent[] = [
    { kind: "series", ts: T0, series: "KXTEST", feeType: "quadratic", feeMultiplier: 10000 },
    { kind: "event", ts: T0, event: "KXTEST-26JAN05", series: "KXTEST", mutuallyExclusive: true },
  ];
  for (const m of markets) {
    ev.push({
      kind: "market",
      ts: T0,
      event: "KXTEST-26JAN05",
      openTs: T0,
      closeTs: close,
      priceStep: 100,
      ...m,
    });
  }
  const mids = [2000, 5000, 3000];
  for (const m of markets) ev.push({ kind: "lifecycle", ts: T0, market: m.market, status: "open" });
  markets.forEach((m, i) => {
    ev.push({
      kind: "book_snapshot",
      ts: T0 + 1000,
      market: m.market,
      seq: 1,
      yesPrices: [mids[i] - 100, mids[i] - 200],
      yesSizes: [1000, 2000],
      noPrices: [10000 - mids[i] - 100, 10000 - mids[i] - 200],
      noSizes: [1000, 2000],
    });
  });
  ev.push({ kind: "underlying", ts: T0 + 2000, symbol: "X", value: 104 });
  ev.push({
    kind: "book_delta",
    ts: T0 + 60_000,
    market: markets[1].market,
    seq: 2,
    side: "yes",
    price: 4900,
    delta: -500,
  });
  ev.push({
    kind: "trade",
    ts: T0 + 60_000,
    market: markets[1].market,
    price: 4900,
    count: 500,
    takerSide: "no",
  });
  for (const m of markets) {
    ev.push({ kind: "lifecycle", ts: close, market: m.market, status: "closed" });
  }
  markets.forEach((m, i) => {
    ev.push({
      kind: "settlement",
      ts: close + 30_000,
      market: m.market,
      result: i === 1 ? "yes" : "no",
      expirationValue: 104,
    });
  });
  return ev;
}
