/**
 * Importers for recorder CSV logs: top of book, candles, quote snapshots, and
 * Kalshi website price-history exports.
 *
 * @module
 */

import { CANDLE_CSV } from "./candle_csv.ts";
import { QUOTE_SNAPSHOT_CSV } from "./quote_snapshot_csv.ts";
import { TOP_OF_BOOK_CSV } from "./top_of_book_csv.ts";
import type { Importer } from "./types.ts";
import { WIDE_PRICE_CSV } from "./wide_price_csv.ts";

/** Every importer of this group, registered by lib/import/registry.ts. */
export const CSV_IMPORTERS: readonly Importer[] = [
  TOP_OF_BOOK_CSV,
  CANDLE_CSV,
  QUOTE_SNAPSHOT_CSV,
  WIDE_PRICE_CSV,
];
