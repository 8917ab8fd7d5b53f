import assert from "node:assert/strict";
import { convertEvent, convertSeries, feeMultiplierOf, feeTypeOf } from "./kalshi_metadata.ts";
import { FieldError, KalshiRecord } from "./kalshi_fields.ts";

function bad(fn: () => unknown, field: string, pattern: RegExp): void {
  assert.throws(fn, (e: unknown) => {
    assert.ok(e instanceof FieldError, String(e));
    assert.equal(e.field, field);
    assert.match(e.detail, pattern);
    return true;
  });
}

Deno.test("kalshi metadata: series fee type and multiplier", () => {
  const rec = new KalshiRecord(
    { ticker: "KXINX", fee_type: "quadratic_with_maker_fees", fee_multiplier: 0.5 },
    "series",
  );
  assert.deepEqual(convertSeries(rec), {
    series: "KXINX",
    feeType: "quadratic_with_maker_fees",
    feeMultiplier: 5000,
  });
  assert.equal(feeMultiplierOf("m", 0.035), 350);
  assert.equal(feeMultiplierOf("m", 0), 0);
  bad(() => feeMultiplierOf("m", 0.00005), "m", /more than 4 decimals/);
  bad(() => feeMultiplierOf("m", -1), "m", /non-negative/);
  bad(() => feeMultiplierOf("m", "1"), "m", /non-negative number/);
  bad(() => feeTypeOf("t", "quadratic_with_combo_maker_fees"), "t", /not quadratic/);
  bad(
    () => convertSeries(new KalshiRecord({ ticker: "X", fee_type: "flat" }, "series")),
    "series.fee_multiplier",
    /non-negative number, current value is undefined/,
  );
});

Deno.test("kalshi metadata: event fields and ignored fee overrides", () => {
  const notes: string[] = [];
  const rec = new KalshiRecord({
    event_ticker: "KXHIGHNY-26APR22",
    series_ticker: "KXHIGHNY",
    mutually_exclusive: true,
    fee_multiplier_override: 0.5,
  }, "event");
  assert.deepEqual(convertEvent(rec, notes), {
    event: "KXHIGHNY-26APR22",
    series: "KXHIGHNY",
    mutuallyExclusive: true,
  });
  assert.deepEqual(notes, ["event_fee_override_ignored"]);
  const noOverride: string[] = [];
  convertEvent(
    new KalshiRecord(
      { event_ticker: "E", series_ticker: "S", mutually_exclusive: false, fee_type_override: null },
      "",
    ),
    noOverride,
  );
  assert.deepEqual(noOverride, []);
  bad(
    () =>
      convertEvent(
        new KalshiRecord({ event_ticker: "E", series_ticker: "S", mutually_exclusive: 1 }, "e"),
        [],
      ),
    "e.mutually_exclusive",
    /not a boolean/,
  );
});
