import assert from "node:assert/strict";
import { writeNdjsonFile } from "../lib/tape/ndjson_writer.ts";
import type { MockKalshiExchange } from "../mock_exchange/exchange.ts";
import { buildSampleTape } from "../mock_exchange/sample_tape.ts";
import { runMockExchange, type TaskIo } from "./mock_exchange.ts";

function io(onStart?: (ex: MockKalshiExchange) => Promise<void>) {
  const out: string[] = [];
  const err: string[] = [];
  let release!: () => void;
  const stopped = new Promise<void>((r) => (release = r));
  const t: TaskIo = {
    log: (l) => out.push(l),
    error: (l) => err.push(l),
    stop: () => stopped,
    started: (ex) => {
      (onStart ?? (() => Promise.resolve()))(ex).finally(release);
    },
  };
  return { t, out, err };
}

Deno.test("mock-exchange task: --help and usage errors", async () => {
  const h = io();
  assert.equal(await runMockExchange(["--help"], h.t), 0);
  assert.match(h.out.join("\n"), /deno task mock-exchange \[options\]/);
  const cases: [string[], RegExp][] = [
    [["--speed=-1"], /Cannot read --speed: must be a number >= 0, current value is -1/],
    [["--port", "70000"], /must be in 0..65535, current value is 70000/],
    [["--port", "1.5"], /must be an integer >= 0, current value is 1.5/],
    [["--fault", "nope=1"], /unknown fault kind/],
    [["--time", "moon"], /must be tape or wall, current value is moon/],
    [["--time", "wall", "--speed", "0"], /wall needs --speed > 0/],
    [["--bogus"], /Unknown option '--bogus'/],
  ];
  for (const [args, re] of cases) {
    const x = io();
    assert.equal(await runMockExchange(args, x.t), 2, args.join(" "));
    assert.match(x.err.join("\n"), re);
  }
  const missing = io();
  assert.equal(await runMockExchange(["--tape", "/nonexistent/t.ndjson"], missing.t), 1);
  assert.match(missing.err.join("\n"), /error:/);
});

Deno.test("mock-exchange task: serves a tape file with faults until stopped, then reports", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const path = `${dir}/t.ndjson`;
    await writeNdjsonFile(path, buildSampleTape({ seed: 2, markets: 2, steps: 5 }));
    const x = io(async (ex) => {
      ex.faults.force("http_429");
      const r = await fetch(`${ex.baseUrl}/markets`);
      await r.body?.cancel();
      const ok = await (await fetch(`${ex.baseUrl}/markets`)).json();
      assert.equal(ok.markets.length, 2);
    });
    assert.equal(
      await runMockExchange(["--tape", path, "--speed", "0", "--fault", "ws_drop=0.5"], x.t),
      0,
    );
    const text = x.out.join("\n");
    assert.match(text, /REST +http:\/\/127\.0\.0\.1:\d+\/trade-api\/v2/);
    assert.match(text, /WebSocket +ws:\/\/127\.0\.0\.1:\d+\/trade-api\/ws\/v2/);
    assert.match(text, /faults +ws_drop=0.5/);
    assert.match(text, /served 2 REST requests/);
    assert.match(text, /faults injected: http_429 1/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
