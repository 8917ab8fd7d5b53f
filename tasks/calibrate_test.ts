import assert from "node:assert/strict";
import { join } from "node:path";
import { CalibrationsDb } from "../lib/store/calibrations_db.ts";
import { formatIsoDay } from "../lib/time/eastern.ts";
import { CPI_HISTORY_FILE } from "../strategies/cpi/calibration.ts";
import { cpiIndexCsv } from "../strategies/calibration_fixtures.ts";
import { main } from "./calibrate.ts";

interface Captured {
  code: number;
  out: string;
  err: string;
}

function run(args: string[], dataDir: string, now = Date.UTC(2026, 0, 2)): Captured {
  const out: string[] = [];
  const err: string[] = [];
  const code = main(args, {
    now: () => now,
    clock: () => 0,
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    defaultDataDir: dataDir,
  });
  return { code, out: out.join("\n"), err: err.join("\n") };
}

function withDataDir(body: (dir: string) => void): void {
  const dir = Deno.makeTempDirSync();
  try {
    Deno.mkdirSync(join(dir, "fred_macro_mm"));
    Deno.writeTextFileSync(join(dir, CPI_HISTORY_FILE), cpiIndexCsv(120));
    body(dir);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
}

Deno.test("calibrate --help exits 0 and states the method", () => {
  const r = run(["--help"], "/nonexistent");
  assert.equal(r.code, 0);
  assert.match(r.out, /deno task calibrate/);
  assert.match(r.out, /Out-of-sample log loss: walk-forward/);
  assert.match(r.out, /--until YYYY-MM-DD/);
  for (const f of ["cpi", "claims", "tnote", "gas", "btc"]) assert.match(r.out, new RegExp(f));
});

Deno.test("calibrate: usage errors exit 2 with clear messages", () => {
  const cases: [string[], RegExp][] = [
    [
      ["--strategy", "nope"],
      /Cannot calibrate: unknown --strategy \(known: cpi, claims, tnote, gas, btc, weather, index\), current value is "nope"/,
    ],
    [["--until", "2024-13-01"], /Cannot parse --until: .*current value is "2024-13-01"/],
    [["--until", "yesterday"], /Cannot parse --until: .*current value is "yesterday"/],
    [["--oos-fraction", "1.5"], /Cannot parse --oos-fraction: .*current value is "1.5"/],
    [["--bogus"], /error: Unknown option '--bogus'/],
    [["extra"], /error: .*positional/i],
  ];
  for (const [args, re] of cases) {
    const r = run(args, "/nonexistent");
    assert.equal(r.code, 2, args.join(" "));
    assert.match(r.err, re);
  }
});

Deno.test("calibrate: missing data exits 1 naming the file or folder, stores nothing", () => {
  const missing = run(["--strategy", "cpi"], "/nonexistent/data");
  assert.equal(missing.code, 1);
  assert.match(
    missing.err,
    /Cannot read the history files: no such folder, current value is \/nonexistent\/data/,
  );
  const dir = Deno.makeTempDirSync();
  try {
    const db = join(dir, "out", "r.sqlite");
    const r = run(["--strategy", "claims", "--db", db], dir);
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /Cannot read the data of claims: no such file, current value is .*fred_macro_mm\/ICSA\.csv/,
    );
    assert.throws(() => Deno.statSync(db), Deno.errors.NotFound);
  } finally {
    Deno.removeSync(dir, { recursive: true });
  }
});

Deno.test("calibrate: an unreadable data file exits 1 naming file and line", () => {
  withDataDir((dir) => {
    Deno.writeTextFileSync(join(dir, CPI_HISTORY_FILE), "date,value\n1990-01-01,abc\n");
    const r = run(["--strategy", "cpi", "--db", ":memory:"], dir);
    assert.equal(r.code, 1);
    assert.match(r.err, /calibration of cpi failed: .*CPIAUCSL\.csv:2: field "value"/);
  });
});

Deno.test("calibrate --strategy cpi: prints the table and stores the row", () => {
  withDataDir((dir) => {
    const db = join(dir, "out", "results.sqlite");
    const r = run(["--strategy", "cpi", "--data-dir", dir, "--db", db], "/unused");
    assert.equal(r.code, 0, r.err);
    const lines = r.out.split("\n");
    assert.match(
      lines[0],
      /^\| family \| params +\| window +\| +n \| in-sample \| +OOS \| OOS n \| uniform \| beats uniform \|$/,
    );
    assert.match(
      lines[2],
      /^\| cpi +\| window 6, scale [0-9.]+ pp, df [0-9.inf]+ \| 1990-03-15\.\.2000-01-15 \| +119 \|/,
    );
    assert.match(lines[2], /\| +2\.0794 \| yes +\|$/);
    assert.match(r.err, /\[cpi\] out of sample: \d+ targets scored walk-forward/);
    const store = CalibrationsDb.open(db);
    const rows = store.all();
    store.close();
    assert.equal(rows.length, 1);
    const row = rows[0];
    assert.equal(row.family, "cpi");
    assert.equal(row.calibratedAt, Date.UTC(2026, 0, 2));
    assert.equal(row.n, 119);
    assert.equal(row.untilTs, null);
    assert.deepEqual(row.dataFiles, [CPI_HISTORY_FILE]);
    assert.ok(row.oosN > 0 && row.inSampleN > row.oosN);
    assert.ok(Math.abs(row.uniformLogLoss - Math.log(8)) < 1e-12);
    assert.equal((row.params as { window: number }).window, 6);
    assert.match(row.method, /^walk-forward, last 0\.2 of the window out of sample; targets:/);
  });
});

Deno.test("calibrate --until and --json: the window ends before the cutoff", () => {
  withDataDir((dir) => {
    const r = run(
      ["--strategy", "cpi", "--until", "1996-01-01", "--json", "--db", ":memory:", "--quiet"],
      dir,
    );
    assert.equal(r.code, 0, r.err);
    assert.equal(r.err, "");
    const rows = JSON.parse(r.out);
    assert.equal(rows.length, 1);
    const row = rows[0];
    assert.equal(row.family, "cpi");
    // The last print released before 1996-01-01 is November 1995's (15 December).
    assert.equal(formatIsoDay(Math.floor((row.windowTo - 1) / 86_400_000)), "1995-12-15");
    assert.equal(row.window, "1990-03-15..1995-12-15");
    assert.equal(row.untilTs, Date.UTC(1996, 0, 1, 5));
    assert.equal(typeof row.beatsUniform, "boolean");
    assert.equal(row.calibratedAt, Date.UTC(2026, 0, 2));
  });
});
