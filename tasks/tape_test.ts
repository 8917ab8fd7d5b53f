import assert from "node:assert/strict";
import { fileURLToPath } from "node:url";
import { generateBtcTape } from "../lib/synth/btc_tape.ts";
import { writeNdjsonFile } from "../lib/tape/ndjson_writer.ts";

const TASK = fileURLToPath(new URL("./tape.ts", import.meta.url));

async function run(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  const r = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", TASK, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: r.code, out: dec.decode(r.stdout), err: dec.decode(r.stderr) };
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.stat(path);
    return true;
  } catch {
    return false;
  }
}

Deno.test("tape task: NDJSON -> kxc -> sqlite -> NDJSON is byte-identical; info describes each", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tape_task_test_" });
  try {
    const src = `${dir}/syn.ndjson`;
    await writeNdjsonFile(src, generateBtcTape({ seed: 1, hours: 1 }));
    let r = await run("convert", src, `${dir}/a.kxc`, "--block-size", "5000");
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /events:\s+20,710/);
    assert.match(r.out, /book_delta\s+19,133/);
    assert.match(r.out, /out:\s+[\d,]+ bytes/);
    r = await run("convert", `${dir}/a.kxc`, `${dir}/b.sqlite`);
    assert.equal(r.code, 0, r.err);
    r = await run("convert", `${dir}/b.sqlite`, `${dir}/c.ndjson`);
    assert.equal(r.code, 0, r.err);
    r = await run("convert", `${dir}/a.kxc`, `${dir}/d.jsonl`);
    assert.equal(r.code, 0, r.err);
    const want = await Deno.readFile(src);
    assert.deepEqual(await Deno.readFile(`${dir}/c.ndjson`), want);
    assert.deepEqual(await Deno.readFile(`${dir}/d.jsonl`), want);
    assert.equal(await exists(`${dir}/a.kxc.tmp`), false);

    r = await run("info", `${dir}/a.kxc`);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /form:\s+kxc/);
    assert.match(r.out, /blockSize: 5000/);
    assert.match(r.out, /blocks:\s+5/);
    assert.match(r.out, /events:\s+20,710/);
    assert.match(r.out, /time span: 2026-01-05T14:00:00.000Z \.\. 2026-01-05T15:00:30.000Z/);
    r = await run("info", `${dir}/b.sqlite`);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /form:\s+sqlite/);
    assert.match(r.out, /settlement\s+23/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tape task: a bad input exits 1 naming file, line and field and leaves no OUT; --lenient converts", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tape_task_test_" });
  try {
    const bad = `${dir}/bad.ndjson`;
    await Deno.writeTextFile(
      bad,
      '{"ts":5,"type":"underlying","symbol":"BTC","value":1}\n' +
        '{"ts":4,"type":"underlying","symbol":"BTC","value":2}\n' +
        '{"ts":6,"type":"underlying","symbol":"BTC","value":3}\n',
    );
    for (const out of ["o.kxc", "o.sqlite", "o.ndjson"]) {
      const r = await run("convert", bad, `${dir}/${out}`);
      assert.equal(r.code, 1);
      assert.match(r.err, /bad\.ndjson:2: field "ts"/);
      assert.equal(await exists(`${dir}/${out}`), false);
      assert.equal(await exists(`${dir}/${out}.tmp`), false);
    }
    let r = await run("convert", bad, `${dir}/o.kxc`, "--lenient");
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /events:\s+2\b/);
    assert.match(r.out, /anomalies: 1/);
    r = await run("info", `${dir}/o.kxc`);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /underlying\s+2/);

    // A damaged .kxc: the block is named.
    const bytes = await Deno.readFile(`${dir}/o.kxc`);
    bytes[bytes.length - 40] ^= 1;
    await Deno.writeFile(`${dir}/damaged.kxc`, bytes);
    r = await run("info", `${dir}/damaged.kxc`);
    assert.equal(r.code, 1);
    assert.match(r.err, /damaged\.kxc:1: field "\(block\)": .*checksum mismatch/);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("tape task: usage errors exit 2, --help exits 0", async () => {
  let r = await run();
  assert.equal(r.code, 2);
  r = await run("frobnicate");
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown command/);
  r = await run("convert", "a.ndjson");
  assert.equal(r.code, 2);
  r = await run("convert", "a.ndjson", "b.txt");
  assert.equal(r.code, 2);
  assert.match(r.err, /unknown tape form/);
  r = await run("convert", "a.ndjson", "b.kxc", "--block-size", "0");
  assert.equal(r.code, 2);
  r = await run("convert", "a.ndjson", "b.kxc", "--bogus");
  assert.equal(r.code, 2);
  for (const args of [["--help"], ["convert", "--help"], ["info", "-h"]]) {
    r = await run(...args);
    assert.equal(r.code, 0);
    assert.match(r.out, /deno task tape/);
  }
});
