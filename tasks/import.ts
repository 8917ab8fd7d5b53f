/**
 * `deno task import`: convert source files (recorder CSV logs, Kalshi API JSON)
 * into a validated tape. Run with --help for usage and the list of formats.
 *
 * @module
 */

import { readFileSync } from "node:fs";
import { tapeFormOf, writeTapeFile } from "../lib/tape/tape_file.ts";
import { parseArgs } from "node:util";
import { gunzipSync } from "node:zlib";
import { ImportOptionError } from "../lib/import/option_error.ts";
import { findImporter, IMPORTERS } from "../lib/import/registry.ts";
import { formatReport } from "../lib/import/report.ts";
import {
  ImportError,
  type ImportInput,
  type ImportOptions,
  type ImportReport,
} from "../lib/import/types.ts";
import { TapeError } from "../lib/tape/errors.ts";

/** Formats that take `--results FILE`. */
const RESULTS_FORMATS: ReadonlySet<string> = new Set(["candle-csv"]);

function help(): string {
  const width = Math.max(...IMPORTERS.map((im) => im.name.length));
  const formats = IMPORTERS.length === 0
    ? "  (none registered)"
    : IMPORTERS.map((im) =>
      `  ${im.name.padEnd(width)}  ${im.summary}\n  ${"".padEnd(width)}  spec: ${im.spec}`
    ).join("\n");
  return `deno task import <format> <files...> --out <tape> [options]

Reads the source files (a name ending in .gz is gunzipped), converts them with
the importer of <format>, validates every produced event as a tape reader would
(strict), and writes the tape in the form given by the extension of --out:
.ndjson/.jsonl (docs/TAPE.md), .kxc (columnar) or .sqlite/.db. The tape is
written to <tape>.tmp and renamed when complete, so a failed import never
clobbers an existing tape. Prints the import report (rows in, used, skipped,
rejects, events out, markets, time span, anomalies). Importing the same files
twice gives byte-identical tapes.

Formats:
${formats}

Options:
  --out FILE             the tape to write (required)
  --tz ZONE              IANA zone of zone-less timestamps (e.g. America/Los_Angeles);
                         required by formats with such timestamps, never guessed
  --strict               stop at the first bad row (default)
  --lenient              reject bad rows (listed in the report) and go on
  --fee-type TYPE        series fee type when the source has none:
                         quadratic (default), quadratic_with_maker_fees, flat
  --fee-multiplier M     series fee multiplier when the source has none (default 1)
  --results FILE         settlement results to attach (formats: ${[...RESULTS_FORMATS].join(", ")})
  --symbol NAME          symbol of underlying-series imports
  --extra KEY=VALUE      a format-specific option (repeatable; see the format's spec)
  --report-json FILE     also write the report as JSON
  -h, --help             show this help

Exit status: 0 on success, 1 on a data error (the message names file, line and
field), 2 on a usage error.
`;
}

/** A usage error: exit status 2. */
class UsageError extends Error {}

/** What to import and where (the parsed command line). */
export interface ImportJob {
  readonly format: string;
  readonly files: readonly string[];
  readonly out: string;
  readonly options: ImportOptions;
  /** Where to write the report as JSON, if anywhere. */
  readonly reportJson?: string;
}

/**
 * Reads a source file as UTF-8 text, gunzipping a `.gz` name.
 *
 * @throws {ImportError} When the file is not valid gzip or UTF-8 (line 0).
 */
export function readSource(path: string): string {
  let bytes: Uint8Array = readFileSync(path);
  if (path.toLowerCase().endsWith(".gz")) {
    try {
      bytes = gunzipSync(bytes);
    } catch (e) {
      throw new ImportError(
        path,
        0,
        "(file)",
        `Cannot gunzip: ${(e as Error).message}, current value is ${bytes.length} bytes`,
      );
    }
  }
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(bytes);
  } catch {
    throw new ImportError(
      path,
      0,
      "(file)",
      `Cannot decode: not UTF-8 text, current value is ${bytes.length} bytes`,
    );
  }
}

/**
 * Runs one import: read, convert, validate (strict), write to a temporary file
 * and rename it to `job.out`; writes the JSON report when asked.
 *
 * @returns The import report.
 * @throws {ImportError} For bad data (strict mode) or an unreadable file.
 * @throws {TapeError} When the produced events do not form a valid tape.
 * @throws {ImportOptionError} For a bad option of the format.
 */
export async function runImportJob(job: ImportJob): Promise<ImportReport> {
  const importer = findImporter(job.format);
  if (importer === undefined) {
    throw new UsageError(
      `Cannot import: unknown format, current value is ${JSON.stringify(job.format)} (see --help)`,
    );
  }
  const form = tapeFormOf(job.out);
  if (form === null) {
    throw new UsageError(
      `Cannot write tape: unknown form of --out (use .ndjson, .jsonl, .kxc, .sqlite or .db), current value is ${
        JSON.stringify(job.out)
      }`,
    );
  }
  const inputs: ImportInput[] = job.files.map((name) => ({ name, text: readSource(name) }));
  const { events, report } = importer.run(inputs, job.options);
  await writeTapeFile(job.out, events, `${job.out} (produced by ${job.format})`);
  if (job.reportJson !== undefined) {
    await Deno.writeTextFile(job.reportJson, JSON.stringify(report, null, 2) + "\n");
  }
  return report;
}

/**
 * Parses the command line into a job, or null for --help.
 *
 * @throws {UsageError} For a usage error.
 */
export function parseImportArgs(args: readonly string[]): ImportJob | null {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...args],
      options: {
        out: { type: "string" },
        tz: { type: "string" },
        strict: { type: "boolean" },
        lenient: { type: "boolean" },
        "fee-type": { type: "string" },
        "fee-multiplier": { type: "string" },
        results: { type: "string" },
        symbol: { type: "string" },
        extra: { type: "string", multiple: true },
        "report-json": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const v = parsed.values;
  if (v.help) return null;
  const [format, ...files] = parsed.positionals;
  if (format === undefined) throw new UsageError("Cannot import: no format given (see --help)");
  if (findImporter(format) === undefined) {
    throw new UsageError(
      `Cannot import: unknown format, current value is ${JSON.stringify(format)} (see --help)`,
    );
  }
  if (files.length === 0) throw new UsageError(`Cannot import ${format}: no input files given`);
  if (new Set(files).size !== files.length) {
    throw new UsageError(`Cannot import ${format}: an input file is given twice`);
  }
  if (v.out === undefined) throw new UsageError("Cannot import: --out FILE is required");
  if (v.strict && v.lenient) throw new UsageError("Cannot import: --strict and --lenient together");
  const extra: Record<string, string> = {};
  for (const kv of v.extra ?? []) {
    const i = kv.indexOf("=");
    if (i <= 0) {
      throw new UsageError(
        `Cannot read --extra: not KEY=VALUE, current value is ${JSON.stringify(kv)}`,
      );
    }
    extra[kv.slice(0, i)] = kv.slice(i + 1);
  }
  if (v["fee-type"] !== undefined) extra.fee_type = v["fee-type"];
  if (v["fee-multiplier"] !== undefined) extra.fee_multiplier = v["fee-multiplier"];
  const inputs = [...files];
  if (v.results !== undefined) {
    if (!RESULTS_FORMATS.has(format)) {
      throw new UsageError(
        `Cannot import ${format}: --results applies to ${[...RESULTS_FORMATS].join(", ")} only`,
      );
    }
    if (inputs.includes(v.results)) {
      throw new UsageError("Cannot import: the --results file is also given as an input");
    }
    inputs.push(v.results);
    extra.results = v.results;
  }
  const options: ImportOptions = {
    strict: !v.lenient,
    ...(v.tz !== undefined ? { tz: v.tz } : {}),
    ...(v.symbol !== undefined ? { symbol: v.symbol } : {}),
    extra,
  };
  return {
    format,
    files: inputs,
    out: v.out,
    options,
    ...(v["report-json"] !== undefined ? { reportJson: v["report-json"] } : {}),
  };
}

function isOptionError(e: unknown): boolean {
  return e instanceof ImportOptionError || (e instanceof Error && e.name === "OptionError");
}

/** Runs the task; returns the exit status (0 ok, 1 data error, 2 usage error). */
export async function main(args: readonly string[]): Promise<number> {
  let job: ImportJob | null;
  try {
    job = parseImportArgs(args);
  } catch (e) {
    if (e instanceof UsageError) {
      console.error(`error: ${e.message}\n\nRun "deno task import --help" for usage.`);
      return 2;
    }
    throw e;
  }
  if (job === null) {
    console.log(help());
    return 0;
  }
  try {
    const report = await runImportJob(job);
    console.log(`wrote ${job.out}\n${formatReport(report)}`);
    return 0;
  } catch (e) {
    if (e instanceof UsageError || isOptionError(e)) {
      console.error(`error: ${(e as Error).message}`);
      return 2;
    }
    if (e instanceof ImportError || e instanceof TapeError) {
      console.error(`error: ${e.message}`);
      return 1;
    }
    if (e instanceof Deno.errors.NotFound || e instanceof Deno.errors.PermissionDenied) {
      console.error(`error: ${(e as Error).message}`);
      return 1;
    }
    const code = (e as { code?: unknown }).code;
    if (code === "ENOENT" || code === "EACCES" || code === "EISDIR") {
      console.error(`error: ${(e as Error).message}`);
      return 1;
    }
    throw e;
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
