import assert from "node:assert/strict";
import { Prng } from "../random/prng.ts";
import {
  backoffDelay,
  checkRetryPolicy,
  classifyFailure,
  DEFAULT_RETRY_POLICY,
  type RetryEvent,
  RetryExhaustedError,
  TransientError,
  withRetry,
} from "./retry.ts";

function httpError(status: number): Error {
  return Object.assign(new Error(`Request failed with status code ${status}`), {
    name: "AxiosError",
    code: status >= 500 ? "ERR_BAD_RESPONSE" : "ERR_BAD_REQUEST",
    response: { status },
  });
}

function netError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

const POLICY = { maxAttempts: 4, baseDelayMs: 100, maxDelayMs: 250 };

function fakeSleep() {
  const slept: number[] = [];
  return { slept, sleep: (ms: number) => (slept.push(ms), Promise.resolve()) };
}

Deno.test("classifyFailure: 429 and 5xx retry, other 4xx do not", () => {
  assert.deepEqual(classifyFailure(httpError(429)), {
    retryable: true,
    reason: "HTTP 429",
    status: 429,
  });
  for (const s of [500, 502, 503, 504, 599]) {
    assert.equal(classifyFailure(httpError(s)).retryable, true, `HTTP ${s}`);
  }
  for (const s of [400, 401, 403, 404, 409, 422]) {
    const c = classifyFailure(httpError(s));
    assert.equal(c.retryable, false, `HTTP ${s}`);
    assert.equal(c.status, s);
  }
  assert.equal(classifyFailure({ status: 503 }).retryable, true);
});

Deno.test("classifyFailure: dropped connections, timeouts and cut-short bodies retry", () => {
  assert.equal(classifyFailure(netError("ECONNRESET", "socket hang up")).retryable, true);
  assert.equal(
    classifyFailure(netError("ECONNABORTED", "timeout of 200ms exceeded")).retryable,
    true,
  );
  assert.equal(classifyFailure(netError("ECONNREFUSED", "connect refused")).retryable, true);
  assert.equal(classifyFailure(new Error("socket hang up")).retryable, true);
  // axios reports a body cut mid-stream as ERR_BAD_RESPONSE with the 200 status.
  const cut = Object.assign(new Error("stream has been aborted"), {
    code: "ERR_BAD_RESPONSE",
    response: { status: 200 },
  });
  const c = classifyFailure(cut);
  assert.equal(c.retryable, true);
  assert.match(c.reason, /HTTP 200 cut short: stream has been aborted/);
  // The code may sit on the cause (fetch-style errors).
  const wrapped = new Error("fetch failed", { cause: { code: "ECONNRESET" } });
  assert.equal(classifyFailure(wrapped).retryable, true);
  assert.equal(classifyFailure(new TransientError("body is not JSON")).retryable, true);
});

Deno.test("classifyFailure: cancellations and unknown errors do not retry", () => {
  assert.equal(classifyFailure(new DOMException("stop", "AbortError")).retryable, false);
  assert.equal(classifyFailure(netError("ERR_CANCELED", "canceled")).retryable, false);
  assert.equal(classifyFailure(new TypeError("x is not a function")).retryable, false);
  assert.equal(classifyFailure("a string").retryable, false);
  assert.equal(classifyFailure(null).retryable, false);
});

Deno.test("backoffDelay: doubles, is capped, and stays within [d/2, d]", () => {
  assert.equal(backoffDelay(1, POLICY, () => 0), 50);
  assert.equal(backoffDelay(1, POLICY, () => 0.999999), 100);
  assert.equal(backoffDelay(2, POLICY, () => 0), 100);
  assert.equal(backoffDelay(3, POLICY, () => 0), 125); // capped at 250
  assert.equal(backoffDelay(60, POLICY, () => 0.5), 188);
  const rng = new Prng(7);
  for (let k = 1; k <= 10; k++) {
    const d = Math.min(POLICY.maxDelayMs, POLICY.baseDelayMs * 2 ** (k - 1));
    const v = backoffDelay(k, POLICY, () => rng.next());
    assert.ok(v >= d / 2 && v <= d, `retry ${k}: ${v} not in [${d / 2}, ${d}]`);
  }
});

Deno.test("backoffDelay: the same seed gives the same delays", () => {
  const a = new Prng(42);
  const b = new Prng(42);
  const da = [1, 2, 3, 4].map((k) => backoffDelay(k, DEFAULT_RETRY_POLICY, () => a.next()));
  const db = [1, 2, 3, 4].map((k) => backoffDelay(k, DEFAULT_RETRY_POLICY, () => b.next()));
  assert.deepEqual(da, db);
});

Deno.test("backoffDelay and checkRetryPolicy: bad input is a clear error", () => {
  assert.throws(
    () => backoffDelay(0, POLICY, () => 0),
    /Cannot compute backoff: retry must be an integer >= 1, current value is 0/,
  );
  assert.throws(
    () => backoffDelay(1, POLICY, () => 1),
    /random source must give a number in \[0, 1\), current value is 1/,
  );
  assert.throws(() => backoffDelay(1, POLICY, () => Number.NaN), /current value is NaN/);
  assert.throws(
    () => checkRetryPolicy({ ...POLICY, maxAttempts: 0 }),
    /maxAttempts must be an integer >= 1, current value is 0/,
  );
  assert.throws(
    () => checkRetryPolicy({ ...POLICY, baseDelayMs: -1 }),
    /baseDelayMs must be an integer >= 0, current value is -1/,
  );
  assert.throws(
    () => checkRetryPolicy({ ...POLICY, maxDelayMs: 50 }),
    /maxDelayMs must be an integer >= baseDelayMs \(100\), current value is 50/,
  );
});

Deno.test("withRetry: retries 429, 500 and a reset, reporting each retry", async () => {
  const failures = [httpError(429), httpError(500), netError("ECONNRESET", "socket hang up")];
  const events: RetryEvent[] = [];
  const { slept, sleep } = fakeSleep();
  let calls = 0;
  const out = await withRetry(
    (n) => {
      calls++;
      assert.equal(n, calls);
      const f = failures.shift();
      return f ? Promise.reject(f) : Promise.resolve("body");
    },
    { policy: POLICY, random: () => 0, sleep, onRetry: (e) => events.push(e) },
  );
  assert.equal(out, "body");
  assert.equal(calls, 4);
  assert.deepEqual(events.map((e) => [e.attempt, e.delayMs, e.reason, e.status]), [
    [1, 50, "HTTP 429", 429],
    [2, 100, "HTTP 500", 500],
    [3, 125, "ECONNRESET socket hang up", undefined],
  ]);
  assert.deepEqual(slept, [50, 100, 125]);
});

Deno.test("withRetry: a 404 is thrown at once, unchanged", async () => {
  const { slept, sleep } = fakeSleep();
  let calls = 0;
  const err = httpError(404);
  await assert.rejects(
    withRetry(() => (calls++, Promise.reject(err)), { policy: POLICY, random: () => 0, sleep }),
    (e) => e === err,
  );
  assert.equal(calls, 1);
  assert.deepEqual(slept, []);
});

Deno.test("withRetry: gives up after maxAttempts with a clear error", async () => {
  const { slept, sleep } = fakeSleep();
  let calls = 0;
  await assert.rejects(
    withRetry(() => (calls++, Promise.reject(httpError(503))), {
      policy: POLICY,
      random: () => 0,
      sleep,
      label: "GET /markets",
    }),
    (e) => {
      assert.ok(e instanceof RetryExhaustedError);
      assert.equal(e.attempts, 4);
      assert.equal(e.status, 503);
      assert.equal(
        e.message,
        "Cannot complete GET /markets: gave up after 4 attempts, current value is HTTP 503",
      );
      return true;
    },
  );
  assert.equal(calls, 4);
  assert.equal(slept.length, 3);
});

Deno.test("withRetry: an aborted signal stops before the next attempt", async () => {
  const ac = new AbortController();
  let calls = 0;
  await assert.rejects(
    withRetry(
      () => {
        calls++;
        ac.abort(new Error("user stop"));
        return Promise.reject(httpError(500));
      },
      { policy: POLICY, random: () => 0, sleep: () => Promise.resolve(), signal: ac.signal },
    ),
    /user stop/,
  );
  assert.equal(calls, 1);
});
