import assert from "node:assert/strict";
import { type ArmingRequest, decideArming, isCi, LIVE_NOT_IMPLEMENTED } from "./arming.ts";

const armed: ArmingRequest = {
  live: true,
  iUnderstandTheRisks: true,
  ci: undefined,
  credentials: { keyId: "key-1234" },
  clockSkewMs: 120,
};
const refusal = (r: Partial<ArmingRequest>) => {
  const d = decideArming({ ...armed, ...r });
  return d.ok ? d.mode : d.refusal;
};

Deno.test("decideArming: dry by default, live only with everything in place", () => {
  assert.equal(refusal({ live: false, iUnderstandTheRisks: false }), "dry");
  const d = decideArming(armed);
  assert.deepEqual(d, { ok: true, mode: "live", note: LIVE_NOT_IMPLEMENTED });
});

Deno.test("decideArming: each missing condition refuses", () => {
  assert.equal(refusal({ iUnderstandTheRisks: false }), "one_flag");
  assert.equal(refusal({ live: false }), "one_flag");
  assert.equal(refusal({ ci: "true" }), "ci");
  assert.equal(refusal({ ci: "1" }), "ci");
  assert.equal(refusal({ credentials: undefined }), "no_credentials");
  assert.equal(refusal({ clockSkewMs: undefined }), "skew_unknown");
  assert.equal(refusal({ clockSkewMs: Number.NaN }), "skew_unknown");
  assert.equal(refusal({ clockSkewMs: 1001 }), "clock_skew");
  assert.equal(refusal({ clockSkewMs: -1001 }), "clock_skew");
  assert.equal(refusal({ clockSkewMs: 1000 }), "live", "the bound itself passes");
  assert.equal(refusal({ clockSkewMs: 4000, maxClockSkewMs: 5000 }), "live");
  assert.equal(refusal({ dry: true }), "dry_and_live");
});

Deno.test("decideArming: CI refuses even with everything else in place; CI=false does not", () => {
  assert.equal(refusal({ ci: "TRUE" }), "ci");
  assert.equal(refusal({ ci: "false" }), "live");
  assert.equal(refusal({ ci: "" }), "live");
  // Dry-run is allowed under CI.
  assert.equal(refusal({ ci: "true", live: false, iUnderstandTheRisks: false }), "dry");
});

Deno.test("decideArming: messages follow the error form and never hold the key", () => {
  const d = decideArming({ ...armed, clockSkewMs: 2500 });
  assert.equal(d.ok, false);
  if (!d.ok) {
    assert.match(d.message, /^Cannot arm live mode: .*, current value is 2500$/);
    assert.ok(!d.message.includes("key-1234"));
  }
  assert.throws(() => decideArming({ ...armed, maxClockSkewMs: -1 }), /maxClockSkewMs.*-1/);
});

Deno.test("isCi: true and 1 only", () => {
  assert.equal(isCi(undefined), false);
  assert.equal(isCi(" true "), true);
  assert.equal(isCi("yes"), false);
});
