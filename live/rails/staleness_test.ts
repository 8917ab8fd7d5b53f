import assert from "node:assert/strict";
import {
  DEFAULT_STALENESS,
  stalenessCheck,
  type StalenessInput,
  validateStalenessLimits,
} from "./staleness.ts";

const fresh: StalenessInput = {
  now: 100_000,
  heartbeatAgeMs: 1_000,
  feedMode: "ws",
  feedLastMessageTs: 99_000,
  bookValid: true,
  bookAwaitingResync: false,
  bookReceivedTs: 95_000,
};
const rule = (s: Partial<StalenessInput>) => {
  const d = stalenessCheck(DEFAULT_STALENESS, { ...fresh, ...s });
  return d.ok ? "ok" : d.rule;
};

Deno.test("stalenessCheck: fresh inputs pass; each rule blocks on its own", () => {
  assert.equal(rule({}), "ok");
  assert.equal(rule({ heartbeatAgeMs: 10_001 }), "stale_heartbeat");
  assert.equal(rule({ heartbeatAgeMs: 10_000 }), "ok", "the bound itself passes");
  assert.equal(rule({ heartbeatAgeMs: Number.POSITIVE_INFINITY }), "stale_heartbeat");
  assert.equal(rule({ heartbeatAgeMs: Number.NaN }), "stale_heartbeat", "NaN never passes");
  assert.equal(rule({ feedMode: "down" }), "feed_down");
  assert.equal(rule({ feedMode: "rest" }), "ok");
  assert.equal(rule({ feedLastMessageTs: 69_999 }), "feed_silent");
  assert.equal(rule({ feedLastMessageTs: Number.NaN }), "ok", "no message time known");
  assert.equal(rule({ bookValid: false }), "book_invalid");
  assert.equal(rule({ bookAwaitingResync: true }), "book_invalid");
  assert.equal(rule({ bookReceivedTs: undefined }), "stale_book");
  assert.equal(rule({ bookReceivedTs: 100_000 - 120_001 }), "stale_book");
});

Deno.test("stalenessCheck: the first failing rule in the documented order is reported", () => {
  const d = stalenessCheck(DEFAULT_STALENESS, {
    ...fresh,
    heartbeatAgeMs: 60_000,
    feedMode: "down",
    bookValid: false,
  });
  assert.equal(d.ok, false);
  if (!d.ok) {
    assert.equal(d.rule, "stale_heartbeat");
    assert.match(d.detail, /60000 ms old, over 10000 ms/);
  }
});

Deno.test("validateStalenessLimits: refuses negative and NaN limits", () => {
  assert.doesNotThrow(() => validateStalenessLimits(DEFAULT_STALENESS));
  assert.throws(
    () => validateStalenessLimits({ ...DEFAULT_STALENESS, maxBookAgeMs: -1 }),
    /maxBookAgeMs .* current value is -1/,
  );
  assert.throws(
    () => validateStalenessLimits({ ...DEFAULT_STALENESS, maxHeartbeatAgeMs: Number.NaN }),
    /maxHeartbeatAgeMs/,
  );
});
