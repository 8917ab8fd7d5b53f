/**
 * `deno task calibrate`: fits every strategy family (or one) on its history
 * files, stores each parameter set with its data window, fit statistics and the
 * calibration time in the results database (table `calibrations`,
 * lib/store/calibrations_db.ts), and prints a table. Run with --help for the
 * options and the method; the jobs are in strategies/calibration_jobs.ts and the
 * walk-forward method in strategies/walk_forward.ts.
 *
 * @module
 */

import { mkdirSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { parsedOrExitCode } from "./cli_args.ts";
import { CalibrationsDb, paramsToJson } from "../lib/store/calibrations_db.ts";
import {
  dayDate,
  easternDayNumber,
  easternWallToUtc,
  formatIsoDay,
  parseIsoDay,
} from "../lib/time/eastern.ts";
import {
  CALIBRATION_JOBS,
  type CalibrationJob,
  type CalibrationResult,
} from "../strategies/calibration_jobs.ts";
import { DEFAULT_OOS_FRACTION } from "../strategies/walk_forward.ts";

/** ../shared/data beside the repo: where the real history files live. */
export const DEFAULT_DATA_DIR: string = join(
  fileURLToPath(new URL("../", import.meta.url)),
  "..",
  "shared",
  "data",
);

/** `text` wrapped at 80 columns, the first line indented by `first`, the rest by `rest`. */
function wrap(text: string, first: number, rest: number): string {
  const lines: string[] = [];
  let line = " ".repeat(first);
  for (const word of text.split(" ")) {
    if (line.trim() !== "" && line.length + 1 + word.length > 80) {
      lines.push(line);
      line = " ".repeat(rest) + word;
    } else {
      line += (line.trim() === "" ? "" : " ") + word;
    }
  }
  lines.push(line);
  return lines.join("\n");
}

const HELP = `deno task calibrate [options]

Fits every strategy family (or the one named) on its history files, stores the
parameters with their data window, fit statistics and the calibration time in
the results database (table "calibrations"), and prints a table: family,
parameters, window, n, in-sample and out-of-sample log loss, the log loss of a
uniform PMF over the same ladders, and whether the family beats it.

Families and their data (under --data-dir):
${
  Object.values(CALIBRATION_JOBS).map((j) =>
    `  ${j.family.padEnd(7)} ${j.description}\n` +
    `          ${j.files.join(", ")}`
  ).join("\n")
}

Method (strategies/walk_forward.ts):
  - Window: the observations published before --until (all by default; tnote and
    gas use only their latest 2,500 / 1,500). Each observation's time is when it
    became known (a FRED value dated by its period is moved to its release).
  - Parameters: fitted once on the whole window; these are stored.
  - In-sample log loss: those parameters forecast every target in the window.
  - Out-of-sample log loss: walk-forward over the targets published in the last
    --oos-fraction of the window's time span: the decision for each target is
    taken before it is published, and the parameters are re-fitted (every few
    targets) on the data published before the decision time only.
  - Each forecast is a PMF over a realistic ladder centred on the last value
    known at decision time (never on the forecast), per family:
${Object.values(CALIBRATION_JOBS).map((j) => wrap(`${j.family}: ${j.method}`, 6, 8)).join("\n")}
  - Log loss: mean -ln p(bin of the outcome), nats, p floored at 2.2e-16.
    Uniform: ln(number of bins). "beats uniform": OOS log loss < uniform.

Options:
  --strategy NAME      family to calibrate (default: all). Known: ${
  Object.keys(CALIBRATION_JOBS).join(", ")
}
  --until YYYY-MM-DD   use only data published before 00:00 New York time that
                       day (default: all data)
  --oos-fraction F     fraction of the window scored out of sample, in (0, 1)
                       (default: ${DEFAULT_OOS_FRACTION})
  --data-dir DIR       folder of the history files (default: ../shared/data
                       beside the repo)
  --db PATH            results database (default: out/results.sqlite)
  --json               print the stored rows as JSON instead of the table
  --quiet              no progress lines on stderr
  -h, --help           show this help

Exit status: 0 on success, 1 when a family's data is missing or unreadable (the
error names the file) or its fit fails, 2 on a usage error.
`;

/** What the task needs from the outside world (injected by tests). */
export interface CalibrateDeps {
  /** Text of a file; throws (Deno.errors.NotFound, ...) when it cannot. */
  readText(path: string): string;
  /** Wall-clock time of the run (ms): stored as calibrated_at. */
  now(): number;
  /** Elapsed-time clock for progress lines only (ms). */
  clock(): number;
  stdout(text: string): void;
  stderr(text: string): void;
  /** The default of --data-dir. */
  defaultDataDir: string;
}

const DEFAULT_DEPS: CalibrateDeps = {
  readText: (path) => Deno.readTextFileSync(path),
  now: () => Date.now(),
  clock: () => performance.now(),
  stdout: (t) => console.log(t),
  stderr: (t) => console.error(t),
  defaultDataDir: DEFAULT_DATA_DIR,
};

/** One printed and stored row. */
interface Row {
  readonly id: number;
  readonly result: CalibrationResult;
}

/** The Eastern calendar day of a ms timestamp, as YYYY-MM-DD. */
function day(ts: number): string {
  return formatIsoDay(easternDayNumber(ts));
}

function loss(x: number): string {
  return Number.isNaN(x) ? "-" : x.toFixed(4);
}

/** Whether a result beats the uniform PMF out of sample. */
export function beatsUniform(r: CalibrationResult): boolean {
  return r.oos.n > 0 && r.oos.logLoss < r.oos.uniformLogLoss;
}

/** The results as an aligned, Markdown-compatible table. */
export function formatTable(results: readonly CalibrationResult[]): string {
  const head = [
    "family",
    "params",
    "window",
    "n",
    "in-sample",
    "OOS",
    "OOS n",
    "uniform",
    "beats uniform",
  ];
  const rows = results.map((r) => [
    r.family,
    r.summary,
    `${day(r.windowFrom)}..${day(r.windowTo - 1)}`,
    String(r.n),
    loss(r.inSample.logLoss),
    loss(r.oos.logLoss),
    String(r.oos.n),
    loss(r.oos.uniformLogLoss),
    beatsUniform(r) ? "yes" : "no",
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const numeric = new Set([3, 4, 5, 6, 7]);
  const line = (cells: string[]) =>
    `| ${
      cells.map((c, i) => (numeric.has(i) ? c.padStart(widths[i]) : c.padEnd(widths[i]))).join(
        " | ",
      )
    } |`;
  const sep = `|${
    widths.map((w, i) => (numeric.has(i) ? "-".repeat(w + 1) + ":" : "-".repeat(w + 2))).join("|")
  }|`;
  return [line(head), sep, ...rows.map(line)].join("\n");
}

/** Plain-data view of a stored row for --json (non-finite numbers as strings). */
function jsonRow(row: Row, calibratedAt: number): unknown {
  const r = row.result;
  return JSON.parse(paramsToJson({
    id: row.id,
    family: r.family,
    params: r.params,
    summary: r.summary,
    windowFrom: r.windowFrom,
    windowTo: r.windowTo,
    window: `${day(r.windowFrom)}..${day(r.windowTo - 1)}`,
    untilTs: r.untilTs,
    n: r.n,
    inSample: r.inSample,
    oos: r.oos,
    oosFrom: r.oosFrom,
    oosFraction: r.oosFraction,
    beatsUniform: beatsUniform(r),
    dataFiles: r.dataFiles,
    method: r.method,
    calibratedAt,
  }));
}

/** Runs the task; returns the exit status. */
export function main(args: string[], deps: Partial<CalibrateDeps> = {}): number {
  const d: CalibrateDeps = { ...DEFAULT_DEPS, ...deps };
  const v = parsedOrExitCode(
    () =>
      parseArgs({
        args,
        options: {
          strategy: { type: "string" },
          until: { type: "string" },
          "oos-fraction": { type: "string" },
          "data-dir": { type: "string" },
          db: { type: "string", default: join("out", "results.sqlite") },
          json: { type: "boolean", default: false },
          quiet: { type: "boolean", default: false },
          help: { type: "boolean", short: "h", default: false },
        },
      }).values,
    HELP,
    d,
  );
  if (typeof v === "number") return v;
  const usage = (msg: string) => {
    d.stderr(`error: ${msg}\nrun 'deno task calibrate --help' for the options`);
    return 2;
  };

  let jobs: CalibrationJob[];
  if (v.strategy === undefined) {
    jobs = Object.values(CALIBRATION_JOBS);
  } else if (Object.hasOwn(CALIBRATION_JOBS, v.strategy)) {
    jobs = [CALIBRATION_JOBS[v.strategy]];
  } else {
    return usage(
      `Cannot calibrate: unknown --strategy (known: ${
        Object.keys(CALIBRATION_JOBS).join(", ")
      }), current value is "${v.strategy}"`,
    );
  }
  let untilTs: number | undefined;
  if (v.until !== undefined) {
    try {
      const { year, month, day: dd } = dayDate(parseIsoDay(v.until));
      untilTs = easternWallToUtc(year, month, dd, 0, 0);
    } catch {
      return usage(
        `Cannot parse --until: expected a calendar date YYYY-MM-DD, current value is "${v.until}"`,
      );
    }
  }
  let oosFraction = DEFAULT_OOS_FRACTION;
  if (v["oos-fraction"] !== undefined) {
    oosFraction = Number(v["oos-fraction"]);
    if (!(oosFraction > 0 && oosFraction < 1)) {
      return usage(
        `Cannot parse --oos-fraction: expected a number in (0, 1), current value is "${
          v["oos-fraction"]
        }"`,
      );
    }
  }
  const dataDir = resolve(v["data-dir"] ?? d.defaultDataDir);
  const say = v.quiet ? () => {} : (family: string, msg: string) => d.stderr(`[${family}] ${msg}`);

  if (!isDirectory(dataDir)) {
    d.stderr(
      `error: Cannot read the history files: no such folder, current value is ${dataDir}\n` +
        `(set --data-dir; the default is ../shared/data beside the repo)`,
    );
    return 1;
  }
  // Read every file first: a missing or unreadable one fails the run before anything is stored.
  const texts = new Map<string, string>();
  const bytes = new Map<string, Uint8Array>();
  for (const job of jobs) {
    for (const file of job.files) {
      const path = join(dataDir, file);
      if (texts.has(path) || bytes.has(path)) continue;
      try {
        if (job.binary) bytes.set(path, Deno.readFileSync(path));
        else texts.set(path, d.readText(path));
      } catch (e) {
        const why = e instanceof Deno.errors.NotFound ? "no such file" : (e as Error).message;
        d.stderr(
          `error: Cannot read the data of ${job.family}: ${why}, current value is ${path}\n` +
            `(the history files live under --data-dir, default ../shared/data beside the repo)`,
        );
        return 1;
      }
    }
  }

  const dbPath = v.db!;
  let db: CalibrationsDb;
  try {
    if (dbPath !== ":memory:") mkdirSync(dirname(resolve(dbPath)), { recursive: true });
    db = CalibrationsDb.open(dbPath);
  } catch (e) {
    d.stderr(
      `error: Cannot open the results database: ${
        (e as Error).message
      }, current value is ${dbPath}`,
    );
    return 1;
  }
  const calibratedAt = d.now();
  const rows: Row[] = [];
  let status = 0;
  try {
    for (const job of jobs) {
      const t0 = d.clock();
      say(job.family, `calibrating (${job.files.join(", ")})`);
      let result: CalibrationResult;
      try {
        result = job.run((file) => texts.get(join(dataDir, file))!, {
          readBytes: (file) => bytes.get(join(dataDir, file))!,
          ...(untilTs !== undefined ? { untilTs } : {}),
          oosFraction,
          progress: (m) => say(job.family, m),
        });
      } catch (e) {
        d.stderr(`error: calibration of ${job.family} failed: ${(e as Error).message}`);
        status = 1;
        continue;
      }
      const id = db.insert({
        family: result.family,
        params: result.params,
        windowFrom: result.windowFrom,
        windowTo: result.windowTo,
        untilTs: result.untilTs,
        n: result.n,
        inSampleN: result.inSample.n,
        inSampleLogLoss: result.inSample.logLoss,
        oosN: result.oos.n,
        oosFrom: result.oosFrom,
        oosLogLoss: result.oos.logLoss,
        uniformLogLoss: result.oos.uniformLogLoss,
        method: `walk-forward, last ${oosFraction} of the window out of sample; ${result.method}`,
        dataFiles: result.dataFiles,
        calibratedAt,
      });
      rows.push({ id, result });
      say(job.family, `stored as calibration ${id} (${((d.clock() - t0) / 1000).toFixed(1)} s)`);
    }
  } finally {
    db.close();
  }
  if (v.json) {
    d.stdout(JSON.stringify(rows.map((r) => jsonRow(r, calibratedAt)), null, 2));
  } else if (rows.length > 0) {
    d.stdout(formatTable(rows.map((r) => r.result)));
    d.stdout(
      `\nwindow: New York publication dates of the first and last observation fitted; n: ` +
        `observations fitted; log loss in nats; OOS: walk-forward over the last ` +
        `${oosFraction} of each window (see --help); uniform: ln(bins) on the OOS ladders.\n` +
        `stored in ${dbPath} (table calibrations)`,
    );
  }
  return status;
}

/** Whether `path` is a directory; false when it does not exist. */
function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

if (import.meta.main) Deno.exit(main(Deno.args));
