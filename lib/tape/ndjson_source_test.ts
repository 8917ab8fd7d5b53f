import assert from "node:assert/strict";
import { generateBtcTape } from "../synth/btc_tape.ts";
import { writeWorkload } from "../../bench/kx_replay/workload.ts";
import type { EventBlock } from "./block.ts";
import { TapeError } from "./errors.ts";
import type { TapeEvent } from "./events.ts";
import { NdjsonTapeParser, parseNdjsonText } from "./ndjson_reader.ts";
import {
  NDJSON_WORKER_BUFFERS,
  ndjsonBlockSource,
  type NdjsonSourceOptions,
  Utf8StreamDecoder,
  WORKER_MIN_BYTES,
} from "./ndjson_source.ts";
import { formatEventLine } from "./ndjson_writer.ts";

/** Both modes: the worker pipeline (default) and the calling thread. */
const MODES = [{ worker: true }, { worker: false }] as const;

const M = "KXHIGHNY-26JAN05-B40.5";
const HEADER = [
  '{"ts":1000,"type":"series","series":"KXHIGHNY","fee_type":"quadratic","fee_multiplier":1}',
  '{"ts":1000,"type":"event","event":"KXHIGHNY-26JAN05","series":"KXHIGHNY","mutually_exclusive":true}',
  `{"ts":1000,"type":"market","market":"${M}","event":"KXHIGHNY-26JAN05","strike_type":"between","floor_strike":40,"cap_strike":41,"open_ts":1000,"close_ts":90000}`,
  `{"ts":2000,"type":"book_snapshot","market":"${M}","seq":1,"yes":[["0.30","5.00"]],"no":[["0.60","5.00"]]}`,
];

/** A tape of `n` deltas with multi-byte symbols sprinkled in (to split characters across chunks). */
function bodyLines(n: number): string[] {
  const lines: string[] = [];
  for (let i = 0; i < n; i++) {
    lines.push(
      `{"ts":${3000 + i},"type":"book_delta","market":"${M}","seq":${
        i + 2
      },"side":"yes","price":"0.${1000 + (i % 50) * 10}","delta":"1.00"}`,
    );
    if (i % 7 === 0) {
      lines.push(`{"ts":${3000 + i},"type":"underlying","symbol":"Ωmega–€𝄞","value":${i}}`);
    }
  }
  return lines;
}

async function withFile<T>(content: string | Uint8Array, f: (path: string) => Promise<T>) {
  const path = await Deno.makeTempFile({ suffix: ".ndjson" });
  try {
    if (typeof content === "string") await Deno.writeTextFile(path, content);
    else await Deno.writeFile(path, content);
    return await f(path);
  } finally {
    await Deno.remove(path);
  }
}

interface Drained {
  events: TapeEvent[];
  lines: number[];
  blocks: number;
}

async function drain(
  path: string,
  options: Parameters<typeof ndjsonBlockSource>[1] = {},
): Promise<Drained> {
  const src = ndjsonBlockSource(path, options);
  const out: Drained = { events: [], lines: [], blocks: 0 };
  for (let b: EventBlock | null = await src.nextBlock(); b !== null; b = await src.nextBlock()) {
    out.blocks++;
    assert.ok(b.length > 0, "no empty blocks");
    for (let i = 0; i < b.length; i++) {
      // Copies: the worker mode hands out reused objects for hot kinds.
      out.events.push(structuredClone(b.event(i)));
      out.lines.push(b.line(i));
      assert.equal(b.ts(i), b.event(i).ts);
    }
  }
  assert.equal(await src.nextBlock(), null, "stays at the end");
  return out;
}

/** Events and line numbers as the string parser sees them. */
function expected(text: string, strict = true): { events: TapeEvent[]; lines: number[] } {
  const lines: number[] = [];
  const p = new NdjsonTapeParser("x", { strict });
  const orig = p.parseLineIn.bind(p);
  p.parseLineIn = (text: string, from: number, to: number, n: number) => {
    const ev = orig(text, from, to, n);
    if (ev !== null) lines.push(n);
    return ev;
  };
  return { events: [...parseNdjsonText(text, "x", { strict }, p)], lines };
}

Deno.test("blocks equal the string parser: CRLF, blanks, BOM, no final newline, tiny chunks", async () => {
  const lines = [...HEADER, "", "   ", ...bodyLines(3000)];
  const text = "\ufeff" + lines.join("\r\n"); // no final newline
  const want = expected(text);
  await withFile(text, async (path) => {
    for (const mode of MODES) {
      for (const blockBytes of [1, 7, 64, 1000, 4096, undefined]) {
        const got = await drain(path, { blockBytes, ...mode });
        const what = `blockBytes ${blockBytes}, worker ${mode.worker}`;
        assert.equal(got.events.length, want.events.length, what);
        assert.deepEqual(got.events, want.events, what);
        assert.deepEqual(got.lines, want.lines, what);
        // One block for the chunk, one for the final line without a terminator.
        if (blockBytes === undefined) assert.equal(got.blocks, 2);
        if (blockBytes === 4096) {
          const size = new TextEncoder().encode(text).length;
          assert.ok(got.blocks <= Math.ceil(size / 4096) + 1, `${got.blocks} blocks`);
          assert.ok(got.blocks > 10);
        }
      }
    }
  });
});

Deno.test("LF endings with a final newline, and an empty file", async () => {
  const text = [...HEADER, ...bodyLines(100)].join("\n") + "\n";
  for (const mode of MODES) {
    await withFile(text, async (path) => {
      const got = await drain(path, { blockBytes: 333, ...mode });
      assert.deepEqual(got.events, expected(text).events);
    });
    await withFile("", async (path) => {
      const got = await drain(path, mode);
      assert.equal(got.events.length, 0);
    });
  }
});

Deno.test("strict: the error names file, line and field; earlier events are delivered first", async () => {
  const lines = [...HEADER, ...bodyLines(50)];
  const badLine = lines.length + 1;
  lines.push(
    `{"ts":9999,"type":"trade","market":"${M}","price":"NaN","count":"1","taker_side":"yes"}`,
  );
  lines.push(...bodyLines(3).map((l) => l.replace('"ts":300', '"ts":1000')));
  await withFile(lines.join("\n"), async (path) => {
    for (const mode of MODES) {
      for (const options of [{}, { name: "shown.ndjson" }, { blockBytes: 100 }]) {
        const src = ndjsonBlockSource(path, { ...options, ...mode });
        let delivered = 0;
        let caught: unknown;
        try {
          for (let b = await src.nextBlock(); b !== null; b = await src.nextBlock()) {
            delivered += b.length;
          }
        } catch (e) {
          caught = e;
        }
        assert.ok(caught instanceof TapeError, String(caught));
        const file = "name" in options ? options.name : path;
        assert.equal(caught.file, file);
        assert.equal(caught.line, badLine);
        assert.equal(caught.field, "price");
        assert.ok(caught.message.startsWith(`${file}:${badLine}: field "price"`));
        assert.equal(delivered, badLine - 1);
        assert.equal(await src.nextBlock(), null);
      }
    }
  });
});

Deno.test("lenient: anomalies counted, bad lines skipped, line numbers keep the gaps", async () => {
  const lines = [
    ...HEADER, // 1-4
    "{not json", // 5
    `{"ts":3000,"type":"book_delta","market":"${M}","seq":5,"side":"yes","price":"0.30","delta":"1"}`, // 6 gap: kept
    '{"ts":10,"type":"underlying","symbol":"X","value":1}', // 7 backwards
    "", // 8
    '{"ts":3001,"type":"underlying","symbol":"X","value":1}', // 9
  ];
  const text = lines.join("\n");
  await withFile(text, async (path) => {
    for (const mode of MODES) {
      const src = ndjsonBlockSource(path, { strict: false, blockBytes: 50, ...mode });
      assert.equal(src.worker, mode.worker);
      const got: number[] = [];
      for (let b = await src.nextBlock(); b !== null; b = await src.nextBlock()) {
        for (let i = 0; i < b.length; i++) got.push(b.line(i));
      }
      assert.deepEqual(got, [1, 2, 3, 4, 6, 9]);
      assert.equal(src.anomalyCount(), 3);
      assert.deepEqual(src.parser.anomalies.map((a) => [a.line, a.field]), [
        [5, "(line)"],
        [6, "seq"],
        [7, "ts"],
      ]);
      assert.equal(src.parser.linesRead, 9);
      // Lines 6, 7 and 9 are in the writer's form (7 is then rejected by the validator).
      assert.equal(src.parser.linesInPlace, 3);
      assert.equal(src.parser.eventsRead, 6);
    }
  });
});

Deno.test("invalid UTF-8 is a TapeError on (line); a missing file rejects", async () => {
  const good = new TextEncoder().encode(HEADER.join("\n") + "\n");
  const bytes = new Uint8Array(good.length + 3);
  bytes.set(good);
  bytes.set([0xff, 0xfe, 0x0a], good.length);
  for (const mode of MODES) {
    await withFile(bytes, async (path) => {
      // The chunk holding the bad bytes starts at line 5 ("at or after this line").
      await assert.rejects(
        () => drain(path, { blockBytes: good.length, ...mode }),
        (e: unknown) => e instanceof TapeError && e.field === "(line)" && e.line === 5,
      );
    });
    await assert.rejects(
      () => drain("/nonexistent/dir/tape.ndjson", mode),
      Deno.errors.NotFound,
    );
  }
});

Deno.test("blockBytes must be a positive integer", () => {
  for (const mode of MODES) {
    assert.throws(() => ndjsonBlockSource("x", { blockBytes: 0, ...mode }), RangeError);
    assert.throws(() => ndjsonBlockSource("x", { blockBytes: 1.5, ...mode }), RangeError);
  }
});

// ------------------------------------------------------ worker vs. calling thread

/** Everything a consumer can observe of a source, read to its end or its error. */
interface Observed {
  events: TapeEvent[];
  lines: number[];
  blockLengths: number[];
  /** After each block: [linesRead, linesInPlace, eventsRead, anomalyCount, anomalies kept]. */
  counts: number[][];
  tsOk: boolean;
  error: { ctor: string; message: string; file?: string; line?: number; field?: string } | null;
  anomalyCount: number;
  anomalies: unknown[];
  linesRead: number;
  eventsRead: number;
}

async function observe(path: string, options: NdjsonSourceOptions): Promise<Observed> {
  const src = ndjsonBlockSource(path, options);
  assert.equal(src.worker, options.worker);
  const o: Observed = {
    events: [],
    lines: [],
    blockLengths: [],
    counts: [],
    tsOk: true,
    error: null,
    anomalyCount: 0,
    anomalies: [],
    linesRead: 0,
    eventsRead: 0,
  };
  const p = src.parser;
  try {
    for (let b = await src.nextBlock(); b !== null; b = await src.nextBlock()) {
      o.blockLengths.push(b.length);
      o.counts.push([
        p.linesRead,
        p.linesInPlace,
        p.eventsRead,
        p.anomalyCount,
        p.anomalies.length,
      ]);
      for (let i = 0; i < b.length; i++) {
        const ev = b.event(i);
        if (b.ts(i) !== ev.ts) o.tsOk = false;
        o.events.push(structuredClone(ev));
        o.lines.push(b.line(i));
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
  assert.equal(p.anomalyCount, o.anomalyCount);
  o.anomalies = p.anomalies.slice();
  o.linesRead = p.linesRead;
  o.eventsRead = p.eventsRead;
  src.close();
  return o;
}

/** Reads `path` in both modes and checks that they agree; returns what was seen. */
async function crossCheck(path: string, options: NdjsonSourceOptions = {}): Promise<Observed> {
  const w = await observe(path, { ...options, worker: true });
  const s = await observe(path, { ...options, worker: false });
  assert.deepEqual(w, s);
  assert.ok(w.tsOk);
  return w;
}

/** Lines 1-4 of tests/tape_bad_input_test.ts: a series, an event, a market, a snapshot at seq 7. */
const BAD_HEADER = [
  '{"ts":1000,"type":"series","series":"KXHIGHNY","fee_type":"quadratic","fee_multiplier":1}',
  '{"ts":1000,"type":"event","event":"KXHIGHNY-26JAN05","series":"KXHIGHNY","mutually_exclusive":true,"outcome_step":1}',
  `{"ts":1000,"type":"market","market":"${M}","event":"KXHIGHNY-26JAN05","strike_type":"between","floor_strike":40,"cap_strike":41,"open_ts":1000,"close_ts":50000}`,
  `{"ts":2000,"type":"book_snapshot","market":"${M}","seq":7,"yes":[["0.30","5.00"]],"no":[["0.60","5.00"]]}`,
];

const delta = (ts: number, seq: number, price = "0.31") =>
  `{"ts":${ts},"type":"book_delta","market":"${M}","seq":${seq},"side":"yes","price":"${price}","delta":"1.00"}`;

/** Good lines around one bad line, and what each mode must say about it. */
const BAD_CASES: { name: string; bad: string; field: string; keptInLenient: boolean }[] = [
  {
    name: "malformed line",
    bad: '{"ts":3000,"type":"trade",',
    field: "(line)",
    keptInLenient: false,
  },
  {
    name: "NaN price",
    bad:
      `{"ts":3000,"type":"trade","market":"${M}","price":"NaN","count":"1.00","taker_side":"yes"}`,
    field: "price",
    keptInLenient: false,
  },
  {
    name: "ts backwards",
    bad: '{"ts":1500,"type":"underlying","symbol":"BTC","value":97000}',
    field: "ts",
    keptInLenient: false,
  },
  {
    name: "unknown market",
    bad: `{"ts":3000,"type":"quote","market":"NOPE","yes_bid":"0.30","yes_ask":"0.40"}`,
    field: "market",
    keptInLenient: false,
  },
  { name: "seq gap", bad: delta(3000, 20), field: "seq", keptInLenient: true },
];

Deno.test("ndjson: worker and calling-thread modes agree on every bad-input case, strict and lenient", async () => {
  const before = [
    ...BAD_HEADER,
    delta(2500, 8),
    '{"ts":2600,"type":"underlying","symbol":"BTC","value":97000.25}',
    `{"ts":2700,"type":"trade","market":"${M}","price":"0.31","count":"2.00","taker_side":"no"}`,
    `{"ts":2800,"type":"quote","market":"${M}","yes_bid":"0.30","yes_ask":"0.40","yes_bid_size":"5.00"}`,
    `{"ts":2900,"type":"lifecycle","market":"${M}","status":"open"}`,
  ];
  const after = [
    '{"ts":4000,"type":"underlying","symbol":"BTC","value":97001}',
    `{"ts":4100,"type":"lifecycle","market":"${M}","status":"closed"}`,
    `{"ts":4200,"type":"settlement","market":"${M}","result":"yes","expiration_value":40.5}`,
  ];
  const dir = await Deno.makeTempDir({ prefix: "ndjson_worker_test_" });
  try {
    for (const c of BAD_CASES) {
      const path = `${dir}/${c.name.replaceAll(" ", "_")}.ndjson`;
      const lines = [...before, c.bad, ...after];
      const badLine = before.length + 1;
      await Deno.writeTextFile(path, lines.join("\n") + "\n");
      for (const blockBytes of [64, 300, undefined]) {
        const strict = await crossCheck(path, { blockBytes });
        assert.equal(strict.error?.ctor, "TapeError", c.name);
        assert.equal(strict.error?.line, badLine, c.name);
        assert.equal(strict.error?.field, c.field, c.name);
        assert.ok(strict.error?.message.startsWith(`${path}:${badLine}: field "${c.field}"`));
        assert.equal(strict.events.length, before.length, c.name);
        assert.deepEqual(strict.lines, before.map((_, i) => i + 1));

        const lenient = await crossCheck(path, { blockBytes, strict: false, name: "shown" });
        assert.equal(lenient.error, null, c.name);
        assert.equal(lenient.anomalyCount, 1, c.name);
        assert.deepEqual(
          lenient.anomalies.map((a) => [(a as TapeError).file, (a as TapeError).line]),
          [["shown", badLine]],
        );
        const kept = c.keptInLenient ? 1 : 0;
        assert.equal(lenient.events.length, before.length + after.length + kept, c.name);
        assert.equal(lenient.linesRead, lines.length);
        assert.equal(lenient.eventsRead, lenient.events.length);
        if (!c.keptInLenient) assert.ok(!lenient.lines.includes(badLine));
        assert.deepEqual(
          lenient.events,
          [...parseNdjsonText(lines.join("\n"), "shown", { strict: false })],
        );
      }
    }
    // Invalid UTF-8, a missing file, a directory: the same errors in both modes.
    const good = new TextEncoder().encode(before.join("\n") + "\n");
    const bytes = new Uint8Array(good.length + 4);
    bytes.set(good);
    bytes.set([0xff, 0xfe, 0x0a, 0x0a], good.length);
    await Deno.writeFile(`${dir}/utf8.ndjson`, bytes);
    const u = await crossCheck(`${dir}/utf8.ndjson`, { blockBytes: 100 });
    assert.equal(u.error?.field, "(line)");
    const missing = await crossCheck(`${dir}/missing.ndjson`);
    assert.equal(missing.error?.ctor, "NotFound");
    const isDir = await crossCheck(dir);
    assert.ok(isDir.error !== null);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

/** Values that do not fit the columns exactly still read back equal (kept as fresh objects). */
Deno.test("ndjson: worker mode keeps values that do not fit a column", async () => {
  const lines = [
    ...BAD_HEADER,
    `{"ts":2100,"type":"book_delta","market":"${M}","seq":8,"side":"no","price":"0.5","delta":"-30000000.00"}`,
    `{"ts":2200,"type":"trade","market":"${M}","price":"0.5","count":"30000000.00","taker_side":"yes"}`,
    `{"ts":2300,"type":"quote","market":"${M}","yes_bid":"0.30","yes_ask":"0.40","yes_ask_size":"30000000.00"}`,
    `{"ts":2400,"type":"book_snapshot","market":"${M}","seq":4294967296,"yes":[["0.30","5.00"]],"no":[]}`,
    delta(2500, 4294967297),
    '{"ts":2600,"type":"underlying","symbol":"BTC","value":-0}',
    '{"ts":2600,"type":"underlying","symbol":"ETH","value":1e300}',
    `{"ts":2700,"type":"settlement","market":"${M}","result":"no"}`,
  ];
  const text = lines.join("\n");
  await withFile(text, async (path) => {
    const o = await crossCheck(path, { blockBytes: 200 });
    assert.equal(o.error, null);
    assert.deepEqual(o.events, [...parseNdjsonText(text, path)]);
    assert.ok(Object.is((o.events[9] as { value: number }).value, -0));
  });
});

/** Writes events as an NDJSON tape. */
async function writeNdjson(path: string, events: readonly TapeEvent[]): Promise<void> {
  await Deno.writeTextFile(path, events.map((e) => formatEventLine(e) + "\n").join(""));
}

Deno.test("ndjson: both modes agree on the synthetic tape and a KX-REPLAY workload", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ndjson_worker_test_" });
  try {
    const syn = generateBtcTape({ seed: 1, hours: 1 });
    await writeNdjson(`${dir}/syn.ndjson`, syn);
    for (const blockBytes of [10_000, undefined]) {
      const o = await crossCheck(`${dir}/syn.ndjson`, { blockBytes });
      assert.equal(o.error, null);
      assert.equal(o.events.length, syn.length);
      assert.deepEqual(o.events, syn);
      assert.deepEqual(o.lines, syn.map((_, i) => i + 1));
    }
    // Lenient, with a few damaged lines spread over the file.
    const text = await Deno.readTextFile(`${dir}/syn.ndjson`);
    const damaged = text.split("\n").map((l, i) =>
      i % 997 === 500 ? l.replace('"ts":', '"ts":-') : i % 1999 === 7 ? "{oops" : l
    ).join("\n");
    await Deno.writeTextFile(`${dir}/damaged.ndjson`, damaged);
    const d = await crossCheck(`${dir}/damaged.ndjson`, { strict: false, blockBytes: 30_000 });
    assert.ok(d.anomalyCount > 5);
    const ds = await crossCheck(`${dir}/damaged.ndjson`, { blockBytes: 30_000 });
    assert.equal(ds.error?.ctor, "TapeError");

    const w = await writeWorkload(`${dir}/kx.ndjson`, { seed: 3, events: 30_000 });
    const k = await crossCheck(`${dir}/kx.ndjson`, { blockBytes: 65_536 });
    assert.equal(k.error, null);
    assert.equal(k.events.length, w.events);
    assert.deepEqual(k.events, [
      ...parseNdjsonText(await Deno.readTextFile(`${dir}/kx.ndjson`), "x"),
    ]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("ndjson: worker mode names each market and symbol by one small slot id", async () => {
  const syn = generateBtcTape({ seed: 2, hours: 1 });
  await withFile(syn.map((e) => formatEventLine(e) + "\n").join(""), async (path) => {
    const src = ndjsonBlockSource(path, { worker: true, blockBytes: 50_000 });
    const byName = new Map<string, number>();
    for (let b = await src.nextBlock(); b !== null; b = await src.nextBlock()) {
      assert.equal(typeof b.slot, "function");
      for (let i = 0; i < b.length; i++) {
        const ev = b.event(i);
        const s = b.slot!(i);
        const name: string | null = ev.kind === "underlying"
          ? `symbol:${ev.symbol}`
          : "market" in ev
          ? `market:${ev.market}`
          : null;
        if (name === null) {
          assert.equal(s, -1, ev.kind);
          continue;
        }
        const had = byName.get(name);
        if (had === undefined) byName.set(name, s);
        else assert.equal(s, had, name);
      }
    }
    const ids = [...byName.values()];
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(Math.max(...ids) < ids.length);
  });
});

Deno.test("ndjson: the worker is the default for large files; worker: false or KX_NDJSON_WORKER=0 selects the calling thread", () => {
  const old = Deno.env.get("KX_NDJSON_WORKER");
  const big = Deno.makeTempFileSync({ suffix: ".ndjson" });
  const small = Deno.makeTempFileSync({ suffix: ".ndjson" });
  Deno.truncateSync(big, WORKER_MIN_BYTES); // sparse: only its size is looked at here
  Deno.truncateSync(small, WORKER_MIN_BYTES - 1);
  const mode = (path: string, options?: { worker?: boolean }) => {
    const src = ndjsonBlockSource(path, options);
    src.close();
    return src.worker;
  };
  try {
    Deno.env.delete("KX_NDJSON_WORKER");
    assert.equal(mode(big), true);
    assert.equal(mode(small), false, "small files are parsed on the calling thread");
    assert.equal(mode("missing.ndjson"), false, "the calling thread reports a missing file");
    assert.equal(mode(big, { worker: false }), false);
    assert.equal(mode(small, { worker: true }), true);
    Deno.env.set("KX_NDJSON_WORKER", "0");
    assert.equal(mode(big), false);
    assert.equal(mode(big, { worker: true }), true);
    Deno.env.set("KX_NDJSON_WORKER", "1");
    assert.equal(mode(big), true);
  } finally {
    Deno.removeSync(big);
    Deno.removeSync(small);
    if (old === undefined) Deno.env.delete("KX_NDJSON_WORKER");
    else Deno.env.set("KX_NDJSON_WORKER", old);
  }
});

Deno.test("ndjson: close() while a nextBlock() waits for the worker makes that call return null", async () => {
  const syn = generateBtcTape({ seed: 1, hours: 1 });
  await withFile(syn.map((e) => formatEventLine(e) + "\n").join(""), async (path) => {
    const src = ndjsonBlockSource(path, { worker: true });
    const pending = src.nextBlock();
    src.close();
    assert.equal(await pending, null);
    assert.equal(await src.nextBlock(), null);
    // Closed before the first call: no worker is started.
    const idle = ndjsonBlockSource(path, { worker: true });
    idle.close();
    assert.equal(await idle.nextBlock(), null);
  });
});

Deno.test("ndjson: a source stopped early, closed, or failed never keeps the process alive", async () => {
  const dir = await Deno.makeTempDir({ prefix: "ndjson_worker_test_" });
  try {
    // Many small blocks, so that the worker fills every buffer and waits.
    const good = [...HEADER, ...bodyLines(2000)];
    await Deno.writeTextFile(`${dir}/good.ndjson`, good.join("\n") + "\n");
    const bad = [
      ...HEADER,
      ...bodyLines(10),
      '{"ts":1,"type":"underlying","symbol":"X","value":1}',
    ];
    await Deno.writeTextFile(`${dir}/bad.ndjson`, bad.join("\n") + "\n");
    const source = new URL("./ndjson_source.ts", import.meta.url).href;
    const script = `${dir}/stop.ts`;
    const g = JSON.stringify(`${dir}/good.ndjson`);
    await Deno.writeTextFile(
      script,
      `import { ndjsonBlockSource } from ${JSON.stringify(source)};
// 1. Abandoned after one block (no close): the worker waits for a buffer back.
const a = ndjsonBlockSource(${g}, { worker: true, blockBytes: 256 });
const b = await a.nextBlock();
if (b === null || b.length < 1) throw new Error("no first block");
// 2. Closed in the middle.
const c = ndjsonBlockSource(${g}, { worker: true, blockBytes: 256 });
await c.nextBlock();
await c.nextBlock();
c.close();
if ((await c.nextBlock()) !== null) throw new Error("block after close");
// 3. Stopped by a strict error.
const d = ndjsonBlockSource(${
        JSON.stringify(`${dir}/bad.ndjson`)
      }, { worker: true, blockBytes: 256 });
let rows = 0;
try {
  for (let x = await d.nextBlock(); x !== null; x = await d.nextBlock()) rows += x.length;
  throw new Error("no error");
} catch (e) {
  if (!String(e).includes(":${bad.length}:")) throw e;
}
// 4. A missing file.
try {
  await ndjsonBlockSource(${JSON.stringify(`${dir}/missing.ndjson`)}, { worker: true }).nextBlock();
  throw new Error("no error");
} catch (e) {
  if (!(e instanceof Deno.errors.NotFound)) throw e;
}
// 5. Started, never awaited again.
void ndjsonBlockSource(${g}, { worker: true, blockBytes: 64 }).nextBlock();
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
    assert.match(text, new RegExp(`done ${bad.length - 1}`));
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Utf8StreamDecoder decodes and fails exactly as a fatal streaming TextDecoder", () => {
  let seed = 12345;
  const rnd = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  // Valid characters (ASCII, 2-, 3-, 4-byte, U+FFFD, U+FEFF) first, then broken sequences.
  const atoms: number[][] = [
    [0x41],
    [0x0a],
    [0xc3, 0xa9],
    [0xe2, 0x82, 0xac],
    [0xf0, 0x9d, 0x84, 0x9e],
    [0xef, 0xbf, 0xbd],
    [0xef, 0xbb, 0xbf],
    [0x80],
    [0xbf],
    [0xc3],
    [0xe2, 0x82],
    [0xf0, 0x9d],
    [0xff],
    [0xc0, 0x80],
    [0xed, 0xa0, 0x80],
    [0xf4, 0x90, 0x80, 0x80],
    [0xe0, 0x80],
  ];
  const run = (decode: (c: Uint8Array | undefined) => string, chunks: Uint8Array[]) => {
    const out: string[] = [];
    try {
      for (const c of chunks) out.push(decode(c));
      out.push(decode(undefined));
    } catch (e) {
      out.push(`throws ${(e as Error).constructor.name}: ${(e as Error).message}`);
    }
    return out;
  };
  let throws = 0;
  for (let it = 0; it < 20_000; it++) {
    const bytes: number[] = [];
    const broken = rnd() < 0.5 ? 0 : 0.15;
    const n = 1 + Math.floor(rnd() * 12);
    for (let a = 0; a < n; a++) {
      bytes.push(...atoms[Math.floor(rnd() * (rnd() < broken ? atoms.length : 7))]);
    }
    const maxChunk = 2 + Math.floor(rnd() * 8); // chunks of 0 .. maxChunk - 1 bytes
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < bytes.length;) {
      const k = Math.floor(rnd() * maxChunk);
      chunks.push(new Uint8Array(bytes.slice(i, i + k)));
      i += k;
    }
    const fatal = new TextDecoder("utf-8", { fatal: true });
    const want = run(
      (c) => c === undefined ? fatal.decode() : fatal.decode(c, { stream: true }),
      chunks,
    );
    const d = new Utf8StreamDecoder();
    const got = run((c) => d.decode(c), chunks);
    assert.deepEqual(got, want, JSON.stringify({ bytes, sizes: chunks.map((c) => c.length) }));
    if (want.at(-1)!.startsWith("throws")) throws++;
  }
  assert.ok(throws > 1000, `${throws} failing cases`);
});

Deno.test("ndjson: the worker reads ahead by a few blocks only, whatever the file's length", async () => {
  const lines = [...HEADER, ...bodyLines(3000)];
  await withFile(lines.join("\n") + "\n", async (path) => {
    const src = ndjsonBlockSource(path, { worker: true, blockBytes: 256 });
    const first = await src.nextBlock();
    assert.ok(first !== null);
    // Time enough to parse the whole file, were the worker not waiting for a buffer back.
    await new Promise((resolve) => setTimeout(resolve, 500));
    for (let i = 0; i < NDJSON_WORKER_BUFFERS - 1; i++) assert.ok((await src.nextBlock()) !== null);
    // Each 256-byte chunk holds at most 2 lines: a few chunks were parsed, not 3000 lines.
    assert.ok(src.parser.linesRead <= 2 * (NDJSON_WORKER_BUFFERS + 2), `${src.parser.linesRead}`);
    src.close();
  });
});
