/**
 * Kalshi `Series` and `Event` records into series and event declarations.
 *
 * - Series: `ticker`, `fee_type` (quadratic, quadratic_with_maker_fees or flat;
 *   other types, e.g. quadratic_with_combo_maker_fees, are rejected: the fee
 *   model does not know them), `fee_multiplier` (a JSON number >= 0 with at most 4
 *   decimals, stored in parts per 10,000).
 * - Event: `event_ticker`, `series_ticker`, `mutually_exclusive`. A non-null
 *   `fee_type_override` / `fee_multiplier_override` is not carried (the tape's
 *   fees are per series) and is counted as `event_fee_override_ignored`.
 *
 * @module
 */

import type { FeeType } from "../tape/events.ts";
import { FieldError, type KalshiRecord, showValue } from "./kalshi_fields.ts";
import type { EventDecl, SeriesDecl } from "./tape_assembly.ts";

const FEE_TYPES: ReadonlySet<string> = new Set<FeeType>([
  "quadratic",
  "quadratic_with_maker_fees",
  "flat",
]);

/**
 * A fee multiplier M as a JSON number into parts per 10,000.
 *
 * @throws {FieldError} when negative, not finite or finer than 0.0001.
 */
export function feeMultiplierOf(field: string, v: unknown): number {
  if (typeof v !== "number" || !Number.isFinite(v) || v < 0) {
    throw new FieldError(
      field,
      `Cannot read fee multiplier: not a non-negative number, current value is ${showValue(v)}`,
    );
  }
  const parts = Math.round(v * 10000);
  if (Math.abs(parts - v * 10000) > 1e-6) {
    throw new FieldError(
      field,
      `Cannot read fee multiplier: more than 4 decimals, current value is ${showValue(v)}`,
    );
  }
  return parts;
}

/**
 * A fee type name checked against the tape's set.
 *
 * @throws {FieldError} when unknown.
 */
export function feeTypeOf(field: string, v: unknown): FeeType {
  if (typeof v === "string" && FEE_TYPES.has(v)) return v as FeeType;
  throw new FieldError(
    field,
    `Cannot read fee type: not quadratic, quadratic_with_maker_fees or flat, current value is ${
      showValue(v)
    }`,
  );
}

/**
 * Converts one series record.
 *
 * @throws {FieldError} for a missing or bad field.
 */
export function convertSeries(rec: KalshiRecord): SeriesDecl {
  const series = rec.str("ticker");
  const feeType = feeTypeOf(rec.field("fee_type"), rec.raw("fee_type"));
  const feeMultiplier = feeMultiplierOf(rec.field("fee_multiplier"), rec.raw("fee_multiplier"));
  return { series, feeType, feeMultiplier };
}

/**
 * Converts one event record (its nested markets are separate records).
 *
 * @param notes Receives the anomaly codes of irregularities that do not reject it.
 * @throws {FieldError} for a missing or bad field.
 */
export function convertEvent(rec: KalshiRecord, notes: string[]): EventDecl {
  const event = rec.str("event_ticker");
  const series = rec.str("series_ticker");
  const mutuallyExclusive = rec.bool("mutually_exclusive");
  if (rec.has("fee_type_override") || rec.has("fee_multiplier_override")) {
    notes.push("event_fee_override_ignored");
  }
  return { event, series, mutuallyExclusive };
}
