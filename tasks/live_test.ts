import assert from "node:assert/strict";
import { join } from "node:path";
import { formatEventLine } from "../lib/tape/ndjson_writer.ts";
import { MARKET, oneMarketTape, T0 } from "../live/test_support.ts";
import { parseAuditLog } from "../live/audit_log.ts";
import { main } from "./live.ts";

async function run(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(args, {
    env: (n) => env[n],
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

Deno.test("deno task live --help: the options, dry-run by default, exit 0", async () => {
  const r = await run(["--help"]);
  assert.equal(r.code, 0);
  assert.match(r.out, /DRY-RUN BY DEFAULT/);
  assert.match(r.out, /--exchange KIND/);
  assert.match(r.out, /--kill-switch FILE/);
  assert.match(r.out, /NOT implemented/);
});

Deno.test("deno task live: usage errors exit 2 and name the problem", async () => {
  const cases: [string[], RegExp][] = [
    [[], /--exchange must be mock or memory/],
    [["--exchange", "real"], /--exchange must be mock or memory, current value is "real"/],
    [["--exchange", "memory", "--strategy", "nope"], /unknown strategy "nope"/],
    [["--exchange", "memory", "--minutes", "0"], /--minutes must be > 0/],
    [["--exchange", "memory", "--minutes", "x"], /--minutes must be a number/],
    [["--exchange", "memory", "--speed=-1"], /--speed must be a number >= 0/],
    [["--exchange", "memory", "--seed", "1.5"], /--seed must be an integer/],
    [["--exchange", "memory", "--tier", "gold"], /--tier must be one of basic/],
    [["--exchange", "memory", "--fault", "ws_drop=0.1"], /--fault needs --exchange mock/],
    [["--exchange", "mock", "--fault", "meteor=1"], /unknown fault kind/],
    [["--exchange", "memory", "--param", "nope=1"], /Cannot set parameter "nope"/],
    [["--exchange", "memory", "--windows", "/no/such/file"], /Cannot read --windows file/],
    [["--exchange", "memory", "--max-book-age-ms=-5"], /--max-book-age-ms must be a number >= 0/],
    [["--exchange", "memory", "--tape", "/no/such/tape.ndjson"], /Cannot read --tape/],
    [["--bogus"], /Unknown option '--bogus'/],
  ];
  for (const [args, re] of cases) {
    const r = await run([...args, "--out", await Deno.makeTempDir()]);
    assert.equal(r.code, 2, `${args.join(" ")}: ${r.err}`);
    assert.match(r.err, re, args.join(" "));
  }
});

Deno.test("deno task live: a dry session on a given tape writes its files and prints how to replay it", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kx-task-live-" });
  const tape = join(dir, "t.ndjson");
  await Deno.writeTextFile(tape, oneMarketTape(30).map(formatEventLine).join("\n") + "\n");
  const windows = join(dir, "windows.json");
  await Deno.writeTextFile(windows, JSON.stringify({ KXTEST: [{ start: "09:00", end: "17:00" }] }));
  const r = await run([
    "--exchange",
    "memory",
    "--tape",
    tape,
    "--strategy",
    "market_maker",
    "--speed",
    "100",
    "--out",
    dir,
    "--windows",
    windows,
    "--quiet",
  ]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /DRY-RUN/);
  assert.match(r.out, /ended: feed_end/);
  assert.match(
    r.out,
    /deno task backtest --tape .*live-.*\.ndjson --strategy market_maker --seed 1/,
  );
  const audit = parseAuditLog(await Deno.readTextFile(join(dir, "audit.jsonl")));
  assert.equal(audit[0].type, "session_start");
  assert.equal(audit[0].mode, "dry");
  assert.equal(audit.at(-1)!.type, "session_end");
});

Deno.test("deno task live: a session that fails exits 1", async () => {
  const dir = await Deno.makeTempDir({ prefix: "kx-task-live-" });
  const tape = join(dir, "bad.ndjson");
  // A delta that takes more than the level holds: the venue refuses the tape.
  const events = oneMarketTape(5);
  const lines = events.map(formatEventLine);
  lines.splice(
    lines.length - 2,
    0,
    formatEventLine({
      kind: "book_delta",
      ts: T0 + 5000,
      market: MARKET,
      seq: 6,
      side: "no",
      price: 4900,
      delta: -5000,
    }),
  );
  await Deno.writeTextFile(tape, lines.join("\n") + "\n");
  const r = await run([
    "--exchange",
    "memory",
    "--tape",
    tape,
    "--speed",
    "100",
    "--out",
    dir,
    "--quiet",
  ]);
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.err, /live session failed/);
  // The mock exchange refuses a tape without markets: exit 1 too.
  const empty = join(dir, "empty.ndjson");
  await Deno.writeTextFile(empty, '{"ts":1,"type":"underlying","symbol":"X","value":1}\n');
  const m = await run(["--exchange", "mock", "--tape", empty, "--out", dir, "--quiet"]);
  assert.equal(m.code, 1, m.err);
  assert.match(m.err, /declares no market/);
});
