/**
 * Building an {@link ImportReport} while importing, and printing it.
 *
 * A {@link ReportBuilder} counts rows in, rows used and rows skipped, takes
 * rejects (throwing an {@link ImportError} in strict mode instead), counts
 * anomalies by code with up to {@link MAX_ANOMALY_EXAMPLES} examples each, and
 * at the end derives the output side (events out, distinct markets / events /
 * series, first and last ts) from the events themselves, so the report cannot
 * disagree with the tape. {@link ReportBuilder.finish} checks the accounting rule
 * of lib/import/types.ts (rowsIn = rowsUsed + rejects + skipped) and throws when
 * an importer broke it.
 *
 * @example
 * ```ts
 * import { ReportBuilder, formatReport } from "./report.ts";
 *
 * const b = new ReportBuilder("demo", ["a.csv"], { strict: false });
 * b.rowIn();
 * b.reject("a.csv", 2, "price", "Cannot parse price: not a number, current value is \"x\"");
 * const report = b.finish([]);
 * console.log(formatReport(report));
 * ```
 *
 * @module
 */

import type { TapeEvent } from "../tape/events.ts";
import { type ImportAnomaly, ImportError, type ImportReject, type ImportReport } from "./types.ts";

/** Examples kept per anomaly code (all occurrences are counted). */
export const MAX_ANOMALY_EXAMPLES = 5;

/** Rejects printed by {@link formatReport} (all are in the report). */
export const MAX_PRINTED_REJECTS = 20;

interface AnomalyAcc {
  count: number;
  examples: string[];
}

/** Accumulates what an importer read; see the module documentation. */
export class ReportBuilder {
  readonly format: string;
  readonly files: readonly string[];
  /** Strict: {@link reject} throws. Lenient: it records. */
  readonly strict: boolean;
  rowsIn = 0;
  rowsUsed = 0;
  skipped = 0;
  readonly rejects: ImportReject[] = [];
  readonly #anomalies = new Map<string, AnomalyAcc>();

  constructor(format: string, files: readonly string[], options: { strict?: boolean } = {}) {
    this.format = format;
    this.files = [...files];
    this.strict = options.strict ?? true;
  }

  /** Counts `n` rows read (header lines excluded). */
  rowIn(n = 1): void {
    this.rowsIn += n;
  }

  /** Counts `n` rows that contributed to at least one event. */
  used(n = 1): void {
    this.rowsUsed += n;
  }

  /**
   * Counts one row dropped for a stated, non-error reason, under anomaly `code`
   * (every skip reason is an anomaly, so nothing is dropped silently).
   */
  skip(code: string, example: string): void {
    this.skipped++;
    this.anomaly(code, example);
  }

  /**
   * A row that cannot be imported. Strict mode: throws the {@link ImportError}.
   * Lenient mode: records it as a reject (the row counts as rejected).
   *
   * @throws {ImportError} In strict mode.
   */
  reject(file: string, line: number, field: string, detail: string): void {
    if (this.strict) throw new ImportError(file, line, field, detail);
    this.rejects.push({ file, line, field, detail });
  }

  /** Counts `count` occurrences of anomaly `code`; keeps `example` among the first few. */
  anomaly(code: string, example?: string, count = 1): void {
    let acc = this.#anomalies.get(code);
    if (acc === undefined) {
      acc = { count: 0, examples: [] };
      this.#anomalies.set(code, acc);
    }
    acc.count += count;
    if (example !== undefined && acc.examples.length < MAX_ANOMALY_EXAMPLES) {
      acc.examples.push(example);
    }
  }

  /** How many times anomaly `code` was counted so far. */
  anomalyCount(code: string): number {
    return this.#anomalies.get(code)?.count ?? 0;
  }

  /**
   * The report for the produced `events` (in tape order).
   *
   * @throws {Error} When rowsIn !== rowsUsed + rejects + skipped (an importer bug).
   */
  finish(events: readonly TapeEvent[]): ImportReport {
    const accounted = this.rowsUsed + this.rejects.length + this.skipped;
    if (accounted !== this.rowsIn) {
      throw new Error(
        `Cannot finish import report (${this.format}): rows do not reconcile: rowsIn ${this.rowsIn} != rowsUsed ${this.rowsUsed} + rejects ${this.rejects.length} + skipped ${this.skipped}, current value is ${accounted}`,
      );
    }
    const markets = new Set<string>();
    const evs = new Set<string>();
    const series = new Set<string>();
    for (const ev of events) {
      if (ev.kind === "market") markets.add(ev.market);
      else if (ev.kind === "event") evs.add(ev.event);
      else if (ev.kind === "series") series.add(ev.series);
    }
    const codes = [...this.#anomalies.keys()].sort();
    const anomalies: ImportAnomaly[] = codes.map((code) => {
      const a = this.#anomalies.get(code)!;
      return { code, count: a.count, examples: [...a.examples] };
    });
    return {
      format: this.format,
      files: [...this.files],
      rowsIn: this.rowsIn,
      rowsUsed: this.rowsUsed,
      skipped: this.skipped,
      rejects: [...this.rejects],
      eventsOut: events.length,
      markets: markets.size,
      events: evs.size,
      series: series.size,
      firstTs: events.length > 0 ? events[0].ts : null,
      lastTs: events.length > 0 ? events[events.length - 1].ts : null,
      anomalies,
    };
  }
}

function isoOrNone(ts: number | null): string {
  return ts === null ? "-" : new Date(ts).toISOString();
}

/**
 * The report as text for the CLI: counts, time span, anomalies with examples and
 * the first {@link MAX_PRINTED_REJECTS} rejects (the JSON report has all).
 *
 * @example
 * ```ts
 * import { formatReport } from "./report.ts";
 *
 * formatReport({
 *   format: "demo", files: ["a.csv"], rowsIn: 0, rowsUsed: 0, skipped: 0, rejects: [],
 *   eventsOut: 0, markets: 0, events: 0, series: 0, firstTs: null, lastTs: null, anomalies: [],
 * });
 * ```
 */
export function formatReport(r: ImportReport): string {
  const out: string[] = [];
  out.push(`format:      ${r.format}`);
  out.push(`files:       ${r.files.length}${r.files.length === 1 ? ` (${r.files[0]})` : ""}`);
  out.push(`rows in:     ${r.rowsIn}`);
  out.push(`rows used:   ${r.rowsUsed}`);
  out.push(`skipped:     ${r.skipped}`);
  out.push(`rejects:     ${r.rejects.length}`);
  out.push(`events out:  ${r.eventsOut}`);
  out.push(`markets:     ${r.markets} (events ${r.events}, series ${r.series})`);
  out.push(`time span:   ${isoOrNone(r.firstTs)} .. ${isoOrNone(r.lastTs)}`);
  if (r.anomalies.length === 0) {
    out.push("anomalies:   none");
  } else {
    out.push("anomalies:");
    const width = Math.max(...r.anomalies.map((a) => a.code.length));
    for (const a of r.anomalies) {
      out.push(`  ${a.code.padEnd(width)}  ${a.count}`);
      for (const ex of a.examples) out.push(`    e.g. ${ex}`);
    }
  }
  if (r.rejects.length > 0) {
    const shown = r.rejects.slice(0, MAX_PRINTED_REJECTS);
    out.push(`rejects (first ${shown.length} of ${r.rejects.length}):`);
    for (const j of shown) out.push(`  ${j.file}:${j.line}: field "${j.field}": ${j.detail}`);
  }
  return out.join("\n") + "\n";
}
