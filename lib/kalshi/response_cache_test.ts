import assert from "node:assert/strict";
import { readdir, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import {
  CacheFileError,
  cacheFileName,
  envelopeText,
  parseEnvelope,
  ResponseCache,
} from "./response_cache.ts";
import type { RequestTarget } from "./requests.ts";

const MARKETS: RequestTarget = {
  path: "/markets",
  query: { limit: "1000", series_ticker: "KXHIGHNY" },
};
const BODY = '{"markets":[{"ticker":"KXHIGHNY-26JAN05-B40.5","last_price_dollars":"0.4200"}],' +
  '"cursor":""}';

Deno.test("cacheFileName: deterministic, readable, and query-order independent", () => {
  const a = cacheFileName(MARKETS);
  const b = cacheFileName({
    path: "/markets",
    query: { series_ticker: "KXHIGHNY", limit: "1000" },
  });
  assert.equal(a, b);
  assert.match(a, /^markets\.[0-9a-f]{16}\.json$/);
  const c = cacheFileName({ ...MARKETS, query: { ...MARKETS.query, cursor: "abc" } });
  assert.notEqual(a, c);
  const candles = cacheFileName({
    path: "/series/KXHIGHNY/markets/KXHIGHNY-26JAN05-T42/candlesticks",
    query: { start_ts: "1", end_ts: "2", period_interval: "60" },
  });
  assert.match(
    candles,
    /^series_KXHIGHNY_markets_KXHIGHNY-26JAN05-T42_candlesticks\.[0-9a-f]{16}\.json$/,
  );
  // A value that would be unsafe in a file name is replaced in the slug.
  assert.match(cacheFileName({ path: "/series/A%2FB", query: {} }), /^series_A~2FB\./);
});

Deno.test("envelopeText: splices the body text unchanged into the envelope", () => {
  const bodyText = '{ "markets" : [ ] ,\n "cursor":"x" }\n';
  const text = envelopeText(MARKETS, 1_767_225_600_000, 200, bodyText);
  assert.ok(text.includes(bodyText), "body bytes kept");
  assert.ok(
    text.startsWith(
      '{"kx_fetch":1,"path":"/markets","query":{"limit":"1000","series_ticker":"KXHIGHNY"},' +
        '"fetched_at":1767225600000,"status":200,"body":',
    ),
  );
  const env = parseEnvelope("mem", text, MARKETS);
  assert.deepEqual(env.body, { markets: [], cursor: "x" });
  assert.equal(env.fetched_at, 1_767_225_600_000);
});

Deno.test("envelopeText: refuses a body that is not JSON and bad numbers", () => {
  assert.throws(
    () => envelopeText(MARKETS, 1, 200, '{"markets":['),
    /Cannot write envelope for \/markets: body is not JSON, current value is "\{\\"markets\\":\["/,
  );
  assert.throws(
    () => envelopeText(MARKETS, -1, 200, "{}"),
    /fetched_at must be a non-negative integer of ms, current value is -1/,
  );
  assert.throws(() => envelopeText(MARKETS, 1.5, 200, "{}"), /current value is 1.5/);
  assert.throws(
    () => envelopeText(MARKETS, 1, 99, "{}"),
    /status must be an HTTP status, current value is 99/,
  );
});

Deno.test("parseEnvelope: names the file and the bad field", () => {
  assert.throws(() => parseEnvelope("f.json", "{"), (e) => {
    assert.ok(e instanceof CacheFileError);
    assert.equal(e.file, "f.json");
    assert.match(e.message, /^Cannot read cached response f\.json: not JSON/);
    return true;
  });
  assert.throws(
    () => parseEnvelope("f.json", '{"kx_fetch":2}'),
    /field "kx_fetch" must be 1, current value is 2/,
  );
  const ok = JSON.parse(envelopeText(MARKETS, 5, 200, BODY));
  for (
    const [field, bad, re] of [
      ["path", 7, /field "path" must be a string/],
      ["query", [], /field "query" must be an object/],
      ["fetched_at", "5", /field "fetched_at" must be an integer/],
      ["status", null, /field "status" must be an integer/],
      ["body", [1], /field "body" must be a JSON object/],
    ] as const
  ) {
    assert.throws(() => parseEnvelope("f.json", JSON.stringify({ ...ok, [field]: bad })), re);
  }
  assert.throws(
    () => parseEnvelope("f.json", JSON.stringify(ok), { path: "/events", query: {} }),
    /holds another request \(\/events expected\), current value is \/markets\?limit=1000&series_ticker=KXHIGHNY/,
  );
});

Deno.test("ResponseCache: write then read round-trips; a missing entry is null", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kx-cache-" });
  try {
    const cache = new ResponseCache(join(dir, "responses"));
    assert.equal(await cache.read(MARKETS), null);
    const file = await cache.write(MARKETS, 1234, 200, BODY);
    assert.equal(file, cache.fileFor(MARKETS));
    const text = await readFile(file, "utf8");
    assert.ok(text.includes(`"body":${BODY}}`));
    const env = await cache.read(MARKETS);
    assert.ok(env !== null);
    assert.equal(env.path, "/markets");
    assert.deepEqual(env.query, MARKETS.query);
    assert.equal(env.status, 200);
    assert.equal((env.body.markets as unknown[]).length, 1);
    // No temporary file is left behind.
    assert.deepEqual(await readdir(cache.dir), [cacheFileName(MARKETS)]);
    // A damaged file is an error, not a miss.
    await writeFile(file, '{"kx_fetch":1,', "utf8");
    await assert.rejects(cache.read(MARKETS), CacheFileError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ResponseCache: a bad body is refused and leaves no file", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kx-cache-" });
  try {
    const cache = new ResponseCache(dir);
    await assert.rejects(cache.write(MARKETS, 1, 200, "<html>"), /body is not JSON/);
    assert.deepEqual(await readdir(dir), []);
    assert.throws(() => new ResponseCache(""), /Cannot open response cache: dir must be a path/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
