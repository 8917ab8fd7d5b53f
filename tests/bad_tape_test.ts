import assert from "node:assert/strict";
import { join } from "node:path";
import { ResultsDb } from "../lib/store/results_db.ts";
import { TapeError } from "../lib/tape/errors.ts";
import { formatEventLine } from "../lib/tape/ndjson_writer.ts";
import { ndjsonFileStream } from "../lib/venue/stream.ts";
import { BtcStrategy } from "../strategies/btc/strategy.ts";
import { runInTemp, tinyLadderTape } from "./helpers.ts";

/** Write the tiny tape with line `lineNo` (1-based) replaced or inserted. */
async function badTape(dir: string, edit: (lines: string[]) => void): Promise<string> {
  const lines = tinyLadderTape().map(formatEventLine);
  edit(lines);
  const path = join(dir, "bad.ndjson");
  await Deno.writeTextFile(path, lines.join("\n") + "\n");
  return path;
}

const cases: { name: string; field: string; edit: (lines: string[]) => void; line: number }[] = [
  { name: "malformed line", field: "(line)", line: 9, edit: (l) => (l[8] = l[8].slice(0, 20)) },
  {
    name: "NaN price",
    field: "price",
    line: 14,
    edit: (l) => (l[13] = l[13].replace(/"price":"[0-9.]+"/, '"price":"NaN"')),
  },
  {
    name: "timestamp going backwards",
    field: "ts",
    line: 14,
    edit: (l) => (l[13] = l[13].replace(/"ts":\d+/, '"ts":1000')),
  },
  {
    name: "unknown market",
    field: "market",
    line: 16,
    edit: (l) => (l[15] = l[15].replace("KXTEST-26JAN05-B", "KXTEST-26JAN05-Z")),
  },
];

for (const c of cases) {
  Deno.test(`a tape with a ${c.name} fails naming file, line and field, and no run is complete`, async () => {
    const dir = await Deno.makeTempDir({ prefix: "kx-bad-" });
    const path = await badTape(dir, c.edit);
    let thrown: unknown;
    try {
      await runInTemp(new BtcStrategy(), [ndjsonFileStream(path)], { dir });
    } catch (e) {
      thrown = e;
    }
    assert.ok(thrown instanceof TapeError, `expected TapeError, got ${thrown}`);
    assert.equal(thrown.file, path);
    assert.equal(thrown.line, c.line);
    assert.equal(thrown.field, c.field);
    assert.ok(thrown.message.includes(`${path}:${c.line}`));
    const db = ResultsDb.open(join(dir, "results.sqlite"));
    try {
      const runs = db.runs();
      assert.ok(runs.length >= 1);
      assert.ok(runs.every((r) => r.status === "failed"), "no run recorded as complete");
      assert.ok(runs.every((r) => (r.error ?? "").includes(`${path}:${c.line}`)));
    } finally {
      db.close();
    }
  });
}

Deno.test("the backtest CLI exits non-zero with the position on a bad tape", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kx-cli-" });
  const path = await badTape(
    dir,
    (l) => (l[13] = l[13].replace(/"price":"[0-9.]+"/, '"price":"NaN"')),
  );
  const cmd = new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", "tasks/backtest.ts", "--tape", path, "--out", dir, "--quiet"],
    stdout: "piped",
    stderr: "piped",
  });
  const res = await cmd.output();
  const stderr = new TextDecoder().decode(res.stderr);
  assert.equal(res.code, 1, stderr);
  assert.ok(stderr.includes(`${path}:14`), stderr);
  assert.ok(stderr.includes('"price"'), stderr);
});

Deno.test("the backtest CLI explains its options and rejects bad ones", async () => {
  const run = (args: string[]) =>
    new Deno.Command(Deno.execPath(), {
      args: ["run", "-A", "tasks/backtest.ts", ...args],
      stdout: "piped",
      stderr: "piped",
    })
      .output();
  const help = await run(["--help"]);
  assert.equal(help.code, 0);
  const text = new TextDecoder().decode(help.stdout);
  for (
    const opt of [
      "--tape",
      "--strategy",
      "--param",
      "--seed",
      "--latency-ms",
      "--lenient",
      "--out",
      "--db",
    ]
  ) {
    assert.ok(text.includes(opt), `help mentions ${opt}`);
  }
  const bad = await run(["--seed", "x"]);
  assert.equal(bad.code, 2);
  const unknown = await run(["--strategy", "nope"]);
  assert.equal(unknown.code, 2);
  assert.ok(new TextDecoder().decode(unknown.stderr).includes("unknown strategy"));
});
