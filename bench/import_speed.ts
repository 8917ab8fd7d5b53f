/**
 * Import throughput, end to end (not a test, not a `deno bench` file): imports
 * all 23 top-of-book recorder logs of ../shared/data/kalshi_highny_jj (910,778
 * rows, 60 MB of CSV in 7 MB of gzip) with the `top-of-book-csv` importer exactly
 * as `deno task import` does — read, gunzip, parse, convert, validate every
 * event (strict), write NDJSON (to a temp dir, then removed) — and reports rows,
 * seconds and rows/s. Target: under 30 s.
 *
 * Run: `deno run -A bench/import_speed.ts` (needs ../shared/data beside the repo).
 *
 * @module
 */

import { readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { runImportJob } from "../tasks/import.ts";

/** Where the top-of-book logs live (../shared/data beside the repo). */
export const TOP_OF_BOOK_DIR: string = join(
  fileURLToPath(new URL("../", import.meta.url)),
  "..",
  "shared",
  "data",
  "kalshi_highny_jj",
  "top_of_book",
);

/**
 * Imports every top-of-book log once, end to end, and times it.
 *
 * @throws {Error} When the data folder is missing or the import fails.
 */
export async function runImportBench(): Promise<
  { rows: number; seconds: number; rowsPerSec: number }
> {
  const files = readdirSync(TOP_OF_BOOK_DIR).filter((f) => f.endsWith(".csv.gz")).sort()
    .map((f) => join(TOP_OF_BOOK_DIR, f));
  if (files.length === 0) {
    throw new Error(
      `Cannot run import bench: no .csv.gz files, current value is ${TOP_OF_BOOK_DIR}`,
    );
  }
  const dir = await Deno.makeTempDir({ prefix: "kx_import_bench_" });
  try {
    const t0 = performance.now();
    const report = await runImportJob({
      format: "top-of-book-csv",
      files,
      out: join(dir, "top_of_book.ndjson"),
      options: { tz: "America/Los_Angeles", strict: true },
    });
    const seconds = (performance.now() - t0) / 1000;
    return { rows: report.rowsIn, seconds, rowsPerSec: report.rowsIn / seconds };
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

if (import.meta.main) {
  const r = await runImportBench();
  console.log(
    `import top-of-book-csv: ${r.rows.toLocaleString("en-US")} rows in ${
      r.seconds.toFixed(2)
    } s = ${Math.round(r.rowsPerSec).toLocaleString("en-US")} rows/s (target < 30 s)`,
  );
}
