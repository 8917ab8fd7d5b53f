import assert from "node:assert/strict";
import { MockKalshiExchange } from "../../mock_exchange/exchange.ts";
import { buildSampleTape } from "../../mock_exchange/sample_tape.ts";
import { officialTransport } from "./official_transport.ts";

Deno.test("the official client's answers equal plain HTTP reads of the same paths", async () => {
  const ex = await MockKalshiExchange.start({
    tape: buildSampleTape(),
    speed: 0,
    pingIntervalMs: 0,
  });
  try {
    const viaClient = officialTransport(ex.baseUrl);
    const markets = JSON.parse(await (await fetch(`${ex.baseUrl}/markets?limit=5`)).text());
    const ticker = markets.markets[0].ticker as string;
    const event = markets.markets[0].event_ticker as string;
    const series = event.slice(0, event.indexOf("-"));
    for (
      const path of [
        "/markets?limit=5",
        `/markets?tickers=${encodeURIComponent(ticker)}&limit=1000`,
        `/markets/${encodeURIComponent(ticker)}`,
        `/markets/${encodeURIComponent(ticker)}/orderbook`,
        `/markets/trades?ticker=${encodeURIComponent(ticker)}&limit=1000`,
        `/events/${encodeURIComponent(event)}`,
        `/series/${encodeURIComponent(series)}`,
        "/markets/NOPE",
      ]
    ) {
      const a = await viaClient(`${ex.baseUrl}${path}`);
      const b = await fetch(`${ex.baseUrl}${path}`);
      assert.equal(a.status, b.status, path);
      assert.deepEqual(JSON.parse(await a.text()), JSON.parse(await b.text()), path);
      assert.ok(a.headers.get("date") !== null, `${path}: Date header kept`);
    }
    await assert.rejects(
      () => viaClient(`${ex.baseUrl}/portfolio/balance`),
      /the live feed has no such read/,
    );
  } finally {
    await ex.close();
  }
});
