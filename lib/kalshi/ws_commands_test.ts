import assert from "node:assert/strict";
import {
  encodeCommand,
  parseCommand,
  WS_ERROR_CODES,
  type WsCommand,
  WsCommandError,
} from "./ws_commands.ts";

function codeOf(text: string): [number, number | undefined, string] {
  try {
    parseCommand(text);
  } catch (e) {
    assert.ok(e instanceof WsCommandError);
    return [e.code, e.id, e.message];
  }
  throw new Error(`expected an error for ${text}`);
}

Deno.test("encodeCommand / parseCommand: every command round-trips", () => {
  const cmds: WsCommand[] = [
    { id: 1, cmd: "subscribe", channels: ["orderbook_delta", "trade"], marketTickers: ["A", "B"] },
    { id: 2, cmd: "subscribe", channels: ["market_lifecycle_v2"] },
    { id: 3, cmd: "unsubscribe", sids: [1, 2] },
    { id: 4, cmd: "update_subscription", sids: [1], marketTickers: ["C"], action: "add_markets" },
    { id: 5, cmd: "list_subscriptions" },
  ];
  for (const c of cmds) assert.deepEqual(parseCommand(JSON.stringify(encodeCommand(c))), c);
  assert.deepEqual(encodeCommand(cmds[0]), {
    id: 1,
    cmd: "subscribe",
    params: { channels: ["orderbook_delta", "trade"], market_tickers: ["A", "B"] },
  });
});

Deno.test("parseCommand: the single-ticker and single-sid forms", () => {
  assert.deepEqual(
    parseCommand(
      '{"id":1,"cmd":"subscribe","params":{"channels":["orderbook_delta"],"market_ticker":"CPI-22DEC-TN0.1"}}',
    ),
    { id: 1, cmd: "subscribe", channels: ["orderbook_delta"], marketTickers: ["CPI-22DEC-TN0.1"] },
  );
  assert.deepEqual(
    parseCommand(
      '{"id":126,"cmd":"update_subscription","params":{"sid":456,"market_tickers":["N"],"action":"delete_markets"}}',
    ),
    {
      id: 126,
      cmd: "update_subscription",
      sids: [456],
      marketTickers: ["N"],
      action: "delete_markets",
    },
  );
});

Deno.test("parseCommand: bad commands carry Kalshi's error codes and the id", () => {
  assert.deepEqual(codeOf("nope").slice(0, 2), [WS_ERROR_CODES.unableToProcess, undefined]);
  assert.deepEqual(codeOf("[]").slice(0, 2), [1, undefined]);
  const [c, id, msg] = codeOf('{"id":0,"cmd":"subscribe"}');
  assert.equal(c, 1);
  assert.equal(id, undefined);
  assert.match(msg, /id must be an integer >= 1, current value is 0/);
  assert.deepEqual(codeOf('{"id":7,"cmd":"dance"}').slice(0, 2), [5, 7]);
  assert.deepEqual(codeOf('{"id":7,"cmd":"subscribe"}').slice(0, 2), [2, 7]);
  assert.deepEqual(codeOf('{"id":7,"cmd":"subscribe","params":{}}').slice(0, 2), [3, 7]);
  assert.deepEqual(
    codeOf('{"id":7,"cmd":"subscribe","params":{"channels":[1]}}').slice(0, 2),
    [11, 7],
  );
  assert.deepEqual(
    codeOf('{"id":7,"cmd":"subscribe","params":{"channels":["trade"],"market_tickers":"A"}}')
      .slice(0, 2),
    [11, 7],
  );
  assert.deepEqual(codeOf('{"id":7,"cmd":"unsubscribe","params":{}}').slice(0, 2), [4, 7]);
  assert.deepEqual(
    codeOf('{"id":7,"cmd":"unsubscribe","params":{"sids":[0]}}').slice(0, 2),
    [11, 7],
  );
  assert.deepEqual(
    codeOf('{"id":7,"cmd":"update_subscription","params":{"sids":[1],"market_tickers":["A"]}}')
      .slice(0, 2),
    [15, 7],
  );
  assert.deepEqual(
    codeOf(
      '{"id":7,"cmd":"update_subscription","params":{"sids":[1],"market_tickers":["A"],"action":"x"}}',
    ).slice(0, 2),
    [13, 7],
  );
  assert.deepEqual(
    codeOf('{"id":7,"cmd":"update_subscription","params":{"sids":[1],"action":"add_markets"}}')
      .slice(0, 2),
    [14, 7],
  );
});
