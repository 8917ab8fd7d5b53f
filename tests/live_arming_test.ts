/**
 * Live arming through `deno task live` (tasks/live.ts, run in process with an
 * injected environment): refused with one flag only, without credentials,
 * under CI=true, and with a clock skew over the bound (the mock exchange's
 * skewed Date header); armed with everything in place, where the session says
 * plainly that live submission is not implemented and runs as dry-run.
 *
 * @module
 */

import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { join } from "node:path";
import { main } from "../tasks/live.ts";

const KEY_ID = "a1b2c3d4-0000-4000-8000-feedfacecafe";
const PEM = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
  type: "pkcs8",
  format: "pem",
}) as string;

async function run(args: string[], env: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const dir = await Deno.makeTempDir({ prefix: "kx-arming-" });
  const code = await main([...args, "--out", dir, "--quiet"], {
    env: (name) => env[name],
    out: (l) => out.push(l),
    err: (l) => err.push(l),
  });
  return { code, out: out.join("\n"), err: err.join("\n"), dir };
}

const CREDS = { KALSHI_API_KEY_ID: KEY_ID, KALSHI_PRIVATE_KEY: PEM };
const SHORT = ["--minutes", "0.05", "--speed", "60"];

Deno.test("arming: one flag alone is refused (not quietly downgraded to dry-run)", async () => {
  for (const flag of ["--live", "--i-understand-the-risks"]) {
    const r = await run([flag, "--exchange", "memory", ...SHORT], CREDS);
    assert.equal(r.code, 2, flag);
    assert.match(
      r.err,
      /Cannot arm live mode: live mode needs both --live and --i-understand-the-risks/,
    );
    assert.doesNotMatch(r.out, /ARMED/);
  }
  const both = await run(["--dry", "--live", "--exchange", "memory", ...SHORT], CREDS);
  assert.equal(both.code, 2);
  assert.match(both.err, /--dry conflicts with --live/);
});

Deno.test("arming: refused without credentials", async () => {
  const r = await run(["--live", "--i-understand-the-risks", "--exchange", "memory", ...SHORT]);
  assert.equal(r.code, 2);
  assert.match(r.err, /needs credentials/);
  assert.match(r.err, /KALSHI_API_KEY_ID/);
});

Deno.test("arming: refused under CI=true even with everything else in place", async () => {
  const r = await run(["--live", "--i-understand-the-risks", "--exchange", "mock", ...SHORT], {
    ...CREDS,
    CI: "true",
  });
  assert.equal(r.code, 2);
  assert.match(r.err, /refused under CI, current value is CI=true/);
});

Deno.test("arming: refused when the skew cannot be measured or is over the bound", async () => {
  const memory = await run(
    ["--live", "--i-understand-the-risks", "--exchange", "memory", ...SHORT],
    CREDS,
  );
  assert.equal(memory.code, 2);
  assert.match(memory.err, /clock skew against the exchange could not be measured/);
  // The mock exchange's Date header 5 s off on every answer.
  const skewed = await run([
    "--live",
    "--i-understand-the-risks",
    "--exchange",
    "mock",
    "--fault",
    "clock_skew=1:5000",
    ...SHORT,
  ], CREDS);
  assert.equal(skewed.code, 2, skewed.err);
  assert.match(skewed.err, /clock skew -?\d+ ms is over the bound of 1000 ms/);
});

Deno.test("arming: with both flags, credentials, no CI and a small skew, live mode is armed and says what it is", async () => {
  const r = await run(
    ["--live", "--i-understand-the-risks", "--exchange", "mock", ...SHORT],
    CREDS,
  );
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /LIVE MODE ARMED \(key …cafe\)/);
  assert.match(r.out, /live order submission to the exchange is NOT implemented/);
  assert.ok(!r.out.includes(KEY_ID) && !r.err.includes(KEY_ID));
  const hb = JSON.parse(await Deno.readTextFile(join(r.dir, "heartbeat.json")));
  assert.equal(hb.mode, "live");
  // The private key from a key file (mode 0600) instead of the environment.
  const keyFile = join(r.dir, "key.pem");
  await Deno.writeTextFile(keyFile, PEM, { mode: 0o600 });
  await Deno.chmod(keyFile, 0o600);
  const fromFile = await run([
    "--live",
    "--i-understand-the-risks",
    "--key-file",
    keyFile,
    "--exchange",
    "mock",
    ...SHORT,
  ], { KALSHI_API_KEY_ID: KEY_ID });
  assert.equal(fromFile.code, 0, fromFile.err);
  assert.match(fromFile.out, /LIVE MODE ARMED/);
  // Dry-run needs no credentials and is allowed under CI.
  const dry = await run(["--exchange", "memory", ...SHORT], { CI: "true" });
  assert.equal(dry.code, 0, dry.err);
  assert.match(dry.out, /DRY-RUN/);
});
