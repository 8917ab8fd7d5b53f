import assert from "node:assert/strict";
import { selectForImport } from "./import_select.ts";
import { envelopeText } from "./response_cache.ts";

function env(path: string, body: unknown, query: Record<string, string> = {}): string {
  return envelopeText({ path, query }, 1000, 200, JSON.stringify(body));
}

const SEL = {
  markets: new Set(["E1-A", "E1-B", "E2-A"]),
  events: new Set(["E1", "E2"]),
};

Deno.test("selectForImport: keeps selected markets once, trims events, leaves out the cutoff", () => {
  const files = [
    { name: "series.json", text: env("/series/S", { series: { ticker: "S" } }) },
    {
      name: "events.json",
      text: env("/events", {
        events: [{ event_ticker: "E1" }, { event_ticker: "E2" }, { event_ticker: "E3" }],
        cursor: "",
      }),
    },
    {
      name: "markets1.json",
      text: env("/markets", {
        markets: [{ ticker: "E1-A" }, { ticker: "E1-B" }],
        cursor: "c",
      }),
    },
    {
      // E1-B shifted across the page boundary and is listed again.
      name: "markets2.json",
      text: env("/markets", { markets: [{ ticker: "E1-B" }, { ticker: "E2-A" }], cursor: "" }, {
        cursor: "c",
      }),
    },
    { name: "cutoff.json", text: env("/historical/cutoff", { market_settled_ts: "x" }) },
    {
      name: "hist.json",
      text: env("/historical/markets", { markets: [{ ticker: "OLD-A" }], cursor: "" }),
    },
    {
      name: "trades.json",
      text: env("/markets/trades", {
        trades: [{ trade_id: "t1" }, { trade_id: "t1" }],
        cursor: "",
      }),
    },
  ];
  const r = selectForImport(files, SEL);
  assert.deepEqual(r.leftOut, ["cutoff.json"]);
  assert.equal(r.droppedMarkets, 2); // the repeated E1-B and the unselected OLD-A
  assert.equal(r.droppedEvents, 1);
  assert.deepEqual(r.inputs.map((i) => i.name), [
    "series.json",
    "events.json",
    "markets1.json",
    "markets2.json",
    "hist.json",
    "trades.json",
  ]);
  // Untouched envelopes pass byte for byte.
  assert.equal(r.inputs[0].text, files[0].text);
  assert.equal(r.inputs[2].text, files[2].text);
  assert.equal(r.inputs[5].text, files[6].text);
  const m2 = JSON.parse(r.inputs[3].text);
  assert.equal(m2.kx_fetch, 1);
  assert.deepEqual(m2.query, { cursor: "c" });
  assert.deepEqual(m2.body.markets, [{ ticker: "E2-A" }]);
  assert.equal(m2.body.cursor, "");
  assert.deepEqual(
    JSON.parse(r.inputs[1].text).body.events.map((e: { event_ticker: string }) => e.event_ticker),
    ["E1", "E2"],
  );
  assert.deepEqual(JSON.parse(r.inputs[4].text).body.markets, []);
});

Deno.test("selectForImport: a file that is not an envelope is a clear error", () => {
  assert.throws(
    () => selectForImport([{ name: "x.json", text: "[1,2]" }], SEL),
    /Cannot read cached response x\.json: field "kx_fetch" must be 1/,
  );
  assert.throws(
    () => selectForImport([{ name: "y.json", text: "{" }], SEL),
    /Cannot read cached response y\.json: not JSON/,
  );
});
