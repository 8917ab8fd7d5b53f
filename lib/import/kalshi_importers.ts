/**
 * Importers for Kalshi REST JSON shapes and for recorder CSVs of settled ladders.
 *
 * @module
 */

import type { Importer } from "./types.ts";

/** Every importer of this group, registered by lib/import/registry.ts. */
export const KALSHI_IMPORTERS: readonly Importer[] = [];
