import assert from "node:assert/strict";
import { appendFile, readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { FetchJournal, type JournalEntry, parseJournal, stableJson } from "./fetch_journal.ts";

function entry(key: string, next: string | null = null): JournalEntry {
  return {
    key,
    file: `${key.replace(/\W/g, "_")}.json`,
    path: key.split("?")[0],
    query: {},
    next_cursor: next,
    items: 3,
    source: "network",
    fetched_at: 1000,
  };
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "kx-journal-" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const PARAMS = { series: "KXHIGHNY", trades: true, candles: 60 };

Deno.test("stableJson: sorted keys at every level, undefined left out", () => {
  assert.equal(
    stableJson({ b: 1, a: { d: [1, { f: 2, e: 3 }], c: undefined } }),
    '{"a":{"d":[1,{"e":3,"f":2}]},"b":1}',
  );
  assert.equal(stableJson(undefined), "null");
});

Deno.test("FetchJournal: a new journal, appended, reopened, resumes with its as_of", async () => {
  await withDir(async (dir) => {
    const file = join(dir, "sub", "journal.ndjson");
    let t = 5000;
    const j = await FetchJournal.open(file, PARAMS, () => t);
    assert.equal(j.reason, "new");
    assert.equal(j.asOf, 5000);
    await j.append(entry("/series/KXHIGHNY"));
    await j.append(entry("/markets", "c2"));
    await j.append(entry("/markets?cursor=c2", ""));
    t = 9000;
    // Same parameters in another key order: the same run, resumed.
    const r = await FetchJournal.open(
      file,
      { candles: 60, trades: true, series: "KXHIGHNY" },
      () => t,
    );
    assert.equal(r.reason, "resumed");
    assert.equal(r.asOf, 5000);
    assert.deepEqual(r.entries.map((e) => [e.key, e.next_cursor]), [
      ["/series/KXHIGHNY", null],
      ["/markets", "c2"],
      ["/markets?cursor=c2", ""],
    ]);
    assert.equal(r.get("/markets")?.next_cursor, "c2");
    assert.equal(r.get("/nope"), undefined);
  });
});

Deno.test("FetchJournal: a torn last line is dropped and the file repaired", async () => {
  await withDir(async (dir) => {
    const file = join(dir, "journal.ndjson");
    const j = await FetchJournal.open(file, PARAMS, () => 1);
    await j.append(entry("/a"));
    await j.append(entry("/b"));
    await appendFile(file, '{"key":"/c","file":"c.js'); // the crash happened mid-write
    const r = await FetchJournal.open(file, PARAMS, () => 2);
    assert.equal(r.reason, "resumed");
    assert.deepEqual(r.entries.map((e) => e.key), ["/a", "/b"]);
    await r.append(entry("/c"));
    const again = await FetchJournal.open(file, PARAMS, () => 3);
    assert.deepEqual(again.entries.map((e) => e.key), ["/a", "/b", "/c"]);
    const text = await readFile(file, "utf8");
    assert.equal(text.split("\n").length, 5, "header + 3 entries + final empty");
  });
});

Deno.test("FetchJournal: complete, changed parameters and garbage start a new journal", async () => {
  await withDir(async (dir) => {
    const file = join(dir, "journal.ndjson");
    const j = await FetchJournal.open(file, PARAMS, () => 1);
    await j.append(entry("/a"));
    await j.complete(2);
    assert.equal(j.isComplete, true);
    await assert.rejects(
      j.append(entry("/b")),
      /Cannot append to fetch journal .*: the run is complete, current value is \/b/,
    );
    const k = await FetchJournal.open(file, PARAMS, () => 3);
    assert.equal(k.reason, "previous run complete");
    assert.equal(k.entries.length, 0);
    assert.equal(k.asOf, 3);
    await k.append(entry("/a"));
    const d = await FetchJournal.open(file, { ...PARAMS, trades: false }, () => 4);
    assert.equal(d.reason, "different parameters");
    assert.equal(d.entries.length, 0);
    await writeFile(file, "not json\n");
    const g = await FetchJournal.open(file, PARAMS, () => 5);
    assert.equal(g.reason, "unreadable journal");
    assert.match(g.detail, /line 1: header is not JSON, current value is "not json"/);
  });
});

Deno.test("FetchJournal: a re-fetched request keeps its latest position only", async () => {
  await withDir(async (dir) => {
    const file = join(dir, "journal.ndjson");
    const j = await FetchJournal.open(file, PARAMS, () => 1);
    await j.append(entry("/a"));
    await j.append(entry("/b"));
    await j.append({ ...entry("/a"), items: 9 });
    assert.deepEqual(j.entries.map((e) => [e.key, e.items]), [["/b", 3], ["/a", 9]]);
    const r = await FetchJournal.open(file, PARAMS, () => 2);
    assert.deepEqual(r.entries.map((e) => [e.key, e.items]), [["/b", 3], ["/a", 9]]);
  });
});

Deno.test("parseJournal and append: bad lines and entries are named", async () => {
  assert.deepEqual(parseJournal(""), {
    error: "line 1: no header, current value is an empty file",
  });
  assert.match(
    (parseJournal('{"kx_fetch_journal":2}\n') as { error: string }).error,
    /line 1: not a version 1 journal header/,
  );
  const head = '{"kx_fetch_journal":1,"params":{},"as_of":1,"started_at":1}\n';
  assert.match(
    (parseJournal(head + "garbage\n" + JSON.stringify(entry("/a")) + "\n") as { error: string })
      .error,
    /line 2: not JSON, current value is "garbage"/,
  );
  assert.match(
    (parseJournal(head + '{"key":"/a"}\n') as { error: string }).error,
    /line 2: not a journal entry/,
  );
  await withDir(async (dir) => {
    const j = await FetchJournal.open(join(dir, "j.ndjson"), PARAMS, () => 1);
    await assert.rejects(
      j.append({ ...entry("/a"), items: 1.5 }),
      /Cannot append to fetch journal .*: malformed entry, current value is/,
    );
    await assert.rejects(
      FetchJournal.open(join(dir, "k.ndjson"), PARAMS, () => Number.NaN),
      /Cannot open fetch journal: clock must give integer ms, current value is NaN/,
    );
  });
});
