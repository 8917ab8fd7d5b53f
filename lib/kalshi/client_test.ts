import assert from "node:assert/strict";
import { MockExchange, type MockExchangeOptions } from "../../mock_exchange/http_server.ts";
import { buildFixtures } from "../../mock_exchange/fixtures.ts";
import { routeRequest } from "../../mock_exchange/rest_routes.ts";
import { Prng } from "../random/prng.ts";
import { type ClientRetryEvent, KalshiReadClient, normalizeBaseUrl } from "./client.ts";
import type { KalshiRequest } from "./requests.ts";
import { requestTarget } from "./requests.ts";
import { RetryExhaustedError } from "./retry.ts";
import { TokenBucket } from "./token_bucket.ts";

const FIX = buildFixtures();
const POLICY = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 1000 };

async function withClient(
  options: MockExchangeOptions,
  fn: (
    client: KalshiReadClient,
    mock: MockExchange,
    log: { slept: number[]; retries: ClientRetryEvent[]; attempts: string[] },
  ) => Promise<void>,
  timeoutMs = 5000,
): Promise<void> {
  const mock = await MockExchange.start({ fixtures: FIX, ...options });
  const log = {
    slept: [] as number[],
    retries: [] as ClientRetryEvent[],
    attempts: [] as string[],
  };
  let t = 1_767_225_600_000;
  const rng = new Prng(3);
  const client = new KalshiReadClient({
    baseUrl: mock.baseUrl,
    bucket: new TokenBucket({ ratePerSecond: 20, burst: 20, now: () => t }),
    retry: POLICY,
    random: () => rng.next(),
    sleep: (ms) => {
      log.slept.push(ms);
      t += ms;
      return Promise.resolve();
    },
    now: () => t,
    timeoutMs,
    onRetry: (e) => log.retries.push(e),
    onAttempt: (target, n) => log.attempts.push(`${target.path}#${n}`),
  });
  try {
    await fn(client, mock, log);
  } finally {
    await mock.close();
  }
}

Deno.test("KalshiReadClient: every endpoint through kalshi-typescript, body text as served", async () => {
  const m = FIX.markets[0];
  const h = FIX.historicalMarkets[0];
  const reqs: KalshiRequest[] = [
    { endpoint: "series", seriesTicker: "KXHIGHNY" },
    { endpoint: "events", seriesTicker: "KXHIGHNY", limit: 200 },
    { endpoint: "markets", seriesTicker: "KXHIGHNY", status: "settled", limit: 1000 },
    { endpoint: "trades", ticker: String(m.ticker), limit: 1000 },
    {
      endpoint: "candlesticks",
      seriesTicker: "KXHIGHNY",
      ticker: String(m.ticker),
      startTs: Math.floor(Date.parse(String(m.open_time)) / 1000),
      endTs: Math.floor(Date.parse(String(m.close_time)) / 1000),
      periodInterval: 60,
    },
    { endpoint: "historical_cutoff" },
    { endpoint: "historical_markets", seriesTicker: "KXHIGHNY", limit: 1000 },
    { endpoint: "historical_trades", ticker: String(h.ticker), limit: 1000 },
    {
      endpoint: "historical_candlesticks",
      ticker: String(h.ticker),
      startTs: Math.floor(Date.parse(String(h.open_time)) / 1000),
      endTs: Math.floor(Date.parse(String(h.close_time)) / 1000),
      periodInterval: 1440,
    },
  ];
  await withClient({}, async (client, mock) => {
    for (const req of reqs) {
      const r = await client.get(req);
      const t = requestTarget(req);
      assert.equal(r.status, 200, req.endpoint);
      assert.equal(r.attempts, 1);
      assert.deepEqual(r.target, t);
      const expected = routeRequest(FIX, t.path, new URLSearchParams(t.query));
      assert.equal(r.bodyText, JSON.stringify(expected.body), `${req.endpoint}: bytes as served`);
      assert.deepEqual(r.body, expected.body);
      assert.equal(r.fetchedAt, 1_767_225_600_000);
    }
    // The server saw exactly the paths and queries the cache keys name.
    assert.deepEqual(
      mock.requests.map((q) => [q.path, q.query]),
      reqs.map((q) => {
        const t = requestTarget(q);
        return [t.path, t.query];
      }),
    );
  });
});

Deno.test("KalshiReadClient: 429, 500, a drop and a cut body are retried with backoff", async () => {
  await withClient({
    faults: [
      { path: "/markets", nth: 1, fault: { kind: "status", status: 429 } },
      { path: "/markets", nth: 2, fault: { kind: "status", status: 500 } },
      { path: "/markets", nth: 3, fault: { kind: "drop" } },
      { path: "/events", nth: 1, fault: { kind: "drop_mid_body" } },
    ],
  }, async (client, mock, log) => {
    const r = await client.get({ endpoint: "markets", limit: 1000 });
    assert.equal(r.attempts, 4);
    assert.equal((r.body.markets as unknown[]).length, 24);
    assert.deepEqual(log.retries.map((e) => e.reason.replace(/ .*/, "")), [
      "HTTP",
      "HTTP",
      "ECONNRESET",
    ]);
    assert.deepEqual(log.retries.map((e) => e.status), [429, 500, undefined]);
    assert.ok(log.retries.every((e) => e.target.path === "/markets"));
    // Backoff doubles: [50, 100], [100, 200], [200, 400].
    const [a, b, c] = log.slept;
    assert.ok(
      a >= 50 && a <= 100 && b >= 100 && b <= 200 && c >= 200 && c <= 400,
      String(log.slept),
    );
    assert.deepEqual(log.attempts, ["/markets#1", "/markets#2", "/markets#3", "/markets#4"]);
    assert.equal(mock.count("/markets"), 4);

    const ev = await client.get({ endpoint: "events", seriesTicker: "KXHIGHNY" });
    assert.equal(ev.attempts, 2);
    assert.match(log.retries[3].reason, /cut short|not complete JSON|aborted/);
    assert.equal((ev.body.events as unknown[]).length, 6);
  }, 5000);
});

Deno.test("KalshiReadClient: a slow answer past the timeout is retried", async () => {
  await withClient({
    faults: [{ path: "/historical/cutoff", nth: 1, fault: { kind: "slow", delayMs: 500 } }],
  }, async (client, mock, log) => {
    const r = await client.get({ endpoint: "historical_cutoff" });
    assert.equal(r.attempts, 2);
    assert.match(log.retries[0].reason, /ECONNABORTED|timeout/);
    assert.equal(mock.count("/historical/cutoff"), 2);
  }, 150);
});

Deno.test("KalshiReadClient: a 404 is not retried; persistent 503s give up after maxAttempts", async () => {
  await withClient({
    faults: [{ path: "/series/KXHIGHNY", times: 10, fault: { kind: "status", status: 503 } }],
  }, async (client, mock, log) => {
    await assert.rejects(client.get({ endpoint: "series", seriesTicker: "NOPE" }), (e) => {
      assert.equal((e as { response?: { status?: number } }).response?.status, 404);
      return true;
    });
    assert.equal(mock.count("/series/NOPE"), 1);
    assert.equal(log.retries.length, 0);
    await assert.rejects(client.get({ endpoint: "series", seriesTicker: "KXHIGHNY" }), (e) => {
      assert.ok(e instanceof RetryExhaustedError);
      assert.equal(
        e.message,
        "Cannot complete GET /series/KXHIGHNY: gave up after 4 attempts, current value is HTTP 503",
      );
      return true;
    });
    assert.equal(mock.count("/series/KXHIGHNY"), 4);
  });
});

Deno.test("KalshiReadClient: an aborted signal stops before the request", async () => {
  await withClient({}, async (client, mock) => {
    const ac = new AbortController();
    ac.abort(new Error("stop now"));
    await assert.rejects(client.get({ endpoint: "historical_cutoff" }, ac.signal), /stop now/);
    assert.equal(mock.count(), 0);
  });
});

Deno.test("KalshiReadClient: bad base URLs and options are clear errors", () => {
  assert.equal(
    normalizeBaseUrl("http://127.0.0.1:8080/trade-api/v2/"),
    "http://127.0.0.1:8080/trade-api/v2",
  );
  assert.throws(
    () => normalizeBaseUrl("localhost"),
    /Cannot use base URL: not an absolute URL, current value is "localhost"/,
  );
  assert.throws(
    () => normalizeBaseUrl("ftp://x/trade-api/v2"),
    /protocol must be http or https, current value is ftp:/,
  );
  assert.throws(
    () => normalizeBaseUrl("http://x/trade-api/v2?a=1"),
    /must have no query or fragment/,
  );
  assert.throws(
    () =>
      new KalshiReadClient({
        baseUrl: "http://127.0.0.1:1/trade-api/v2",
        bucket: new TokenBucket({ ratePerSecond: 1, now: () => 0 }),
        retry: POLICY,
        random: () => 0,
        sleep: () => Promise.resolve(),
        now: () => 0,
        timeoutMs: -1,
      }),
    /Cannot create Kalshi client: timeoutMs must be an integer >= 0, current value is -1/,
  );
});
