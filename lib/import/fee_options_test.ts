import assert from "node:assert/strict";
import {
  DEFAULT_FEE_MULTIPLIER,
  DEFAULT_FEE_TYPE,
  feeFromOptions,
  noteFee,
} from "./fee_options.ts";
import { ImportOptionError } from "./option_error.ts";
import { ReportBuilder } from "./report.ts";

Deno.test("feeFromOptions: defaults are quadratic and 1, stated as assumed", () => {
  const f = feeFromOptions({});
  assert.equal(DEFAULT_FEE_TYPE, "quadratic");
  assert.equal(DEFAULT_FEE_MULTIPLIER, "1");
  assert.deepEqual([f.feeType, f.feeMultiplier, f.assumed], ["quadratic", 10000, true]);
  assert.equal(f.text, "fee_type quadratic (default), fee_multiplier 1 (default)");
});

Deno.test("feeFromOptions: given options are used and not assumed", () => {
  const f = feeFromOptions({
    extra: { fee_type: "quadratic_with_maker_fees", fee_multiplier: "0.5" },
  });
  assert.deepEqual([f.feeType, f.feeMultiplier, f.assumed], [
    "quadratic_with_maker_fees",
    5000,
    false,
  ]);
  assert.equal(feeFromOptions({ extra: { fee_multiplier: "0.0001" } }).feeMultiplier, 1);
  assert.equal(feeFromOptions({ extra: { fee_multiplier: "2" } }).assumed, true);
});

Deno.test("feeFromOptions: bad values are option errors naming the option", () => {
  for (
    const [extra, re] of [
      [
        { fee_type: "linear" },
        /option "fee_type": Cannot use fee type: .*current value is "linear"/,
      ],
      [{ fee_multiplier: "-1" }, /option "fee_multiplier": .*current value is "-1"/],
      [{ fee_multiplier: "0.00001" }, /at most 4 places/],
      [{ fee_multiplier: "abc" }, /current value is "abc"/],
    ] as const
  ) {
    assert.throws(
      () => feeFromOptions({ extra }),
      (e: unknown) => e instanceof ImportOptionError && re.test(e.message),
    );
  }
});

Deno.test("noteFee: the report says where the fee came from", () => {
  const b = new ReportBuilder("x", []);
  noteFee(b, "KXHIGHNY", feeFromOptions({}));
  noteFee(b, "KXHIGHNY", feeFromOptions({ extra: { fee_type: "flat", fee_multiplier: "1" } }));
  const r = b.finish([]);
  assert.deepEqual(r.anomalies.map((a) => [a.code, a.count]), [["fee_assumed", 1], [
    "fee_from_options",
    1,
  ]]);
  assert.match(
    r.anomalies[0].examples[0],
    /^KXHIGHNY: fee_type quadratic \(default\).*not in the source$/,
  );
});
