/**
 * Real-data check of `wide-price-csv` on ../shared/data/kalshi_highmia_pf: all 15
 * exports import with counts that reconcile (16,498 rows per SOURCE.md), every
 * constructed ladder partitions, the tape validates, and re-import is identical.
 */

import assert from "node:assert/strict";
import { readdirSync } from "node:fs";
import { join } from "node:path";
import { readNdjsonFile } from "../../lib/tape/ndjson_reader.ts";
import { runImportJob } from "../../tasks/import.ts";
import { realDataTest, requireShared } from "./shared_data.ts";

Deno.test(
  "real data: KXHIGHMIA price-history exports import, reconcile, validate, repeat",
  realDataTest("kalshi_highmia_pf"),
  async () => {
    const folder = requireShared("kalshi_highmia_pf");
    const files = readdirSync(folder).filter((f) => f.endsWith(".csv")).sort().map((f) =>
      join(folder, f)
    );
    assert.equal(files.length, 15);
    const dir = await Deno.makeTempDir({ prefix: "highmia_real_" });
    try {
      const a = join(dir, "a.ndjson");
      const b = join(dir, "b.ndjson");
      const report = await runImportJob({
        format: "wide-price-csv",
        files,
        out: a,
        options: { strict: true },
      });
      await runImportJob({
        format: "wide-price-csv",
        files: [...files].reverse(),
        out: b,
        options: { strict: true },
      });
      assert.deepEqual(await Deno.readFile(a), await Deno.readFile(b));
      assert.equal(report.rowsIn, 16_498, "SOURCE.md: 16,459 minute rows + 39 hourly rows");
      assert.equal(report.rowsIn, report.rowsUsed + report.rejects.length + report.skipped);
      assert.deepEqual([report.events, report.series], [14, 1]);
      assert.equal(report.anomalies.find((x) => x.code === "ladder_not_partition"), undefined);
      let n = 0;
      for await (const _ of readNdjsonFile(a, { strict: true })) n++;
      assert.equal(n, report.eventsOut);
    } finally {
      await Deno.remove(dir, { recursive: true });
    }
  },
);
