import assert from "node:assert/strict";
import { DatabaseSync } from "node:sqlite";
import { generateBtcTape } from "../synth/btc_tape.ts";
import type { EventBlock } from "./block.ts";
import { TapeError } from "./errors.ts";
import type { TapeEvent } from "./events.ts";
import { parseNdjsonText } from "./ndjson_reader.ts";
import { formatEventLine } from "./ndjson_writer.ts";
import { sqliteBlockSource, writeSqliteTape } from "./sqlite_tape.ts";
import { HAND_TAPE } from "./test_fixtures.ts";

async function readLines(
  src: { nextBlock(): Promise<EventBlock | null> },
): Promise<string[]> {
  const lines: string[] = [];
  for (let b = await src.nextBlock(); b !== null; b = await src.nextBlock()) {
    for (let i = 0; i < b.length; i++) lines.push(formatEventLine(b.event(i)));
  }
  return lines;
}

Deno.test("sqlite tape: the hand-built tape round-trips byte-identical, in blocks of 1, 4 and 65536 rows", async () => {
  const events = [...parseNdjsonText(HAND_TAPE, "hand.ndjson")];
  assert.equal(events.map(formatEventLine).join("\n") + "\n", HAND_TAPE);
  const dir = await Deno.makeTempDir({ prefix: "sqlite_tape_test_" });
  try {
    const path = `${dir}/hand.sqlite`;
    assert.equal(await writeSqliteTape(path, events), events.length);
    for (const blockSize of [1, 4, 65536]) {
      const lines = await readLines(sqliteBlockSource(path, { blockSize }));
      assert.equal(lines.join("\n") + "\n", HAND_TAPE);
    }
    // The table is plain SQL: a reader can query it directly.
    const db = new DatabaseSync(path, { readOnly: true });
    try {
      const row = db.prepare(
        "SELECT e.ts, k.name, e.market, e.i0, e.i1, e.i2 FROM tape_events e " +
          "JOIN tape_kinds k ON k.code = e.kind WHERE e.row = 9",
      ).get() as Record<string, unknown>;
      assert.deepEqual({ ...row }, {
        ts: 1003,
        name: "book_delta",
        market: "KXT-E1-B1",
        i0: 4300,
        i1: -200,
        i2: 8,
      });
    } finally {
      db.close();
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sqlite tape: the 1-hour synthetic tape round-trips byte-identical; copies equal originals", async () => {
  const events = generateBtcTape({ seed: 1, hours: 1 });
  const dir = await Deno.makeTempDir({ prefix: "sqlite_tape_test_" });
  try {
    const path = `${dir}/syn.sqlite`;
    await writeSqliteTape(
      path,
      (async function* () {
        yield* events;
      })(),
    );
    const src = sqliteBlockSource(path, { blockSize: 5000 });
    const copies: TapeEvent[] = [];
    let lines = 0;
    for (let b = await src.nextBlock(); b !== null; b = await src.nextBlock()) {
      for (let i = 0; i < b.length; i++) {
        const ev = b.event(i);
        assert.equal(b.ts(i), ev.ts);
        assert.equal(b.line(i), copies.length + 1);
        copies.push(structuredClone(ev));
        lines++;
      }
    }
    assert.equal(lines, events.length);
    assert.deepEqual(copies, events);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("sqlite tape: strict fails at the bad row naming file, row and field; lenient drops it", async () => {
  const events = [...parseNdjsonText(HAND_TAPE, "hand.ndjson")];
  const broken = events.map((e, i) => i === 12 ? { ...e, market: "NOPE" } as TapeEvent : e);
  const dir = await Deno.makeTempDir({ prefix: "sqlite_tape_test_" });
  try {
    const path = `${dir}/broken.sqlite`;
    await writeSqliteTape(path, broken);
    const got: string[] = [];
    const src = sqliteBlockSource(path);
    await assert.rejects(
      (async () => {
        for (let b = await src.nextBlock(); b !== null; b = await src.nextBlock()) {
          for (let i = 0; i < b.length; i++) got.push(formatEventLine(b.event(i)));
        }
      })(),
      (e: unknown) => {
        assert.ok(e instanceof TapeError);
        assert.equal(e.file, path);
        assert.equal(e.line, 13);
        assert.equal(e.field, "market");
        return true;
      },
    );
    assert.equal(got.length, 12);
    const lenient = sqliteBlockSource(path, { strict: false });
    const lines = await readLines(lenient);
    assert.equal(lenient.anomalyCount(), 1);
    assert.deepEqual(lines, events.filter((_, i) => i !== 12).map(formatEventLine));

    // A damaged row: an unknown kind code.
    const db = new DatabaseSync(path);
    db.exec("UPDATE tape_events SET kind = 42 WHERE row = 3");
    db.close();
    await assert.rejects(readLines(sqliteBlockSource(path)), (e: unknown) => {
      assert.ok(e instanceof TapeError);
      assert.equal(e.line, 3);
      assert.equal(e.field, "kind");
      return true;
    });

    // Not a tape database.
    const other = `${dir}/other.sqlite`;
    const odb = new DatabaseSync(other);
    odb.exec("CREATE TABLE t (x)");
    odb.close();
    await assert.rejects(readLines(sqliteBlockSource(other)), (e: unknown) => {
      assert.ok(e instanceof TapeError);
      assert.match(e.message, /not a tape database/);
      return true;
    });
    await assert.rejects(readLines(sqliteBlockSource(`${dir}/missing.sqlite`)), TapeError);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
