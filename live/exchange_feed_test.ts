import assert from "node:assert/strict";
import type { TapeEvent } from "../lib/tape/events.ts";
import { TapeValidator } from "../lib/tape/validator.ts";
import { buildSampleTape } from "../mock_exchange/sample_tape.ts";
import { openExchange } from "./exchange_feed.ts";
import { systemClock } from "./io.ts";

Deno.test("openExchange: the feed delivers the mock's tape (plus underlying values) and ends after it", async () => {
  const tape: TapeEvent[] = buildSampleTape({ seed: 5, markets: 2, steps: 30, stepMs: 1000 });
  // A reference value the exchange cannot serve: it comes through the merged reference feed.
  tape.splice(tape.length - 1, 0, {
    kind: "underlying",
    ts: tape.at(-2)!.ts,
    symbol: "T",
    value: 41,
  });
  const ex = await openExchange({ tape, speed: 50, clock: systemClock, graceMs: 300 });
  try {
    const out: TapeEvent[] = [];
    for await (const ev of ex.feed.events()) out.push(ev);
    const v = new TapeValidator("feed", { strict: true });
    out.forEach((e, i) => v.check(e, i + 1));
    const kinds = new Set(out.map((e) => e.kind));
    for (const k of ["series", "event", "market", "book_snapshot", "book_delta", "underlying"]) {
      assert.ok(kinds.has(k as TapeEvent["kind"]), `${k} came through`);
    }
    assert.deepEqual(ex.markets, tape.flatMap((e) => (e.kind === "market" ? [e.market] : [])));
    const skew = await ex.measureSkew();
    assert.ok(skew !== undefined && Math.abs(skew) <= 1000, `skew ${skew}`);
    const h = ex.feed.health();
    assert.ok(
      Number.isNaN(h.lastMessageTs) || Math.abs(h.lastMessageTs - Date.now()) < 60_000,
      "wall clock",
    );
  } finally {
    await ex.close();
  }
});

Deno.test("openExchange: bad input is refused before anything starts", async () => {
  const tape = buildSampleTape({ markets: 1, steps: 2 });
  await assert.rejects(
    () => openExchange({ tape, speed: 0, clock: systemClock }),
    /speed must be > 0, current value is 0/,
  );
  await assert.rejects(
    () =>
      openExchange({
        tape: [{ kind: "underlying", ts: 1, symbol: "X", value: 1 }],
        speed: 1,
        clock: systemClock,
      }),
    /declares no market/,
  );
});
