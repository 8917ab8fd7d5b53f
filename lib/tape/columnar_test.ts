import assert from "node:assert/strict";
import { generateBtcTape } from "../synth/btc_tape.ts";
import type { EventBlock } from "./block.ts";
import {
  BLOCK_HEADER_BYTES,
  blockLayout,
  CHECKSUM_SEED,
  checksumWords,
  FILE_HEADER_BYTES,
  pad8,
} from "./columnar_format.ts";
import { columnarBlockSource, scanColumnarTs } from "./columnar_reader.ts";
import { ColumnarTapeWriter, FIRST_BLOCKS } from "./columnar_writer.ts";
import { TapeError } from "./errors.ts";
import type { TapeEvent } from "./events.ts";
import { parseNdjsonText } from "./ndjson_reader.ts";
import { formatEventLine } from "./ndjson_writer.ts";
import { HAND_TAPE } from "./test_fixtures.ts";

async function tempDir(): Promise<string> {
  return await Deno.makeTempDir({ prefix: "kxc_test_" });
}

async function writeKxc(path: string, events: Iterable<TapeEvent>, blockSize?: number) {
  const w = await ColumnarTapeWriter.create(path, { blockSize });
  for (const ev of events) await w.write(ev);
  await w.close();
}

/** Reads every event of a source as NDJSON lines (copies, so reuse cannot matter). */
async function readLines(
  src: { nextBlock(): Promise<EventBlock | null> },
): Promise<string[]> {
  const lines: string[] = [];
  for (let b = await src.nextBlock(); b !== null; b = await src.nextBlock()) {
    for (let i = 0; i < b.length; i++) lines.push(formatEventLine(b.event(i)));
  }
  return lines;
}

async function expectTapeError(
  p: Promise<unknown>,
  check: (e: TapeError) => void,
): Promise<void> {
  try {
    await p;
  } catch (e) {
    assert.ok(e instanceof TapeError, `expected TapeError, got ${e}`);
    check(e);
    return;
  }
  assert.fail("expected a TapeError");
}

Deno.test("columnar: the hand-built tape round-trips byte-identical, in 1, 3 and 64-event blocks", async () => {
  const events = [...parseNdjsonText(HAND_TAPE, "hand.ndjson")];
  assert.equal(events.map(formatEventLine).join("\n") + "\n", HAND_TAPE); // fixture is canonical
  const dir = await tempDir();
  try {
    for (const bs of [1, 3, 64]) {
      const path = `${dir}/hand_${bs}.kxc`;
      await writeKxc(path, events, bs);
      const lines = await readLines(columnarBlockSource(path));
      assert.equal(lines.join("\n") + "\n", HAND_TAPE);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Blocks the writer makes of n events: the first two at most FIRST_BLOCKS, then blockSize each. */
function blocksOf(n: number, blockSize: number): number {
  let blocks = 0;
  for (let left = n; left > 0; blocks++) {
    left -= Math.min(blockSize, FIRST_BLOCKS[blocks] ?? blockSize);
  }
  return blocks;
}

Deno.test("columnar: the writer's first two blocks are small, so a reader's first events come early", async () => {
  const events = generateBtcTape({ seed: 1, hours: 1 });
  assert.ok(events.length > 4096 + 16_384, `tape of ${events.length} events`);
  const dir = await tempDir();
  try {
    const path = `${dir}/syn.kxc`;
    await writeKxc(path, events);
    const src = columnarBlockSource(path);
    const lengths: number[] = [];
    for (let b = await src.nextBlock(); b !== null; b = await src.nextBlock()) {
      lengths.push(b.length);
    }
    assert.deepEqual(lengths, [4096, 16_384, events.length - 4096 - 16_384]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("columnar: the 1-hour synthetic tape round-trips byte-identical (one and many blocks)", async () => {
  const events = generateBtcTape({ seed: 1, hours: 1 });
  const want = events.map(formatEventLine);
  const dir = await tempDir();
  try {
    for (const bs of [undefined, 1000]) {
      const path = `${dir}/syn.kxc`;
      await writeKxc(path, events, bs);
      const src = columnarBlockSource(path);
      const got = await readLines(src);
      assert.equal(got.length, want.length);
      assert.deepEqual(got, want);
      assert.equal(src.anomalyCount(), 0);
      assert.equal(src.blocks, blocksOf(events.length, bs ?? 65_536));
      const scan = await scanColumnarTs(path);
      assert.equal(scan.events, events.length);
      assert.equal(scan.firstTs, events[0].ts);
      assert.equal(scan.lastTs, events[events.length - 1].ts);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("columnar: hot kinds are reused objects, copies taken at once equal the originals", async () => {
  const events = [...parseNdjsonText(HAND_TAPE, "hand.ndjson")];
  const dir = await tempDir();
  try {
    const path = `${dir}/hand.kxc`;
    await writeKxc(path, events, 7);
    const src = columnarBlockSource(path);
    const copies: TapeEvent[] = [];
    const refs: TapeEvent[] = [];
    for (let b = await src.nextBlock(); b !== null; b = await src.nextBlock()) {
      for (let i = 0; i < b.length; i++) {
        const ev = b.event(i);
        assert.equal(b.ts(i), ev.ts);
        refs.push(ev);
        copies.push(structuredClone(ev));
      }
    }
    assert.deepEqual(copies, events);
    // Column-encoded book deltas share one object; metadata and snapshots are fresh.
    const deltas = refs.filter((e, i) => e.kind === "book_delta" && i < 9);
    assert.ok(deltas.length >= 1);
    const trades = refs.filter((e) => e.kind === "trade");
    assert.equal(trades.length, 2);
    const markets = refs.filter((e) => e.kind === "market");
    assert.notEqual(markets[0], markets[1]);
    assert.deepEqual(markets, events.filter((e) => e.kind === "market"));
    const snaps = refs.filter((e) => e.kind === "book_snapshot");
    assert.deepEqual(snaps, events.filter((e) => e.kind === "book_snapshot"));
    // The retained references of the reused underlying object all show the last value.
    const unders = refs.filter((e) => e.kind === "underlying");
    assert.equal(unders[0], unders[1]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("columnar: line() numbers rows from 1 across blocks", async () => {
  const events = [...parseNdjsonText(HAND_TAPE, "hand.ndjson")];
  const dir = await tempDir();
  try {
    const path = `${dir}/hand.kxc`;
    await writeKxc(path, events, 5);
    const src = columnarBlockSource(path);
    const lines: number[] = [];
    for (let b = await src.nextBlock(); b !== null; b = await src.nextBlock()) {
      for (let i = 0; i < b.length; i++) lines.push(b.line(i));
    }
    assert.deepEqual(lines, events.map((_, i) => i + 1));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Recomputes the checksum of the block starting at `off` after an edit. */
function rechecksum(bytes: Uint8Array, off: number): void {
  const dv = new DataView(bytes.buffer, off);
  const payloadLen = dv.getUint32(8, true);
  const head = new Int32Array(bytes.buffer.slice(off, off + 28));
  const payload = new Int32Array(bytes.buffer.slice(off + 32, off + 32 + payloadLen));
  let h = checksumWords(head, 0, 7, CHECKSUM_SEED);
  h = checksumWords(payload, 0, payload.length, h);
  dv.setUint32(28, h, true);
}

/** Offset of the first block of a .kxc file. */
function firstBlock(bytes: Uint8Array): number {
  const jsonLen = new DataView(bytes.buffer).getUint32(12, true);
  return FILE_HEADER_BYTES + pad8(jsonLen);
}

Deno.test("columnar: damaged files are TapeErrors naming the file, row or block, and field", async () => {
  const events = [...parseNdjsonText(HAND_TAPE, "hand.ndjson")];
  const dir = await tempDir();
  try {
    const path = `${dir}/hand.kxc`;
    await writeKxc(path, events, 8);
    const good = await Deno.readFile(path);
    const bad = `${dir}/bad.kxc`;
    const readAll = () => readLines(columnarBlockSource(bad));

    // Bad magic.
    let b = good.slice();
    b[0] = 0x58;
    await Deno.writeFile(bad, b);
    await expectTapeError(readAll(), (e) => {
      assert.equal(e.file, bad);
      assert.equal(e.field, "(header)");
      assert.match(e.message, /bad magic/);
    });

    // Unsupported version.
    b = good.slice();
    b[8] = 9;
    await Deno.writeFile(bad, b);
    await expectTapeError(readAll(), (e) => assert.match(e.message, /unsupported format version/));

    // Truncated inside a block, and with the end marker missing.
    await Deno.writeFile(bad, good.slice(0, good.length - 100));
    await expectTapeError(readAll(), (e) => {
      assert.equal(e.field, "(block)");
      assert.match(e.message, /truncated/);
      assert.equal(e.line, 17); // the third block starts at row 17
    });
    await Deno.writeFile(bad, good.slice(0, good.length - BLOCK_HEADER_BYTES));
    await expectTapeError(readAll(), (e) => assert.match(e.message, /end marker is missing/));

    // A flipped byte in the second block's payload: checksum mismatch.
    const off1 = firstBlock(good);
    const len1 = new DataView(good.buffer).getUint32(off1 + 8, true);
    const off2 = off1 + BLOCK_HEADER_BYTES + len1;
    b = good.slice();
    b[off2 + BLOCK_HEADER_BYTES + 3] ^= 0x10;
    await Deno.writeFile(bad, b);
    await expectTapeError(readAll(), (e) => {
      assert.equal(e.field, "(block)");
      assert.equal(e.line, 9);
      assert.match(e.message, /block 2 .*checksum mismatch/);
    });

    // An unknown kind code (checksum made valid): the row is named.
    const lay = blockLayout(8, new DataView(good.buffer).getUint32(off2 + 24, true));
    b = good.slice();
    b[off2 + BLOCK_HEADER_BYTES + lay.kind + 2] = 42;
    rechecksum(b, off2);
    await Deno.writeFile(bad, b);
    await expectTapeError(readAll(), (e) => {
      assert.equal(e.field, "kind");
      assert.equal(e.line, 11);
      assert.match(e.message, /unknown kind code, current value is 42/);
    });

    // A dictionary id out of range on row 9 (a column-encoded book_delta).
    b = good.slice();
    new DataView(b.buffer).setUint32(off2 + BLOCK_HEADER_BYTES + lay.id + 0, 99, true);
    rechecksum(b, off2);
    await Deno.writeFile(bad, b);
    await expectTapeError(readAll(), (e) => {
      assert.equal(e.field, "market");
      assert.equal(e.line, 9);
      assert.match(e.message, /dictionary id out of range/);
    });

    // Not found: the OS error, naming the path.
    await assert.rejects(
      readLines(columnarBlockSource(`${dir}/missing.kxc`)),
      Deno.errors.NotFound,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("columnar: strict stops at the first invalid row after delivering the rows before it; lenient drops it", async () => {
  const events = [...parseNdjsonText(HAND_TAPE, "hand.ndjson")];
  // The writer stores what it is given: make row 15 go back in time.
  const broken = events.map((e, i) => i === 14 ? { ...e, ts: 999 } as TapeEvent : e);
  const dir = await tempDir();
  try {
    const path = `${dir}/broken.kxc`;
    await writeKxc(path, broken, 64);
    const src = columnarBlockSource(path);
    const got: string[] = [];
    await expectTapeError(
      (async () => {
        for (let b = await src.nextBlock(); b !== null; b = await src.nextBlock()) {
          for (let i = 0; i < b.length; i++) got.push(formatEventLine(b.event(i)));
        }
      })(),
      (e) => {
        assert.equal(e.file, path);
        assert.equal(e.line, 15);
        assert.equal(e.field, "ts");
      },
    );
    assert.equal(got.length, 14);

    const lenient = columnarBlockSource(path, { strict: false, name: "named.kxc" });
    const lines = await readLines(lenient);
    assert.equal(lenient.anomalyCount(), 1);
    assert.equal(lenient.validator.anomalies[0].line, 15);
    assert.equal(lenient.validator.anomalies[0].file, "named.kxc");
    const want = events.filter((_, i) => i !== 14).map(formatEventLine);
    assert.deepEqual(lines, want);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("columnar: lenient mode skips a block whose every row is dropped", async () => {
  const events = [...parseNdjsonText(HAND_TAPE, "hand.ndjson")];
  // Rows 6..7 (one block of 2) reference a market that was never declared.
  const broken = events.map((e, i) =>
    i === 5 || i === 6 ? { ...e, market: "NOPE" } as TapeEvent : e
  );
  const dir = await tempDir();
  try {
    const path = `${dir}/broken.kxc`;
    await writeKxc(path, broken, 2);
    const src = columnarBlockSource(path, { strict: false });
    const lines: string[] = [];
    let lengths = 0;
    for (let b = await src.nextBlock(); b !== null; b = await src.nextBlock()) {
      assert.ok(b.length > 0);
      lengths += b.length;
      for (let i = 0; i < b.length; i++) lines.push(formatEventLine(b.event(i)));
    }
    // The delta at row 9 (seq 8) follows the dropped snapshot at row 7: a recorded seq problem.
    assert.ok(src.anomalyCount() >= 2);
    assert.equal(lengths, events.length - 2);
    assert.equal(lines[5], HAND_TAPE.split("\n")[7]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("columnar writer: rejects a bad block size and non-finite aux numbers", async () => {
  const dir = await tempDir();
  try {
    await assert.rejects(
      ColumnarTapeWriter.create(`${dir}/x.kxc`, { blockSize: 0 }),
      RangeError,
    );
    const w = await ColumnarTapeWriter.create(`${dir}/x.kxc`);
    assert.throws(
      () =>
        w.write({
          kind: "series",
          ts: 1,
          series: "S",
          feeType: "quadratic",
          feeMultiplier: NaN,
        }),
      RangeError,
    );
    await w.close();
    assert.deepEqual(await readLines(columnarBlockSource(`${dir}/x.kxc`)), []);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

// ------------------------------------------------------ worker vs. calling thread

/** Everything a consumer can observe of a source, read to its end or its error. */
interface Observed {
  lines: string[];
  rows: number[];
  tsOk: boolean;
  slots: number[];
  error: { ctor: string; message: string; file?: string; line?: number; field?: string } | null;
  anomalyCount: number;
  anomalies: unknown[];
  blocks: number;
  markets: readonly string[];
  symbols: readonly string[];
  header: unknown;
}

async function observe(path: string, options: Parameters<typeof columnarBlockSource>[1]) {
  const src = columnarBlockSource(path, options);
  const o: Observed = {
    lines: [],
    rows: [],
    tsOk: true,
    slots: [],
    error: null,
    anomalyCount: 0,
    anomalies: [],
    blocks: 0,
    markets: [],
    symbols: [],
    header: null,
  };
  try {
    for (let b = await src.nextBlock(); b !== null; b = await src.nextBlock()) {
      for (let i = 0; i < b.length; i++) {
        const ev = b.event(i);
        if (b.ts(i) !== ev.ts) o.tsOk = false;
        o.lines.push(formatEventLine(ev));
        o.rows.push(b.line(i));
        o.slots.push(b.slot!(i));
      }
    }
  } catch (e) {
    const t = e as TapeError;
    o.error = {
      ctor: (e as Error).constructor.name,
      message: (e as Error).message,
      file: t.file,
      line: t.line,
      field: t.field,
    };
  }
  // After the end or an error, the source stays finished.
  assert.equal(await src.nextBlock(), null);
  o.anomalyCount = src.anomalyCount();
  o.anomalies = src.validator.anomalies.slice();
  o.blocks = src.blocks;
  o.markets = src.markets.slice();
  o.symbols = src.symbols.slice();
  o.header = src.header;
  src.close();
  return o;
}

/** Reads `path` in both modes and checks that they agree; returns what was seen. */
async function crossCheck(path: string, strict = true): Promise<Observed> {
  const w = await observe(path, { strict, worker: true });
  const s = await observe(path, { strict, worker: false });
  assert.deepEqual(w, s);
  assert.ok(w.tsOk);
  return w;
}

Deno.test("columnar: worker and calling-thread modes yield the same events, slots, anomalies and errors", async () => {
  const events = [...parseNdjsonText(HAND_TAPE, "hand.ndjson")];
  const dir = await tempDir();
  try {
    assert.equal(columnarBlockSource("x.kxc", { worker: false }).worker, false);
    assert.equal(columnarBlockSource("x.kxc", { worker: true }).worker, true);
    for (const bs of [1, 3, 8, 64]) {
      const path = `${dir}/hand_${bs}.kxc`;
      await writeKxc(path, events, bs);
      const o = await crossCheck(path);
      assert.equal(o.lines.join("\n") + "\n", HAND_TAPE);
      assert.equal(o.error, null);
    }
    const syn = generateBtcTape({ seed: 1, hours: 1 });
    await writeKxc(`${dir}/syn.kxc`, syn, 1000);
    const o = await crossCheck(`${dir}/syn.kxc`);
    assert.equal(o.lines.length, syn.length);

    // Damaged files: the same error (class, message, row, field) after the same rows.
    const good = await Deno.readFile(`${dir}/hand_8.kxc`);
    const off1 = firstBlock(good);
    const off2 = off1 + BLOCK_HEADER_BYTES + new DataView(good.buffer).getUint32(off1 + 8, true);
    const lay = blockLayout(8, new DataView(good.buffer).getUint32(off2 + 24, true));
    const damage: [string, (b: Uint8Array) => Uint8Array][] = [
      ["magic", (b) => (b[0] = 0x58, b)],
      ["version", (b) => (b[8] = 9, b)],
      ["truncated", (b) => b.slice(0, b.length - 100)],
      ["no end marker", (b) => b.slice(0, b.length - BLOCK_HEADER_BYTES)],
      ["checksum", (b) => (b[off2 + BLOCK_HEADER_BYTES + 3] ^= 0x10, b)],
      ["kind", (b) => (b[off2 + BLOCK_HEADER_BYTES + lay.kind + 2] = 42, rechecksum(b, off2), b)],
      ["id", (b) => {
        new DataView(b.buffer).setUint32(off2 + BLOCK_HEADER_BYTES + lay.id, 99, true);
        rechecksum(b, off2);
        return b;
      }],
    ];
    for (const [what, hurt] of damage) {
      const path = `${dir}/bad_${what.replaceAll(" ", "_")}.kxc`;
      await Deno.writeFile(path, hurt(good.slice()));
      const o = await crossCheck(path);
      assert.ok(o.error !== null, what);
      assert.equal(o.error.ctor, "TapeError", what);
    }
    // close() while a nextBlock() waits for the worker: that call returns null.
    const src = columnarBlockSource(`${dir}/syn.kxc`, { worker: true });
    const pending = src.nextBlock();
    src.close();
    assert.equal(await pending, null);
    assert.equal(await src.nextBlock(), null);
    // The same when the block was already posted (the thread reads ahead while
    // the caller waits): the call finds it without waiting, and returns null.
    const ahead = columnarBlockSource(`${dir}/syn.kxc`, { worker: true });
    assert.notEqual(await ahead.nextBlock(), null);
    await new Promise((r) => setTimeout(r, 100));
    const ready = ahead.nextBlock();
    ahead.close();
    assert.equal(await ready, null);
    const missing = await crossCheck(`${dir}/missing.kxc`);
    assert.equal(missing.error?.ctor, "NotFound");

    // Validator errors: strict stops after the rows before; lenient counts and drops.
    const back = events.map((e, i) => i === 14 ? { ...e, ts: 999 } as TapeEvent : e);
    await writeKxc(`${dir}/back.kxc`, back, 4);
    const strict = await crossCheck(`${dir}/back.kxc`);
    assert.equal(strict.lines.length, 14);
    assert.equal(strict.error?.line, 15);
    const lenient = await crossCheck(`${dir}/back.kxc`, false);
    assert.equal(lenient.anomalyCount, 1);
    assert.equal(lenient.lines.length, events.length - 1);
    const nope = events.map((e, i) =>
      i === 5 || i === 6 ? { ...e, market: "NOPE" } as TapeEvent : e
    );
    await writeKxc(`${dir}/nope.kxc`, nope, 2);
    const dropped = await crossCheck(`${dir}/nope.kxc`, false);
    assert.ok(dropped.anomalyCount >= 2);
    assert.equal(dropped.lines.length, events.length - 2);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("columnar: slot(i) names each market and symbol by one small id for the whole source", async () => {
  const events = generateBtcTape({ seed: 1, hours: 1 });
  const dir = await tempDir();
  try {
    const path = `${dir}/syn.kxc`;
    await writeKxc(path, events, 777);
    for (const worker of [true, false]) {
      const src = columnarBlockSource(path, { worker });
      const byName = new Map<string, number>();
      const byKind = new Map<string, number>();
      for (let b = await src.nextBlock(); b !== null; b = await src.nextBlock()) {
        for (let i = 0; i < b.length; i++) {
          const ev = b.event(i);
          const s = b.slot!(i);
          byKind.set(ev.kind, (byKind.get(ev.kind) ?? 0) + 1);
          const name: string | null = ev.kind === "underlying"
            ? `symbol:${ev.symbol}`
            : "market" in ev
            ? `market:${ev.market}`
            : null;
          if (name === null) {
            assert.equal(s, -1, ev.kind);
            continue;
          }
          assert.ok(Number.isInteger(s) && s >= 0, `${ev.kind} slot ${s}`);
          const had = byName.get(name);
          if (had === undefined) byName.set(name, s);
          else assert.equal(s, had, name);
        }
      }
      // One id per name, distinct across markets and symbols, small.
      const ids = [...byName.values()];
      assert.equal(new Set(ids).size, ids.length);
      assert.ok(Math.max(...ids) < ids.length + 1);
      assert.ok((byKind.get("underlying") ?? 0) > 0 && (byKind.get("book_delta") ?? 0) > 0);
    }
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("columnar: a reader stopped early, closed, failed or kept idle never keeps the process alive", async () => {
  const dir = await tempDir();
  try {
    const events = [...parseNdjsonText(HAND_TAPE, "hand.ndjson")];
    await writeKxc(`${dir}/hand.kxc`, events, 1);
    const back = events.map((e, i) => i === 14 ? { ...e, ts: 999 } as TapeEvent : e);
    await writeKxc(`${dir}/back.kxc`, back, 1);
    const reader = new URL("./columnar_reader.ts", import.meta.url).href;
    const script = `${dir}/stop.ts`;
    await Deno.writeTextFile(
      script,
      `import { columnarBlockSource } from ${JSON.stringify(reader)};
// 1. Abandoned after one block (no close): the worker waits for a buffer back.
const a = columnarBlockSource(${JSON.stringify(`${dir}/hand.kxc`)}, { worker: true });
const b = await a.nextBlock();
if (b === null || b.length !== 1) throw new Error("no first block");
// 2. Closed in the middle.
const c = columnarBlockSource(${JSON.stringify(`${dir}/hand.kxc`)}, { worker: true });
await c.nextBlock();
await c.nextBlock();
c.close();
if ((await c.nextBlock()) !== null) throw new Error("block after close");
// 3. Stopped by a strict error.
const d = columnarBlockSource(${JSON.stringify(`${dir}/back.kxc`)}, { worker: true });
let rows = 0;
try {
  for (let x = await d.nextBlock(); x !== null; x = await d.nextBlock()) rows += x.length;
  throw new Error("no error");
} catch (e) {
  if (!String(e).includes(":15:")) throw e;
}
// 4. Read to its end: its thread is kept idle for the next reader.
const e = columnarBlockSource(${JSON.stringify(`${dir}/hand.kxc`)}, { worker: true });
for (let x = await e.nextBlock(); x !== null; x = await e.nextBlock()) rows += x.length;
console.log("done", rows);
`,
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["run", "--no-config", "--allow-read", script],
      stdout: "piped",
      stderr: "piped",
      signal: AbortSignal.timeout(60_000),
    }).output();
    const text = new TextDecoder().decode(out.stdout) + new TextDecoder().decode(out.stderr);
    assert.equal(out.code, 0, text);
    assert.match(text, new RegExp(`done ${14 + events.length}\\b`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
