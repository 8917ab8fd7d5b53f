import assert from "node:assert/strict";
import { arrayStream, StreamMerger, tapeFileStream } from "./stream.ts";
import { replay } from "./replay.ts";
import type { Strategy, StrategyContext } from "../engine/strategy.ts";
import { KIND_CODE, KIND_COUNT, type TapeEvent } from "../tape/events.ts";
import { parseNdjsonText } from "../tape/ndjson_reader.ts";
import { type TapeForm, writeTapeAtomically } from "../tape/tape_file.ts";
import { HAND_TAPE } from "../tape/test_fixtures.ts";
import { generateBtcTape } from "../synth/btc_tape.ts";

/** Takes every event of a merge; checks each kind code given against the event's kind. */
async function codesOf(m: StreamMerger): Promise<{ coded: number; uncoded: number }> {
  let coded = 0;
  let uncoded = 0;
  while (await m.refill()) {
    for (let ev = m.take(); ev !== null; ev = m.take()) {
      const code = m.currentKind();
      if (code >= 0 && code < KIND_COUNT) {
        assert.equal(code, KIND_CODE[ev.kind], `code ${code} for a ${ev.kind} event`);
        coded++;
      } else uncoded++;
    }
  }
  return { coded, uncoded };
}

/**
 * Logs each event's kind, the venue's market number and the book's best bid
 * after it; checks the kind code the engine hands on with every event.
 */
class BookLog implements Strategy {
  readonly name = "book_log";
  readonly params = {};
  readonly log: string[] = [];
  onEvent(ev: TapeEvent, ctx: StrategyContext, market: number, kind: number): void {
    assert.equal(kind, KIND_CODE[ev.kind], `kind code ${kind} handed on with a ${ev.kind} event`);
    const book = "market" in ev ? ctx.book(ev.market) : undefined;
    this.log.push(`${ev.kind} ${market} ${book?.bestYesBid} ${book?.bestYesAsk} ${book?.valid}`);
  }
}

async function withTapes(
  events: readonly TapeEvent[],
  body: (path: (form: TapeForm) => string) => Promise<void>,
): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kind_code_test_" });
  try {
    const ext = { ndjson: "ndjson", kxc: "kxc", sqlite: "sqlite" };
    const path = (form: TapeForm) => `${dir}/tape.${ext[form]}`;
    for (const form of ["ndjson", "kxc", "sqlite"] as const) {
      // Blocks of 4 events: many blocks, and rows of every kind in them.
      await writeTapeAtomically(path(form), form, events, 4);
    }
    await body(path);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("kind codes: every code a source gives is its event's, from every tape form and merged", async () => {
  const hand = [...parseNdjsonText(HAND_TAPE, "hand.ndjson")];
  const btc = generateBtcTape({ seed: 3, hours: 1 });
  await withTapes(btc, async (path) => {
    const columnar = await codesOf(new StreamMerger([tapeFileStream(path("kxc"))]));
    const sqlite = await codesOf(new StreamMerger([tapeFileStream(path("sqlite"))]));
    const array = await codesOf(new StreamMerger([arrayStream("btc", btc)]));
    // The columnar and SQLite blocks give a code for the events they fill from
    // their columns (most of a tape); an array source gives none.
    assert.ok(columnar.coded > btc.length * 0.9, `columnar coded ${columnar.coded}`);
    assert.ok(sqlite.coded > btc.length * 0.9, `sqlite coded ${sqlite.coded}`);
    assert.deepEqual(array, { coded: 0, uncoded: btc.length });
  });
  // Lenient reads that drop invalid rows (unknown markets): the kept rows are
  // mapped, and each code is still its event's.
  const damaged = btc.map((e, i) =>
    i % 97 === 50 && "market" in e && e.kind !== "market"
      ? { ...e, market: "NOPE" } as TapeEvent
      : e
  );
  await withTapes(damaged, async (path) => {
    for (const form of ["kxc", "sqlite"] as const) {
      const src = tapeFileStream(path(form), { strict: false });
      const got = await codesOf(new StreamMerger([src]));
      assert.ok(src.anomalyCount() > 0, form);
      const kept = got.coded + got.uncoded;
      assert.ok(kept < btc.length && got.coded > kept * 0.9, `${form}: ${kept} kept`);
    }
  });
  await withTapes(btc, async (path) => {
    // Merged with each other (and with a tape whose rows need the aux fallback).
    await withTapes(hand, async (handPath) => {
      const merged = await codesOf(
        new StreamMerger([
          tapeFileStream(handPath("kxc")),
          arrayStream("btc", btc),
          tapeFileStream(path("kxc")),
          tapeFileStream(handPath("sqlite")),
        ]),
      );
      assert.equal(merged.coded + merged.uncoded, 2 * hand.length + 2 * btc.length);
    });
  });
});

Deno.test("kind codes: a replay sees the same events, books and kind codes from an array, NDJSON, columnar and SQLite", async () => {
  // HAND_TAPE has book deltas and a trade whose values do not fit the columns:
  // the columnar form stores them in aux, with no kind code in the block.
  const hand = [...parseNdjsonText(HAND_TAPE, "hand.ndjson")];
  const config = { seed: 1, latencyMs: 0, assumedQuoteSize: 0, strict: false };
  await withTapes(hand, async (path) => {
    const logs: string[][] = [];
    for (
      const src of [
        arrayStream("hand", hand),
        ...(["ndjson", "kxc", "sqlite"] as const).map((f) => tapeFileStream(path(f))),
      ]
    ) {
      const s = new BookLog();
      await replay(new StreamMerger([src]), s, config);
      logs.push(s.log);
    }
    assert.equal(logs[0].length, hand.length);
    for (const log of logs.slice(1)) assert.deepEqual(log, logs[0]);
    // Every market event was applied to its market (a number, not -1), aux rows included.
    const marketEvents = hand.filter((e) => "market" in e && e.kind !== "market").length;
    assert.equal(
      logs[0].filter((l) => /^\w+ \d+ /.test(l) && !l.startsWith("market ")).length,
      marketEvents,
    );
  });
});
