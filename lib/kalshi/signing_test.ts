import assert from "node:assert/strict";
import { Buffer } from "node:buffer";
import {
  constants,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  verify,
} from "node:crypto";
import {
  HEADER_KEY,
  HEADER_SIGNATURE,
  HEADER_TIMESTAMP,
  KalshiSigner,
  signedPath,
  signingMessage,
  validateKeyId,
  verifyKalshiSignature,
  WS_SIGN_PATH,
} from "./signing.ts";

// Keys are generated on the fly; nothing here is a real credential.
const KEY_ID = "0f1e2d3c-aaaa-bbbb-cccc-123456789abc";
const PAIR = generateKeyPairSync("rsa", { modulusLength: 2048 });
const PKCS8 = PAIR.privateKey.export({ type: "pkcs8", format: "pem" }) as string;
const PKCS1 = PAIR.privateKey.export({ type: "pkcs1", format: "pem" }) as string;
const PUBLIC = PAIR.publicKey;
const OTHER_PUBLIC = generateKeyPairSync("rsa", { modulusLength: 2048 }).publicKey;
const T = 1_767_225_600_123;

/** Verify as the exchange would, with node:crypto directly (not the module's helper). */
function pssVerify(key: KeyObject, message: string, sigB64: string, saltLength = 32): boolean {
  return verify(
    "sha256",
    Buffer.from(message, "utf8"),
    { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength },
    Buffer.from(sigB64, "base64"),
  );
}

/** Chunks of the PEM body (base64 lines) that must never appear in any output. */
function pemBodyChunks(pem: string): string[] {
  return pem.split("\n").filter((l) => l && !l.startsWith("-----")).map((l) => l.slice(0, 24));
}

function assertNoSecret(text: string, pem = PKCS8): void {
  assert.ok(!text.includes(KEY_ID), `full key id leaked: ${text}`);
  assert.ok(!text.includes("-----BEGIN"), `PEM header echoed: ${text}`);
  for (const chunk of pemBodyChunks(pem)) assert.ok(!text.includes(chunk), "key material leaked");
}

Deno.test("KalshiSigner: headers verify with node:crypto (PSS, SHA-256, salt 32)", () => {
  for (const pem of [PKCS8, PKCS1]) {
    const signer = KalshiSigner.fromPem(KEY_ID, pem);
    const h = signer.headers("POST", "/trade-api/v2/portfolio/orders", T);
    assert.deepEqual(Object.keys(h).sort(), [HEADER_KEY, HEADER_SIGNATURE, HEADER_TIMESTAMP]);
    assert.equal(h["KALSHI-ACCESS-KEY"], KEY_ID);
    assert.equal(h["KALSHI-ACCESS-TIMESTAMP"], "1767225600123");
    const message = `${T}POST/trade-api/v2/portfolio/orders`;
    assert.ok(pssVerify(PUBLIC, message, h["KALSHI-ACCESS-SIGNATURE"]));
    // Salt length is the digest length: the same signature fails with another salt length.
    assert.ok(!pssVerify(PUBLIC, message, h["KALSHI-ACCESS-SIGNATURE"], 20));
    // Another key does not verify it; another message does not either.
    assert.ok(!pssVerify(OTHER_PUBLIC, message, h["KALSHI-ACCESS-SIGNATURE"]));
    assert.ok(
      !pssVerify(PUBLIC, `${T + 1}POST/trade-api/v2/portfolio/orders`, h[HEADER_SIGNATURE]),
    );
    // 2048-bit RSA: 256-byte signature.
    assert.equal(Buffer.from(h[HEADER_SIGNATURE], "base64").length, 256);
  }
});

Deno.test("KalshiSigner: PSS is randomized; both signatures verify", () => {
  const signer = KalshiSigner.fromPem(KEY_ID, PKCS8);
  const a = signer.headers("GET", "/trade-api/v2/portfolio/balance", T);
  const b = signer.headers("GET", "/trade-api/v2/portfolio/balance", T);
  assert.notEqual(a[HEADER_SIGNATURE], b[HEADER_SIGNATURE]);
  for (const h of [a, b]) {
    assert.ok(pssVerify(PUBLIC, `${T}GET/trade-api/v2/portfolio/balance`, h[HEADER_SIGNATURE]));
  }
});

Deno.test("KalshiSigner: the query string is not signed", () => {
  const signer = KalshiSigner.fromPem(KEY_ID, PKCS8);
  const withQuery = signer.headers("GET", "/trade-api/v2/portfolio/orders?limit=5&a=1", T);
  const without = signer.headers("GET", "/trade-api/v2/portfolio/orders", T);
  const bare = `${T}GET/trade-api/v2/portfolio/orders`;
  assert.ok(pssVerify(PUBLIC, bare, withQuery[HEADER_SIGNATURE]));
  assert.ok(pssVerify(PUBLIC, bare, without[HEADER_SIGNATURE]));
  assert.ok(!pssVerify(PUBLIC, `${bare}?limit=5&a=1`, withQuery[HEADER_SIGNATURE]));
  assert.equal(
    signingMessage("GET", "/trade-api/v2/x?a=1", T),
    signingMessage("GET", "/trade-api/v2/x", T),
  );
  assert.equal(signedPath("/trade-api/v2/x?"), "/trade-api/v2/x");
  assert.equal(signedPath("/trade-api/v2/x#frag"), "/trade-api/v2/x");
  assert.equal(signedPath("/trade-api/v2/x?a=/trade-api/y?b"), "/trade-api/v2/x");
});

Deno.test("KalshiSigner: the method is upper-cased before signing", () => {
  const signer = KalshiSigner.fromPem(KEY_ID, PKCS8);
  const h = signer.headers("delete", "/trade-api/v2/portfolio/orders/abc", T);
  assert.ok(pssVerify(PUBLIC, `${T}DELETE/trade-api/v2/portfolio/orders/abc`, h[HEADER_SIGNATURE]));
  assert.ok(
    !pssVerify(PUBLIC, `${T}delete/trade-api/v2/portfolio/orders/abc`, h[HEADER_SIGNATURE]),
  );
  assert.equal(signingMessage("pAtCh", "/trade-api/v2/a", 0), "0PATCH/trade-api/v2/a");
});

Deno.test("KalshiSigner: the WebSocket handshake signs GET /trade-api/ws/v2", () => {
  assert.equal(WS_SIGN_PATH, "/trade-api/ws/v2");
  const signer = KalshiSigner.fromPem(KEY_ID, PKCS8);
  const h = signer.headers("GET", WS_SIGN_PATH, T);
  assert.ok(pssVerify(PUBLIC, `${T}GET/trade-api/ws/v2`, h[HEADER_SIGNATURE]));
});

Deno.test("verifyKalshiSignature: accepts the signer's headers, rejects tampering", () => {
  const signer = KalshiSigner.fromPem(KEY_ID, PKCS1);
  const h = signer.headers("GET", "/trade-api/v2/markets?limit=1", T);
  const ts = h[HEADER_TIMESTAMP];
  const sig = h[HEADER_SIGNATURE];
  assert.ok(verifyKalshiSignature(PUBLIC, "GET", "/trade-api/v2/markets?cursor=z", ts, sig));
  const pubPem = PUBLIC.export({ type: "spki", format: "pem" }) as string;
  assert.ok(verifyKalshiSignature(pubPem, "get", "/trade-api/v2/markets", ts, sig));
  assert.ok(!verifyKalshiSignature(PUBLIC, "POST", "/trade-api/v2/markets", ts, sig));
  assert.ok(!verifyKalshiSignature(PUBLIC, "GET", "/trade-api/v2/market", ts, sig));
  assert.ok(!verifyKalshiSignature(PUBLIC, "GET", "/trade-api/v2/markets", `${T + 1}`, sig));
  assert.ok(!verifyKalshiSignature(OTHER_PUBLIC, "GET", "/trade-api/v2/markets", ts, sig));
  assert.ok(!verifyKalshiSignature(PUBLIC, "GET", "/trade-api/v2/markets", "12a", sig));
  assert.ok(!verifyKalshiSignature(PUBLIC, "GET", "/trade-api/v2/markets", ts, "not base64!"));
  assert.ok(!verifyKalshiSignature(PUBLIC, "GET", "/trade-api/v2/markets", ts, "AAAA"));
});

Deno.test("KalshiSigner: the key is not enumerable or serializable", () => {
  const signer = KalshiSigner.fromPem(KEY_ID, PKCS8);
  assert.deepEqual(Reflect.ownKeys(signer), []);
  assert.deepEqual({ ...signer }, {});
  const outputs = [
    JSON.stringify(signer),
    JSON.stringify({ nested: { signer } }),
    Deno.inspect(signer),
    Deno.inspect(signer, { showHidden: true, depth: 10 }),
    Deno.inspect({ signer }),
    String(signer),
    `${signer}`,
    signer.describe(),
    JSON.stringify(structuredClone({ ...signer })),
  ];
  for (const out of outputs) assertNoSecret(out);
  assert.equal(JSON.stringify(signer), '{"signer":"KalshiSigner(key …9abc, RSA 2048)"}');
});

Deno.test("KalshiSigner: describe() masks the key id", () => {
  const signer = KalshiSigner.fromPem(KEY_ID, PKCS8);
  assert.equal(signer.describe(), "KalshiSigner(key …9abc, RSA 2048)");
  assert.equal(signer.maskedKeyId, "…9abc");
  assert.equal(signer.keyId, KEY_ID);
  assert.equal(Deno.inspect(signer), signer.describe());
  assert.equal(KalshiSigner.fromPem("abcd", PKCS8).describe(), "KalshiSigner(key ****, RSA 2048)");
});

Deno.test("KalshiSigner: publicKeyPem() matches the key pair", () => {
  const signer = KalshiSigner.fromPem(KEY_ID, PKCS1);
  const got = createPublicKey(signer.publicKeyPem());
  assert.ok(got.equals(PUBLIC));
  assert.ok(!got.equals(OTHER_PUBLIC));
});

Deno.test("KalshiSigner.fromPem: bad PEM is a clear error that does not echo the key", () => {
  const pub = PUBLIC.export({ type: "spki", format: "pem" }) as string;
  const encrypted = PAIR.privateKey.export({
    type: "pkcs8",
    format: "pem",
    cipher: "aes-256-cbc",
    passphrase: "pw-for-test",
  }) as string;
  const lines = PKCS8.split("\n");
  const corrupted = [
    lines[0],
    lines[1].slice(0, 20) + "!!!" + lines[1].slice(23),
    ...lines.slice(2),
  ]
    .join("\n");
  const truncated = lines.slice(0, 4).join("\n") + "\n-----END PRIVATE KEY-----\n";
  const ec = generateKeyPairSync("ec", { namedCurve: "P-256" }).privateKey
    .export({ type: "pkcs8", format: "pem" }) as string;
  const small = generateKeyPairSync("rsa", { modulusLength: 1024 }).privateKey
    .export({ type: "pkcs8", format: "pem" }) as string;
  const cases: [string, RegExp][] = [
    ["", /current value is text of 0 characters with no PEM BEGIN line$/],
    [lines.slice(1, -2).join("\n"), /expected a PEM block "BEGIN PRIVATE KEY" \(PKCS#8\)/],
    [pub, /current value is a PEM block labelled "PUBLIC KEY"/],
    [encrypted, /it is encrypted with a passphrase/],
    [corrupted, /does not decode to a private key/],
    [truncated, /does not decode to a private key/],
    [ec, /Kalshi keys are RSA, current value is a ec key$/],
    [small, /at least 2048 bits, current value is 1024 bits$/],
  ];
  for (const [pem, pattern] of cases) {
    assert.throws(() => KalshiSigner.fromPem(KEY_ID, pem), (e: Error) => {
      assert.ok(e instanceof RangeError, e.message);
      assert.match(e.message, /^Cannot read Kalshi private key: /);
      assert.match(e.message, pattern);
      assertNoSecret(e.message, pem);
      assertNoSecret(e.message, PKCS8);
      return true;
    });
  }
  assert.throws(
    () => KalshiSigner.fromPem(KEY_ID, undefined as unknown as string),
    /^TypeError: Cannot read Kalshi private key: expected PEM text, current value is of type undefined$/,
  );
});

Deno.test("KalshiSigner.fromPem: a bad key id is an error showing it masked", () => {
  const bad = ["", "0f1e2d3c aaaa-bbbb-cccc-123456789abc", "0f1e2d3c-aaaa\r\nX-Evil: 1-9abc"];
  for (const id of bad) {
    assert.throws(() => KalshiSigner.fromPem(id, PKCS8), (e: Error) => {
      assert.ok(e instanceof RangeError);
      assert.match(e.message, /^Cannot use Kalshi API key id: /);
      if (id.length > 4) assert.ok(!e.message.includes(id.slice(0, 12)), e.message);
      return true;
    });
  }
  assert.throws(() => validateKeyId(42 as unknown as string), /TypeError.*of type number/);
  assert.equal(validateKeyId(KEY_ID), KEY_ID);
});

Deno.test("KalshiSigner.headers: bad method, path or time are clear errors", () => {
  const signer = KalshiSigner.fromPem(KEY_ID, PKCS8);
  const cases: [() => unknown, RegExp][] = [
    [() => signer.headers("", "/trade-api/v2/a", T), /the method must be letters only.*""$/],
    [() => signer.headers("GE T", "/trade-api/v2/a", T), /letters only.*"GE T"$/],
    [() => signer.headers("GET", "/markets", T), /must start with "\/trade-api\/".*"\/markets"$/],
    [() => signer.headers("GET", "trade-api/v2/a", T), /must start with "\/trade-api\/"/],
    [
      () => signer.headers("GET", "https://external-api.kalshi.com/trade-api/v2/a", T),
      /must start with "\/trade-api\/"/,
    ],
    [
      () => signer.headers("GET", "/trade-api/v2/a b", T),
      /printable ASCII.*"\/trade-api\/v2\/a b"$/,
    ],
    [() => signer.headers("GET", "/trade-api/v2/a\nb", T), /printable ASCII/],
    [() => signer.headers("GET", "/trade-api/v2/a", Number.NaN), /current value is NaN$/],
    [() => signer.headers("GET", "/trade-api/v2/a", -1), /current value is -1$/],
    [() => signer.headers("GET", "/trade-api/v2/a", 1.5), /current value is 1.5$/],
    [() => signer.headers("GET", "/trade-api/v2/a", 2 ** 53), /current value is 9007199254740992$/],
    [
      () => signer.headers("GET", "/trade-api/v2/a", "1767225600000" as unknown as number),
      /current value is 1767225600000$/,
    ],
  ];
  for (const [fn, pattern] of cases) {
    assert.throws(fn, (e: Error) => {
      assert.match(e.message, /^Cannot sign Kalshi request: /);
      assert.match(e.message, pattern);
      assertNoSecret(e.message);
      return true;
    });
  }
  assert.throws(() => signer.headers(7 as unknown as string, "/trade-api/v2/a", T), TypeError);
  assert.throws(() => signer.headers("GET", null as unknown as string, T), TypeError);
});
