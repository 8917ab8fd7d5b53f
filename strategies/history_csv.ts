/**
 * History files for calibration: CSV text of dated values (FRED's `date,value`,
 * AAA's `date,regular_gas_price`) read into `{ day, value }` rows, checked and in
 * date order. Pure: the caller reads the file and passes its text and name.
 *
 * Rules: the date column holds `YYYY-MM-DD` (FRED) or `YYYY-MM-DD HH:MM:SS`
 * (only midnight); an empty value or FRED's "." (no observation that day) is
 * skipped; any other value must be a finite number; a date may appear once.
 * Errors are {@link ImportError}s naming the file, line and field.
 *
 * @example
 * ```ts
 * import { datedValuesFromCsv } from "./history_csv.ts";
 * datedValuesFromCsv("DGS10.csv", "date,value\n2025-01-03,4.6\n2025-01-02,.\n", "value");
 * // [{ day: 20091, value: 4.6 }]
 * ```
 *
 * @module
 */

import { requireColumns, scanCsv, showRow } from "../lib/import/csv_rows.ts";
import { ImportError } from "../lib/import/types.ts";
import { formatIsoDay, parseIsoDay } from "../lib/time/eastern.ts";

/** A value dated by a calendar day (a day number: days since 1970-01-01). */
export interface DatedValue {
  readonly day: number;
  readonly value: number;
}

/**
 * The dated values of column `valueColumn` of a CSV file, sorted by day.
 *
 * @throws {ImportError} on a missing column, a bad date, a non-numeric value, a
 * repeated date, or broken CSV, naming file, line and field.
 */
export function datedValuesFromCsv(
  file: string,
  text: string,
  valueColumn: string,
  dateColumn = "date",
): DatedValue[] {
  let di = -1;
  let vi = -1;
  const out: (DatedValue & { line: number })[] = [];
  scanCsv(file, text, (fields, line) => {
    const rawDate = (fields[di] ?? "").trim();
    const raw = (fields[vi] ?? "").trim();
    if (fields.length <= Math.max(di, vi)) {
      throw new ImportError(
        file,
        line,
        "(row)",
        `Cannot read row: too few fields, current value is ${showRow(fields)}`,
      );
    }
    let day: number;
    try {
      day = parseIsoDay(rawDate.replace(/ 00:00:00$/, ""));
    } catch (e) {
      throw new ImportError(file, line, dateColumn, (e as Error).message);
    }
    if (raw === "" || raw === ".") return;
    const value = Number(raw);
    if (!Number.isFinite(value)) {
      throw new ImportError(
        file,
        line,
        valueColumn,
        `Cannot read value: not a finite number, current value is "${raw}"`,
      );
    }
    out.push({ day, value, line });
  }, (header) => {
    [di, vi] = requireColumns(header, [dateColumn, valueColumn]);
  });
  out.sort((a, b) => a.day - b.day || a.line - b.line);
  for (let i = 1; i < out.length; i++) {
    if (out[i].day === out[i - 1].day) {
      throw new ImportError(
        file,
        out[i].line,
        dateColumn,
        `Cannot read value: date repeated (also on line ${out[i - 1].line}), current value is ${
          formatIsoDay(out[i].day)
        }`,
      );
    }
  }
  return out.map((r) => ({ day: r.day, value: r.value }));
}
