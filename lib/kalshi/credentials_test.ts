import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import { constants, generateKeyPairSync, verify } from "node:crypto";
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  checkKeyFileMode,
  type CredentialsResult,
  ENV_KEY_ID,
  ENV_KEY_PATH,
  ENV_KEY_PEM,
  type EnvReader,
  formatMode,
  loadCredentials,
  type LoadedCredentials,
  MAX_KEY_FILE_BYTES,
  pemFromEnvText,
  readPrivateKeyFile,
} from "./credentials.ts";
import { redact } from "./mask.ts";
import { HEADER_SIGNATURE } from "./signing.ts";

// Keys are generated on the fly; nothing here is a real credential.
const KEY_ID = "7c9e6679-7425-40de-944b-e07fc1f90ae7";
const PAIR = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PKCS8 = PAIR.privateKey.export({ type: "pkcs8", format: "pem" }) as string;
const PKCS1 = PAIR.privateKey.export({ type: "pkcs1", format: "pem" }) as string;
const IS_WINDOWS = Deno.build.os === "windows";

function envOf(vars: Record<string, string>): EnvReader {
  return (name) => vars[name];
}

/** Fails when `text` holds the full key id or any line of the PEM body. */
function assertNoSecret(text: string): void {
  assert.ok(!text.includes(KEY_ID), `full key id leaked: ${text}`);
  assert.ok(!text.includes("-----BEGIN"), `PEM echoed: ${text}`);
  for (const line of PKCS8.split("\n").concat(PKCS1.split("\n"))) {
    if (line && !line.startsWith("-----")) assert.ok(!text.includes(line.slice(0, 24)), "leak");
  }
}

function assertSigns(creds: LoadedCredentials): void {
  const h = creds.signer.headers("GET", "/trade-api/v2/portfolio/balance", 1_767_225_600_000);
  assert.ok(verify(
    "sha256",
    Buffer.from("1767225600000GET/trade-api/v2/portfolio/balance"),
    { key: PAIR.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
    Buffer.from(h[HEADER_SIGNATURE], "base64"),
  ));
}

function loadedOf(r: CredentialsResult): LoadedCredentials {
  assert.equal(r.kind, "loaded", JSON.stringify(r));
  return r as LoadedCredentials;
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), "kx-creds-"));
  try {
    await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

async function writeKey(
  dir: string,
  text: string,
  mode: number,
  name = "key.pem",
): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text, { mode: 0o600 });
  await chmod(path, mode); // explicit: the umask cannot widen or narrow it
  return path;
}

Deno.test("loadCredentials: nothing set is a typed 'missing' result naming both", async () => {
  const r = await loadCredentials({ env: envOf({}) });
  assert.equal(r.kind, "missing");
  assert.ok(r.kind === "missing");
  assert.deepEqual(r.missing, [ENV_KEY_ID, `${ENV_KEY_PATH} or ${ENV_KEY_PEM}`]);
  assert.equal(
    r.message,
    "Kalshi credentials are not configured: set KALSHI_API_KEY_ID and " +
      "KALSHI_PRIVATE_KEY_PATH or KALSHI_PRIVATE_KEY",
  );
});

Deno.test("loadCredentials: a missing result names what is missing, never the values", async () => {
  const onlyId = await loadCredentials({ env: envOf({ [ENV_KEY_ID]: KEY_ID }) });
  assert.ok(onlyId.kind === "missing");
  assert.deepEqual(onlyId.missing, [`${ENV_KEY_PATH} or ${ENV_KEY_PEM}`]);
  assertNoSecret(JSON.stringify(onlyId));

  const onlyPem = await loadCredentials({ env: envOf({ [ENV_KEY_PEM]: PKCS8 }) });
  assert.ok(onlyPem.kind === "missing");
  assert.deepEqual(onlyPem.missing, [ENV_KEY_ID]);
  assertNoSecret(JSON.stringify(onlyPem) + onlyPem.message);

  // A path that does not exist is not read while the key id is missing.
  const onlyPath = await loadCredentials({ env: envOf({ [ENV_KEY_PATH]: "/nonexistent/k.pem" }) });
  assert.ok(onlyPath.kind === "missing");
  assert.deepEqual(onlyPath.missing, [ENV_KEY_ID]);

  // Blank values count as unset.
  const blank = await loadCredentials({
    env: envOf({ [ENV_KEY_ID]: "  ", [ENV_KEY_PATH]: "", [ENV_KEY_PEM]: "\n" }),
  });
  assert.ok(blank.kind === "missing");
  assert.equal(blank.missing.length, 2);
});

Deno.test("loadCredentials: KALSHI_PRIVATE_KEY (PEM text), PKCS#8 and PKCS#1", async () => {
  for (const pem of [PKCS8, PKCS1]) {
    const r = loadedOf(
      await loadCredentials({ env: envOf({ [ENV_KEY_ID]: ` ${KEY_ID}\n`, [ENV_KEY_PEM]: pem }) }),
    );
    assert.equal(r.keyId, KEY_ID);
    assert.equal(r.source, "env");
    assert.equal(r.keyPath, null);
    assertSigns(r);
  }
});

Deno.test("loadCredentials: PEM text with escaped \\n line breaks (CI secrets, .env)", async () => {
  const escaped = PKCS8.replaceAll("\n", "\\n");
  assert.ok(!escaped.includes("\n"));
  const r = loadedOf(
    await loadCredentials({ env: envOf({ [ENV_KEY_ID]: KEY_ID, [ENV_KEY_PEM]: escaped }) }),
  );
  assertSigns(r);
  assert.equal(pemFromEnvText("a\\r\\nb\\nc"), "a\nb\nc");
  assert.equal(pemFromEnvText("a\nb\\nc"), "a\nb\\nc"); // real line breaks: left alone
});

Deno.test("loadCredentials: the loaded result does not serialize the key id or key", async () => {
  const r = loadedOf(
    await loadCredentials({ env: envOf({ [ENV_KEY_ID]: KEY_ID, [ENV_KEY_PEM]: PKCS8 }) }),
  );
  const { keyId, signer } = r;
  assert.equal(keyId, KEY_ID);
  assert.ok(signer);
  for (const out of [JSON.stringify(r), Deno.inspect(r), Deno.inspect(r, { depth: 10 })]) {
    assertNoSecret(out);
  }
  assert.match(JSON.stringify(r), /KalshiSigner\(key …0ae7, RSA 2048\)/);
});

Deno.test("loadCredentials: KALSHI_PRIVATE_KEY_PATH, a 0600 file", async () => {
  await withDir(async (dir) => {
    const path = await writeKey(dir, PKCS1, 0o600);
    const r = loadedOf(
      await loadCredentials({ env: envOf({ [ENV_KEY_ID]: KEY_ID, [ENV_KEY_PATH]: path }) }),
    );
    assert.equal(r.source, "file");
    assert.equal(r.keyPath, path);
    assertSigns(r);
    const ro = await writeKey(dir, PKCS8, 0o400, "ro.pem");
    assertSigns(
      loadedOf(await loadCredentials({ env: envOf({ [ENV_KEY_ID]: KEY_ID, [ENV_KEY_PATH]: ro }) })),
    );
  });
});

Deno.test("loadCredentials: an explicit key path and key id override the environment", async () => {
  await withDir(async (dir) => {
    const path = await writeKey(dir, PKCS8, 0o600);
    const env = envOf({ [ENV_KEY_ID]: "other-key-id-0000", [ENV_KEY_PEM]: "not a key" });
    const r = loadedOf(await loadCredentials({ env, keyId: KEY_ID, keyPath: path }));
    assert.equal(r.keyId, KEY_ID);
    assert.equal(r.keyPath, path);
    assertSigns(r);
    // An explicit path with the key id from the environment.
    const r2 = loadedOf(
      await loadCredentials({ env: envOf({ [ENV_KEY_ID]: KEY_ID }), keyPath: path }),
    );
    assert.equal(r2.keyId, KEY_ID);
    // An explicit path without any key id is still "missing".
    const r3 = await loadCredentials({ env: envOf({}), keyPath: path });
    assert.ok(r3.kind === "missing");
    assert.deepEqual(r3.missing, [ENV_KEY_ID]);
  });
});

Deno.test({
  name: "loadCredentials: a key file readable by group or others is refused",
  ignore: IS_WINDOWS,
  fn: async () => {
    await withDir(async (dir) => {
      for (const mode of [0o644, 0o640, 0o604, 0o660, 0o610, 0o601, 0o700 | 0o020]) {
        const path = await writeKey(dir, PKCS8, mode, `k${mode.toString(8)}.pem`);
        await assert.rejects(
          loadCredentials({ env: envOf({ [ENV_KEY_ID]: KEY_ID, [ENV_KEY_PATH]: path }) }),
          (e: Error) => {
            assert.equal(
              e.message,
              `Cannot use Kalshi private key file ${path}: it is accessible by group or others ` +
                `(mode & 0o077 must be 0); restrict it with \`chmod 600 ${path}\`, ` +
                `current value is ${formatMode(mode)}`,
            );
            assertNoSecret(e.message);
            return true;
          },
        );
      }
    });
  },
});

Deno.test("loadCredentials: on Windows the mode check is skipped", async () => {
  await withDir(async (dir) => {
    const path = await writeKey(dir, PKCS8, 0o644);
    const r = await loadCredentials({
      env: envOf({ [ENV_KEY_ID]: KEY_ID, [ENV_KEY_PATH]: path }),
      platform: "windows",
    });
    assertSigns(loadedOf(r));
  });
});

Deno.test("checkKeyFileMode: pure check of the permission bits", () => {
  checkKeyFileMode(0o100600, "/k.pem", "linux"); // regular-file type bits are ignored
  checkKeyFileMode(0o400, "/k.pem", "darwin");
  checkKeyFileMode(0o700, "/k.pem", "linux");
  checkKeyFileMode(0o644, "C:\\k.pem", "windows");
  assert.throws(() => checkKeyFileMode(0o100644, "/k.pem", "linux"), /current value is 0644$/);
  assert.throws(() => checkKeyFileMode(0o604, "/k.pem", "darwin"), /current value is 0604$/);
  assert.throws(() => checkKeyFileMode(0o1640, "/k.pem", "linux"), /current value is 1640$/);
  assert.throws(() => checkKeyFileMode(Number.NaN, "/k.pem", "linux"), /RangeError.*NaN$/);
  assert.throws(() => checkKeyFileMode(-1, "/k.pem", "linux"), /RangeError.*-1$/);
  assert.equal(formatMode(0o100600), "0600");
});

Deno.test("loadCredentials: both key variables set is an error (ambiguous)", async () => {
  await assert.rejects(
    loadCredentials({
      env: envOf({ [ENV_KEY_ID]: KEY_ID, [ENV_KEY_PATH]: "/k.pem", [ENV_KEY_PEM]: PKCS8 }),
    }),
    (e: Error) => {
      assert.equal(
        e.message,
        "Cannot load Kalshi credentials: both KALSHI_PRIVATE_KEY_PATH and KALSHI_PRIVATE_KEY " +
          "are set; unset one, current value is KALSHI_PRIVATE_KEY_PATH=/k.pem and " +
          "KALSHI_PRIVATE_KEY=<set>",
      );
      assertNoSecret(e.message);
      return true;
    },
  );
});

Deno.test("loadCredentials: key file or PEM errors name the source, not the key", async () => {
  await withDir(async (dir) => {
    const env = (path: string) => envOf({ [ENV_KEY_ID]: KEY_ID, [ENV_KEY_PATH]: path });
    const cases: [string, RegExp][] = [
      [join(dir, "absent.pem"), /^Cannot read Kalshi private key file: no such file \(ENOENT\)/],
      [dir, /^Cannot read Kalshi private key file: it is not a regular file, current value is /],
    ];
    const pub = PAIR.publicKey.export({ type: "spki", format: "pem" }) as string;
    const wrong = await writeKey(dir, pub, 0o600, "pub.pem");
    cases.push([
      wrong,
      new RegExp(
        `^Cannot read Kalshi private key \\(key file ${wrong}, key id …0ae7\\): expected a PEM ` +
          `block .*current value is a PEM block labelled "PUBLIC KEY"`,
      ),
    ]);
    const garbled = await writeKey(
      dir,
      PKCS8.replace(/\n[A-Za-z0-9+/]{10}/, "\n!!!!!!!!!!"),
      0o600,
      "g.pem",
    );
    cases.push([garbled, /does not decode to a private key/]);
    const big = await writeKey(dir, "x".repeat(MAX_KEY_FILE_BYTES + 1), 0o600, "big.pem");
    cases.push([big, /larger than 65536 bytes .*current value is 65537 bytes$/]);
    for (const [path, pattern] of cases) {
      await assert.rejects(loadCredentials({ env: env(path) }), (e: Error) => {
        assert.match(e.message, pattern);
        assertNoSecret(e.message);
        return true;
      });
    }
  });
});

Deno.test("loadCredentials: bad PEM text or key id from the environment", async () => {
  await assert.rejects(
    loadCredentials({ env: envOf({ [ENV_KEY_ID]: KEY_ID, [ENV_KEY_PEM]: "MIIEvQIBADAN" }) }),
    new RegExp(
      "^RangeError: Cannot read Kalshi private key \\(KALSHI_PRIVATE_KEY, key id …0ae7\\): " +
        "expected a PEM block",
    ),
  );
  await assert.rejects(
    loadCredentials({ env: envOf({ [ENV_KEY_ID]: "bad id with spaces", [ENV_KEY_PEM]: PKCS8 }) }),
    (e: Error) => {
      assert.match(e.message, /^Cannot use Kalshi API key id: .*current value is …aces$/);
      assert.ok(!e.message.includes("bad id"));
      return true;
    },
  );
  await assert.rejects(
    loadCredentials({ env: () => 5 as unknown as string }),
    /TypeError: Cannot read Kalshi credentials: KALSHI_API_KEY_ID must be a string/,
  );
});

Deno.test("readPrivateKeyFile: reads a 0600 file; bad paths are errors", async () => {
  await withDir(async (dir) => {
    const path = await writeKey(dir, PKCS8, 0o600);
    assert.equal(await readPrivateKeyFile(path, "linux"), PKCS8);
    await mkdir(join(dir, "sub"));
    await assert.rejects(readPrivateKeyFile(join(dir, "sub"), "linux"), /not a regular file/);
  });
  await assert.rejects(readPrivateKeyFile("", "linux"), /TypeError: .*current value is ""$/);
  await assert.rejects(
    readPrivateKeyFile(undefined as unknown as string, "linux"),
    /current value is of type undefined$/,
  );
});

Deno.test("loadCredentials: reads the real environment by default", async () => {
  const saved = [ENV_KEY_ID, ENV_KEY_PATH, ENV_KEY_PEM].map((n) => [n, Deno.env.get(n)] as const);
  try {
    Deno.env.set(ENV_KEY_ID, KEY_ID);
    Deno.env.set(ENV_KEY_PEM, PKCS8);
    Deno.env.delete(ENV_KEY_PATH);
    assertSigns(loadedOf(await loadCredentials()));
  } finally {
    for (const [n, v] of saved) v === undefined ? Deno.env.delete(n) : Deno.env.set(n, v);
  }
});

Deno.test("outputs scan clean: redact() finds nothing to mask in any message", async () => {
  const outputs: string[] = [];
  const r = loadedOf(
    await loadCredentials({ env: envOf({ [ENV_KEY_ID]: KEY_ID, [ENV_KEY_PEM]: PKCS1 }) }),
  );
  outputs.push(JSON.stringify(r), Deno.inspect(r), r.signer.describe(), String(r.signer));
  const missing = await loadCredentials({ env: envOf({ [ENV_KEY_PEM]: PKCS8 }) });
  outputs.push(JSON.stringify(missing));
  for (const pem of ["junk", PKCS8.slice(0, 200), PKCS8.replace("PRIVATE KEY", "PUBLIC KEY")]) {
    try {
      await loadCredentials({ env: envOf({ [ENV_KEY_ID]: KEY_ID, [ENV_KEY_PEM]: pem }) });
      assert.fail("expected an error");
    } catch (e) {
      outputs.push(String(e));
    }
  }
  assert.equal(outputs.length, 8);
  for (const out of outputs) assert.equal(redact(out, [KEY_ID, PKCS8, PKCS1]), out);
  // The scan itself can fail: an output that leaks is changed by redact().
  const leaky = `signing with ${KEY_ID}`;
  assert.notEqual(redact(leaky, [KEY_ID]), leaky);
});
