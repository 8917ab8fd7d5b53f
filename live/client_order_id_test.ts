import assert from "node:assert/strict";
import { clientOrderId, type ClientOrderIdInput } from "./client_order_id.ts";

const base: ClientOrderIdInput = {
  strategy: "btc",
  market: "KXBTCD-26JAN0510-T95000",
  side: "yes",
  limitPrice: 4200,
  count: 100,
  timeInForce: "ioc",
  decisionTs: 1_767_621_600_000,
  index: 0,
};

Deno.test("clientOrderId: the same inputs give the same id, of a fixed shape", () => {
  const a = clientOrderId(base);
  assert.match(a, /^kx-[0-9a-f]{32}$/);
  assert.equal(clientOrderId({ ...base }), a);
});

Deno.test("clientOrderId: every input changes the id", () => {
  const a = clientOrderId(base);
  const variants: Partial<ClientOrderIdInput>[] = [
    { strategy: "btc2" },
    { market: "KXBTCD-26JAN0510-T95250" },
    { side: "no" },
    { limitPrice: 4300 },
    { count: 101 },
    { timeInForce: "gtc" },
    { expireTs: 1_767_625_200_000 },
    { decisionTs: base.decisionTs + 1 },
    { index: 1 },
  ];
  const ids = new Set([a]);
  for (const v of variants) ids.add(clientOrderId({ ...base, ...v }));
  assert.equal(ids.size, variants.length + 1);
});

Deno.test("clientOrderId: bad input is refused", () => {
  assert.throws(() => clientOrderId({ ...base, market: "" }), /market must be a non-empty string/);
  assert.throws(
    () => clientOrderId({ ...base, count: 1.5 }),
    /count must be an integer, current value is 1.5/,
  );
  assert.throws(() => clientOrderId({ ...base, decisionTs: Number.NaN }), /decisionTs/);
  assert.throws(() => clientOrderId({ ...base, expireTs: Number.POSITIVE_INFINITY }), /expireTs/);
});
