/**
 * Objects a replay makes keep their V8 layout (map) when they take their first
 * timestamp: a timestamp field declared as a small integer changed the layout
 * of every such object at the first timestamp, and optimized code that had
 * seen both layouts was thrown away (BENCHMARKS.md, eighth pass). Only V8's natives can
 * compare layouts, so the check runs in a child process with
 * --allow-natives-syntax; a class with a small-integer timestamp field is the
 * control, which must differ, or the check would prove nothing.
 */

import assert from "node:assert/strict";
import { runWithNatives } from "./natives_check.ts";

Deno.test("L2Book, TapeValidator: taking timestamped events does not change their layout (checked with %HaveSameMap)", async () => {
  const book = new URL("./book.ts", import.meta.url).href;
  const validator = new URL("../tape/validator.ts", import.meta.url).href;
  const script = `
    import { L2Book } from ${JSON.stringify(book)};
    import { TapeValidator } from ${JSON.stringify(validator)};
    const TS = Date.UTC(2026, 0, 5, 14, 0);
    // Made before the others take a timestamp: still on the layout they started with.
    const freshBook = new L2Book("N", 0);
    const freshValidator = new TapeValidator("u.ndjson");
    class Control { ts = 0; }
    const freshControl = new Control();
    const used = new L2Book("M", 0);
    used.applyQuote({ kind: "quote", ts: TS, market: "M", yesBid: 4000, yesAsk: 4200, yesBidSize: 100, yesAskSize: 100 });
    const usedValidator = new TapeValidator("t.ndjson");
    const accepted = usedValidator.check({ kind: "series", ts: TS, series: "S", feeType: "quadratic", feeMultiplier: 700 }, 1);
    const control = new Control();
    control.ts = TS;
    console.log(JSON.stringify({
      book: %HaveSameMap(freshBook, used),
      validator: %HaveSameMap(freshValidator, usedValidator),
      control: %HaveSameMap(freshControl, control),
      accepted,
    }));
  `;
  assert.deepEqual(await runWithNatives(script), {
    book: true,
    validator: true,
    control: false,
    accepted: true,
  });
});
