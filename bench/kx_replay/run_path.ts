/**
 * One benchmark path in its own process, so its peak memory is its own:
 * `deno run -A bench/kx_replay/run_path.ts --path ndjson|columnar|sqlite|columnar-l2|json-ceiling|scan-ceiling --file F --runs 3`
 *
 * Replay paths run the KX-REPLAY strategy through the real engine (read file,
 * decode, validate, replay, fill, settle, score) `runs` times in this process
 * and print one JSON line: per-run wall times, the median, events/s, the fills
 * digest and totals, and the process's peak RSS (VmHWM).
 *
 * @module
 */

import { parseArgs } from "node:util";
import { parsedOrExitCode } from "../../tasks/cli_args.ts";
import { createHash } from "node:crypto";
import { StreamMerger } from "../../lib/venue/stream.ts";
import { replay } from "../../lib/venue/replay.ts";
import { scoreReplay } from "../../lib/venue/score.ts";
import { type NdjsonBlockSource, ndjsonBlockSource } from "../../lib/tape/ndjson_source.ts";
import { columnarBlockSource, scanColumnarTs } from "../../lib/tape/columnar_reader.ts";
import { sqliteBlockSource } from "../../lib/tape/sqlite_tape.ts";
import type { BlockSource } from "../../lib/tape/block.ts";
import { KxReplayStrategy } from "./strategy.ts";
import { peakRssMb } from "./memory.ts";

/** What one path reports. */
export interface PathResult {
  readonly path: string;
  readonly events: number;
  readonly runsMs: number[];
  readonly medianMs: number;
  readonly eventsPerS: number;
  readonly fills?: number;
  readonly fillsDigest?: string;
  readonly feesTicks?: number;
  readonly pnlTicks?: number;
  readonly forecastsScored?: number;
  readonly fillRows?: [number, string, string, number, number, number][];
  /** NDJSON path: lines read, and lines read in place (without JSON.parse), in the last run. */
  readonly linesRead?: number;
  readonly linesInPlace?: number;
  readonly peakRssMb: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function source(path: string, file: string): BlockSource {
  if (path === "ndjson") return ndjsonBlockSource(file);
  if (path === "columnar" || path === "columnar-l2") return columnarBlockSource(file);
  if (path === "sqlite") return sqliteBlockSource(file);
  throw new RangeError(`Cannot run path: unknown path "${path}"`);
}

/** Digest of the fills as the peer prints them: one "ts,market,side,price,count,fee" line each. */
export function fillsDigest(
  rows: readonly (readonly [number, string, string, number, number, number])[],
): string {
  const h = createHash("sha256");
  for (const r of rows) h.update(`${r.join(",")}\n`);
  return h.digest("hex");
}

async function replayOnce(path: string, file: string) {
  // KX-REPLAY-L2 (columnar-l2): the L2 tape and the strategy's maker mode.
  const strategy = new KxReplayStrategy(path === "columnar-l2" ? { mode: "maker" } : {});
  const t0 = performance.now();
  const src = source(path, file);
  const result = await replay(new StreamMerger([src]), strategy, {
    seed: 1,
    latencyMs: 0,
    assumedQuoteSize: 0,
    strict: true,
  });
  const eventOf = (m: string) => result.marketEvents.get(m) ?? "?";
  const scores = scoreReplay(result, eventOf);
  const ms = performance.now() - t0;
  const parser = path === "ndjson" ? (src as NdjsonBlockSource).parser : undefined;
  return { ms, result, scores, linesRead: parser?.linesRead, linesInPlace: parser?.linesInPlace };
}

async function jsonCeiling(file: string): Promise<number> {
  // Read the file in chunks, split lines and JSON.parse each: no validation.
  const f = await Deno.open(file);
  const decoder = new TextDecoder();
  let rest = "";
  let n = 0;
  const buf = new Uint8Array(1 << 20);
  for (;;) {
    const got = await f.read(buf);
    if (got === null) break;
    const text = rest + decoder.decode(buf.subarray(0, got), { stream: true });
    let start = 0;
    for (let nl = text.indexOf("\n"); nl >= 0; nl = text.indexOf("\n", start)) {
      if (nl > start) {
        JSON.parse(text.slice(start, nl));
        n++;
      }
      start = nl + 1;
    }
    rest = text.slice(start);
  }
  if (rest.length > 0) {
    JSON.parse(rest);
    n++;
  }
  f.close();
  return n;
}

const PATHS = ["ndjson", "columnar", "sqlite", "columnar-l2", "json-ceiling", "scan-ceiling"];

const USAGE = `usage: deno run -A bench/kx_replay/run_path.ts --path ${
  PATHS.join("|")
} --file F [--runs N] [--with-fills]

Runs one KX-REPLAY benchmark path on tape F N times in this process (default 3)
and prints one JSON line: run times, median, events/s, fills digest and totals,
peak RSS. deno task bench runs it on the tapes it writes (write_tape.ts).`;

async function main(): Promise<number> {
  const values = parsedOrExitCode(
    () =>
      parseArgs({
        args: Deno.args,
        options: {
          path: { type: "string" },
          file: { type: "string" },
          runs: { type: "string", default: "3" },
          "with-fills": { type: "boolean", default: false },
          help: { type: "boolean", short: "h", default: false },
        },
      }).values,
    USAGE,
  );
  if (typeof values === "number") return values;
  const path = values.path ?? "";
  const file = values.file;
  const runs = Number(values.runs);
  if (!PATHS.includes(path) || file === undefined) {
    console.error(USAGE);
    return 2;
  }
  if (!Number.isSafeInteger(runs) || runs < 1) {
    console.error(`error: --runs must be an integer >= 1, current value is "${values.runs}"`);
    return 2;
  }
  const times: number[] = [];
  let out: PathResult;
  if (path === "json-ceiling" || path === "scan-ceiling") {
    let events = 0;
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      events = path === "json-ceiling"
        ? await jsonCeiling(file)
        : (await scanColumnarTs(file)).events;
      times.push(performance.now() - t0);
    }
    const m = median(times);
    out = {
      path,
      events,
      runsMs: times,
      medianMs: m,
      eventsPerS: events / (m / 1000),
      peakRssMb: peakRssMb(),
    };
  } else {
    let last: Awaited<ReturnType<typeof replayOnce>> | undefined;
    for (let r = 0; r < runs; r++) {
      last = await replayOnce(path, file);
      times.push(last.ms);
    }
    const { result, scores, linesRead, linesInPlace } = last!;
    const rows = result.fills.map((f) =>
      [f.ts, f.market, f.side, f.price, f.count, f.feeTicks] as [
        number,
        string,
        string,
        number,
        number,
        number,
      ]
    );
    const m = median(times);
    out = {
      path,
      events: result.eventsProcessed,
      runsMs: times,
      medianMs: m,
      eventsPerS: result.eventsProcessed / (m / 1000),
      fills: rows.length,
      fillsDigest: fillsDigest(rows),
      feesTicks: scores.trading.feesTicks,
      pnlTicks: scores.trading.pnlTicks,
      forecastsScored: scores.forecastsScored,
      fillRows: values["with-fills"] ? rows : undefined,
      linesRead,
      linesInPlace,
      peakRssMb: peakRssMb(),
    };
  }
  console.log(JSON.stringify(out));
  return 0;
}

if (import.meta.main) Deno.exit(await main());
