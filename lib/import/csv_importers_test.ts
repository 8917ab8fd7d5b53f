import assert from "node:assert/strict";
import { CSV_IMPORTERS } from "./csv_importers.ts";

Deno.test("CSV_IMPORTERS: each has a name, a one-line summary and a docs/import spec", () => {
  assert(CSV_IMPORTERS.length >= 3);
  for (const im of CSV_IMPORTERS) {
    assert.match(im.name, /^[a-z][a-z-]*-csv$/);
    assert(!im.summary.includes("\n"), im.name);
    assert.match(im.spec, /^docs\/import\/[a-z_]+\.md$/);
    assert.equal(typeof im.run, "function");
  }
});
