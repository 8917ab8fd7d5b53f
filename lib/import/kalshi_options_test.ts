import assert from "node:assert/strict";
import { fetchedAtOption } from "./kalshi_options.ts";
import { ImportOptionError } from "./option_error.ts";

Deno.test("kalshi options: fetched_at is integer ms", () => {
  assert.equal(fetchedAtOption({}), undefined);
  assert.equal(fetchedAtOption({ fetched_at: "1720929599000" }), 1720929599000);
  for (const bad of ["", "1.5", "-1", "2024-07-13", "1e12", "99999999999999999"]) {
    assert.throws(
      () => fetchedAtOption({ fetched_at: bad }),
      (e: unknown) => e instanceof ImportOptionError && e.option === "fetched_at",
      bad,
    );
  }
});
