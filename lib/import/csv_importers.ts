/**
 * Importers for recorder CSV logs: top of book, candles, quote snapshots.
 *
 * @module
 */

import type { Importer } from "./types.ts";

/** Every importer of this group, registered by lib/import/registry.ts. */
export const CSV_IMPORTERS: readonly Importer[] = [];
