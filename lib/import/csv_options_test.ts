import assert from "node:assert/strict";
import { DEFAULT_GAP_MINUTES, gapMinutesOption, zoneOption } from "./csv_options.ts";
import { ImportOptionError } from "./option_error.ts";

Deno.test("zoneOption: required, and an IANA zone", () => {
  assert.equal(zoneOption({ tz: "America/Los_Angeles" }, "f").zone, "America/Los_Angeles");
  assert.throws(
    () => zoneOption({}, "top-of-book-csv"),
    (e: unknown) =>
      e instanceof ImportOptionError &&
      /option "tz": Cannot read timestamps of top-of-book-csv: they carry no zone and none is guessed/
        .test(e.message),
  );
  assert.throws(
    () => zoneOption({ tz: "Nowhere/Land" }, "f"),
    (e: unknown) =>
      e instanceof ImportOptionError &&
      /unknown IANA zone, current value is "Nowhere\/Land"/.test(e.message),
  );
  assert.throws(() => zoneOption({ tz: "-08:00" }, "f"), ImportOptionError);
});

Deno.test("gapMinutesOption: default 15, positive integers only", () => {
  assert.equal(gapMinutesOption({}), DEFAULT_GAP_MINUTES);
  assert.equal(DEFAULT_GAP_MINUTES, 15);
  assert.equal(gapMinutesOption({ extra: { gap_minutes: "60" } }), 60);
  for (const bad of ["0", "-5", "1.5", "x", ""]) {
    assert.throws(() => gapMinutesOption({ extra: { gap_minutes: bad } }), ImportOptionError, bad);
  }
});
