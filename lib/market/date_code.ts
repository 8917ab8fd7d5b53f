/**
 * The date codes Kalshi writes in event tickers: `YYMON` for a month
 * (`KXCPI-25JUL`) and `YYMONDD` for a day (`KXHIGHNY-25AUG12`), with the month
 * as three capital letters.
 *
 * @module
 */

import { dayDate } from "../time/eastern.ts";

/** Month names as tickers write them, January first. */
export const MONTH_CODES: readonly string[] = [
  "JAN",
  "FEB",
  "MAR",
  "APR",
  "MAY",
  "JUN",
  "JUL",
  "AUG",
  "SEP",
  "OCT",
  "NOV",
  "DEC",
];

/**
 * `YYMON` of a year and month (1-12).
 *
 * @example
 * ```ts
 * monthCode(2025, 7); // "25JUL"
 * ```
 */
export function monthCode(year: number, month: number): string {
  return `${String(year % 100).padStart(2, "0")}${MONTH_CODES[month - 1]}`;
}

/**
 * `YYMONDD` of a day number (days since 1970-01-01).
 *
 * @example
 * ```ts
 * dayCode(dayNumber(2025, 8, 12)); // "25AUG12"
 * ```
 */
export function dayCode(day: number): string {
  const { year, month, day: d } = dayDate(day);
  return `${monthCode(year, month)}${String(d).padStart(2, "0")}`;
}
