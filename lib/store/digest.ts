/**
 * The results digest: a SHA-256 over a canonical serialization of everything a
 * run produced (forecasts, orders, fills, settlements, metrics). Two runs with the
 * same inputs and seed must produce byte-identical results (DESIGN.md §4); equal
 * digests prove it, and a digest computed from rows read back from the results
 * database equals the one computed from the rows as the run produced them.
 *
 * Canonical form (version `results-digest/v1`):
 * - sections in the fixed order forecasts, orders, fills, settlements, metrics,
 *   each introduced by a line `<name> <row count>`;
 * - one line per row, in the order given (row order is part of the result), with
 *   the fields in the fixed order of the row interface, joined by `,`;
 * - strings as JSON string literals (so no separator can be forged), `null` as
 *   `null`, numbers in the shortest round-trip form of ECMAScript `Number#toString`
 *   (deterministic by specification) with `-0` written as `0` (SQLite does not
 *   keep the sign of zero) and `NaN` / `Infinity` / `-Infinity` spelled out.
 *
 * Pure: no I/O.
 *
 * @example
 * ```ts
 * import { resultsDigest } from "./digest.ts";
 * const d = resultsDigest({ forecasts: [], orders: [], fills: [], settlements: [], metrics: [] });
 * console.log(d.length); // 64
 * ```
 *
 * @module
 */

import { createHash } from "node:crypto";
import type { FillRow, ForecastRow, MetricRow, OrderRow, SettlementRow } from "./results_db.ts";

/** Everything a run produced, as the digest sees it. */
export interface DigestParts {
  readonly forecasts: readonly ForecastRow[];
  readonly orders: readonly OrderRow[];
  readonly fills: readonly FillRow[];
  readonly settlements: readonly SettlementRow[];
  readonly metrics: readonly MetricRow[];
}

type Scalar = string | number | null;

/** Canonical text of one scalar value. */
function canon(v: Scalar): string {
  if (v === null) return "null";
  if (typeof v === "string") return JSON.stringify(v);
  if (Object.is(v, -0)) return "0";
  return String(v);
}

function line(values: readonly Scalar[]): string {
  return values.map(canon).join(",");
}

/** The canonical serialization that {@link resultsDigest} hashes. Exposed for debugging diffs. */
export function canonicalResults(parts: DigestParts): string {
  const out: string[] = ["results-digest/v1"];
  out.push(`forecasts ${parts.forecasts.length}`);
  for (const r of parts.forecasts) {
    out.push(line([r.ts, r.event, r.market, r.pModel, r.pMarket, r.outcome]));
  }
  out.push(`orders ${parts.orders.length}`);
  for (const r of parts.orders) {
    out.push(line([
      r.id,
      r.ts,
      r.market,
      r.side,
      r.limitPrice,
      r.count,
      r.filled,
      r.status,
      r.reason,
    ]));
  }
  out.push(`fills ${parts.fills.length}`);
  for (const r of parts.fills) {
    out.push(line([r.orderId, r.ts, r.market, r.side, r.price, r.count, r.feeTicks, r.role]));
  }
  out.push(`settlements ${parts.settlements.length}`);
  for (const r of parts.settlements) {
    out.push(line([r.ts, r.market, r.result, r.position, r.payoutTicks, r.pnlTicks]));
  }
  out.push(`metrics ${parts.metrics.length}`);
  for (const r of parts.metrics) {
    out.push(line([r.name, r.value]));
  }
  return out.join("\n") + "\n";
}

/**
 * SHA-256 (lowercase hex, 64 characters) of the canonical serialization of a
 * run's results. Same input, same digest; any changed field, row or row order
 * gives a different digest.
 */
export function resultsDigest(parts: DigestParts): string {
  return createHash("sha256").update(canonicalResults(parts), "utf8").digest("hex");
}
