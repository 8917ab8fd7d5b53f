import assert from "node:assert/strict";
import { TapeError } from "./errors.ts";

Deno.test("TapeError names file, line and field", () => {
  const e = new TapeError(
    { file: "a.ndjson", line: 7 },
    "price",
    "Cannot parse price: not a number",
  );
  assert.equal(e.message, 'a.ndjson:7: field "price": Cannot parse price: not a number');
  assert.equal(e.file, "a.ndjson");
  assert.equal(e.line, 7);
  assert.equal(e.field, "price");
  assert.ok(e instanceof Error);
});
