import assert from "node:assert/strict";
import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import type { RawResponse } from "./client.ts";
import { FetchJournal } from "./fetch_journal.ts";
import { countItems, FetchSession, nextCursor, type ReadClient } from "./fetch_session.ts";
import { type KalshiRequest, requestTarget } from "./requests.ts";
import { ResponseCache } from "./response_cache.ts";

/** A client answering every request with a small body; counts calls. */
class FakeClient implements ReadClient {
  calls: string[] = [];
  version = 1;
  get(req: KalshiRequest): Promise<RawResponse> {
    const target = requestTarget(req);
    this.calls.push(target.path);
    const body = req.endpoint === "markets"
      ? { markets: [{ ticker: `M${this.version}` }], cursor: req.cursor === undefined ? "c2" : "" }
      : { series: { ticker: "S", v: this.version } };
    const bodyText = JSON.stringify(body);
    return Promise.resolve({
      target,
      status: 200,
      bodyText,
      body,
      fetchedAt: 100 * this.version,
      attempts: 1,
    });
  }
}

async function setup(dir: string, client: ReadClient, refresh = false, params: unknown = { a: 1 }) {
  const journal = await FetchJournal.open(join(dir, "journal.ndjson"), params as never, () => 5);
  const cache = new ResponseCache(join(dir, "responses"));
  const warnings: string[] = [];
  const session = new FetchSession({
    client,
    cache,
    journal,
    refresh,
    onWarning: (w) => warnings.push(w),
  });
  return { journal, cache, session, warnings };
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kx-session-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const SERIES: KalshiRequest = { endpoint: "series", seriesTicker: "S" };
const MARKETS: KalshiRequest = { endpoint: "markets", seriesTicker: "S", limit: 10 };

Deno.test("FetchSession: network first, then journal; cache reuse in a new run", async () => {
  await withDir(async (dir) => {
    const client = new FakeClient();
    const a = await setup(dir, client);
    const p1 = await a.session.get(MARKETS);
    assert.equal(p1.from, "network");
    assert.equal(p1.entry.next_cursor, "c2");
    assert.equal(p1.entry.items, 1);
    const p2 = await a.session.get({ ...MARKETS, cursor: "c2" });
    assert.equal(p2.entry.next_cursor, "");
    assert.equal(p2.entry.query.cursor, "c2");
    assert.equal((await a.session.get(MARKETS)).from, "journal");
    assert.deepEqual(a.session.counts, { network: 2, cache: 0, journal: 1 });
    assert.equal(client.calls.length, 2);
    await a.journal.complete(9);
    // A new run (the journal is complete): served from the cache, journaled as such.
    const b = await setup(dir, client);
    const q = await b.session.get(MARKETS);
    assert.equal(q.from, "cache");
    assert.equal(q.entry.source, "cache");
    assert.equal(q.entry.fetched_at, 100);
    assert.equal(client.calls.length, 2);
  });
});

Deno.test("FetchSession: refresh refetches cached pages but not pages this run fetched", async () => {
  await withDir(async (dir) => {
    const client = new FakeClient();
    const a = await setup(dir, client);
    await a.session.get(SERIES);
    await a.journal.complete(1);
    client.version = 2;
    const b = await setup(dir, client, true, { a: 2 });
    const p = await b.session.get(SERIES);
    assert.equal(p.from, "network");
    assert.equal((p.body.series as { v: number }).v, 2);
    assert.equal((await b.cache.read(p.target))?.fetched_at, 200);
    // Interrupted refresh run, resumed: the page it fetched is not fetched again.
    const c = await setup(dir, client, true, { a: 2 });
    assert.equal(c.journal.reason, "resumed");
    assert.equal((await c.session.get(SERIES)).from, "journal");
    assert.equal(client.calls.length, 2);
  });
});

Deno.test("FetchSession: a cached page reused (not fetched) is refetched by a resumed refresh", async () => {
  await withDir(async (dir) => {
    const client = new FakeClient();
    const a = await setup(dir, client);
    await a.session.get(SERIES);
    await a.journal.complete(1);
    const b = await setup(dir, client, false, { a: 3 });
    assert.equal((await b.session.get(SERIES)).from, "cache");
    // Same parameters, now with --refresh: the journal's cache-sourced entry does not count.
    const c = await setup(dir, client, true, { a: 3 });
    assert.equal(c.journal.reason, "resumed");
    assert.equal((await c.session.get(SERIES)).from, "network");
    assert.equal(client.calls.length, 2);
  });
});

Deno.test("FetchSession: a damaged or missing cache file is warned about and fetched again", async () => {
  await withDir(async (dir) => {
    const client = new FakeClient();
    const a = await setup(dir, client);
    const p = await a.session.get(SERIES);
    await writeFile(p.file, "{broken", "utf8");
    const again = await a.session.get(SERIES);
    assert.equal(again.from, "network");
    assert.match(
      a.warnings[0],
      /^Cannot read cached response .*series_S\.[0-9a-f]{16}\.json: not JSON.*; fetching it again$/,
    );
    await Deno.remove(p.file);
    assert.equal((await a.session.get(SERIES)).from, "network");
    assert.match(
      a.warnings[1],
      /is missing though the journal lists it as done; fetching it again$/,
    );
    assert.equal(client.calls.length, 3);
    // The journal keeps one entry per request.
    assert.equal(a.journal.entries.length, 1);
  });
});

Deno.test("FetchSession: an aborted signal stops before the network", async () => {
  await withDir(async (dir) => {
    const client = new FakeClient();
    const ac = new AbortController();
    const journal = await FetchJournal.open(join(dir, "j.ndjson"), {}, () => 1);
    const session = new FetchSession({
      client,
      cache: new ResponseCache(join(dir, "r")),
      journal,
      signal: ac.signal,
    });
    ac.abort(new Error("interrupted"));
    await assert.rejects(session.get(SERIES), /interrupted/);
    assert.equal(client.calls.length, 0);
    assert.equal(journal.entries.length, 0);
  });
});

Deno.test("countItems and nextCursor", () => {
  assert.equal(countItems({ markets: [1, 2], cursor: "" }), 2);
  assert.equal(countItems({ candlesticks: [], ticker: "T" }), 0);
  assert.equal(countItems({ series: {} }), 1);
  assert.equal(nextCursor(MARKETS, { cursor: "x" }), "x");
  assert.equal(nextCursor(MARKETS, {}), "");
  assert.equal(nextCursor(MARKETS, { cursor: null }), "");
  assert.equal(nextCursor(SERIES, { cursor: "x" }), null);
  assert.throws(
    () => nextCursor(MARKETS, { cursor: 5 }),
    /Cannot page \/markets: field "cursor" must be a string, current value is 5/,
  );
});
