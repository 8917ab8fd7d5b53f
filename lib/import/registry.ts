/**
 * Every import format, by name: the CSV recorder-log importers and the Kalshi
 * REST / settled-ladder importers. `deno task import --help` lists them.
 *
 * @example
 * ```ts
 * import { findImporter } from "./registry.ts";
 *
 * findImporter("top-of-book-csv")?.spec; // "docs/import/top_of_book_csv.md"
 * ```
 *
 * @module
 */

import { CSV_IMPORTERS } from "./csv_importers.ts";
import { KALSHI_IMPORTERS } from "./kalshi_importers.ts";
import type { Importer } from "./types.ts";

/** All registered importers, in listing order. */
export const IMPORTERS: readonly Importer[] = [...CSV_IMPORTERS, ...KALSHI_IMPORTERS];

/**
 * Names that appear more than once among `importers` (empty when all are unique).
 *
 * @example
 * ```ts
 * import { duplicateImporterNames, IMPORTERS } from "./registry.ts";
 *
 * duplicateImporterNames(IMPORTERS); // []
 * ```
 */
export function duplicateImporterNames(importers: readonly Importer[]): string[] {
  const seen = new Set<string>();
  const dup = new Set<string>();
  for (const im of importers) {
    if (seen.has(im.name)) dup.add(im.name);
    seen.add(im.name);
  }
  return [...dup].sort();
}

/** The importer registered under `name`, or undefined. */
export function findImporter(name: string): Importer | undefined {
  return IMPORTERS.find((im) => im.name === name);
}
