/**
 * `deno task bench`: the KX-REPLAY benchmark suite (bench/KX_REPLAY.md).
 *
 * Generates the seeded workload, writes it as NDJSON, columnar and SQLite, runs
 * each replay path in its own process (median of 3 in-process runs, plus
 * end-to-end wall time and peak memory), measures the ceilings (JSON.parse of
 * the NDJSON, a typed-array scan of the columnar file), runs the pandas peer on
 * the same NDJSON and sklearn on the same forecast pairs, checks that the answers
 * agree, and writes a JSON file and a Markdown table. It fails only when answers
 * disagree, never on speed (which is noisy).
 *
 * @module
 */

import { runImportBench } from "../bench/import_speed.ts";
import { parseArgs } from "node:util";
import { join } from "node:path";
import { type TapeFormName, type WriteResult } from "../bench/kx_replay/write_tape.ts";
import { compareFills, runPandasPeer, runSklearnPeer } from "../bench/kx_replay/peer.ts";
import type { PathResult } from "../bench/kx_replay/run_path.ts";
import { binaryScores } from "../lib/scoring/binary.ts";
import { Prng } from "../lib/random/prng.ts";
import { formatMoney } from "../lib/units/price.ts";
import { renderBenchMarkdown } from "./bench_report.ts";

const HELP = `deno task bench [options]

Runs the KX-REPLAY benchmark (bench/KX_REPLAY.md): a seeded synthetic workload of
ladder markets replayed by the workbench from NDJSON, columnar and SQLite tapes,
a pandas peer on the same NDJSON and sklearn on the same forecast pairs. Checks
that fills, fees and PnL are identical and scores agree within 1e-12; exits 1 if
they do not (speed never fails the run).

Options:
  --quick            1,000,000 events (CI smoke run; under a minute)
  --events N         workload size (default 10,000,000)
  --seed N           workload seed (default 1)
  --runs N           in-process runs per path, median reported (default 3)
  --scaling N        also replay an N-event columnar tape to show memory is flat
                     in tape length (default 3x events for full runs, off for --quick)
  --no-pandas        skip the pandas peer
  --keep             keep the generated tapes (in --work)
  --work DIR         where the tapes go (default: a temp dir)
  --out DIR          where results go (default: out/bench)
  -h, --help         this help

Needs /usr/bin/python3 with Debian's python3-pandas, python3-sklearn (see README).
`;

/** Everything one benchmark run measured. */
export interface BenchResults {
  readonly workload: {
    seed: number;
    events: number;
    ndjsonBytes: number;
    columnarBytes: number;
    sqliteBytes: number;
  };
  readonly machine: { cpus: number; deno: string; v8: string; os: string };
  readonly generation: { ndjsonS: number; columnarS: number; sqliteS: number };
  readonly paths: (PathResult & { wallS: number })[];
  readonly ceilings: (PathResult & { wallS: number })[];
  readonly pandas?: {
    totalS: number;
    readS: number;
    computeS: number;
    peakRssMb: number;
    eventsPerS: number;
  };
  readonly scoring: {
    pairs: number;
    brier: number;
    logLoss: number;
    /** Seconds for one pass computing both Brier and log loss (median). */
    scoreS: number;
    pairsPerS: number;
    sklearn?: { brier: number; logLoss: number; brierS: number; logLossS: number };
  };
  readonly scaling?: (PathResult & { wallS: number })[];
  /** KX-REPLAY-L2: the columnar path with L2 books and maker fills (no peer). */
  readonly l2?: PathResult & { wallS: number };
  /** The data lane's import benchmark (real KXHIGHNY top-of-book logs), or why it did not run. */
  readonly importBench?: { rows: number; seconds: number; rowsPerSec: number } | {
    skipped: string;
  };
  readonly checks: { name: string; ok: boolean; detail: string }[];
  /** Path processes killed by a signal and run again (a runtime crash, not a failed check). */
  readonly crashes: string[];
  readonly targets: { name: string; ok: boolean; detail: string }[];
}

const log = (msg: string) => console.error(`bench: ${msg}`);
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** Paths whose process was killed by a signal and run again (reported with the results). */
const crashes: string[] = [];

/**
 * Runs a bench script (relative to this file) in a child Deno process: its
 * exit, its wall time, and the JSON of its last stdout line on success.
 */
async function runScript<T>(script: string, args: readonly string[]) {
  const path = new URL(script, import.meta.url).pathname;
  const t0 = performance.now();
  const res = await new Deno.Command(Deno.execPath(), {
    args: ["run", "-A", path, ...args],
    stdout: "piped",
    stderr: "piped",
  }).output();
  const wallS = (performance.now() - t0) / 1000;
  const out = res.code === 0
    ? JSON.parse(new TextDecoder().decode(res.stdout).trim().split("\n").pop()!) as T
    : undefined;
  return { res, wallS, out, stderr: () => new TextDecoder().decode(res.stderr) };
}

async function runPath(path: string, file: string, runs: number, withFills = false) {
  const args = ["--path", path, "--file", file, "--runs", String(runs)];
  if (withFills) args.push("--with-fills");
  for (let attempt = 1;; attempt++) {
    const { res, wallS, out, stderr } = await runScript<PathResult>(
      "../bench/kx_replay/run_path.ts",
      args,
    );
    if (out !== undefined) return { ...out, wallS };
    // A process killed by a signal (the runtime crashed, not a failed check) is run
    // once more and the crash is reported; any other failure stops the benchmark.
    if (res.signal !== null && attempt === 1) {
      const what = `path ${path}: process killed by ${res.signal} (exit ${res.code}), run again`;
      log(what);
      crashes.push(what);
      continue;
    }
    throw new Error(
      `path ${path} failed (exit ${res.code}${
        res.signal === null ? "" : `, ${res.signal}`
      }):\n${stderr()}`,
    );
  }
}

async function fileSize(p: string): Promise<number> {
  return (await Deno.stat(p)).size;
}

/**
 * Waits until the files' written pages are on disk, so the kernel's background
 * writeback of freshly generated tapes (gigabytes) does not compete with the
 * timed paths that follow.
 */
async function flushToDisk(paths: readonly string[]): Promise<void> {
  for (const p of paths) {
    const f = await Deno.open(p, { read: true, write: true });
    try {
      await f.syncData();
    } finally {
      f.close();
    }
  }
}

/**
 * Writes one tape form of the workload in a child process (write_tape.ts), so
 * this process stays idle while it times the paths: a process that just
 * allocated gigabytes keeps its garbage collector's threads busy for a while,
 * and on 2 cores they slowed the columnar path started right after by about
 * 12%.
 */
async function writeTapeInChild(
  form: TapeFormName,
  path: string,
  seed: number,
  events: number,
): Promise<WriteResult> {
  const args = ["--form", form, "--file", path, "--events", String(events), "--seed", String(seed)];
  const { res, out, stderr } = await runScript<WriteResult>(
    "../bench/kx_replay/write_tape.ts",
    args,
  );
  if (out === undefined) {
    throw new Error(`writing the ${form} tape failed (exit ${res.code}):\n${stderr()}`);
  }
  return out;
}

async function main(args: string[]): Promise<number> {
  const { values: v } = parseArgs({
    args,
    options: {
      quick: { type: "boolean", default: false },
      events: { type: "string" },
      seed: { type: "string", default: "1" },
      runs: { type: "string", default: "3" },
      scaling: { type: "string" },
      "no-pandas": { type: "boolean", default: false },
      keep: { type: "boolean", default: false },
      work: { type: "string" },
      out: { type: "string", default: "out/bench" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (v.help) {
    console.log(HELP);
    return 0;
  }
  const events = Number(v.events ?? (v.quick ? 1_000_000 : 10_000_000));
  const seed = Number(v.seed);
  const runs = Number(v.runs);
  if (!Number.isSafeInteger(events) || events < 1000) {
    console.error(`error: --events must be an integer >= 1000, current value is "${v.events}"`);
    return 2;
  }
  const scalingEvents = v.scaling !== undefined ? Number(v.scaling) : v.quick ? 0 : events * 3;
  const work = v.work ?? await Deno.makeTempDir({ prefix: "kx-bench-" });
  await Deno.mkdir(work, { recursive: true });
  await Deno.mkdir(v.out!, { recursive: true });
  const ndjson = join(work, `kx_replay_${events}.ndjson`);
  const columnar = join(work, `kx_replay_${events}.kxc`);
  const sqlite = join(work, `kx_replay_${events}.sqlite`);
  const t = performance.now();

  log(`generating KX-REPLAY workload: ${events.toLocaleString("en-US")} events, seed ${seed}`);
  const wl = await writeTapeInChild("ndjson", ndjson, seed, events);
  const ndjsonS = wl.seconds;
  const columnarS = (await writeTapeInChild("columnar", columnar, seed, events)).seconds;
  const sqliteS = (await writeTapeInChild("sqlite", sqlite, seed, events)).seconds;
  log(
    `tapes written (ndjson ${ndjsonS.toFixed(1)} s, columnar ${columnarS.toFixed(1)} s, sqlite ${
      sqliteS.toFixed(1)
    } s); flushing them to disk before timing`,
  );
  await flushToDisk([ndjson, columnar, sqlite]);

  const paths: (PathResult & { wallS: number })[] = [];
  for (const [p, f] of [["columnar", columnar], ["ndjson", ndjson], ["sqlite", sqlite]] as const) {
    log(`replaying the ${p} path (${runs} runs in one process)`);
    paths.push(await runPath(p, f, runs, p === "columnar"));
  }
  const ceilings: (PathResult & { wallS: number })[] = [];
  log("measuring ceilings: JSON.parse of the NDJSON, typed-array scan of the columnar file");
  ceilings.push(await runPath("json-ceiling", ndjson, runs));
  ceilings.push(await runPath("scan-ceiling", columnar, runs));

  // KX-REPLAY-L2: L2 books and resting (maker) orders filled by queue position.
  const l2File = join(work, `kx_replay_l2_${events}.kxc`);
  log("KX-REPLAY-L2: writing the L2 form of the workload and replaying it with maker orders");
  await writeTapeInChild("columnar-l2", l2File, seed, events);
  await flushToDisk([l2File]);
  const l2 = await runPath("columnar-l2", l2File, runs);
  await Deno.remove(l2File);

  const checks: BenchResults["checks"] = [];
  const [col, nd, sq] = paths;
  for (const other of [nd, sq]) {
    const same = other.fillsDigest === col.fillsDigest && other.pnlTicks === col.pnlTicks &&
      other.feesTicks === col.feesTicks && other.events === col.events;
    checks.push({
      name: `${other.path} path = columnar path`,
      ok: same,
      detail:
        `${other.fills} fills, PnL ${other.pnlTicks}, fees ${other.feesTicks}, events ${other.events}`,
    });
  }
  if (col.events !== wl.events) {
    checks.push({
      name: "events replayed = events written",
      ok: false,
      detail: `${col.events} vs ${wl.events}`,
    });
  }

  let pandas: BenchResults["pandas"];
  if (!v["no-pandas"]) {
    log("running the pandas peer on the same NDJSON");
    const peer = await runPandasPeer(ndjson);
    const cmp = compareFills(col.fillRows ?? [], peer.fills ?? []);
    checks.push({
      name: "fills identical to pandas",
      ok: cmp.identical && peer.fills_digest === col.fillsDigest,
      detail: cmp.identical
        ? `${peer.fills_count} fills, digest ${peer.fills_digest.slice(0, 12)}`
        : cmp.firstDifference ?? "differ",
    });
    checks.push({
      name: "fees and PnL identical to pandas",
      ok: peer.fees_total === col.feesTicks && peer.pnl_total === col.pnlTicks,
      detail: `fees $${formatMoney(peer.fees_total)} vs $${formatMoney(col.feesTicks!)}, PnL $${
        formatMoney(peer.pnl_total)
      } vs $${formatMoney(col.pnlTicks!)}`,
    });
    pandas = {
      totalS: peer.timings.total_s,
      readS: peer.timings.read_s,
      computeS: peer.timings.compute_s,
      peakRssMb: peer.peak_rss_mb,
      eventsPerS: wl.events / peer.timings.total_s,
    };
  }

  log("scoring: our Brier and log loss vs sklearn on the same pairs");
  const pairs = Math.max(events, 1_000_000);
  const rng = new Prng(seed);
  const p = new Float64Array(pairs);
  const y = new Uint8Array(pairs);
  for (let i = 0; i < pairs; i++) {
    p[i] = rng.next();
    y[i] = rng.next() < p[i] ? 1 : 0;
  }
  // One pass computes both scores (the scoring hot path); median of `runs`.
  const sT: number[] = [];
  let brier = 0;
  let ll = 0;
  for (let r = 0; r < runs; r++) {
    const s = performance.now();
    const scores = binaryScores(p, y);
    sT.push((performance.now() - s) / 1000);
    brier = scores.brier;
    ll = scores.logLoss;
  }
  const pPath = join(work, "pairs_p.f64");
  const yPath = join(work, "pairs_y.u8");
  await Deno.writeFile(pPath, new Uint8Array(p.buffer));
  await Deno.writeFile(yPath, y);
  const sk = await runSklearnPeer(pPath, yPath);
  const rel = (a: number, b: number) => Math.abs(a - b) / Math.max(Math.abs(b), Number.MIN_VALUE);
  checks.push({
    name: "Brier = sklearn within 1e-12",
    ok: rel(brier, sk.brier) <= 1e-12,
    detail: `${brier} vs ${sk.brier}`,
  });
  checks.push({
    name: "log loss = sklearn within 1e-12",
    ok: rel(ll, sk.log_loss) <= 1e-12,
    detail: `${ll} vs ${sk.log_loss}`,
  });
  const scoreS = median(sT);
  const scoring = {
    pairs,
    brier,
    logLoss: ll,
    scoreS,
    pairsPerS: pairs / scoreS,
    sklearn: { brier: sk.brier, logLoss: sk.log_loss, brierS: sk.brier_s, logLossS: sk.log_loss_s },
  };

  let scaling: BenchResults["scaling"];
  if (scalingEvents > 0) {
    const big = join(work, `kx_replay_${scalingEvents}.kxc`);
    log(
      `memory scaling: writing and replaying a ${
        scalingEvents.toLocaleString("en-US")
      }-event columnar tape`,
    );
    await writeTapeInChild("columnar", big, seed, scalingEvents);
    await flushToDisk([big]);
    scaling = [col, await runPath("columnar", big, 1)];
    await Deno.remove(big);
  }

  let importBench: BenchResults["importBench"];
  try {
    log("import: the KXHIGHNY top-of-book logs (../shared/data) with deno task import's job");
    importBench = await runImportBench();
  } catch (e) {
    importBench = { skipped: e instanceof Error ? e.message : String(e) };
  }

  const results: BenchResults = {
    workload: {
      seed,
      events: wl.events,
      ndjsonBytes: await fileSize(ndjson),
      columnarBytes: await fileSize(columnar),
      sqliteBytes: await fileSize(sqlite),
    },
    machine: {
      cpus: navigator.hardwareConcurrency,
      deno: Deno.version.deno,
      v8: Deno.version.v8,
      os: `${Deno.build.os} ${Deno.build.arch}`,
    },
    generation: { ndjsonS, columnarS, sqliteS },
    paths: paths.map((x) => ({ ...x, fillRows: undefined })),
    ceilings,
    pandas,
    scoring,
    scaling,
    l2,
    importBench,
    checks,
    crashes,
    targets: targetsOf(
      paths,
      ceilings,
      pandas,
      scoring,
      scaling,
      importBench,
      l2,
      v.quick!,
      (performance.now() - t) / 1000,
    ),
  };
  const base = join(v.out!, `kx_replay_${events}`);
  await Deno.writeTextFile(`${base}.json`, JSON.stringify(results, null, 2) + "\n");
  const md = renderBenchMarkdown(results);
  await Deno.writeTextFile(`${base}.md`, md);
  console.log(md);
  console.log(`results: ${base}.json, ${base}.md`);
  if (!v.keep && v.work === undefined) await Deno.remove(work, { recursive: true });
  const failed = checks.filter((c) => !c.ok);
  if (failed.length > 0) {
    console.error(
      `bench: ${failed.length} agreement check(s) FAILED: ${failed.map((c) => c.name).join("; ")}`,
    );
    return 1;
  }
  return 0;
}

function targetsOf(
  paths: (PathResult & { wallS: number })[],
  ceilings: (PathResult & { wallS: number })[],
  pandas: BenchResults["pandas"],
  scoring: BenchResults["scoring"],
  scaling: BenchResults["scaling"],
  importBench: BenchResults["importBench"],
  l2: BenchResults["l2"],
  quick: boolean,
  totalS: number,
): BenchResults["targets"] {
  const [col, nd] = paths;
  const [jsonC] = ceilings;
  const t: BenchResults["targets"] = [];
  const m = (x: number) => `${(x / 1e6).toFixed(2)}M/s`;
  t.push({
    name: "columnar >= 10M events/s",
    ok: col.eventsPerS >= 10e6,
    detail: m(col.eventsPerS),
  });
  t.push({
    name: "NDJSON >= 70% of the JSON.parse ceiling",
    ok: nd.eventsPerS >= 0.7 * jsonC.eventsPerS,
    detail: `${m(nd.eventsPerS)} / ${m(jsonC.eventsPerS)} = ${
      (100 * nd.eventsPerS / jsonC.eventsPerS).toFixed(0)
    }%`,
  });
  if (pandas) {
    t.push({
      name: "columnar >= 20x pandas",
      ok: col.eventsPerS >= 20 * pandas.eventsPerS,
      detail: `${(col.eventsPerS / pandas.eventsPerS).toFixed(1)}x`,
    });
    t.push({
      name: "NDJSON >= 5x pandas",
      ok: nd.eventsPerS >= 5 * pandas.eventsPerS,
      detail: `${(nd.eventsPerS / pandas.eventsPerS).toFixed(1)}x`,
    });
  }
  t.push({
    name: "scoring >= 50M pairs/s",
    ok: scoring.pairsPerS >= 50e6,
    detail: m(scoring.pairsPerS),
  });
  if (scoring.sklearn) {
    const ours = scoring.scoreS;
    const theirs = scoring.sklearn.brierS + scoring.sklearn.logLossS;
    t.push({
      name: "scoring >= 10x sklearn",
      ok: theirs >= 10 * ours,
      detail: `${(theirs / ours).toFixed(1)}x`,
    });
  }
  t.push({
    name: "columnar peak memory < 1 GiB",
    ok: col.peakRssMb < 1024,
    detail: `${col.peakRssMb.toFixed(0)} MiB`,
  });
  if (scaling && scaling.length === 2) {
    const [a, b] = scaling;
    t.push({
      name: "memory flat in tape length",
      ok: b.peakRssMb < a.peakRssMb * 1.25,
      detail: `${a.events.toLocaleString("en-US")} events: ${a.peakRssMb.toFixed(0)} MiB; ${
        b.events.toLocaleString("en-US")
      } events: ${b.peakRssMb.toFixed(0)} MiB`,
    });
  }
  if (l2 !== undefined) {
    t.push({
      name: "columnar with L2 books + maker fills >= 5M events/s",
      ok: l2.eventsPerS >= 5e6,
      detail: `${m(l2.eventsPerS)} (${l2.fills} maker fills)`,
    });
  }
  if (importBench !== undefined && "rows" in importBench) {
    t.push({
      name: `import ${importBench.rows.toLocaleString("en-US")} top-of-book rows < 30 s`,
      ok: importBench.seconds < 30,
      detail: `${importBench.seconds.toFixed(2)} s (${
        Math.round(importBench.rowsPerSec).toLocaleString("en-US")
      } rows/s)`,
    });
  }
  if (quick) {
    t.push({ name: "--quick under a minute", ok: totalS < 60, detail: `${totalS.toFixed(1)} s` });
  }
  return t;
}

if (import.meta.main) Deno.exit(await main(Deno.args));
