/**
 * Importers for Kalshi REST JSON shapes (and the old Python client's snapshot),
 * for CSV extracts of settled ladders and CPI events, and for dated underlying
 * series. Each has its spec under docs/import/.
 *
 * @module
 */

import type { Importer } from "./types.ts";
import { CPI_EVENTS_CSV_IMPORTER } from "./cpi_events_csv.ts";
import { KALSHI_2024_SNAPSHOT_IMPORTER } from "./kalshi_2024_snapshot.ts";
import { KALSHI_JSON_IMPORTER } from "./kalshi_json.ts";
import { SETTLED_LADDER_CSV_IMPORTER } from "./settled_ladder_csv.ts";
import { UNDERLYING_CSV_IMPORTER } from "./underlying_csv.ts";

/** Every importer of this group, registered by lib/import/registry.ts. */
export const KALSHI_IMPORTERS: readonly Importer[] = [
  KALSHI_JSON_IMPORTER,
  KALSHI_2024_SNAPSHOT_IMPORTER,
  SETTLED_LADDER_CSV_IMPORTER,
  CPI_EVENTS_CSV_IMPORTER,
  UNDERLYING_CSV_IMPORTER,
];
