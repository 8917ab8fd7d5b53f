import assert from "node:assert/strict";
import { join } from "node:path";
import { tapeFormOf, writeTapeFile } from "./tape_file.ts";
import { tinyLadderTape } from "../../tests/helpers.ts";
import { readNdjsonFile } from "./ndjson_reader.ts";

Deno.test("tapeFormOf names the form of each extension, null for others", () => {
  assert.deepEqual(
    ["a.ndjson", "a.JSONL", "a.kxc", "a.sqlite", "a.db", "a.csv"].map(tapeFormOf),
    ["ndjson", "ndjson", "kxc", "sqlite", "sqlite", null],
  );
});

Deno.test("writeTapeFile writes a valid tape; an invalid one leaves the old file and no temp", async () => {
  const dir = await Deno.makeTempDir();
  const out = join(dir, "t.ndjson");
  const events = tinyLadderTape();
  await writeTapeFile(out, events, "t");
  const back = [];
  for await (const ev of readNdjsonFile(out)) back.push(ev);
  assert.equal(back.length, events.length);
  const before = await Deno.readTextFile(out);
  await assert.rejects(() => writeTapeFile(out, [...events].reverse(), "bad"), /bad:1/);
  assert.equal(await Deno.readTextFile(out), before);
  assert.deepEqual((await Array.fromAsync(Deno.readDir(dir))).map((e) => e.name), ["t.ndjson"]);
  await assert.rejects(() => writeTapeFile(join(dir, "t.csv"), events, "t"), /unknown form/);
});
