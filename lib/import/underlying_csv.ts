/**
 * The `underlying-csv` importer: a dated series (one value per date) from a CSV
 * file into `underlying` events of one symbol. Spec: docs/import/underlying_csv.md.
 *
 * Options: `--symbol` (required), `--tz` (required: the zone in which dates are
 * calendar dates), and `--extra`:
 *
 * - `date_column` (default: the column named `date`, any case) and
 *   `value_column` (default: the column named `value`, any case);
 * - `period` = `day` (default) | `week` | `month`: the reference period a date
 *   starts (FRED dates a monthly series by the first of its month);
 * - `known_lag_days` = N (default 0) and `known_at` = `end_of_day` (default) |
 *   `HH:MM`: the value becomes known N days after the period's last day, at the
 *   end of that day or at that local time (lib/import/known_time.ts).
 *
 * The default (known at the end of its date) fits a daily close; it is a
 * LOOK-AHEAD for anything published later than the end of its date, above all a
 * monthly series dated by reference month (CPI for January is released in mid
 * February): give `period` and `known_lag_days` / `known_at` for such series.
 * When every date is the first of a month and `period` is `day`, the report
 * counts anomaly `look_ahead_risk_monthly_dates`.
 *
 * Rows: a blank value (or FRED's `.`) is no observation (skipped,
 * `blank_value`); a value known before 1970-01-01 UTC cannot be stamped on a tape
 * (skipped, `before_1970`); a repeated date with the same value is skipped
 * (`duplicate_row`), with another value rejected; input out of date order is
 * sorted and counted (`input_not_in_date_order`, once per file).
 *
 * @module
 */

import type { Importer, ImportInput, ImportOptions, ImportResult } from "./types.ts";
import { type CsvHeader, fieldCountProblem, readCsvRows } from "./csv_rows.ts";
import { feeFromOptions } from "./fee_options.ts";
import { zoneOption } from "./csv_options.ts";
import { ImportOptionError } from "./option_error.ts";
import {
  type CalendarDate,
  type ClockTime,
  knownTimeOfDate,
  type KnownTimeRule,
  parseClockTime,
  type Period,
} from "./known_time.ts";
import { TapeAssembly } from "./tape_assembly.ts";
import { ImportError } from "./types.ts";

const DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[ T]00:00:00)?$/;
const NUMBER = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/**
 * Parses a date `YYYY-MM-DD` (optionally followed by ` 00:00:00` or
 * `T00:00:00`, as some tools write a date).
 *
 * @throws {SyntaxError} for any other text, including another time of day.
 * @throws {RangeError} for a month or day out of range.
 *
 * @example
 * ```ts
 * import { parseSeriesDate } from "./underlying_csv.ts";
 *
 * parseSeriesDate("2011-08-18 00:00:00"); // { year: 2011, month: 8, day: 18 }
 * ```
 */
export function parseSeriesDate(s: string): CalendarDate {
  const m = DATE.exec(s);
  if (m === null) {
    throw new SyntaxError(
      `Cannot parse date: not YYYY-MM-DD (optionally with 00:00:00), current value is ${
        JSON.stringify(s)
      }`,
    );
  }
  const year = Number(m[1]);
  const month = Number(m[2]);
  const day = Number(m[3]);
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const dim = month === 2 && leap ? 29 : DAYS_IN_MONTH[month - 1];
  if (month < 1 || month > 12 || day < 1 || day > dim) {
    throw new RangeError(
      `Cannot parse date: month or day out of range, current value is ${JSON.stringify(s)}`,
    );
  }
  return { year, month, day };
}

function pickColumn(
  header: CsvHeader,
  option: string,
  given: string | undefined,
  dflt: string,
): number {
  if (given !== undefined) {
    const i = header.names.indexOf(given);
    if (i < 0) {
      throw new ImportError(
        header.file,
        header.line,
        given,
        `Cannot find column (option ${option}): missing from the header, current value is ${
          JSON.stringify(header.names.join(","))
        }`,
      );
    }
    return i;
  }
  const i = header.names.findIndex((n) => n.toLowerCase() === dflt);
  if (i < 0) {
    throw new ImportError(
      header.file,
      header.line,
      dflt,
      `Cannot find column: no column named ${dflt} (give --extra ${option}=<name>), current value is ${
        JSON.stringify(header.names.join(","))
      }`,
    );
  }
  return i;
}

/**
 * The known-time rule from the options (see the module doc).
 *
 * @throws {ImportOptionError} for a missing `tz` or a bad `period`, `known_at` or
 *   `known_lag_days`.
 */
export function knownTimeRuleOption(options: ImportOptions): KnownTimeRule {
  const zone = zoneOption(options, "underlying-csv");
  const extra = options.extra ?? {};
  const period = (extra.period ?? "day") as Period;
  if (period !== "day" && period !== "week" && period !== "month") {
    throw new ImportOptionError(
      "period",
      `Cannot use period: not day, week or month, current value is ${JSON.stringify(extra.period)}`,
    );
  }
  const lag = extra.known_lag_days ?? "0";
  if (!/^\d{1,4}$/.test(lag)) {
    throw new ImportOptionError(
      "known_lag_days",
      `Cannot use lag: not a non-negative integer of days, current value is ${JSON.stringify(lag)}`,
    );
  }
  const atText = extra.known_at ?? "end_of_day";
  let at: "end_of_day" | ClockTime = "end_of_day";
  if (atText !== "end_of_day") {
    try {
      at = parseClockTime(atText);
    } catch (e) {
      throw new ImportOptionError("known_at", `${(e as Error).message} (or end_of_day)`);
    }
  }
  return { zone, period, lagDays: Number(lag), at };
}

/**
 * Runs the importer (see the module doc and docs/import/underlying_csv.md).
 *
 * @throws {ImportOptionError} for a missing `--symbol` / `--tz` or a bad option.
 * @throws {ImportError} for a missing column, broken CSV, or (strict) a bad row.
 */
export function importUnderlyingCsv(
  inputs: readonly ImportInput[],
  options: ImportOptions,
): ImportResult {
  const symbol = options.symbol;
  if (symbol === undefined || symbol === "") {
    throw new ImportOptionError(
      "symbol",
      "Cannot import a series: no symbol (give --symbol, e.g. BTC or CPIAUCSL), current value is none",
    );
  }
  const rule = knownTimeRuleOption(options);
  const asm = new TapeAssembly({
    format: "underlying-csv",
    files: inputs.map((i) => i.name),
    strict: options.strict ?? true,
    fee: feeFromOptions(options),
  });
  const seen = new Map<string, { value: number; where: string }>();
  let rows = 0;
  let firstOfMonth = 0;
  for (const input of inputs) {
    const table = readCsvRows(input.name, input.text);
    const dateCol = pickColumn(table, "date_column", options.extra?.date_column, "date");
    const valueCol = pickColumn(table, "value_column", options.extra?.value_column, "value");
    const dateName = table.names[dateCol];
    const valueName = table.names[valueCol];
    let lastKey = "";
    let unordered = false;
    for (const r of table.rows) {
      const row = asm.row(input.name, r.line);
      const bad = fieldCountProblem(table, r.fields);
      if (bad !== null) {
        asm.reject(row, "(row)", bad);
        continue;
      }
      const dateText = r.fields[dateCol];
      let date: CalendarDate;
      try {
        date = parseSeriesDate(dateText);
      } catch (e) {
        asm.reject(row, dateName, (e as Error).message);
        continue;
      }
      const key = `${date.year}-${String(date.month).padStart(2, "0")}-${
        String(date.day).padStart(2, "0")
      }`;
      if (lastKey !== "" && key < lastKey && !unordered) {
        unordered = true;
        asm.anomaly("input_not_in_date_order", `${input.name}:${r.line} ${key} after ${lastKey}`);
      }
      lastKey = key;
      const text = r.fields[valueCol].trim();
      if (text === "" || text === ".") {
        asm.skip(row, "blank_value", `${key} (no observation)`);
        continue;
      }
      const value = NUMBER.test(text) ? Number(text) : NaN;
      if (!Number.isFinite(value)) {
        asm.reject(
          row,
          valueName,
          `Cannot parse value: not a decimal number, current value is ${JSON.stringify(text)}`,
        );
        continue;
      }
      const prev = seen.get(key);
      if (prev !== undefined) {
        if (prev.value === value) asm.skip(row, "duplicate_row", key);
        else {
          asm.reject(
            row,
            dateName,
            `Cannot accept observation: date already has value ${prev.value} at ${prev.where}, current value is ${
              JSON.stringify(dateText)
            }`,
          );
        }
        continue;
      }
      let ts: number;
      try {
        ts = knownTimeOfDate(date, rule);
      } catch (e) {
        asm.reject(row, dateName, (e as Error).message);
        continue;
      }
      seen.set(key, { value, where: `${input.name}:${r.line}` });
      if (ts < 0) {
        asm.skip(row, "before_1970", `${key} (tape times are ms since 1970, never negative)`);
        continue;
      }
      rows++;
      if (date.day === 1) firstOfMonth++;
      asm.data(row, { kind: "underlying", ts, symbol, value }, valueName);
    }
  }
  if (rule.period === "day" && rows >= 3 && firstOfMonth === rows) {
    asm.anomaly(
      "look_ahead_risk_monthly_dates",
      `all ${rows} dates are the 1st of a month: if they name reference months, the values were published weeks later; give --extra period=month and known_lag_days / known_at`,
    );
  }
  return asm.finish();
}

/** The `underlying-csv` importer. */
export const UNDERLYING_CSV_IMPORTER: Importer = {
  name: "underlying-csv",
  summary: "a dated series (date, value columns) as underlying events of --symbol",
  spec: "docs/import/underlying_csv.md",
  run: importUnderlyingCsv,
};
