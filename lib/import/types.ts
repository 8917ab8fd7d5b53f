/**
 * The contract every importer follows: source files in, tape events out, plus a
 * report of what was read. Importers are pure over their inputs (no clock, no
 * network); the `deno task import` CLI does the file I/O around them.
 *
 * Accounting rule (issue 4 acceptance): for every importer,
 * `rowsIn === rowsUsed + rejects.length + skipped` where `skipped` counts rows
 * dropped for a stated, non-error reason (an exact duplicate row, a blank value in
 * a series that marks "no observation" that way) and every skip reason is counted in
 * `anomalies`. Nothing is dropped silently.
 *
 * @module
 */

import type { TapeEvent } from "../tape/events.ts";

/** One source file given to an importer: its display name and its bytes/text. */
export interface ImportInput {
  /** The name used in errors and reports (normally the path as the user gave it). */
  readonly name: string;
  /** The file's text (gzip already undone by the caller). */
  readonly text: string;
}

/** A row that could not be imported, with where and why. */
export interface ImportReject {
  readonly file: string;
  /** 1-based line of the row in its file (for JSON: the 1-based index of the record). */
  readonly line: number;
  readonly field: string;
  readonly detail: string;
}

/** A counted irregularity (crossed book, gap, duplicate row, non-partitioning ladder). */
export interface ImportAnomaly {
  /** A short stable code, e.g. "crossed_book", "duplicate_row", "gap", "ladder_not_partition". */
  readonly code: string;
  readonly count: number;
  /** Up to a few examples, each naming file:line or the market. */
  readonly examples: readonly string[];
}

/** What an importer read and produced. */
export interface ImportReport {
  readonly format: string;
  readonly files: readonly string[];
  /** Data rows (or JSON records) read, header lines excluded. */
  readonly rowsIn: number;
  /** Rows that contributed to at least one event. */
  readonly rowsUsed: number;
  /** Rows dropped for a stated reason that is not an error (see module doc). */
  readonly skipped: number;
  readonly rejects: readonly ImportReject[];
  readonly eventsOut: number;
  /** Distinct markets, events and series in the output. */
  readonly markets: number;
  readonly events: number;
  readonly series: number;
  /** First and last event time (ms since epoch, UTC), or null for an empty tape. */
  readonly firstTs: number | null;
  readonly lastTs: number | null;
  readonly anomalies: readonly ImportAnomaly[];
}

/** Options common to all importers; each importer documents which it reads. */
export interface ImportOptions {
  /** IANA zone for zone-less timestamps (required by formats that have them; never guessed). */
  readonly tz?: string;
  /** Strict: the first bad row throws an ImportError. Lenient: bad rows become rejects. */
  readonly strict?: boolean;
  /** Symbol for underlying-series imports (e.g. "BTC", "CPIAUCSL"). */
  readonly symbol?: string;
  /** Free-form per-format options (documented by the format). */
  readonly extra?: Readonly<Record<string, string>>;
}

/** The output of an importer: time-ordered events (ties in a deterministic order) and a report. */
export interface ImportResult {
  readonly events: TapeEvent[];
  readonly report: ImportReport;
}

/** A registered import format. */
export interface Importer {
  /** The name used on the command line: `deno task import <name> ...`. */
  readonly name: string;
  /** One line for `--help`. */
  readonly summary: string;
  /** Path of the format's spec, relative to the repo root (e.g. "docs/import/top_of_book_csv.md"). */
  readonly spec: string;
  run(inputs: readonly ImportInput[], options: ImportOptions): ImportResult;
}

/** A source row that cannot be imported in strict mode: names file, line and field. */
export class ImportError extends Error {
  readonly file: string;
  readonly line: number;
  readonly field: string;
  readonly detail: string;

  constructor(file: string, line: number, field: string, detail: string) {
    super(`${file}:${line}: field "${field}": ${detail}`);
    this.name = "ImportError";
    this.file = file;
    this.line = line;
    this.field = field;
    this.detail = detail;
  }
}
