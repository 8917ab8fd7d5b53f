/**
 * Tests of `deno task factors`: the report builder on a real (synthetic) run,
 * checked against counts computed here straight from the decision rows; the
 * bad inputs (missing database, unknown run, empty run, unknown factor, bad
 * options) with their messages and exit codes; and the HTML page drawn by
 * headless Chromium (fails, never skips, when /usr/bin/chromium is missing).
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { generateBtcTape } from "../lib/synth/btc_tape.ts";
import { BtcStrategy, DEFAULT_BTC_PARAMS } from "../strategies/btc/strategy.ts";
import { arrayStream } from "../lib/venue/stream.ts";
import { runBacktest } from "../lib/venue/run.ts";
import { DEFAULT_REPLAY_CONFIG } from "../lib/venue/replay.ts";
import type { DecisionRow } from "../lib/venue/decision_types.ts";
import { ResultsDb } from "../lib/store/results_db.ts";
import type { DecisionInput } from "../lib/research/signals.ts";
import { factorChartIds } from "../lib/report/factors_html.ts";
import { adjustPValues } from "../lib/research/multiple_testing.ts";
import { buildFactorReports, type FactorOptions, loadRun, parseFactorArgs } from "./factors.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const TASK = fileURLToPath(new URL("./factors.ts", import.meta.url));
const CHROMIUM = "/usr/bin/chromium";

/** A DecisionRow is a DecisionInput (compile-time check of the shapes). */
const asInput = (r: DecisionRow): DecisionInput => r;

interface Fixture {
  dir: string;
  dbPath: string;
  runId: number;
  rows: DecisionRow[];
}

let fixture: Promise<Fixture> | undefined;
let fixtureDir: string | undefined;
globalThis.addEventListener("unload", () => {
  if (fixtureDir !== undefined) Deno.removeSync(fixtureDir, { recursive: true });
});

/** One two-hour synthetic BTC run, shared by the tests of this file. */
function runFixture(): Promise<Fixture> {
  fixture ??= (async () => {
    const dir = await Deno.makeTempDir({ prefix: "factors-test-" });
    fixtureDir = dir;
    const dbPath = join(dir, "results.sqlite");
    const tapeName = join(dir, "synthetic_btc_seed3.ndjson");
    const outcome = await runBacktest({
      strategy: new BtcStrategy({ ...DEFAULT_BTC_PARAMS }),
      streams: [arrayStream(tapeName, generateBtcTape({ seed: 3, hours: 2 }))],
      tapeNames: [tapeName],
      synthetic: true,
      replay: { ...DEFAULT_REPLAY_CONFIG, seed: 3 },
      dbPath,
      outDir: dir,
      codeVersion: "test",
      startedAt: "2026-01-01T00:00:00.000Z",
      now: () => "2026-01-01T00:00:01.000Z",
      reports: false,
    });
    const db = ResultsDb.open(dbPath);
    const rows = db.records<DecisionRow>(outcome.runId, "decisions");
    db.close();
    return { dir, dbPath, runId: outcome.runId, rows };
  })();
  return fixture;
}

const BASE: FactorOptions = {
  factors: ["skew"],
  spec: { cuts: [0.5] },
  alternative: "two-sided",
  windowsDays: [7, 14, 30],
  includeUnfilled: false,
};

async function runTask(args: string[]) {
  const out = await new Deno.Command(Deno.execPath(), {
    args: ["run", "--allow-read", "--allow-write", TASK, ...args],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  const dec = new TextDecoder();
  return { code: out.code, stdout: dec.decode(out.stdout), stderr: dec.decode(out.stderr) };
}

Deno.test("factors: the fixture run trades and its rows are decision inputs", async () => {
  const f = await runFixture();
  assert.ok(f.rows.length >= 40, `enough decisions, got ${f.rows.length}`);
  assert.ok(f.rows.map(asInput).every((r) => typeof r.skew === "number"));
});

Deno.test("factors: bucket table matches counts taken straight from the rows", async () => {
  const f = await runFixture();
  const db = ResultsDb.open(f.dbPath);
  const run = db.run(f.runId)!;
  db.close();
  const [r] = buildFactorReports(run, f.dbPath, f.rows, BASE);
  const kept = f.rows.filter((x) => x.filled > 0 && Number.isFinite(x.clv));
  assert.equal(r.selection.decisions, f.rows.length);
  assert.equal(r.selection.unfilled, f.rows.filter((x) => x.filled === 0).length);
  assert.equal(r.selection.signals, kept.length);
  assert.equal(r.buckets.length, 2);
  for (const [j, inBucket] of [(s: number) => s < 0.5, (s: number) => s >= 0.5].entries()) {
    const mine = kept.filter((x) => inBucket(x.skew));
    const b = r.buckets[j];
    assert.equal(b.n, mine.length, `bucket ${j} n`);
    assert.equal(b.positives, mine.filter((x) => x.clv > 0).length, `bucket ${j} positives`);
    assert.ok(Math.abs(b.meanClv - mine.reduce((a, x) => a + x.clv, 0) / mine.length) < 1e-9);
    assert.equal(
      b.pnlTicks,
      mine.filter((x) => Number.isFinite(x.pnlTicks)).reduce((a, x) => a + x.pnlTicks, 0),
    );
    assert.deepEqual(b.clv.toSorted((a, c) => a - c), mine.map((x) => x.clv).sort((a, c) => a - c));
  }
  assert.equal(r.buckets[0].label, "[-inf, 0.5)");
  assert.equal(r.testsTried, 2);
  assert.equal(r.synthetic, true, "tape named synthetic_*");
  // Two buckets against the rest: the two tests mirror each other.
  const [t0, t1] = r.buckets.map((b) => b.test!);
  assert.ok(Math.abs(t0.z + t1.z) < 1e-12);
  assert.ok(t0.pHolm >= t0.pValue && t0.pBh >= t0.pValue);
  // Quantile buckets: the Holm and BH columns are those adjustments of the raw p-values.
  const [q] = buildFactorReports(run, f.dbPath, f.rows, { ...BASE, spec: { quantiles: 4 } });
  const tests = q.buckets.map((b) => b.test!);
  assert.equal(q.testsTried, 4);
  const raw = tests.map((x) => x.pValue);
  assert.deepEqual(tests.map((x) => x.pHolm), adjustPValues(raw, "holm"));
  assert.deepEqual(tests.map((x) => x.pBh), adjustPValues(raw, "bh"));
  assert.notDeepEqual(adjustPValues(raw, "holm"), adjustPValues(raw, "bh"));
  // Stability: the run is 2 hours, so every window equals the whole sample.
  assert.deepEqual(r.stability.windows.map((w) => w.n), [
    kept.length,
    kept.length,
    kept.length,
    kept.length,
  ]);
  assert.ok(r.stability.spanDays < 1);
  // Over time: the last expanding rate is the bucket's rate.
  r.overTime.buckets.forEach((b, j) => assert.equal(b.rate.at(-1), r.buckets[j].rate));
});

Deno.test("factors: unknown factor values are left out and counted", async () => {
  const f = await runFixture();
  const db = ResultsDb.open(f.dbPath);
  const run = db.run(f.runId)!;
  db.close();
  const kept = f.rows.filter((x) => x.filled > 0 && Number.isFinite(x.clv));
  const nanVol = kept.filter((x) => !Number.isFinite(x.recentVolatility)).length;
  assert.ok(nanVol > 0, "the fixture has orders before a market's second trade");
  const [r] = buildFactorReports(run, f.dbPath, f.rows, {
    ...BASE,
    factors: ["recent_volatility"],
    spec: { quantiles: 3 },
  });
  assert.equal(r.selection.missingFactor, nanVol);
  assert.equal(r.selection.signals, kept.length - nanVol);
  assert.equal(r.bucketing.inSample, true);
});

Deno.test("factors: trailing split, stack and gate; the family counts every test", async () => {
  const f = await runFixture();
  const db = ResultsDb.open(f.dbPath);
  const run = db.run(f.runId)!;
  db.close();
  const opts: FactorOptions = {
    ...BASE,
    factors: ["skew", "spread"],
    spec: { quantiles: 3 },
    trailing: { pct: 75, windowDays: 30, minObs: 5 },
    stack: [{ factor: "skew", op: ">=" }, { factor: "disagreement", op: ">=", threshold: 0.08 }],
    gate: { mode: "enforce", factor: "skew", op: ">=", threshold: 0.5, windowDays: 30, minObs: 5 },
  };
  const reports = buildFactorReports(run, f.dbPath, f.rows, opts);
  assert.equal(reports.length, 2);
  const [skew, spread] = reports;
  const g = skew.gate!;
  const kept = f.rows.filter((x) => x.filled > 0 && Number.isFinite(x.clv));
  const passing = kept.filter((x) => x.skew >= 0.5);
  assert.equal(g.decided, kept.length);
  assert.equal(g.passed.n, passing.length);
  assert.equal(g.failed.n, kept.length - passing.length);
  assert.equal(g.delivered.n, g.passed.n, "enforce delivers passing signals only");
  assert.equal(g.suppressed.n, g.failed.n);
  assert.equal(
    g.delivered.pnlTicks,
    passing.reduce((a, x) => a + (Number.isFinite(x.pnlTicks) ? x.pnlTicks : 0), 0),
  );
  assert.equal(g.series.passed.at(-1), g.passed.pnlTicks);
  assert.equal(g.series.failed.at(-1), g.failed.pnlTicks);
  const t = skew.trailing!;
  assert.equal(t.meets.n + t.misses.n + t.warmUp.n, skew.selection.signals);
  assert.ok(t.warmUp.n >= 5, "the first 5 signals warm up");
  const s = skew.stacking!;
  assert.equal(s.cells.reduce((a, c) => a + c.n, 0), s.n);
  assert.match(s.note, /Thresholds of skew are in-sample medians/);
  assert.equal(s.b, "disagreement >= 0.08");
  // Family: both bucket tables, both trailing splits, the stack's tests and the gate's test.
  const expected = skew.testsTried + spread.testsTried + 2 + s.testsTried + 1;
  assert.equal(skew.family.testsTried, expected);
  assert.deepEqual(skew.family, spread.family);
  for (const x of skew.family.tests) assert.ok(x.pHolm >= x.pValue && x.pBh >= x.pValue);
  // Shadow delivers everything.
  const shadow = buildFactorReports(run, f.dbPath, f.rows, {
    ...BASE,
    gate: { ...opts.gate!, mode: "shadow" },
  })[0].gate!;
  assert.equal(shadow.delivered.n, kept.length);
  assert.equal(shadow.suppressed.n, 0);
  assert.equal(shadow.passed.n, passing.length);
  // A trailing-percentile gate: warm-up passes, the rule says so.
  const trailing = buildFactorReports(run, f.dbPath, f.rows, {
    ...BASE,
    gate: { mode: "enforce", factor: "skew", op: ">=", pct: 75, windowDays: 30, minObs: 10 },
  })[0].gate!;
  assert.equal(
    trailing.rule,
    "skew >= trailing q0.75 (30 d, 10 obs; warm-up passes)",
  );
  assert.ok(trailing.passed.n >= 10, "the 10 warm-up signals pass");
  assert.ok(trailing.failed.n > 0 && trailing.failed.n < kept.length - 10);
  assert.equal(trailing.delivered.n + trailing.suppressed.n, kept.length);
});

Deno.test("factors: empty run, no signals and unknown factors are clear errors", async () => {
  const f = await runFixture();
  const db = ResultsDb.open(f.dbPath);
  const run = db.run(f.runId)!;
  db.close();
  assert.throws(() => buildFactorReports(run, "db", [], BASE), {
    name: "RangeError",
    message: `Cannot analyze factors: run ${run.id} recorded no decisions (the strategy sent no ` +
      "orders), current value is 0 decisions",
  });
  const unfilled = f.rows.map((r) => ({ ...r, filled: 0 }));
  assert.throws(
    () => buildFactorReports(run, "db", unfilled, BASE),
    /has no signals \(\d+ decisions: \d+ unfilled, 0 without a closing line; try --include-unfilled\), current value is 0 signals/,
  );
  assert.ok(
    buildFactorReports(run, "db", unfilled, { ...BASE, includeUnfilled: true })[0].selection
      .signals > 0,
  );
  assert.throws(
    () => buildFactorReports(run, "db", f.rows, { ...BASE, factors: ["skw" as "skew"] }),
    /^RangeError: Cannot analyze factors: unknown factor \(known: skew, spread, .*\), current value is "skw"$/,
  );
  const noVol = f.rows.map((r) => ({ ...r, recentVolatility: NaN }));
  assert.throws(
    () => buildFactorReports(run, "db", noVol, { ...BASE, factors: ["recent_volatility"] }),
    /no signal of run \d+ has a finite recent_volatility \(\d+ of \d+ lack it\), current value is 0 signals/,
  );
});

Deno.test("factors: loadRun refuses a missing database, an unknown or unfinished run", async () => {
  const f = await runFixture();
  const missing = join(f.dir, "nope.sqlite");
  await assert.rejects(() => loadRun(missing, 1), {
    message: "Cannot analyze factors: no results database at this path (run deno task backtest " +
      `first, or pass --db), current value is ${missing}`,
  });
  await assert.rejects(() => Deno.stat(missing), Deno.errors.NotFound, "no database was created");
  await assert.rejects(() => loadRun(f.dbPath, 99), {
    message: `Cannot analyze factors: run 99 does not exist in ${f.dbPath} (runs: ${f.runId}), ` +
      "current value is 99",
  });
  const other = join(f.dir, "other.sqlite");
  const db = ResultsDb.open(other);
  const id = db.beginRun({
    strategy: "btc",
    config: {},
    seed: 1,
    codeVersion: "t",
    tapes: [],
    startedAt: "x",
  });
  db.close();
  await assert.rejects(() => loadRun(other, id), {
    message: `Cannot analyze factors: run ${id} is not complete, current value is running`,
  });
  const ok = await loadRun(f.dbPath, f.runId);
  assert.equal(ok.rows.length, f.rows.length);
});

Deno.test("factors: parseFactorArgs reads every option and rejects bad ones", () => {
  const a = parseFactorArgs([
    "--run",
    "2",
    "--factor",
    "skew",
    "--factor",
    "spread",
    "--cuts",
    "0.3,0.6",
    "--baseline",
    "0",
    "--windows",
    "3,9",
    "--trailing-pct",
    "80",
    "--window-days",
    "10",
    "--min-obs",
    "7",
    "--stack",
    "skew>=0.6,spread<=200",
    "--gate",
    "enforce",
    "--gate-max",
    "300",
    "--gate-factor",
    "spread",
    "--include-unfilled",
    "--out",
    "o",
  ]);
  assert.notEqual(a, "help");
  if (a === "help") return;
  assert.equal(a.runId, 2);
  assert.equal(a.dbPath, join("o", "results.sqlite"));
  assert.deepEqual(a.options.factors, ["skew", "spread"]);
  assert.deepEqual(a.options.spec, { cuts: [0.3, 0.6] });
  assert.equal(a.options.baseline, 0);
  assert.deepEqual(a.options.windowsDays, [3, 9]);
  assert.deepEqual(a.options.trailing, { pct: 80, windowDays: 10, minObs: 7 });
  assert.deepEqual(a.options.stack, [
    { factor: "skew", op: ">=", threshold: 0.6 },
    { factor: "spread", op: "<=", threshold: 200 },
  ]);
  assert.deepEqual(a.options.gate, {
    mode: "enforce",
    factor: "spread",
    op: "<=",
    threshold: 300,
    windowDays: 10,
    minObs: 7,
  });
  assert.equal(a.options.includeUnfilled, true);
  const d = parseFactorArgs(["--run", "1", "--factor", "mid"]);
  assert.ok(d !== "help" && "quantiles" in d.options.spec && d.options.spec.quantiles === 4);
  assert.equal(parseFactorArgs(["-h"]), "help");

  const bad = (args: string[], re: RegExp) => assert.throws(() => parseFactorArgs(args), re);
  bad(["--factor", "skew"], /Cannot parse --run: it is required, current value is none/);
  bad(["--run", "x", "--factor", "skew"], /--run: must be a run id, current value is "x"/);
  bad(["--run", "1"], /--factor: give at least one, current value is none/);
  bad(["--run", "1", "--factor", "skw"], /unknown factor \(known: .*\), current value is "skw"/);
  bad(
    ["--run", "1", "--factor", "skew", "--cuts", "0.5", "--quantiles", "3"],
    /--cuts and --quantiles: give one of them, current value is both/,
  );
  bad(["--run", "1", "--factor", "skew", "--cuts", "0.5,0.2"], /strictly increasing/);
  bad(["--run", "1", "--factor", "skew", "--cuts", "a"], /"a" is not a finite number/);
  bad(["--run", "1", "--factor", "skew", "--baseline", "4"], /index in \[0, 3\]/);
  bad(["--run", "1", "--factor", "skew", "--gate", "shadow"], /exactly one of --gate-min/);
  bad(["--run", "1", "--factor", "skew", "--gate-min", "1"], /need --gate shadow\|enforce/);
  bad(["--run", "1", "--factor", "skew", "--gate", "on", "--gate-min", "1"], /shadow or enforce/);
  bad(["--run", "1", "--factor", "skew", "--stack", "skew"], /two factors separated by a comma/);
  bad(["--run", "1", "--factor", "skew", "--stack", "skew,skew"], /must differ/);
  bad(["--run", "1", "--factor", "skew", "--trailing-pct", "100"], /percentile in \(0, 100\)/);
  bad(["--run", "1", "--factor", "skew", "--bogus"], /Unknown option '--bogus'/);
});

Deno.test("factors CLI: exit 0 with reports, 1 on a failed analysis, 2 on usage", async () => {
  const f = await runFixture();
  const out = join(f.dir, "cli");
  const ok = await runTask([
    "--run",
    String(f.runId),
    "--db",
    f.dbPath,
    "--out",
    out,
    "--factor",
    "skew",
    "--quantiles",
    "3",
    "--trailing-pct",
    "75",
    "--min-obs",
    "5",
    "--gate",
    "shadow",
    "--gate-min",
    "0.5",
  ]);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(ok.stdout, /## Buckets of skew/);
  const md = join(out, `run-${f.runId}`, "factors-skew.md");
  const html = join(out, `run-${f.runId}`, "factors-skew.html");
  assert.ok(ok.stdout.includes(`report: ${md}`));
  assert.equal(await Deno.readTextFile(md), ok.stdout.split("\nreport: ")[0]);
  assert.ok((await Deno.readTextFile(html)).length > 1_000_000, "Plotly inlined");

  const unknownRun = await runTask(["--run", "99", "--db", f.dbPath, "--factor", "skew"]);
  assert.equal(unknownRun.code, 1);
  assert.match(unknownRun.stderr, /error: Cannot analyze factors: run 99 does not exist/);
  const noDb = await runTask([
    "--run",
    "1",
    "--db",
    join(f.dir, "none.sqlite"),
    "--factor",
    "skew",
  ]);
  assert.equal(noDb.code, 1);
  assert.match(noDb.stderr, /no results database at this path/);
  const usage = await runTask(["--run", "1", "--factor", "nope"]);
  assert.equal(usage.code, 2);
  assert.match(usage.stderr, /unknown factor .* current value is "nope"/);
  assert.match(usage.stderr, /run 'deno task factors --help' for the options/);
});

Deno.test("factors CLI: --help lists every option and every factor", async () => {
  const help = await runTask(["--help"]);
  assert.equal(help.code, 0);
  const src = await Deno.readTextFile(TASK);
  const block = src.slice(src.indexOf("options: {"), src.indexOf("strict: true"));
  const names = [...block.matchAll(/^\s+"?([a-z-]+)"?: \{ type:/gm)].map((m) => m[1]);
  assert.ok(names.length >= 20, `found the option list (${names.length})`);
  for (const n of names) assert.match(help.stdout, new RegExp(`--${n}\\b`), `--${n} in --help`);
  for (
    const factor of [
      "skew",
      "spread",
      "time_to_close_min",
      "recent_volatility",
      "recent_volume",
      "disagreement",
      "touch_distance",
      "model_yes",
      "mid",
    ]
  ) {
    assert.match(help.stdout, new RegExp(`^  ${factor} `, "m"), factor);
  }
  assert.match(help.stdout, /Exit status: 0 on success; 1 when/);
});

Deno.test("factors CLI: the HTML report draws every chart in headless Chromium", async () => {
  try {
    await Deno.stat(CHROMIUM);
  } catch {
    assert.fail(
      `Cannot run the factor report test: ${CHROMIUM} is missing (apt-get install chromium)`,
    );
  }
  const f = await runFixture();
  const out = join(f.dir, "chromium");
  const r = await runTask([
    "--run",
    String(f.runId),
    "--db",
    f.dbPath,
    "--out",
    out,
    "--factor",
    "disagreement",
    "--trailing-pct",
    "75",
    "--min-obs",
    "5",
    "--gate",
    "enforce",
    "--gate-min",
    "0.08",
  ]);
  assert.equal(r.code, 0, r.stderr);
  const html = join(out, `run-${f.runId}`, "factors-disagreement.html");
  const ctl = new AbortController();
  const timer = setTimeout(() => ctl.abort(), 120_000);
  let dom: string;
  try {
    const res = await new Deno.Command(CHROMIUM, {
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        `--user-data-dir=${join(f.dir, "profile")}`,
        "--virtual-time-budget=8000",
        "--dump-dom",
        new URL(`file://${html}`).href,
      ],
      stdout: "piped",
      stderr: "piped",
      signal: ctl.signal,
    }).output();
    assert.equal(res.code, 0, new TextDecoder().decode(res.stderr));
    dom = new TextDecoder().decode(res.stdout);
  } finally {
    clearTimeout(timer);
  }
  const ids = [
    "chart-rate",
    "chart-clv",
    "chart-stability",
    "chart-over-time",
    "chart-trailing",
    "chart-gate",
  ];
  assert.ok(dom.includes("SYNTHETIC DATA"));
  for (const id of ids) {
    const start = dom.indexOf(`id="${id}"`);
    assert.ok(start >= 0, `${id} in the DOM`);
    const next = [...ids.map((x) => dom.indexOf(`id="${x}"`)), dom.indexOf("<h2>", start)]
      .filter((p) => p > start);
    const seg = dom.slice(start, next.length ? Math.min(...next) : undefined);
    assert.doesNotMatch(seg, /chart-error/, `${id}: Plotly loaded`);
    assert.match(seg, /<svg class="main-svg"/, `${id} drawn`);
  }
  // Error bars on the rate chart, boxes on the CLV chart.
  const rate = dom.slice(dom.indexOf('id="chart-rate"'), dom.indexOf('id="chart-clv"'));
  assert.match(rate, /class="errorbar"/);
  const clv = dom.slice(dom.indexOf('id="chart-clv"'), dom.indexOf('id="chart-stability"'));
  assert.match(clv, /class="[^"]*boxlayer/);
  assert.deepEqual(
    ids.slice(0, 4),
    factorChartIds({ trailing: undefined, gate: undefined } as never),
  );
});
