import assert from "node:assert/strict";
import { gzipSync } from "node:zlib";
import { join } from "node:path";
import { IMPORTERS } from "../lib/import/registry.ts";
import { main, parseImportArgs, readSource } from "./import.ts";

const HEAD = "timestamp,market_ticker,best_yes_bid,best_no_bid,implied_no_ask,implied_yes_ask\n";
const E = "KXHIGHNY-25DEC05";
const ROWS = [
  `2025-12-04T12:27:16.079996,${E}-T37,1,96,99,4`,
  `2025-12-04T12:27:16.080242,${E}-B32.5,45,54,55,46`,
  `2025-12-04T12:27:16.080335,${E}-B34.5,28,70,72,30`,
  `2025-12-04T12:27:16.080631,${E}-T30,5,94,95,6`,
  `2025-12-04T12:27:16.080724,${E}-B36.5,7,92,93,8`,
  `2025-12-04T12:27:16.081370,${E}-B30.5,18,81,82,19`,
  `2025-12-04T12:30:00.000001,${E}-B30.5,0,81,100,19`,
];

/** Runs main with console output captured. */
async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const log = console.log;
  const error = console.error;
  console.log = (...a: unknown[]) => out.push(a.join(" "));
  console.error = (...a: unknown[]) => err.push(a.join(" "));
  try {
    const code = await main(args);
    return { code, out: out.join("\n"), err: err.join("\n") };
  } finally {
    console.log = log;
    console.error = error;
  }
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await Deno.makeTempDir({ prefix: "import_cli_test_" });
  try {
    await fn(dir);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

Deno.test("import --help lists every registered format with its summary and spec", async () => {
  const r = await cli(["--help"]);
  assert.equal(r.code, 0);
  for (const im of IMPORTERS) {
    assert(r.out.includes(im.name), im.name);
    assert(r.out.includes(`spec: ${im.spec}`), im.spec);
  }
  assert.match(r.out, /--tz ZONE/);
  assert.match(r.out, /Exit status: 0 on success, 1 on a data error/);
});

Deno.test("import: a .gz log becomes a valid tape; the report is printed and written as JSON", async () => {
  await withDir(async (dir) => {
    const src = join(dir, "log.csv.gz");
    await Deno.writeFile(src, gzipSync(new TextEncoder().encode(HEAD + ROWS.join("\n") + "\n")));
    const out = join(dir, "t.ndjson");
    const rj = join(dir, "r.json");
    const r = await cli([
      "top-of-book-csv",
      src,
      "--tz",
      "America/Los_Angeles",
      "--out",
      out,
      "--report-json",
      rj,
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /rows in:\s+7\n/);
    assert.match(r.out, /events out:\s+21\n/, "6 more: an open lifecycle event per market");
    assert.match(r.out, /one_sided_book\s+1/);
    const lines = (await Deno.readTextFile(out)).trimEnd().split("\n");
    assert.equal(lines.length, 21);
    assert.match(
      lines[0],
      /^\{"ts":1764880036079,"type":"series","series":"KXHIGHNY","fee_type":"quadratic","fee_multiplier":1\}$/,
    );
    const report = JSON.parse(await Deno.readTextFile(rj));
    assert.equal(report.rowsIn, 7);
    assert.equal(report.rowsIn, report.rowsUsed + report.rejects.length + report.skipped);
    assert.equal(
      (await Array.fromAsync(Deno.readDir(dir))).some((e) => e.name.endsWith(".tmp")),
      false,
    );
  });
});

Deno.test("import: importing twice gives byte-identical tapes (ndjson, kxc, sqlite)", async () => {
  await withDir(async (dir) => {
    const src = join(dir, "log.csv");
    await Deno.writeTextFile(src, HEAD + ROWS.join("\n") + "\n");
    for (const ext of ["ndjson", "kxc", "sqlite"]) {
      const a = join(dir, `a.${ext}`);
      const b = join(dir, `b.${ext}`);
      for (const out of [a, b]) {
        const r = await cli(["top-of-book-csv", src, "--tz", "America/Los_Angeles", "--out", out]);
        assert.equal(r.code, 0, r.err);
      }
      assert.deepEqual(await Deno.readFile(a), await Deno.readFile(b), ext);
    }
  });
});

Deno.test("import: a data error exits 1, names file:line:field, and leaves an existing tape alone", async () => {
  await withDir(async (dir) => {
    const src = join(dir, "bad.csv");
    await Deno.writeTextFile(
      src,
      HEAD + ROWS.join("\n") + "\n2025-12-04T12:31:00,KXHIGHNY-25DEC05-B30.5,18,8x1,82,19\n",
    );
    const out = join(dir, "t.ndjson");
    await Deno.writeTextFile(out, "precious\n");
    const r = await cli(["top-of-book-csv", src, "--tz", "America/Los_Angeles", "--out", out]);
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /bad\.csv:9: field "best_no_bid": Cannot parse price: not a number of cents, current value is "8x1"/,
    );
    assert.equal(await Deno.readTextFile(out), "precious\n");
    assert.equal((await Array.fromAsync(Deno.readDir(dir))).length, 2, "no temp file left");
    const lenient = await cli([
      "top-of-book-csv",
      src,
      "--tz",
      "America/Los_Angeles",
      "--out",
      out,
      "--lenient",
    ]);
    assert.equal(lenient.code, 0, lenient.err);
    assert.match(lenient.out, /rejects:\s+1\n/);
    assert.match(lenient.out, /bad\.csv:9: field "best_no_bid"/);
  });
});

Deno.test("import: usage errors exit 2", async () => {
  await withDir(async (dir) => {
    const src = join(dir, "log.csv");
    await Deno.writeTextFile(src, HEAD + ROWS.join("\n") + "\n");
    const out = join(dir, "t.ndjson");
    const cases: [string[], RegExp][] = [
      [[], /no format given/],
      [["nope", src, "--out", out], /unknown format, current value is "nope"/],
      [["top-of-book-csv", "--out", out], /no input files given/],
      [["top-of-book-csv", src, "--tz", "UTC"], /--out FILE is required/],
      [
        ["top-of-book-csv", src, "--tz", "UTC", "--out", join(dir, "t.txt")],
        /unknown form of --out/,
      ],
      [["top-of-book-csv", src, "--out", out], /option "tz": .*none is guessed/],
      [
        ["top-of-book-csv", src, "--tz", "Mars/Base", "--out", out],
        /option "tz": Cannot use time zone: unknown IANA zone/,
      ],
      [
        ["top-of-book-csv", src, "--tz", "UTC", "--out", out, "--results", src],
        /--results applies to candle-csv only/,
      ],
      [
        ["top-of-book-csv", src, "--tz", "UTC", "--out", out, "--fee-type", "linear"],
        /option "fee_type"/,
      ],
      [
        ["top-of-book-csv", src, "--tz", "UTC", "--out", out, "--strict", "--lenient"],
        /--strict and --lenient together/,
      ],
      [
        ["top-of-book-csv", src, "--tz", "UTC", "--out", out, "--bogus"],
        /Unknown option '--bogus'/,
      ],
      [["top-of-book-csv", src, src, "--tz", "UTC", "--out", out], /given twice/],
      [
        ["top-of-book-csv", src, "--tz", "UTC", "--out", out, "--extra", "novalue"],
        /not KEY=VALUE/,
      ],
    ];
    for (const [args, re] of cases) {
      const r = await cli(args);
      assert.equal(r.code, 2, args.join(" "));
      assert.match(r.err, re, args.join(" "));
    }
    assert.equal((await Array.fromAsync(Deno.readDir(dir))).length, 1, "nothing written");
  });
});

Deno.test("import: a missing input file is a data error (exit 1)", async () => {
  const r = await cli([
    "top-of-book-csv",
    "/nonexistent/x.csv",
    "--tz",
    "UTC",
    "--out",
    "/tmp/never.ndjson",
  ]);
  assert.equal(r.code, 1);
  assert.match(r.err, /x\.csv/);
});

Deno.test("parseImportArgs: flags become options; --results is appended as an input", () => {
  const job = parseImportArgs([
    "candle-csv",
    "c.csv",
    "--results",
    "r.csv",
    "--out",
    "o.kxc",
    "--fee-multiplier",
    "0.5",
    "--extra",
    "interval_minutes=1",
  ])!;
  assert.deepEqual(job.files, ["c.csv", "r.csv"]);
  assert.deepEqual(job.options, {
    strict: true,
    extra: { interval_minutes: "1", fee_multiplier: "0.5", results: "r.csv" },
  });
  assert.equal(parseImportArgs(["-h"]), null);
});

Deno.test("readSource: bad gzip and bad UTF-8 are data errors naming the file", async () => {
  await withDir(async (dir) => {
    const gz = join(dir, "x.csv.gz");
    await Deno.writeTextFile(gz, "not gzip");
    assert.throws(() => readSource(gz), /x\.csv\.gz:0: field "\(file\)": Cannot gunzip/);
    const bin = join(dir, "y.csv");
    await Deno.writeFile(bin, new Uint8Array([0x61, 0xff, 0xfe]));
    assert.throws(
      () => readSource(bin),
      /y\.csv:0: field "\(file\)": Cannot decode: not UTF-8 text/,
    );
  });
});
