import assert from "node:assert/strict";
import { generateBtcTape } from "../synth/btc_tape.ts";
import type { BlockSource } from "./block.ts";
import { columnarBlockSource } from "./columnar_reader.ts";
import { ColumnarTapeWriter } from "./columnar_writer.ts";
import type { TapeEvent } from "./events.ts";
import { parseNdjsonText } from "./ndjson_reader.ts";
import { ndjsonBlockSource } from "./ndjson_source.ts";
import { formatEventLine, writeNdjsonFile } from "./ndjson_writer.ts";
import {
  closeIdleReaderThreads,
  idleReaderThreads,
  MAX_IDLE_PER_MODULE,
} from "./reader_threads.ts";
import { HAND_TAPE } from "./test_fixtures.ts";

const COLUMNAR = new URL("./columnar_worker.ts", import.meta.url);
const NDJSON = new URL("./ndjson_worker.ts", import.meta.url);

/** What a reader delivered: every event as a line with its row and slot, and the error and anomaly count. */
async function drain(
  src: BlockSource,
): Promise<{ lines: string[]; error: string; anomalies: number }> {
  const lines: string[] = [];
  let error = "";
  try {
    for (let b = await src.nextBlock(); b !== null; b = await src.nextBlock()) {
      for (let i = 0; i < b.length; i++) {
        lines.push(`${b.line(i)} ${b.slot?.(i)} ${formatEventLine(b.event(i))}`);
      }
    }
  } catch (e) {
    error = String(e);
  }
  return { lines, error, anomalies: src.anomalyCount() };
}

/** A drained line without its slot (the calling-thread NDJSON source has none). */
function noSlot(line: string): string {
  const [row, , ...rest] = line.split(" ");
  return [row, ...rest].join(" ");
}

async function writeKxc(path: string, events: Iterable<TapeEvent>, blockSize: number) {
  const w = await ColumnarTapeWriter.create(path, { blockSize });
  for (const ev of events) await w.write(ev);
  await w.close();
}

Deno.test("reader threads: a columnar reader's thread is kept when its file ends and serves the next file as a new one would", async () => {
  await closeIdleReaderThreads();
  const dir = await Deno.makeTempDir({ prefix: "reader_threads_test_" });
  try {
    const hand = [...parseNdjsonText(HAND_TAPE, "hand.ndjson")];
    const syn = generateBtcTape({ seed: 1, hours: 1 });
    // A file whose 15th row goes back in time: an error (strict) or an anomaly (lenient).
    const back = hand.map((e, i) => i === 14 ? { ...e, ts: 999 } as TapeEvent : e);
    await writeKxc(`${dir}/syn.kxc`, syn, 1000);
    await writeKxc(`${dir}/hand.kxc`, hand, 3);
    await writeKxc(`${dir}/back.kxc`, back, 4);
    const fresh = async (path: string, strict = true) =>
      await drain(columnarBlockSource(path, { worker: false, strict }));

    // The first file starts a thread; at its end the thread is kept.
    assert.equal(idleReaderThreads(COLUMNAR), 0);
    const a = await drain(columnarBlockSource(`${dir}/syn.kxc`));
    assert.deepEqual(a, await fresh(`${dir}/syn.kxc`));
    assert.equal(idleReaderThreads(COLUMNAR), 1);

    // The next source takes it (none idle while it reads) and gives it back.
    const src = columnarBlockSource(`${dir}/hand.kxc`);
    const first = await src.nextBlock();
    assert.ok(first !== null);
    assert.equal(idleReaderThreads(COLUMNAR), 0);
    src.close();
    // Closed before its end: that thread is terminated, not kept.
    assert.equal(idleReaderThreads(COLUMNAR), 0);

    // Files read one after another on reused threads: nothing of one file
    // (dictionaries, slots, rows, anomalies, errors) reaches the next.
    for (
      const [path, strict] of [
        [`${dir}/hand.kxc`, true],
        [`${dir}/back.kxc`, true],
        [`${dir}/back.kxc`, false],
        [`${dir}/syn.kxc`, true],
        [`${dir}/hand.kxc`, false],
      ] as const
    ) {
      const got = await drain(columnarBlockSource(path, { strict }));
      assert.deepEqual(got, await fresh(path, strict), `${path} strict ${strict}`);
      // Ended, by its end or by its error: the thread is kept.
      assert.equal(idleReaderThreads(COLUMNAR), 1, path);
    }
    const strictBack = await drain(columnarBlockSource(`${dir}/back.kxc`));
    assert.match(strictBack.error, /:15:/);
    assert.equal(strictBack.lines.length, 14);

    // Three readers at once: three threads; at most MAX_IDLE_PER_MODULE are kept.
    const three = [1, 2, 3].map(() => columnarBlockSource(`${dir}/syn.kxc`));
    const results = await Promise.all(three.map((s) => drain(s)));
    for (const r of results) assert.deepEqual(r, a);
    assert.equal(idleReaderThreads(COLUMNAR), MAX_IDLE_PER_MODULE);

    await closeIdleReaderThreads();
    assert.equal(idleReaderThreads(), 0);
    // After closing them, a reader starts a new thread.
    assert.deepEqual(await drain(columnarBlockSource(`${dir}/syn.kxc`)), a);
    assert.equal(idleReaderThreads(COLUMNAR), 1);
  } finally {
    await closeIdleReaderThreads();
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("reader threads: an NDJSON reader's thread is reused the same way", async () => {
  await closeIdleReaderThreads();
  const dir = await Deno.makeTempDir({ prefix: "reader_threads_test_" });
  try {
    const syn = generateBtcTape({ seed: 2, hours: 1 });
    await writeNdjsonFile(`${dir}/syn.ndjson`, syn);
    await Deno.writeTextFile(`${dir}/hand.ndjson`, HAND_TAPE);
    const lines = HAND_TAPE.split("\n");
    lines[14] = lines[14].replace('"ts":1005', '"ts":999');
    await Deno.writeTextFile(`${dir}/back.ndjson`, lines.join("\n"));
    const files = [
      [`${dir}/syn.ndjson`, true],
      [`${dir}/back.ndjson`, true],
      [`${dir}/hand.ndjson`, true],
      [`${dir}/back.ndjson`, false],
      [`${dir}/syn.ndjson`, true],
    ] as const;
    const read = async (path: string, strict: boolean) =>
      await drain(ndjsonBlockSource(path, { worker: true, strict, blockBytes: 4096 }));
    // Each file on a thread of its own ...
    const alone = [];
    for (const [path, strict] of files) {
      await closeIdleReaderThreads();
      const got = await read(path, strict);
      const sync = await drain(
        ndjsonBlockSource(path, { worker: false, strict, blockBytes: 4096 }),
      );
      assert.deepEqual(got.lines.map(noSlot), sync.lines.map(noSlot), path);
      assert.deepEqual([got.error, got.anomalies], [sync.error, sync.anomalies], path);
      alone.push(got);
      assert.equal(idleReaderThreads(NDJSON), 1, path);
    }
    assert.match(alone[1].error, /:15:/);
    assert.equal(alone[3].anomalies, 1);
    // ... and all on one thread, one after another: the same, slots included.
    await closeIdleReaderThreads();
    for (let k = 0; k < files.length; k++) {
      const [path, strict] = files[k];
      assert.deepEqual(await read(path, strict), alone[k], `${path} strict ${strict}`);
      assert.equal(idleReaderThreads(NDJSON), 1, path);
    }
  } finally {
    await closeIdleReaderThreads();
    await Deno.remove(dir, { recursive: true });
  }
});
