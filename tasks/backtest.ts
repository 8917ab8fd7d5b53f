/**
 * `deno task backtest`: replay tapes through a strategy, score it against the
 * market, store the run and write the reports. Run with --help for options.
 *
 * @module
 */

import type { LatencyConfig } from "../lib/engine/latency.ts";
import type { QueueConfig } from "../lib/engine/queue_fill.ts";
import { type RiskLimits, validateRiskLimits } from "../lib/risk/limits.ts";
import { gateFromOption, latencyFromOptions, queueFromOption } from "./execution_options.ts";
import type { GateConfig } from "../lib/research/gate.ts";
import { parseArgs } from "node:util";
import { parsedOrExitCode } from "./cli_args.ts";
import { join } from "node:path";
import { parseParams, STRATEGIES } from "../strategies/registry.ts";
import { arrayStream, type BlockSource, tapeFileStream } from "../lib/venue/stream.ts";
import { DEFAULT_REPLAY_CONFIG, type ReplayConfig } from "../lib/venue/replay.ts";
import { runBacktest } from "../lib/venue/run.ts";
import { writeNdjsonFile } from "../lib/tape/ndjson_writer.ts";
import { codeVersion } from "./code_version.ts";
import { formatSummary } from "./summary.ts";

const HELP = `deno task backtest [options]

Replays one or more tapes through a strategy, scores its forecasts against the
market's own prices (Brier, log loss, RPS, skill over market), simulates
fee-aware taker fills, stores the run in a SQLite results database and writes a
Markdown summary and a self-contained HTML report.

With no --tape, it generates the strategy's embedded default, a SYNTHETIC
tape from --seed, written to <out> so you can read it:
${
  Object.entries(STRATEGIES).map(([k, e]) =>
    `  ${k}: ${e.synthetic?.description ?? "none (pass --tape)"}`
  ).join("\n")
}

Options:
  --tape PATH          tape to replay (repeatable; merged by time, ties broken by
                       the order given): NDJSON, columnar (.kxc) or SQLite
                       (.sqlite), by extension. Formats: docs/TAPE.md
  --strategy NAME      strategy to run (default: btc). Known: ${Object.keys(STRATEGIES).join(", ")}
  --param KEY=VALUE    override a strategy parameter (repeatable); see the
                       strategy's README for the table, e.g. --param edgeTicks=200
  --seed N             seed of the strategy's PRNG and of the synthetic default
                       tape (default: 1). Same inputs + seed = same digest.
  --latency-ms L       order-entry latency: N ms, uniform:MIN:MAX or
                       lognormal:MEDIAN:SIGMA (seeded draws; default:
                       ${DEFAULT_REPLAY_CONFIG.latencyMs})
  --cancel-latency L   cancel latency, same forms (default: as --latency-ms)
  --feed-latency L     market-data latency added to every order's trip (default: 0)
  --queue-mode M       resting orders' queue model: pro_rata (default),
                       trades_only or pessimistic (docs/FILLS.md)
  --gate G            factor gate on every order as sent: MODE:FACTOR:OP:THRESHOLD,
                       e.g. enforce:skew:>=:0.6 (shadow records and sends anyway);
                       each decision is stored (records "gate_decisions")
  --risk FILE          risk limits (JSON, lib/risk/limits.ts; docs/RISK.md): every
                       order is checked before it is sent; rejections are stored
  --quote-size N       contracts assumed at the touch of quote-only books whose
                       data has no sizes (default: 0 = no taker fills there)
  --lenient            count and report crossed books and seq gaps instead of
                       failing (default: strict, the first one fails the run)
  --out DIR            output folder for the database and reports (default: out)
  --db PATH            results database (default: <out>/results.sqlite)
  --no-report          skip the Markdown and HTML reports
  --quiet              no progress display
  -h, --help           show this help

Exit status: 0 on success, 1 when the run failed (the error names the file,
line and field; the run is stored as failed), 2 on a usage error.
`;

async function main(args: string[]): Promise<number> {
  const v = parsedOrExitCode(
    () =>
      parseArgs({
        args,
        options: {
          tape: { type: "string", multiple: true },
          strategy: { type: "string", default: "btc" },
          param: { type: "string", multiple: true },
          seed: { type: "string", default: "1" },
          "latency-ms": { type: "string", default: String(DEFAULT_REPLAY_CONFIG.latencyMs) },
          "quote-size": { type: "string", default: "0" },
          "cancel-latency": { type: "string" },
          "feed-latency": { type: "string" },
          "queue-mode": { type: "string" },
          risk: { type: "string" },
          gate: { type: "string" },
          lenient: { type: "boolean", default: false },
          out: { type: "string", default: "out" },
          db: { type: "string" },
          "no-report": { type: "boolean", default: false },
          quiet: { type: "boolean", default: false },
          help: { type: "boolean", short: "h", default: false },
        },
      }).values,
    HELP,
  );
  if (typeof v === "number") return v;
  const usage = (msg: string) => {
    console.error(`error: ${msg}\nrun 'deno task backtest --help' for the options`);
    return 2;
  };
  const entry = STRATEGIES[v.strategy!];
  if (entry === undefined) {
    return usage(`unknown strategy "${v.strategy}"; known: ${Object.keys(STRATEGIES).join(", ")}`);
  }
  const seed = Number(v.seed);
  if (!Number.isSafeInteger(seed)) {
    return usage(`--seed must be an integer, current value is "${v.seed}"`);
  }
  let latency: LatencyConfig;
  let queue: QueueConfig | undefined;
  let risk: RiskLimits | undefined;
  let gate: GateConfig | undefined;
  try {
    latency = latencyFromOptions({
      entry: v["latency-ms"]!,
      cancel: v["cancel-latency"],
      feed: v["feed-latency"],
    });
    queue = queueFromOption(v["queue-mode"]);
    gate = gateFromOption(v.gate);
    if (v.risk !== undefined) {
      let text: string;
      try {
        text = Deno.readTextFileSync(v.risk);
      } catch (e) {
        return usage(`Cannot read --risk file ${v.risk}: ${(e as Error).message}`);
      }
      try {
        risk = JSON.parse(text) as RiskLimits;
      } catch (e) {
        return usage(`Cannot read --risk file ${v.risk}: not JSON (${(e as Error).message})`);
      }
      validateRiskLimits(risk);
    }
  } catch (e) {
    return usage((e as Error).message);
  }
  // A constant entry latency keeps its historical place in the config.
  const latencyMs = latency.entry.kind === "constant" ? latency.entry.ms : 0;
  const quoteSize = Number(v["quote-size"]);
  if (!Number.isFinite(quoteSize) || quoteSize < 0) {
    return usage(
      `--quote-size must be a non-negative number, current value is "${v["quote-size"]}"`,
    );
  }
  let params;
  try {
    params = parseParams(entry, v.param ?? []);
  } catch (e) {
    return usage((e as Error).message);
  }

  const outDir = v.out!;
  await Deno.mkdir(outDir, { recursive: true });
  const replayConfig: ReplayConfig = {
    seed,
    latencyMs,
    assumedQuoteSize: Math.round(quoteSize * 100),
    strict: !v.lenient,
    latency,
    ...(queue !== undefined ? { queue } : {}),
    ...(risk !== undefined ? { risk } : {}),
    ...(gate !== undefined ? { gate } : {}),
  };
  const tapes = v.tape ?? [];
  const synthetic = tapes.length === 0;
  let streams: BlockSource[];
  let tapeNames: string[];
  if (synthetic) {
    if (entry.synthetic === undefined) {
      return usage(`strategy "${v.strategy}" has no synthetic default; pass --tape`);
    }
    const events = entry.synthetic.generate(seed);
    const path = join(outDir, entry.synthetic.fileName(seed));
    await writeNdjsonFile(path, events);
    streams = [arrayStream(path, events)];
    tapeNames = [path];
  } else {
    for (const t of tapes) {
      try {
        const st = await Deno.stat(t);
        if (!st.isFile) return usage(`--tape ${t} is not a file`);
      } catch {
        return usage(`--tape ${t}: no such file`);
      }
    }
    streams = tapes.map((t) => tapeFileStream(t, { strict: !v.lenient }));
    tapeNames = tapes;
  }

  const progress = makeProgress(v.quiet!);
  const strategy = entry.create(params);
  try {
    const outcome = await runBacktest({
      strategy,
      streams,
      tapeNames,
      synthetic,
      replay: replayConfig,
      dbPath: v.db ?? join(outDir, "results.sqlite"),
      outDir,
      codeVersion: await codeVersion(),
      startedAt: new Date().toISOString(),
      now: () => new Date().toISOString(),
      reports: !v["no-report"],
      hooks: { onProgress: progress.tick, progressEvery: 16_384 },
    });
    progress.done();
    console.log(formatSummary(outcome, v.db ?? join(outDir, "results.sqlite")));
    return 0;
  } catch (e) {
    progress.done();
    console.error(`error: backtest failed: ${(e as Error).message}`);
    console.error("the run is recorded as failed in the results database");
    return 1;
  }
}

/** A progress line on stderr for runs longer than two seconds (wall clock, display only). */
function makeProgress(quiet: boolean) {
  const start = Date.now();
  let last = 0;
  let shown = false;
  return {
    tick: (n: number, ts: number) => {
      if (quiet) return;
      const now = Date.now();
      if (now - start < 2000 || now - last < 500) return;
      last = now;
      shown = true;
      const rate = Math.round(n / ((now - start) / 1000));
      const line = `replaying: ${n.toLocaleString("en-US")} events, tape time ${
        new Date(ts).toISOString().slice(0, 19)
      }Z, ${rate.toLocaleString("en-US")} events/s`;
      Deno.stderr.writeSync(new TextEncoder().encode(`\r${line}`));
    },
    done: () => {
      if (shown) Deno.stderr.writeSync(new TextEncoder().encode("\n"));
    },
  };
}

if (import.meta.main) Deno.exit(await main(Deno.args));
