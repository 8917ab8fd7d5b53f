import assert from "node:assert/strict";
import { RetryExhaustedError } from "../../lib/kalshi/retry.ts";
import { MockKalshiExchange } from "../../mock_exchange/exchange.ts";
import { buildSampleTape } from "../../mock_exchange/sample_tape.ts";
import { systemClock } from "../io.ts";
import { FeedRest, type FeedRestOptions } from "./rest.ts";

const TAPE = buildSampleTape({ seed: 3, markets: 2, steps: 5 });

async function withRest(
  options: Partial<FeedRestOptions>,
  fn: (rest: FeedRest, ex: MockKalshiExchange) => Promise<void>,
): Promise<void> {
  const ex = await MockKalshiExchange.start({ tape: TAPE, speed: 0, pingIntervalMs: 0 });
  try {
    const rest = new FeedRest({
      baseUrl: ex.baseUrl,
      clock: { now: () => ex.now(), sleep: systemClock.sleep },
      timer: systemClock,
      random: () => 0.5,
      retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 },
      timeoutMs: 200,
      ...options,
    });
    await fn(rest, ex);
  } finally {
    await ex.close();
  }
}

Deno.test("FeedRest: reads JSON, stamps the receive time with the event clock", async () => {
  await withRest({}, async (rest, ex) => {
    const a = await rest.get("/markets", { limit: "5" });
    assert.equal((a.body.markets as unknown[]).length, 2);
    assert.equal(a.receivedTs, ex.now());
    assert.equal(rest.counters.requests, 1);
    assert.equal(rest.lastSkewMs, 0);
  });
});

Deno.test("FeedRest: 429, 5xx and slow answers are retried and counted", async () => {
  await withRest({}, async (rest, ex) => {
    ex.faults.force("http_429");
    ex.faults.force("http_5xx");
    const a = await rest.get("/markets");
    assert.ok(Array.isArray(a.body.markets));
    assert.deepEqual(
      [rest.counters.requests, rest.counters.retries, rest.counters.http429, rest.counters.http5xx],
      [3, 2, 1, 1],
    );
    ex.faults.set({ kind: "http_slow", rate: 0, param: 400 });
    ex.faults.force("http_slow");
    await rest.get("/markets");
    assert.equal(rest.counters.timeouts, 1);
    assert.equal(rest.counters.failures, 0);
  });
});

Deno.test("FeedRest: a skewed Date header is detected, not absorbed", async () => {
  await withRest({ maxSkewMs: 2000 }, async (rest, ex) => {
    ex.faults.set({ kind: "clock_skew", rate: 0, param: -7000 });
    ex.faults.force("clock_skew");
    const a = await rest.get("/markets");
    assert.equal(rest.counters.clockSkewDetected, 1);
    assert.equal(rest.lastSkewMs, -7000);
    assert.equal(a.receivedTs, ex.now(), "timestamps stay on the local clock");
    await rest.get("/markets");
    assert.equal(rest.counters.clockSkewDetected, 1);
  });
});

Deno.test("FeedRest: a 404 is not retried; exhausted retries and network errors fail clearly", async () => {
  await withRest({}, async (rest, ex) => {
    await assert.rejects(rest.get("/markets/NOPE"), /Cannot GET \/markets\/NOPE: HTTP 404/);
    assert.equal(rest.counters.requests, 1);
    ex.faults.force("http_5xx", 3);
    await assert.rejects(rest.get("/markets"), RetryExhaustedError);
    assert.equal(rest.counters.failures, 2);
  });
  const refused = new FeedRest({
    baseUrl: "http://127.0.0.1:9/trade-api/v2",
    clock: systemClock,
    random: () => 0.5,
    retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    fetch: () => Promise.reject(new TypeError("error sending request: Connection refused")),
  });
  await assert.rejects(
    refused.get("/markets"),
    /gave up after 2 attempts, current value is GET \/markets: error sending request/,
  );
  assert.equal(refused.counters.networkErrors, 2);
  const garbled = new FeedRest({
    baseUrl: "http://127.0.0.1:9/trade-api/v2",
    clock: systemClock,
    random: () => 0.5,
    retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 1 },
    fetch: () => Promise.resolve(new Response('{"markets": [', { status: 200 })),
  });
  await assert.rejects(garbled.get("/markets"), /body is not complete JSON/);
  assert.throws(
    () =>
      new FeedRest({
        baseUrl: "http://x/trade-api/v2",
        clock: systemClock,
        random: Math.random,
        timeoutMs: 0,
      }),
    /timeoutMs must be an integer >= 1, current value is 0/,
  );
});

Deno.test("FeedRest: closing aborts a read in flight without counting a failure", async () => {
  const stop = new AbortController();
  const rest = new FeedRest({
    baseUrl: "http://127.0.0.1:9/trade-api/v2",
    clock: systemClock,
    random: () => 0.5,
    signal: stop.signal,
    fetch: (_u, init) =>
      new Promise((_res, rej) =>
        init?.signal?.addEventListener(
          "abort",
          () => rej(new DOMException("aborted", "AbortError")),
        )
      ),
  });
  const p = rest.get("/markets");
  stop.abort(new Error("feed closed"));
  await assert.rejects(p, /feed closed/);
  assert.equal(rest.counters.failures, 0);
});
