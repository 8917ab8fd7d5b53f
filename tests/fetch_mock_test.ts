/**
 * End to end: `deno task fetch` (tasks/fetch.ts main) against the local mock
 * exchange on 127.0.0.1, with the real kalshi-typescript client, the response
 * cache, the journal and the kalshi-json importer found through
 * lib/import/registry.ts. Sleep is faked (backoff waits are recorded, not
 * slept) and the clock is fixed, so runs are fast and their tapes
 * byte-comparable.
 */

import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { canonicalKey } from "../lib/kalshi/requests.ts";
import { buildFixtures } from "../mock_exchange/fixtures.ts";
import { type FaultRule, MockExchange } from "../mock_exchange/http_server.ts";
import { type FetchDeps, main } from "../tasks/fetch.ts";

const FIX = buildFixtures();
const NOW = Date.parse("2026-01-08T18:00:00Z");
const ALL_MARKETS = [...FIX.markets, ...FIX.historicalMarkets].map((m) => String(m.ticker)).sort();
const ALL_TRADES = [...FIX.trades, ...FIX.historicalTrades].map((t) => String(t.trade_id)).sort();

interface Run {
  code: number;
  stderr: string[];
  stdout: string[];
  slept: number[];
}

async function fetchRun(
  mock: MockExchange,
  dir: string,
  extraArgs: string[] = [],
  deps: Partial<FetchDeps> = {},
): Promise<Run> {
  const run: Run = { code: -1, stderr: [], stdout: [], slept: [] };
  run.code = await main(
    [
      "--series",
      "KXHIGHNY",
      "--trades",
      "--candles",
      "1h",
      "--historical",
      "--cache",
      join(dir, "cache"),
      "--out",
      join(dir, "tape.ndjson"),
      "--base-url",
      mock.baseUrl,
      "--rate",
      "50",
      ...extraArgs,
    ],
    {
      // The importer is the registry's "kalshi-json" (the CLI's own wiring).
      now: () => NOW,
      sleep: (ms) => {
        run.slept.push(ms);
        return Promise.resolve();
      },
      random: () => 0.5,
      stderr: (l) => run.stderr.push(l),
      stdout: (l) => run.stdout.push(l),
      timeoutMs: 2000,
      ...deps,
    },
  );
  return run;
}

/** The request keys the mock saw (path + sorted query). */
function keys(mock: MockExchange, from = 0): string[] {
  return mock.requests.slice(from).map((r) => canonicalKey({ path: r.path, query: r.query }));
}

async function tapeOf(dir: string): Promise<{ text: string; markets: string[]; trades: number }> {
  const text = await readFile(join(dir, "tape.ndjson"), "utf8");
  const evs = text.trim().split("\n").map((l) => JSON.parse(l));
  return {
    text,
    markets: evs.filter((e) => e.type === "market").map((e) => e.market).sort(),
    trades: evs.filter((e) => e.type === "trade").length,
  };
}

async function withMock(
  faults: FaultRule[],
  fn: (mock: MockExchange, dir: string) => Promise<void>,
): Promise<void> {
  const mock = await MockExchange.start({ fixtures: FIX, maxPageSize: 5, faults });
  const dir = await Deno.makeTempDir({ prefix: "kx-fetch-e2e-" });
  try {
    await fn(mock, dir);
  } finally {
    await mock.close();
    await Deno.remove(dir, { recursive: true });
  }
}

/** The requests of one clean run, and its tape, computed once. */
let clean: { keys: string[]; tape: string } | null = null;
async function cleanRun(): Promise<{ keys: string[]; tape: string }> {
  if (clean !== null) return clean;
  let out: { keys: string[]; tape: string } | null = null;
  await withMock([], async (mock, dir) => {
    const r = await fetchRun(mock, dir);
    assert.equal(r.code, 0, r.stderr.join("\n"));
    out = { keys: keys(mock), tape: (await tapeOf(dir)).text };
  });
  clean = out!;
  return clean;
}

Deno.test("fetch e2e: every page fetched exactly once; the tape holds every market and trade", async () => {
  await withMock([], async (mock, dir) => {
    const r = await fetchRun(mock, dir);
    assert.equal(r.code, 0, r.stderr.join("\n"));
    const seen = keys(mock);
    assert.equal(new Set(seen).size, seen.length, "no request twice");
    assert.deepEqual(mock.countsByPath()["/markets"], 5); // 24 live markets, 5 a page
    assert.equal(mock.count("/events"), 2);
    assert.equal(mock.count("/historical/markets"), 3);
    assert.equal(mock.count("/markets/trades"), 48); // 7 trades a market: 2 pages each
    assert.equal(mock.count("/historical/trades"), 24);
    assert.equal(mock.count(/\/candlesticks$/), 36);
    assert.equal(mock.count(), 120);
    // Every listing was followed to its empty cursor.
    const lastMarkets = mock.requests.filter((q) => q.path === "/markets").at(-1)!;
    assert.ok(lastMarkets.query.cursor !== undefined);
    const tape = await tapeOf(dir);
    assert.deepEqual(tape.markets, ALL_MARKETS);
    assert.equal(tape.trades, ALL_TRADES.length);
    // One cache file per request, plus the journal.
    assert.equal((await readdir(join(dir, "cache", "responses"))).length, 120);
    const journal = (await readFile(join(dir, "cache", "journal.ndjson"), "utf8")).trim().split(
      "\n",
    );
    assert.equal(journal.length, 1 + 120 + 1);
    assert.match(journal.at(-1)!, /"complete":true/);
    assert.match(
      r.stdout.join("\n"),
      /120 requests \(120 network, 0 cache, 0 journal\), 0 retries/,
    );
    assert.match(r.stdout.join("\n"), /markets: 36 \(24 live, 12 historical\)/);
    assert.ok(
      r.stderr.some((l) =>
        /GET \/markets\?limit=1000&series_ticker=KXHIGHNY -> 5 items \(\d/.test(l)
      ),
    );
  });
});

Deno.test("fetch e2e: a 429, a 500, a dropped connection and a cut body are retried with backoff", async () => {
  const base = await cleanRun();
  await withMock([
    { path: "/markets", nth: 2, fault: { kind: "status", status: 429 } },
    { path: "/markets/trades", nth: 5, fault: { kind: "status", status: 500 } },
    { path: "/events", nth: 1, fault: { kind: "drop" } },
    { path: /\/candlesticks$/, nth: 3, fault: { kind: "drop_mid_body" } },
  ], async (mock, dir) => {
    const r = await fetchRun(mock, dir);
    assert.equal(r.code, 0, r.stderr.join("\n"));
    const retries = r.stderr.filter((l) => l.startsWith("fetch: retry"));
    assert.equal(retries.length, 4, retries.join("\n"));
    assert.ok(
      retries.some((l) =>
        /GET \/markets after HTTP 429 \(attempt 1 failed\), waiting 375 ms/.test(l)
      ),
    );
    assert.ok(retries.some((l) => /GET \/markets\/trades after HTTP 500/.test(l)));
    assert.ok(retries.some((l) => /GET \/events after ECONNRESET/.test(l)));
    assert.ok(retries.some((l) => /candlesticks after HTTP 200 cut short/.test(l)));
    // Backoff waits went through the injected sleep (u = 0.5: 3/4 of the nominal 500 ms).
    assert.equal(r.slept.filter((ms) => ms === 375).length, 4);
    // Four extra requests, the same set of distinct requests, and the same tape byte for byte.
    assert.equal(mock.count(), base.keys.length + 4);
    assert.deepEqual([...new Set(keys(mock))].sort(), [...base.keys].sort());
    assert.equal((await tapeOf(dir)).text, base.tape);
  });
});

Deno.test("fetch e2e: an aborted run resumes with no duplicate and no lost market", async () => {
  const base = await cleanRun();
  await withMock([], async (mock, dir) => {
    const ac = new AbortController();
    const first = await fetchRun(mock, dir, [], {
      signal: ac.signal,
      onPage: (p, n) => {
        // Stop in the middle of the /markets listing (its third page).
        if (n === 6) {
          assert.equal(p.target.path, "/markets");
          ac.abort(new Error("test stop"));
        }
      },
    });
    assert.equal(first.code, 1);
    assert.match(
      first.stderr.at(-1)!,
      /fetch interrupted \(test stop\); the journal in .* keeps the completed requests: run the same command again to resume/,
    );
    assert.equal(mock.count(), 6);
    const second = await fetchRun(mock, dir);
    assert.equal(second.code, 0, second.stderr.join("\n"));
    assert.match(second.stderr[0], /journal resumed \(6 requests done\)/);
    // Over both runs every request was made exactly once: the same set as a clean run.
    const seen = keys(mock);
    assert.equal(new Set(seen).size, seen.length, "no request twice");
    assert.deepEqual([...seen].sort(), [...base.keys].sort());
    const tape = await tapeOf(dir);
    assert.deepEqual(tape.markets, ALL_MARKETS);
    assert.equal(tape.text, base.tape);
    assert.match(second.stdout.join("\n"), /\(114 network, 0 cache, 6 journal\)/);
  });
});

Deno.test("fetch e2e: a run that fails mid-listing (server down) resumes from the cursor", async () => {
  const base = await cleanRun();
  await withMock([
    // The fourth /markets page fails until the retries are spent.
    { path: "/markets", nth: 4, times: 3, fault: { kind: "status", status: 503 } },
  ], async (mock, dir) => {
    const first = await fetchRun(mock, dir, [], {
      retry: { maxAttempts: 3, baseDelayMs: 10, maxDelayMs: 100 },
    });
    assert.equal(first.code, 1);
    assert.match(
      first.stderr.at(-1)!,
      /Cannot complete GET \/markets: gave up after 3 attempts, current value is HTTP 503/,
    );
    const failed = mock.requests.at(-1)!;
    assert.ok(failed.query.cursor !== undefined, "the failure was on a later page");
    const before = mock.count();
    const second = await fetchRun(mock, dir);
    assert.equal(second.code, 0, second.stderr.join("\n"));
    // The resumed run's first request is the failed page, with the journaled cursor.
    assert.deepEqual(mock.requests[before].query, failed.query);
    assert.deepEqual([...new Set(keys(mock))].sort(), [...base.keys].sort());
    assert.equal(mock.count(), base.keys.length + 3); // only the three failed attempts repeat
    const tape = await tapeOf(dir);
    assert.deepEqual(tape.markets, ALL_MARKETS);
    assert.equal(tape.text, base.tape);
  });
});

Deno.test("fetch e2e: a second run is served from the cache (zero requests); --refresh asks again", async () => {
  const base = await cleanRun();
  await withMock([], async (mock, dir) => {
    assert.equal((await fetchRun(mock, dir)).code, 0);
    const n = mock.count();
    const again = await fetchRun(mock, dir);
    assert.equal(again.code, 0, again.stderr.join("\n"));
    assert.equal(mock.count(), n, "no new request");
    assert.match(again.stderr[0], /journal previous run complete/);
    assert.match(again.stdout.join("\n"), /\(0 network, 120 cache, 0 journal\)/);
    assert.equal((await tapeOf(dir)).text, base.tape);
    const refreshed = await fetchRun(mock, dir, ["--refresh"]);
    assert.equal(refreshed.code, 0);
    assert.equal(mock.count(), 2 * n);
    assert.equal((await tapeOf(dir)).text, base.tape);
  });
});

Deno.test("fetch e2e: filters narrow the requests and the tape", async () => {
  await withMock([], async (mock, dir) => {
    const r = await fetchRun(mock, dir, [
      "--status",
      "settled",
      "--from",
      "2025-10-02",
      "--to",
      "2026-01-05",
    ]);
    assert.equal(r.code, 0, r.stderr.join("\n"));
    const tape = await tapeOf(dir);
    const events = [...new Set(tape.markets.map((m) => m.split("-").slice(0, 2).join("-")))];
    // Markets closing in [Oct 2 00:00, Jan 6 00:00) UTC: the historical days (closing Oct 2 and
    // Oct 3, 04:59) are in; the first live day (26JAN05) closes Jan 6 04:59 and is out.
    assert.deepEqual(events, ["KXHIGHNY-25OCT01", "KXHIGHNY-25OCT02"]);
    const q = mock.requests.find((x) => x.path === "/markets")!.query;
    assert.equal(q.status, "settled");
    assert.equal(q.min_close_ts, String(Date.parse("2025-10-02T00:00:00Z") / 1000));
    assert.equal(q.max_close_ts, String(Date.parse("2026-01-06T00:00:00Z") / 1000 - 1));
  });
});

Deno.test("fetch e2e: requests are paced by the token bucket at --rate", async () => {
  await withMock([], async (mock, dir) => {
    let t = NOW;
    const slept: number[] = [];
    const r = await fetchRun(mock, dir, ["--rate", "10"], {
      now: () => t,
      sleep: (ms) => {
        slept.push(ms);
        t += ms;
        return Promise.resolve();
      },
    });
    assert.equal(r.code, 0, r.stderr.join("\n"));
    // A burst of 10, then one request every 100 ms (the fake clock only moves when sleeping).
    assert.equal(mock.count(), 120);
    assert.equal(slept.length, 110);
    assert.ok(slept.every((ms) => ms === 100), String(slept));
    assert.equal(t - NOW, 11_000);
    // Progress shows the achieved rate: 120 requests in 11 s (the burst included).
    const progress = r.stderr.filter((l) => l.startsWith("fetch: ["));
    assert.match(progress.at(-1)!, /^fetch: \[120\] GET .* -> 28 items \(10\.9 req\/s\)$/);
  });
});

Deno.test("fetch e2e: usage errors exit 2, an unknown series exits 1 with the server's reason", async () => {
  const lines: string[] = [];
  const deps = { stderr: (l: string) => lines.push(l), stdout: (l: string) => lines.push(l) };
  assert.equal(await main(["--help"], deps), 0);
  assert.match(lines.at(-1)!, /^deno task fetch --series SERIES --cache DIR/);
  const bad: [string[], RegExp][] = [
    [["--cache", "x"], /--series TICKER is required/],
    [["--series", "S"], /--cache DIR is required/],
    [
      ["--series", "S", "--cache", "x", "--candles", "5m"],
      /Cannot read --candles: must be 1m, 1h or 1d, current value is 5m/,
    ],
    [["--series", "S", "--cache", "x", "--status", "done"], /Cannot read --status: must be one of/],
    [
      ["--series", "S", "--cache", "x", "--from", "2026-02-30"],
      /Cannot read --from: not YYYY-MM-DD/,
    ],
    [["--series", "S", "--cache", "x", "--from", "2026-01-05T10:00"], /Cannot read --from/],
    [
      ["--series", "S", "--cache", "x", "--from", "2026-01-05", "--to", "2026-01-01"],
      /the end \(toMs\) must be after the start/,
    ],
    [
      ["--series", "S", "--cache", "x", "--rate", "0"],
      /Cannot read --rate: must be a number in \(0, 1000\], current value is 0/,
    ],
    [["--series", "S", "--cache", "x", "--limit", "5000"], /Cannot read --limit/],
    [["--series", "S", "--cache", "x", "--out", "t.csv"], /unknown form of --out/],
    [
      ["--series", "S", "--cache", "x", "--base-url", "nope"],
      /Cannot read --base-url: Cannot use base URL: not an absolute URL/,
    ],
    [["--series", "S/1", "--cache", "x"], /series ticker must be letters/],
    [["--series", "S", "--cache", "x", "--bogus"], /Unknown option '--bogus'/],
  ];
  for (const [args, re] of bad) {
    assert.equal(await main(args, deps), 2, args.join(" "));
    assert.match(lines.at(-1)!, re);
  }
  await withMock([], async (mock, dir) => {
    const r = await fetchRun(mock, dir, ["--series", "NOPE"]);
    assert.equal(r.code, 1);
    assert.equal(
      r.stderr.at(-1),
      "error: Cannot fetch GET /trade-api/v2/series/NOPE: the server answered HTTP 404 " +
        "(not_found: series NOPE not found), current value is 404",
    );
    assert.equal(mock.count(), 1, "a 404 is not retried");
  });
});
