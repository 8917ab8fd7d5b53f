import assert from "node:assert/strict";
import { MockExchange, type MockExchangeOptions } from "./http_server.ts";

async function withMock(
  options: MockExchangeOptions,
  fn: (mock: MockExchange) => Promise<void>,
): Promise<void> {
  const mock = await MockExchange.start(options);
  try {
    await fn(mock);
  } finally {
    await mock.close();
  }
}

async function getJson(
  url: string,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const r = await fetch(url);
  return { status: r.status, body: await r.json(), headers: r.headers };
}

Deno.test("MockExchange: serves paged markets on 127.0.0.1 and counts requests per path", async () => {
  await withMock({ maxPageSize: 10 }, async (mock) => {
    assert.match(mock.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/trade-api\/v2$/);
    const tickers: unknown[] = [];
    let cursor = "";
    do {
      const q = new URLSearchParams({ series_ticker: "KXHIGHNY", limit: "1000" });
      if (cursor !== "") q.set("cursor", cursor);
      const r = await getJson(`${mock.baseUrl}/markets?${q}`);
      assert.equal(r.status, 200);
      assert.equal(r.headers.get("content-type"), "application/json; charset=utf-8");
      assert.equal(r.headers.get("connection"), "close");
      assert.equal(r.headers.get("retry-after"), null);
      tickers.push(...(r.body.markets as { ticker: string }[]).map((m) => m.ticker));
      cursor = r.body.cursor as string;
    } while (cursor !== "");
    assert.equal(tickers.length, 24);
    assert.equal(new Set(tickers).size, 24);
    await (await fetch(`${mock.baseUrl}/series/KXHIGHNY`)).body?.cancel();
    assert.equal(mock.count("/markets"), 3);
    assert.equal(mock.count(/^\/series\//), 1);
    assert.equal(mock.count(), 4);
    assert.deepEqual(mock.countsByPath(), { "/markets": 3, "/series/KXHIGHNY": 1 });
    assert.equal(mock.requests[1].query.cursor !== undefined, true);
    assert.equal(mock.requests[0].outcome, 200);
  });
});

Deno.test("MockExchange: outside /trade-api/v2 and non-GET are errors", async () => {
  await withMock({}, async (mock) => {
    const root = `http://127.0.0.1:${mock.port}`;
    const a = await getJson(`${root}/markets`);
    assert.equal(a.status, 404);
    assert.deepEqual(a.body, { error: { code: "not_found", message: "path /markets not found" } });
    const b = await fetch(`${mock.baseUrl}/markets`, { method: "POST", body: "{}" });
    assert.equal(b.status, 405);
    await b.body?.cancel();
  });
});

Deno.test("MockExchange: a 429 on the nth request of a path, then a 500, without Retry-After", async () => {
  await withMock({
    faults: [
      { path: "/markets", nth: 2, fault: { kind: "status", status: 429 } },
      { path: "/markets", nth: 3, fault: { kind: "status", status: 500 } },
    ],
  }, async (mock) => {
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await getJson(`${mock.baseUrl}/markets`);
      statuses.push(r.status);
      assert.equal(r.headers.get("retry-after"), null);
      if (r.status === 429) {
        assert.deepEqual(r.body, {
          error: { code: "too_many_requests", message: "too many requests" },
        });
      }
    }
    assert.deepEqual(statuses, [200, 429, 500, 200]);
    assert.deepEqual(mock.requests.map((r) => r.outcome), [200, 429, 500, 200]);
  });
});

Deno.test("MockExchange: a dropped connection and a body cut short fail the client", async () => {
  await withMock({
    faults: [
      { nth: 1, fault: { kind: "drop" } },
      { nth: 2, fault: { kind: "drop_mid_body" } },
    ],
  }, async (mock) => {
    await assert.rejects(fetch(`${mock.baseUrl}/markets`));
    await assert.rejects(async () => {
      const r = await fetch(`${mock.baseUrl}/markets`);
      assert.equal(r.status, 200);
      await r.text();
    });
    const ok = await getJson(`${mock.baseUrl}/markets`);
    assert.equal(ok.status, 200);
    assert.deepEqual(mock.requests.map((r) => r.outcome), ["drop", "drop_mid_body", 200]);
  });
});

Deno.test("MockExchange: a slow answer arrives after its delay; times repeats a fault", async () => {
  await withMock({
    faults: [
      { path: "/historical/cutoff", fault: { kind: "slow", delayMs: 120 } },
      { path: "/series/KXHIGHNY", times: 2, fault: { kind: "status", status: 503 } },
    ],
  }, async (mock) => {
    const t0 = performance.now();
    const r = await getJson(`${mock.baseUrl}/historical/cutoff`);
    assert.equal(r.status, 200);
    assert.ok(performance.now() - t0 >= 100, "delayed");
    const s: number[] = [];
    for (let i = 0; i < 3; i++) s.push((await getJson(`${mock.baseUrl}/series/KXHIGHNY`)).status);
    assert.deepEqual(s, [503, 503, 200]);
  });
});

Deno.test("MockExchange: bad options and fault rules are clear errors", async () => {
  await assert.rejects(
    MockExchange.start({ maxPageSize: 0 }),
    /Cannot start mock exchange: maxPageSize must be an integer >= 1, current value is 0/,
  );
  await withMock({}, (mock) => {
    assert.throws(
      () => mock.addFault({ nth: 0, fault: { kind: "drop" } }),
      /Cannot add fault: nth must be an integer >= 1, current value is 0/,
    );
    assert.throws(
      () => mock.addFault({ times: 0, fault: { kind: "drop" } }),
      /times must be an integer >= 1, current value is 0/,
    );
    assert.throws(
      () => mock.addFault({ fault: { kind: "status", status: 200 } }),
      /status must be an HTTP error status \(400..599\), current value is 200/,
    );
    assert.throws(
      () => mock.addFault({ fault: { kind: "slow", delayMs: -5 } }),
      /delayMs must be an integer >= 0, current value is -5/,
    );
    assert.throws(
      () => mock.addFault({ fault: { kind: "boom" } as never }),
      /Cannot add fault: unknown kind, current value is "boom"/,
    );
    return Promise.resolve();
  });
});
