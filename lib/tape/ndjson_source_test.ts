import assert from "node:assert/strict";
import type { EventBlock } from "./block.ts";
import { TapeError } from "./errors.ts";
import type { TapeEvent } from "./events.ts";
import { NdjsonTapeParser, parseNdjsonText } from "./ndjson_reader.ts";
import { ndjsonBlockSource } from "./ndjson_source.ts";

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
      out.events.push(b.event(i));
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
  const orig = p.parseLine.bind(p);
  p.parseLine = (line: string, n: number) => {
    const ev = orig(line, n);
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
    for (const blockBytes of [1, 7, 64, 1000, 4096, undefined]) {
      const got = await drain(path, { blockBytes });
      assert.equal(got.events.length, want.events.length, `blockBytes ${blockBytes}`);
      assert.deepEqual(got.events, want.events);
      assert.deepEqual(got.lines, want.lines);
      // One block for the chunk, one for the final line without a terminator.
      if (blockBytes === undefined) assert.equal(got.blocks, 2);
      if (blockBytes === 4096) {
        const size = new TextEncoder().encode(text).length;
        assert.ok(got.blocks <= Math.ceil(size / 4096) + 1, `${got.blocks} blocks`);
        assert.ok(got.blocks > 10);
      }
    }
  });
});

Deno.test("LF endings with a final newline, and an empty file", async () => {
  const text = [...HEADER, ...bodyLines(100)].join("\n") + "\n";
  await withFile(text, async (path) => {
    const got = await drain(path, { blockBytes: 333 });
    assert.deepEqual(got.events, expected(text).events);
  });
  await withFile("", async (path) => {
    const got = await drain(path);
    assert.equal(got.events.length, 0);
  });
});

Deno.test("strict: the error names file, line and field; earlier events are delivered first", async () => {
  const lines = [...HEADER, ...bodyLines(50)];
  const badLine = lines.length + 1;
  lines.push(
    `{"ts":9999,"type":"trade","market":"${M}","price":"NaN","count":"1","taker_side":"yes"}`,
  );
  lines.push(...bodyLines(3).map((l) => l.replace('"ts":300', '"ts":1000')));
  await withFile(lines.join("\n"), async (path) => {
    for (const options of [{}, { name: "shown.ndjson" }, { blockBytes: 100 }]) {
      const src = ndjsonBlockSource(path, options);
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
    const src = ndjsonBlockSource(path, { strict: false, blockBytes: 50 });
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
  });
});

Deno.test("invalid UTF-8 is a TapeError on (line); a missing file rejects", async () => {
  const good = new TextEncoder().encode(HEADER.join("\n") + "\n");
  const bytes = new Uint8Array(good.length + 3);
  bytes.set(good);
  bytes.set([0xff, 0xfe, 0x0a], good.length);
  await withFile(bytes, async (path) => {
    // The chunk holding the bad bytes starts at line 5 ("at or after this line").
    await assert.rejects(
      () => drain(path, { blockBytes: good.length }),
      (e: unknown) => e instanceof TapeError && e.field === "(line)" && e.line === 5,
    );
  });
  await assert.rejects(() => drain("/nonexistent/dir/tape.ndjson"), Deno.errors.NotFound);
});

Deno.test("blockBytes must be a positive integer", () => {
  assert.throws(() => ndjsonBlockSource("x", { blockBytes: 0 }), RangeError);
  assert.throws(() => ndjsonBlockSource("x", { blockBytes: 1.5 }), RangeError);
});
