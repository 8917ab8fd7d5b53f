import assert from "node:assert/strict";
import { parseNdjsonText } from "../lib/tape/ndjson_reader.ts";
import { formatEventLine } from "../lib/tape/ndjson_writer.ts";
import { buildSampleTape } from "./sample_tape.ts";

Deno.test("buildSampleTape: passes the strict reader and is deterministic", () => {
  for (const quoteMarket of [false, true]) {
    const tape = buildSampleTape({ seed: 4, markets: 4, steps: 200, quoteMarket });
    const text = tape.map(formatEventLine).join("\n");
    const back = [...parseNdjsonText(text, "sample")];
    assert.equal(back.length, tape.length);
    assert.deepEqual(buildSampleTape({ seed: 4, markets: 4, steps: 200, quoteMarket }), tape);
    const kinds = new Set(tape.map((e) => e.kind));
    for (
      const k of ["series", "event", "market", "book_snapshot", "book_delta", "trade", "settlement"]
    ) {
      assert.ok(kinds.has(k as never), `has ${k}`);
    }
    assert.equal(kinds.has("quote"), quoteMarket);
  }
});

Deno.test("buildSampleTape: bad options are clear errors", () => {
  assert.throws(
    () => buildSampleTape({ markets: 0 }),
    /markets must be an integer in 1..8, current value is 0/,
  );
  assert.throws(
    () => buildSampleTape({ stepMs: 0.5 }),
    /stepMs must be an integer in 1..86400000, current value is 0.5/,
  );
});
