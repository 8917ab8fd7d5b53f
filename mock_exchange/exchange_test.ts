import assert from "node:assert/strict";
import { ColumnarTapeWriter } from "../lib/tape/columnar_writer.ts";
import { writeNdjsonFile } from "../lib/tape/ndjson_writer.ts";
import { writeSqliteTape } from "../lib/tape/sqlite_tape.ts";
import { MockKalshiExchange, type MockKalshiExchangeOptions, readTapeFile } from "./exchange.ts";
import { buildSampleTape, SAMPLE_EVENT } from "./sample_tape.ts";
import { connect, TEST_AUTH_HEADERS, type Wire } from "./test_ws_client.ts";

const TAPE = buildSampleTape({ seed: 11, markets: 3, steps: 40 });
const MARKETS = TAPE.flatMap((e) => (e.kind === "market" ? [e.market] : []));
/** Events up to and including the snapshots. */
const PRELUDE = TAPE.findIndex((e) => e.kind === "book_delta" || e.kind === "trade");

async function withExchange(
  options: Partial<MockKalshiExchangeOptions>,
  fn: (ex: MockKalshiExchange) => Promise<void>,
): Promise<void> {
  const ex = await MockKalshiExchange.start({
    tape: TAPE,
    speed: 0,
    pingIntervalMs: 0,
    ...options,
  });
  try {
    await fn(ex);
  } finally {
    await ex.close();
  }
}

async function getJson(url: string, init?: RequestInit) {
  const r = await fetch(url, init);
  return { status: r.status, body: await r.json(), headers: r.headers };
}

Deno.test("MockKalshiExchange: REST serves the tape's metadata, live book and trades", async () => {
  await withExchange({}, async (ex) => {
    assert.match(ex.baseUrl, /^http:\/\/127\.0\.0\.1:\d+\/trade-api\/v2$/);
    assert.equal(ex.wsUrl, `ws://127.0.0.1:${ex.port}/trade-api/ws/v2`);
    const ms = await getJson(`${ex.baseUrl}/markets?event_ticker=${SAMPLE_EVENT}`);
    assert.equal(ms.status, 200);
    assert.deepEqual(ms.body.markets.map((m: { ticker: string }) => m.ticker), MARKETS);
    const m0 = ms.body.markets[0];
    assert.equal(m0.market_type, "binary");
    assert.equal(m0.status, "active");
    assert.equal(m0.strike_type, "less");
    assert.deepEqual(m0.price_ranges, [{ start: "0.0100", end: "0.9900", step: "0.0100" }]);
    assert.equal(new Date(ms.headers.get("date")!).getTime(), Math.floor(TAPE[0].ts / 1000) * 1000);
    const s = await getJson(`${ex.baseUrl}/series/KXHIGHNY`);
    assert.deepEqual([s.body.series.fee_type, s.body.series.fee_multiplier], ["quadratic", 1]);
    const e = await getJson(`${ex.baseUrl}/events/${SAMPLE_EVENT}`);
    assert.equal(e.body.event.mutually_exclusive, true);
    assert.equal(e.body.markets.length, 3);

    const empty = await getJson(`${ex.baseUrl}/markets/${MARKETS[1]}/orderbook`);
    assert.deepEqual(empty.body, { orderbook_fp: { yes_dollars: [], no_dollars: [] } });
    ex.step(PRELUDE);
    const snap = TAPE.find((x) => x.kind === "book_snapshot" && x.market === MARKETS[1])!;
    assert.equal(snap.kind, "book_snapshot");
    const ob = await getJson(`${ex.baseUrl}/markets/${MARKETS[1]}/orderbook?depth=2`);
    const yes = ob.body.orderbook_fp.yes_dollars as string[][];
    assert.equal(yes.length, 2);
    assert.ok(Number(yes[0][0]) < Number(yes[1][0]), "ascending as Kalshi lists it");
    assert.equal(yes[1][0], (snap.yesPrices[0] / 10000).toFixed(4));
    assert.equal((await getJson(`${ex.baseUrl}/markets/NOPE/orderbook`)).status, 404);
    assert.equal(
      (await getJson(`${ex.baseUrl}/markets/${MARKETS[1]}/orderbook?depth=x`)).status,
      400,
    );

    ex.playAll();
    const tr = await getJson(`${ex.baseUrl}/markets/trades?limit=1000`);
    const tapeTrades = TAPE.filter((x) => x.kind === "trade").length;
    assert.equal(tr.body.trades.length, tapeTrades);
    const settled = await getJson(`${ex.baseUrl}/markets/${MARKETS[0]}`);
    assert.equal(settled.body.market.status, "determined");
    assert.ok(["yes", "no"].includes(settled.body.market.result));
    assert.equal((await getJson(`http://127.0.0.1:${ex.port}/other`)).status, 404);
    assert.equal(ex.restCounts.byStatus["404"], 2);
  });
});

Deno.test("MockKalshiExchange: the WebSocket handshake needs the auth headers", async () => {
  await withExchange({}, async (ex) => {
    await assert.rejects(connect(ex.wsUrl, {}), /handshake refused: HTTP 401/);
    const partial = { "KALSHI-ACCESS-KEY": "k", "KALSHI-ACCESS-TIMESTAMP": "1" };
    await assert.rejects(connect(ex.wsUrl, partial), /HTTP 401/);
    await assert.rejects(connect(`ws://127.0.0.1:${ex.port}/elsewhere`), /HTTP 404/);
    assert.equal(ex.ws.counts.rejected, 3);
    const c = await connect(ex.wsUrl);
    c.close();
    await c.closed;
  });
});

Deno.test("MockKalshiExchange: snapshot on subscribe, deltas with a seq per subscription, trades, lifecycle", async () => {
  await withExchange({}, async (ex) => {
    ex.step(PRELUDE);
    const c = await connect(ex.wsUrl);
    c.send({
      id: 1,
      cmd: "subscribe",
      params: { channels: ["orderbook_delta", "trade"], market_tickers: MARKETS },
    });
    c.send({ id: 2, cmd: "subscribe", params: { channels: ["market_lifecycle_v2", "ticker"] } });
    const book = await c.waitFor((m) =>
      m.type === "subscribed" && m.msg?.channel === "orderbook_delta"
    );
    const obSid = book.msg!.sid as number;
    const trSid = (await c.waitFor((m) =>
      m.type === "subscribed" && m.msg?.channel === "trade"
    )).msg!.sid;
    const lcSid =
      (await c.waitFor((m) => m.type === "subscribed" && m.msg?.channel === "market_lifecycle_v2"))
        .msg!.sid;
    await c.waitFor((m) => m.type === "subscribed" && m.msg?.channel === "ticker");
    const snaps = c.messages.filter((m) => m.type === "orderbook_snapshot");
    assert.deepEqual(
      snaps.map((m) => [m.sid, m.seq, m.msg!.market_ticker]),
      MARKETS.map((t, i) => [obSid, i + 1, t]),
    );
    ex.playAll();
    await c.waitFor((m) => m.type === "market_lifecycle_v2" && m.msg?.result !== undefined);
    const deltas = c.messages.filter((m) => m.type === "orderbook_delta");
    assert.ok(deltas.length > 10);
    deltas.forEach((m, i) => {
      assert.equal(m.sid, obSid);
      assert.equal(
        m.seq,
        MARKETS.length + 1 + i,
        "seq continues across markets of the subscription",
      );
    });
    const trades = c.messages.filter((m) => m.type === "trade");
    assert.equal(trades.length, TAPE.filter((x) => x.kind === "trade").length);
    assert.ok(trades.every((m) =>
      m.sid === trSid && typeof m.msg!.trade_id === "string" && m.seq === undefined
    ));
    assert.ok(c.messages.some((m) =>
      m.type === "ticker"
    ));
    const lc = c.messages.filter((m) => m.type === "market_lifecycle_v2");
    assert.ok(lc.every((m) => m.sid === lcSid));
    const types = lc.map((m) => `${m.msg!.event_type}${m.msg!.result ? ":" + m.msg!.result : ""}`);
    assert.deepEqual(types.filter((t) => t.startsWith("close_date")).length, MARKETS.length);
    assert.equal(types.filter((t) => t === "determined").length, MARKETS.length);
    assert.equal(types.filter((t) => /^determined:(yes|no)$/.test(t)).length, MARKETS.length);
    c.close();
  });
});

Deno.test("MockKalshiExchange: update_subscription, unsubscribe, list and command errors", async () => {
  await withExchange({}, async (ex) => {
    ex.step(PRELUDE);
    const c = await connect(ex.wsUrl);
    c.send({
      id: 1,
      cmd: "subscribe",
      params: { channels: ["orderbook_delta"], market_tickers: [MARKETS[0]] },
    });
    const sid = (await c.waitFor((m) => m.type === "subscribed")).msg!.sid;
    await c.waitFor((m) => m.type === "orderbook_snapshot");
    c.send({
      id: 2,
      cmd: "update_subscription",
      params: { sid, market_tickers: [MARKETS[1]], action: "add_markets" },
    });
    const ok = await c.waitFor((m) => m.type === "ok" && m.id === 2);
    assert.deepEqual(ok.market_tickers, [MARKETS[0], MARKETS[1]]);
    const snap2 = await c.waitFor((m) =>
      m.type === "orderbook_snapshot" && m.msg?.market_ticker === MARKETS[1]
    );
    assert.equal(snap2.seq, 2);
    c.send({
      id: 3,
      cmd: "update_subscription",
      params: { sids: [sid], market_tickers: [MARKETS[0]], action: "delete_markets" },
    });
    assert.deepEqual((await c.waitFor((m) => m.type === "ok" && m.id === 3)).market_tickers, [
      MARKETS[1],
    ]);
    c.send({ id: 4, cmd: "list_subscriptions" });
    assert.deepEqual((await c.waitFor((m) => m.id === 4)).subscriptions, [{
      channel: "orderbook_delta",
      sid,
    }]);
    const errors: [unknown, number][] = [
      [{ id: 5, cmd: "subscribe", params: { channels: ["nope"] } }, 8],
      [{ id: 6, cmd: "subscribe", params: { channels: ["orderbook_delta"] } }, 14],
      [{ id: 7, cmd: "subscribe", params: { channels: ["trade"], market_tickers: ["NOPE"] } }, 16],
      [{ id: 8, cmd: "unsubscribe", params: { sids: [99] } }, 7],
      [{
        id: 9,
        cmd: "update_subscription",
        params: { sids: [1, 2], market_tickers: ["A"], action: "add_markets" },
      }, 12],
      [{ id: 10, cmd: "fly" }, 5],
    ];
    for (const [cmd, code] of errors) {
      c.send(cmd);
      const id = (cmd as { id: number }).id;
      const e = await c.waitFor((m) => m.type === "error" && m.id === id);
      assert.equal(e.msg!.code, code, JSON.stringify(cmd));
    }
    c.send({ id: 11, cmd: "unsubscribe", params: { sids: [sid] } });
    assert.deepEqual(await c.waitFor((m) => m.type === "unsubscribed"), {
      id: 11,
      sid,
      type: "unsubscribed",
    });
    const before = c.messages.length;
    ex.playAll();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(c.messages.slice(before).filter((m) => m.type === "orderbook_delta").length, 0);
    c.close();
  });
});

Deno.test("MockKalshiExchange: forced WebSocket faults are injected and counted", async () => {
  await withExchange({}, async (ex) => {
    ex.step(PRELUDE);
    const c = await connect(ex.wsUrl);
    c.send({
      id: 1,
      cmd: "subscribe",
      params: { channels: ["orderbook_delta"], market_tickers: MARKETS },
    });
    await c.waitFor((m) => m.type === "orderbook_snapshot" && m.seq === MARKETS.length);
    const seqs = () =>
      c.messages.filter((m) => m.type === "orderbook_delta").map((m) => m.seq as number);
    const deltaAhead = () => {
      // Step until the next delta message is produced.
      const n = seqs().length;
      for (let i = 0; i < 50 && !ex.player.done; i++) {
        const before = ex.ws.counts.messagesSent;
        ex.step();
        if (ex.ws.counts.messagesSent > before) break;
      }
      return c.waitFor((m) => m.type === "orderbook_delta", 2000, 0).then(() => n);
    };
    await deltaAhead();
    ex.faults.force("ws_seq_gap");
    ex.faults.force("ws_duplicate");
    await deltaAhead(); // one seq lost, the next...
    await deltaAhead();
    ex.faults.force("ws_out_of_order");
    await deltaAhead();
    await deltaAhead();
    await new Promise((r) => setTimeout(r, 50));
    const s = seqs();
    const first = MARKETS.length + 1;
    // first; first+1 lost; first+2 twice; first+3; first+4 held until first+5 went out.
    assert.deepEqual(s, [0, 2, 2, 3, 5, 4, 6].map((k) => first + k));
    ex.faults.force("ws_drop");
    ex.playAll();
    await c.closed;
    const n = ex.faultCounts();
    assert.deepEqual(
      [n.ws_seq_gap, n.ws_duplicate, n.ws_out_of_order, n.ws_drop],
      [1, 1, 1, 1],
    );
  });
});

Deno.test("MockKalshiExchange: REST faults (429, 5xx, slow, clock skew) are injected and counted", async () => {
  await withExchange({}, async (ex) => {
    ex.faults.force("http_429");
    ex.faults.force("http_5xx");
    const a = await getJson(`${ex.baseUrl}/markets`);
    assert.equal(a.status, 429);
    assert.equal(a.headers.get("retry-after"), null);
    const b = await getJson(`${ex.baseUrl}/markets`);
    assert.equal(b.status, 503);
    ex.faults.set({ kind: "http_slow", rate: 0, param: 150 });
    ex.faults.force("http_slow");
    ex.faults.set({ kind: "clock_skew", rate: 0, param: -60_000 });
    ex.faults.force("clock_skew");
    const t0 = performance.now();
    const c = await getJson(`${ex.baseUrl}/markets`);
    assert.ok(performance.now() - t0 >= 140);
    assert.equal(c.status, 200);
    assert.equal(
      new Date(c.headers.get("date")!).getTime(),
      Math.floor(TAPE[0].ts / 1000) * 1000 - 60_000,
    );
    const n = ex.faultCounts();
    assert.deepEqual([n.http_429, n.http_5xx, n.http_slow, n.clock_skew], [1, 1, 1, 1]);
  });
});

Deno.test("MockKalshiExchange: demo orders over HTTP need auth, fill against the played book, cancel", async () => {
  await withExchange({}, async (ex) => {
    ex.step(PRELUDE);
    const c = await connect(ex.wsUrl);
    c.send({
      id: 1,
      cmd: "subscribe",
      params: { channels: ["orderbook_delta", "trade"], market_tickers: [MARKETS[0]] },
    });
    await c.waitFor((m) => m.type === "orderbook_snapshot");
    const book = ex.player.markets.get(MARKETS[0])!.book;
    const ask = 10000 - book.best("no");
    const body = JSON.stringify({
      ticker: MARKETS[0],
      side: "yes",
      action: "buy",
      count_fp: "1.00",
      yes_price_dollars: (ask / 10000).toFixed(4),
      client_order_id: "mine-1",
    });
    const noAuth = await getJson(`${ex.baseUrl}/portfolio/orders`, { method: "POST", body });
    assert.equal(noAuth.status, 401);
    const r = await getJson(`${ex.baseUrl}/portfolio/orders`, {
      method: "POST",
      body,
      headers: TEST_AUTH_HEADERS,
    });
    assert.equal(r.status, 201);
    assert.equal(r.body.order.status, "executed");
    const d = await c.waitFor((m: Wire) =>
      m.type === "orderbook_delta" && m.msg?.client_order_id === "mine-1"
    );
    assert.equal(d.msg!.delta_fp, "-1.00");
    await c.waitFor((m) => m.type === "trade");
    const rest = await getJson(`${ex.baseUrl}/portfolio/orders`, {
      method: "POST",
      headers: TEST_AUTH_HEADERS,
      body: JSON.stringify({
        ticker: MARKETS[0],
        side: "yes",
        action: "buy",
        count_fp: "2",
        yes_price_dollars: "0.0100",
      }),
    });
    assert.equal(rest.body.order.status, "resting");
    const id = rest.body.order.order_id;
    const got = await getJson(`${ex.baseUrl}/portfolio/orders/${id}`, {
      headers: TEST_AUTH_HEADERS,
    });
    assert.equal(got.body.order.remaining_count_fp, "2.00");
    const del = await getJson(`${ex.baseUrl}/portfolio/orders/${id}`, {
      method: "DELETE",
      headers: TEST_AUTH_HEADERS,
    });
    assert.equal(del.body.reduced_by_fp, "2.00");
    const list = await getJson(`${ex.baseUrl}/portfolio/orders`, { headers: TEST_AUTH_HEADERS });
    assert.equal(list.body.orders.length, 2);
    const bad = await getJson(`${ex.baseUrl}/portfolio/orders`, {
      method: "POST",
      headers: TEST_AUTH_HEADERS,
      body: "{",
    });
    assert.equal(bad.status, 400);
    c.close();
  });
});

Deno.test("MockKalshiExchange: plays in accelerated real time; reads NDJSON, .kxc and SQLite tapes", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const nd = `${dir}/t.ndjson`;
    await writeNdjsonFile(nd, TAPE);
    const kxc = `${dir}/t.kxc`;
    const w = await ColumnarTapeWriter.create(kxc);
    for (const ev of TAPE) await w.write(ev);
    await w.close();
    const sqlite = `${dir}/t.sqlite`;
    await writeSqliteTape(sqlite, TAPE);
    // Each form reads back as the tape itself (a .sqlite file was once read as NDJSON).
    for (const path of [nd, kxc, sqlite]) {
      assert.deepEqual(await readTapeFile(path), TAPE, path);
    }
    for (const path of [nd, kxc, sqlite]) {
      const ex = await MockKalshiExchange.start({ tape: path, speed: 400, pingIntervalMs: 0 });
      try {
        assert.equal(ex.player.markets.size, 3);
        const t0 = performance.now();
        while (!ex.player.done && performance.now() - t0 < 3000) {
          await new Promise((r) => setTimeout(r, 20));
        }
        assert.ok(ex.player.done, "the tape played to its end");
        assert.ok(ex.now() >= ex.player.lastTs);
      } finally {
        await ex.close();
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("MockKalshiExchange: bad options are clear errors", async () => {
  await assert.rejects(
    MockKalshiExchange.start({ tape: TAPE, port: -1 }),
    /port must be an integer in 0..65535, current value is -1/,
  );
  await assert.rejects(
    MockKalshiExchange.start({ tape: TAPE, maxPageSize: 0 }),
    /maxPageSize must be an integer >= 1, current value is 0/,
  );
  await assert.rejects(
    MockKalshiExchange.start({ tape: TAPE, speed: 0, timeMode: "wall" }),
    /needs speed > 0, current value is 0/,
  );
  await assert.rejects(MockKalshiExchange.start({ tape: [] }), /the tape is empty/);
  await assert.rejects(
    MockKalshiExchange.start({ tape: "/nonexistent/x.ndjson" }),
    /No such file|NotFound/,
  );
});

Deno.test("MockKalshiExchange: wall time mode maps tape times onto the wall clock", async () => {
  let wall = 1_000_000;
  const ex = await MockKalshiExchange.start({
    tape: TAPE,
    speed: 10,
    timeMode: "wall",
    pingIntervalMs: 0,
    wallNow: () => wall,
    autoStart: false,
  });
  try {
    ex.startPlayback();
    wall += 500;
    assert.equal(ex.now(), 1_000_500);
    assert.equal(
      ex.exchangeTime(TAPE[0].ts + 10_000),
      1_001_000,
      "10 tape seconds are 1 wall second",
    );
    const m = await getJson(`${ex.baseUrl}/markets/${MARKETS[0]}`);
    const decl = TAPE.find((e) => e.kind === "market")!;
    assert.equal(decl.kind, "market");
    assert.equal(
      Date.parse(m.body.market.close_time),
      1_000_000 + (decl.closeTs - TAPE[0].ts) / 10,
    );
  } finally {
    await ex.close();
  }
});
