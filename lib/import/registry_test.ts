import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { CSV_IMPORTERS } from "./csv_importers.ts";
import { duplicateImporterNames, findImporter, IMPORTERS } from "./registry.ts";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));

Deno.test("registry: every CSV importer is registered, names are unique, specs exist", () => {
  assert.deepEqual(duplicateImporterNames(IMPORTERS), []);
  for (const im of IMPORTERS) {
    assert.equal(findImporter(im.name), im);
    assert(im.summary.length > 10, im.name);
    assert(existsSync(ROOT + im.spec), `${im.name}: spec ${im.spec} exists`);
  }
  assert.deepEqual(CSV_IMPORTERS.map((i) => i.name), [
    "top-of-book-csv",
    "candle-csv",
    "quote-snapshot-csv",
    "wide-price-csv",
  ]);
  assert.equal(findImporter("no-such-format"), undefined);
});

Deno.test("duplicateImporterNames: finds repeats", () => {
  const im = CSV_IMPORTERS[0];
  assert.deepEqual(duplicateImporterNames([im, CSV_IMPORTERS[1], im]), [im.name]);
});
