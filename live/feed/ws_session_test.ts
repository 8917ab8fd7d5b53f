import assert from "node:assert/strict";
import { MockKalshiExchange } from "../../mock_exchange/exchange.ts";
import { buildSampleTape } from "../../mock_exchange/sample_tape.ts";
import { systemClock } from "../io.ts";
import { TEST_SIGNER, until } from "./test_support.ts";
import { WsSession, type WsSessionHandlers } from "./ws_session.ts";

const TAPE = buildSampleTape({ seed: 3, markets: 1, steps: 5 });

function recorder() {
  const r = { opened: 0, messages: [] as string[], pings: 0, ends: [] as string[] };
  const h: WsSessionHandlers = {
    onOpen: () => r.opened++,
    onMessage: (t) => r.messages.push(t),
    onPing: () => r.pings++,
    onEnd: (reason) => r.ends.push(reason),
  };
  return { r, h };
}

Deno.test("WsSession: opens with the signed headers, sends commands, receives answers and pings", async () => {
  const ex = await MockKalshiExchange.start({ tape: TAPE, speed: 0, pingIntervalMs: 20 });
  try {
    const { r, h } = recorder();
    const s = new WsSession({
      url: ex.wsUrl,
      headers: TEST_SIGNER.headers("GET", "/trade-api/ws/v2", 1),
      timer: systemClock,
    }, h);
    assert.equal(s.send({ id: 1 }), false, "nothing before open");
    s.start();
    await until(() => s.isOpen);
    assert.equal(r.opened, 1);
    assert.ok(s.send({ id: 1, cmd: "subscribe", params: { channels: ["market_lifecycle_v2"] } }));
    await until(() => r.messages.length === 1);
    assert.match(r.messages[0], /"type":"subscribed"/);
    await until(() => r.pings >= 2, 2000, "pings");
    s.close();
    assert.equal(s.isOpen, false);
    s.close("twice");
    assert.deepEqual(r.ends, ["closed by client"], "ends once");
  } finally {
    await ex.close();
  }
});

Deno.test("WsSession: a refused handshake, a dropped socket and silence end the session with a reason", async () => {
  const ex = await MockKalshiExchange.start({ tape: TAPE, speed: 0, pingIntervalMs: 0 });
  try {
    const a = recorder();
    new WsSession({ url: ex.wsUrl, headers: {}, timer: systemClock }, a.h).start();
    await until(() => a.r.ends.length === 1);
    assert.deepEqual(a.r.ends, ["handshake HTTP 401"]);
    assert.equal(a.r.opened, 0);

    const b = recorder();
    const headers = TEST_SIGNER.headers("GET", "/trade-api/ws/v2", 1);
    new WsSession({ url: ex.wsUrl, headers, timer: systemClock }, b.h).start();
    await until(() => b.r.opened === 1);
    ex.ws.dropAll();
    await until(() => b.r.ends.length === 1);
    assert.match(b.r.ends[0], /closed by server \(code 1006\)|socket error/);

    const c = recorder();
    new WsSession({ url: ex.wsUrl, headers, timer: systemClock, idleTimeoutMs: 60 }, c.h).start();
    await until(() => c.r.ends.length === 1, 2000);
    assert.deepEqual(c.r.ends, ["idle timeout: nothing for more than 60 ms"]);

    const d = recorder();
    new WsSession({ url: `ws://127.0.0.1:${ex.port}/wrong`, headers, timer: systemClock }, d.h)
      .start();
    await until(() => d.r.ends.length === 1);
    assert.deepEqual(d.r.ends, ["handshake HTTP 404"]);

    const e = recorder();
    new WsSession({
      url: ex.wsUrl,
      headers,
      timer: systemClock,
      factory: () => {
        throw new Error("no sockets here");
      },
    }, e.h).start();
    assert.deepEqual(e.r.ends, ["connect failed: no sockets here"]);
  } finally {
    await ex.close();
  }
  assert.throws(
    () =>
      new WsSession(
        { url: "ws://x", headers: {}, timer: systemClock, idleTimeoutMs: 0 },
        recorder().h,
      ),
    /idleTimeoutMs must be an integer >= 1, current value is 0/,
  );
});
