/**
 * No credential or private key material in any output of the live lane: run
 * `deno task live` as a real process with a fake (but valid) key id and RSA
 * private key in its environment — armed live against the mock exchange, dry
 * with the credentials present, refused with one flag, and failing on a bad
 * key — then scan every file it wrote (audit log, heartbeat, recorded tape,
 * state, results database, reports) and everything it printed for the key id,
 * the PEM text and any PEM block.
 *
 * @module
 */

import assert from "node:assert/strict";
import { generateKeyPairSync } from "node:crypto";
import { join } from "node:path";

const TASK = new URL("../tasks/live.ts", import.meta.url).pathname;
const KEY_ID = "5ec7e7id-1111-4222-8333-0badc0ffee42";
const PEM = generateKeyPairSync("rsa", { modulusLength: 2048 }).privateKey.export({
  type: "pkcs8",
  format: "pem",
}) as string;
const EC_PEM = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey.export({
  type: "pkcs8",
  format: "pem",
}) as string;

/** Pieces of secret text that must not appear anywhere. */
function needles(): string[] {
  const body = (pem: string) =>
    pem.split("\n").filter((l) => l !== "" && !l.startsWith("-----")).filter((l) => l.length >= 16);
  return [KEY_ID, KEY_ID.slice(0, 12), ...body(PEM), ...body(EC_PEM), "PRIVATE KEY-----"];
}

async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for await (const e of Deno.readDir(dir)) {
    const p = join(dir, e.name);
    if (e.isDirectory) out.push(...await filesUnder(p));
    else if (e.isFile) out.push(p);
  }
  return out;
}

async function runTask(args: string[], env: Record<string, string>) {
  const dir = await Deno.makeTempDir({ prefix: "kx-nosecrets-" });
  const r = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-read",
      "--allow-write",
      "--allow-env",
      "--allow-net=127.0.0.1",
      TASK,
      ...args,
      "--out",
      dir,
      "--report",
    ],
    env: { CI: "", ...env },
  }).output();
  const dec = new TextDecoder();
  return { code: r.code, stdout: dec.decode(r.stdout), stderr: dec.decode(r.stderr), dir };
}

Deno.test("no credential or private key material in any output, file or log of the live lane", async () => {
  const creds = { KALSHI_API_KEY_ID: KEY_ID, KALSHI_PRIVATE_KEY: PEM };
  const short = ["--exchange", "mock", "--minutes", "0.05", "--speed", "60"];
  const runs = [
    {
      what: "armed live",
      r: await runTask(["--live", "--i-understand-the-risks", ...short], creds),
      code: 0,
    },
    { what: "dry with credentials present", r: await runTask(["--dry", ...short], creds), code: 0 },
    { what: "one flag", r: await runTask(["--live", ...short], creds), code: 2 },
    {
      what: "bad key",
      r: await runTask(["--live", "--i-understand-the-risks", ...short], {
        KALSHI_API_KEY_ID: KEY_ID,
        KALSHI_PRIVATE_KEY: EC_PEM,
      }),
      code: 2,
    },
  ];
  const secrets = needles();
  let scanned = 0;
  let bytes = 0;
  for (const { what, r, code } of runs) {
    assert.equal(r.code, code, `${what}: ${r.stderr}`);
    const texts: [string, string][] = [[`${what} stdout`, r.stdout], [`${what} stderr`, r.stderr]];
    for (const f of await filesUnder(r.dir)) {
      // Binary files (the SQLite database) are read as latin1 so every byte is searched.
      const data = await Deno.readFile(f);
      texts.push([f, new TextDecoder("latin1").decode(data)]);
    }
    for (const [name, text] of texts) {
      scanned++;
      bytes += text.length;
      secrets.forEach((s, i) => assert.ok(!text.includes(s), `${name} contains secret text #${i}`));
    }
  }
  // The scan looked at real outputs: the armed run wrote its files and named the key masked.
  assert.match(runs[0].r.stdout, /LIVE MODE ARMED \(key …ee42\)/);
  const armedFiles = (await filesUnder(runs[0].r.dir)).map((f) => f.slice(runs[0].r.dir.length));
  for (const f of ["/audit.jsonl", "/heartbeat.json", "/results.sqlite", "/state/sent_ids.jsonl"]) {
    assert.ok(armedFiles.includes(f), `${f} written; files: ${armedFiles.join(", ")}`);
  }
  assert.ok(armedFiles.some((f) => f.startsWith("/tapes/live-")));
  assert.ok(armedFiles.some((f) => f.endsWith("report.html")));
  assert.match(runs[3].r.stderr, /Cannot/);
  console.log(
    `scanned ${scanned} outputs (${bytes} bytes) of ${runs.length} sessions: no secret found`,
  );
});
