import assert from "node:assert/strict";
import { maskSecret, pemMarker, redact, SHORT_MASK } from "./mask.ts";

const KEY_ID = "0f1e2d3c-aaaa-bbbb-cccc-123456789abc";
const PEM = [
  "-----BEGIN PRIVATE KEY-----",
  "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7secretbody01",
  "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789+/secretbody02tailQ==",
  "-----END PRIVATE KEY-----",
  "",
].join("\n");

Deno.test("maskSecret: ellipsis and the last 4 characters", () => {
  assert.equal(maskSecret(KEY_ID), "…9abc");
  assert.equal(maskSecret("abcde"), "…bcde");
});

Deno.test("maskSecret: 4 characters or fewer show nothing", () => {
  for (const s of ["", "a", "ab", "abc", "abcd"]) assert.equal(maskSecret(s), SHORT_MASK, s);
  assert.equal(SHORT_MASK, "****");
});

Deno.test("maskSecret: counts code points, never splits a surrogate pair", () => {
  assert.equal(maskSecret("secret😀😀😀😀"), "…😀😀😀😀");
  assert.equal(maskSecret("😀😀😀😀"), "****");
});

Deno.test("maskSecret: the mask never holds more than the last 4 characters", () => {
  const m = maskSecret(KEY_ID);
  assert.ok(!m.includes(KEY_ID.slice(-5)));
});

Deno.test("maskSecret: a non-string is a TypeError that does not show the value", () => {
  assert.throws(() => maskSecret(12345678 as unknown as string), (e: Error) => {
    assert.ok(e instanceof TypeError);
    assert.match(e.message, /^Cannot mask secret: .*current value is of type number$/);
    assert.ok(!e.message.includes("12345678"));
    return true;
  });
});

Deno.test("redact: every occurrence of each secret becomes its mask", () => {
  const text = `key=${KEY_ID} again ${KEY_ID}; token=hunter22 short=abc`;
  assert.equal(
    redact(text, [KEY_ID, "hunter22", "abc"]),
    "key=…9abc again …9abc; token=…er22 short=****",
  );
});

Deno.test("redact: a secret containing another is masked whole (longest first)", () => {
  const inner = "9abc";
  const out = redact(`id ${KEY_ID}`, [inner, KEY_ID]);
  assert.ok(!out.includes(KEY_ID.slice(0, 8)));
  // One pass: the long one wins at its position and its mask is not scanned again.
  assert.equal(out, "id …9abc");
  assert.equal(redact(`9abc ${KEY_ID}`, [inner, KEY_ID]), "**** …9abc");
});

Deno.test("redact: PEM blocks become a marker with no key material", () => {
  const out = redact(`loaded:\n${PEM}done`);
  assert.equal(out, `loaded:\n${pemMarker("PRIVATE KEY")}\ndone`);
  assert.ok(!out.includes("secretbody"));
});

Deno.test("redact: PEM blocks of other labels and several blocks", () => {
  const rsa = PEM.replaceAll("PRIVATE KEY", "RSA PRIVATE KEY");
  const out = redact(`${rsa} and ${PEM}`);
  assert.equal(out, `[REDACTED PEM RSA PRIVATE KEY]\n and [REDACTED PEM PRIVATE KEY]\n`);
});

Deno.test("redact: a PEM block with escaped newlines (JSON) is redacted", () => {
  const json = JSON.stringify({ key: PEM });
  const out = redact(json);
  assert.ok(out.includes("[REDACTED PEM PRIVATE KEY]"), out);
  assert.ok(!out.includes("secretbody"), out);
});

Deno.test("redact: a PEM secret given as a secret is replaced by the marker", () => {
  assert.equal(redact(`x ${PEM} y`, [PEM]), "x [REDACTED PEM PRIVATE KEY] y");
});

Deno.test("redact: a text cut inside a PEM block loses the partial block", () => {
  const cutAfterBegin = `log: ${PEM.slice(0, 90)}`;
  assert.equal(redact(cutAfterBegin), "log: [REDACTED PEM PRIVATE KEY]");
  const cutBeforeEnd = `${PEM.slice(40)} trailing`;
  assert.equal(redact(cutBeforeEnd), "[REDACTED PEM PRIVATE KEY]\n trailing");
  assert.ok(!redact(cutBeforeEnd).includes("secretbody"));
});

Deno.test("redact: regular-expression characters in a secret are literal", () => {
  const secret = "a.b*c+d?e(f)[g]{h}|i^j$k\\l/m-n";
  assert.equal(redact(`x ${secret} y a_b`, [secret, "a.b"]), "x …/m-n y a_b");
});

Deno.test("redact: text without secrets is unchanged; empty secrets are ignored", () => {
  assert.equal(redact("nothing here", []), "nothing here");
  assert.equal(redact("nothing here", ["", ""]), "nothing here");
  assert.equal(redact(""), "");
});

Deno.test("redact: bad input is a TypeError", () => {
  assert.throws(() => redact(5 as unknown as string), /^TypeError: Cannot redact text: .*number$/);
  assert.throws(
    () => redact("x", "secret" as unknown as string[]),
    /Cannot redact text: secrets must be an array of strings, current value is of type string/,
  );
  assert.throws(
    () => redact("x", ["ok", 7 as unknown as string]),
    /Cannot redact text: secret 1 must be a string, current value is of type number/,
  );
});
