import assert from "node:assert/strict";
import { ImportOptionError } from "./option_error.ts";

Deno.test("ImportOptionError: names the option and keeps the detail", () => {
  const e = new ImportOptionError(
    "tz",
    "Cannot read timestamps: option missing, current value is none",
  );
  assert.equal(
    e.message,
    'option "tz": Cannot read timestamps: option missing, current value is none',
  );
  assert.equal(e.option, "tz");
  assert.equal(e.name, "ImportOptionError");
  assert(e instanceof Error);
});
