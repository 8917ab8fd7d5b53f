import assert from "node:assert/strict";
import type { FeeParams } from "../fees/fees.ts";
import { evPerContract } from "./ev.ts";

const close = (a: number, b: number, tol = 1e-9) =>
  assert.ok(Math.abs(a - b) <= tol, `${a} is not within ${tol} of ${b}`);

const QUAD: FeeParams = { feeType: "quadratic", multiplier: 10_000 };
const MAKER: FeeParams = { feeType: "quadratic_with_maker_fees", multiplier: 10_000 };
const HALF: FeeParams = { feeType: "quadratic", multiplier: 5_000 };

Deno.test("evPerContract: taker YES, 10 contracts at $0.50", () => {
  // Fee 0.07 x 10 x 0.5 x 0.5 = $0.175 -> $0.18 = 1800 ticks, 180 per contract.
  close(evPerContract(0.6, "yes", 5000, 1000, QUAD, "taker"), 6000 - 5000 - 180);
});

Deno.test("evPerContract: NO side uses 1 - pYes and the NO price", () => {
  // 1 contract of NO at $0.65: fee 0.07 x 0.65 x 0.35 = $0.015925 -> $0.02 = 200 ticks.
  close(evPerContract(0.3, "no", 6500, 100, QUAD, "taker"), 7000 - 6500 - 200);
});

Deno.test("evPerContract: maker fee only on quadratic_with_maker_fees", () => {
  // Maker: 0.0175 x 10 x 0.25 = $0.04375 -> $0.05 = 500 ticks, 50 per contract.
  close(evPerContract(0.6, "yes", 5000, 1000, MAKER, "maker"), 6000 - 5000 - 50);
  // Taker on the same series pays the full taker fee.
  close(evPerContract(0.6, "yes", 5000, 1000, MAKER, "taker"), 6000 - 5000 - 180);
  // quadratic: no maker fee.
  close(evPerContract(0.6, "yes", 5000, 1000, QUAD, "maker"), 1000);
});

Deno.test("evPerContract: multiplier and fractional contracts", () => {
  // M = 0.5: 0.035 x 10 x 0.25 = $0.0875 -> $0.09 = 900 ticks, 90 per contract.
  close(evPerContract(0.6, "yes", 5000, 1000, HALF, "taker"), 6000 - 5000 - 90);
  // Half a contract: 0.07 x 0.5 x 0.25 = $0.00875 -> $0.01 = 100 ticks, 200 per contract.
  close(evPerContract(0.6, "yes", 5000, 50, QUAD, "taker"), 6000 - 5000 - 200);
  // A sure loser at a cheap price: -price - fee. 1 contract at $0.03:
  // 0.07 x 0.03 x 0.97 = $0.002037 -> $0.01.
  close(evPerContract(0, "yes", 300, 100, QUAD, "taker"), -300 - 100);
});

Deno.test("evPerContract: rejects invalid inputs", () => {
  assert.throws(() => evPerContract(1.1, "yes", 5000, 100, QUAD, "taker"), /pYes/);
  assert.throws(() => evPerContract(NaN, "yes", 5000, 100, QUAD, "taker"), RangeError);
  assert.throws(() => evPerContract(0.5, "maybe" as "yes", 5000, 100, QUAD, "taker"), /side/);
  assert.throws(() => evPerContract(0.5, "yes", 0, 100, QUAD, "taker"), /price/);
  assert.throws(() => evPerContract(0.5, "yes", 10000, 100, QUAD, "taker"), /price/);
  assert.throws(() => evPerContract(0.5, "yes", 50.5, 100, QUAD, "taker"), /price/);
  assert.throws(() => evPerContract(0.5, "yes", 5000, 0, QUAD, "taker"), /count/);
  assert.throws(() => evPerContract(0.5, "yes", 5000, 1.5, QUAD, "taker"), /count/);
  assert.throws(() => evPerContract(0.5, "yes", 5000, 100, QUAD, "both" as "taker"), /role/);
  assert.throws(
    () => evPerContract(0.5, "yes", 5000, 100, { feeType: "quadratic", multiplier: -1 }, "taker"),
    RangeError,
  );
});
