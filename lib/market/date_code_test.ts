import assert from "node:assert/strict";
import { dayNumber } from "../time/eastern.ts";
import { dayCode, MONTH_CODES, monthCode } from "./date_code.ts";

Deno.test("date codes: YYMON and YYMONDD as Kalshi tickers write them", () => {
  assert.equal(MONTH_CODES.length, 12);
  assert.equal(monthCode(2025, 7), "25JUL");
  assert.equal(monthCode(2007, 1), "07JAN");
  assert.equal(dayCode(dayNumber(2025, 8, 12)), "25AUG12");
  assert.equal(dayCode(dayNumber(2024, 12, 1)), "24DEC01");
  assert.equal(dayCode(dayNumber(2024, 2, 29)), "24FEB29");
});
