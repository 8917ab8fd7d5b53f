/**
 * Kalshi request signing (DOMAIN.md "API"). Every authenticated REST request
 * and the WebSocket handshake carry three headers:
 *
 * - `KALSHI-ACCESS-KEY`: the API key id;
 * - `KALSHI-ACCESS-TIMESTAMP`: the request time, integer ms since the Unix
 *   epoch, as a decimal string;
 * - `KALSHI-ACCESS-SIGNATURE`: base64 of RSA-PSS (SHA-256, MGF1 with SHA-256,
 *   salt length 32 = the digest length) over `timestamp + METHOD + path`.
 *
 * `path` is the URL path including `/trade-api/v2` and excluding the query
 * string (everything from `?` is dropped before signing); `METHOD` is upper
 * case. The WebSocket handshake signs `GET /trade-api/ws/v2`
 * ({@link WS_SIGN_PATH}). PSS uses a random salt, so two signatures of the same
 * message differ; check one with {@link verifyKalshiSignature} (or
 * `node:crypto` `verify` with the same parameters), never by comparing bytes.
 *
 * The signer keeps the private key in a `#private` field: it is not an own
 * property, so `JSON.stringify`, `Object.keys`, spreading and `Deno.inspect`
 * never reach it; `toJSON` and the inspect hooks print {@link KalshiSigner.describe},
 * which shows the key id masked to its last 4 characters. Errors never echo
 * the key or the full key id.
 *
 * The time is a parameter: this module reads no clock.
 *
 * @example Sign a request and the WebSocket handshake
 * ```ts
 * import { generateKeyPairSync } from "node:crypto";
 * import { KalshiSigner, WS_SIGN_PATH } from "./signing.ts";
 *
 * const { privateKey } = generateKeyPairSync("rsa", { modulusLength: 2048 });
 * const pem = privateKey.export({ type: "pkcs8", format: "pem" }) as string;
 * const signer = KalshiSigner.fromPem("0f1e2d3c-aaaa-bbbb-cccc-123456789abc", pem);
 * const h = signer.headers("get", "/trade-api/v2/portfolio/balance?x=1", 1_767_225_600_000);
 * // The signature covers "1767225600000GET/trade-api/v2/portfolio/balance".
 * console.log(h["KALSHI-ACCESS-TIMESTAMP"]); // "1767225600000"
 * const ws = signer.headers("GET", WS_SIGN_PATH, 1_767_225_600_000);
 * console.log(signer.describe(), Object.keys(ws).length); // KalshiSigner(key …9abc, RSA 2048) 3
 * ```
 *
 * @module
 */

import {
  constants,
  createPrivateKey,
  createPublicKey,
  type KeyObject,
  sign,
  verify,
} from "node:crypto";
import { Buffer } from "node:buffer";
import { maskSecret } from "./mask.ts";

/** Header carrying the API key id. */
export const HEADER_KEY = "KALSHI-ACCESS-KEY";
/** Header carrying the request time in ms, as a decimal string. */
export const HEADER_TIMESTAMP = "KALSHI-ACCESS-TIMESTAMP";
/** Header carrying the base64 RSA-PSS signature. */
export const HEADER_SIGNATURE = "KALSHI-ACCESS-SIGNATURE";

/** The path the WebSocket handshake signs (with method GET). */
export const WS_SIGN_PATH = "/trade-api/ws/v2";

/** Every signed path starts with this (REST `/trade-api/v2/...`, WebSocket `/trade-api/ws/v2`). */
export const SIGNED_PATH_PREFIX = "/trade-api/";

/** PSS salt length in bytes: the SHA-256 digest length. */
export const PSS_SALT_LENGTH = 32;

/** Smallest RSA modulus accepted, in bits. */
export const MIN_MODULUS_BITS = 2048;

/** The three signing headers. */
export interface KalshiAuthHeaders extends Record<string, string> {
  readonly "KALSHI-ACCESS-KEY": string;
  readonly "KALSHI-ACCESS-TIMESTAMP": string;
  readonly "KALSHI-ACCESS-SIGNATURE": string;
}

/** The PSS options both signing and verifying use. */
const PSS = {
  padding: constants.RSA_PKCS1_PSS_PADDING,
  saltLength: PSS_SALT_LENGTH,
} as const;

/**
 * Check a key id: non-empty, printable ASCII without spaces (it goes into an
 * HTTP header, so a line break would be header injection).
 *
 * @throws {TypeError} When it is not a string, {@link RangeError} when it is malformed;
 *   the message shows the id masked.
 */
export function validateKeyId(keyId: string): string {
  if (typeof keyId !== "string") {
    throw new TypeError(
      `Cannot use Kalshi API key id: expected a string, current value is of type ${typeof keyId}`,
    );
  }
  if (keyId.length === 0) {
    throw new RangeError('Cannot use Kalshi API key id: it is empty, current value is ""');
  }
  if (!/^[\x21-\x7e]+$/.test(keyId)) {
    throw new RangeError(
      "Cannot use Kalshi API key id: it must be printable ASCII with no spaces or line breaks " +
        `(${keyId.length} characters), current value is ${maskSecret(keyId)}`,
    );
  }
  return keyId;
}

/**
 * Describe a text that should have been a PEM private key without showing any
 * of its content beyond the PEM label (labels are not secret).
 */
function describePemText(pem: string): string {
  const label = pem.match(/-----BEGIN ([A-Z0-9][A-Z0-9 ]*)-----/);
  if (label) return `a PEM block labelled "${label[1]}" (${pem.length} characters)`;
  return `text of ${pem.length} characters with no PEM BEGIN line`;
}

/**
 * Parse a PEM RSA private key (PKCS#8 `BEGIN PRIVATE KEY` or PKCS#1
 * `BEGIN RSA PRIVATE KEY`) into a key object. Errors name the PEM label and
 * length, never the content.
 *
 * @throws {TypeError} When `pem` is not a string.
 * @throws {RangeError} When it is not an unencrypted RSA private key of at least 2048 bits.
 */
export function parseRsaPrivateKey(pem: string): KeyObject {
  if (typeof pem !== "string") {
    throw new TypeError(
      `Cannot read Kalshi private key: expected PEM text, current value is of type ${typeof pem}`,
    );
  }
  const what = describePemText(pem);
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----/.test(pem) || /Proc-Type:\s*4,ENCRYPTED/.test(pem)) {
    throw new RangeError(
      "Cannot read Kalshi private key: it is encrypted with a passphrase; decrypt it first " +
        `(openssl pkey -in key.pem -out plain.pem), current value is ${what}`,
    );
  }
  if (!/-----BEGIN (RSA )?PRIVATE KEY-----/.test(pem)) {
    throw new RangeError(
      'Cannot read Kalshi private key: expected a PEM block "BEGIN PRIVATE KEY" (PKCS#8) or ' +
        `"BEGIN RSA PRIVATE KEY" (PKCS#1), current value is ${what}`,
    );
  }
  let key: KeyObject;
  try {
    key = createPrivateKey({ key: pem, format: "pem" });
  } catch (e) {
    // The library's message is not echoed: it is not ours to vouch for.
    const code = (e as { code?: unknown }).code;
    throw new RangeError(
      "Cannot read Kalshi private key: the PEM block does not decode to a private key" +
        (typeof code === "string" ? ` (${code})` : "") + `, current value is ${what}`,
    );
  }
  if (key.asymmetricKeyType !== "rsa") {
    throw new RangeError(
      "Cannot read Kalshi private key: Kalshi keys are RSA, current value is a " +
        `${key.asymmetricKeyType ?? "unknown"} key`,
    );
  }
  const bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_MODULUS_BITS) {
    throw new RangeError(
      `Cannot read Kalshi private key: the RSA modulus must have at least ${MIN_MODULUS_BITS} ` +
        `bits, current value is ${bits} bits`,
    );
  }
  return key;
}

/**
 * The path that is signed: `pathWithOptionalQuery` up to the first `?` (or
 * `#`). It must start with `/trade-api/` (the signed path includes the API
 * prefix; a path relative to the base URL would sign the wrong text and be
 * refused by the exchange with a bare 401) and be printable ASCII without
 * spaces (percent-encoded).
 *
 * @throws {TypeError} When it is not a string; {@link RangeError} when malformed.
 */
export function signedPath(pathWithOptionalQuery: string): string {
  if (typeof pathWithOptionalQuery !== "string") {
    throw new TypeError(
      "Cannot sign Kalshi request: the path must be a string, current value is of type " +
        typeof pathWithOptionalQuery,
    );
  }
  const cut = pathWithOptionalQuery.search(/[?#]/);
  const path = cut === -1 ? pathWithOptionalQuery : pathWithOptionalQuery.slice(0, cut);
  if (!path.startsWith(SIGNED_PATH_PREFIX)) {
    throw new RangeError(
      `Cannot sign Kalshi request: the path must start with "${SIGNED_PATH_PREFIX}" ` +
        "(e.g. /trade-api/v2/portfolio/balance; a full URL or a path relative to the base URL " +
        `signs the wrong text), current value is ${JSON.stringify(path)}`,
    );
  }
  if (!/^[\x21-\x7e]+$/.test(path)) {
    throw new RangeError(
      "Cannot sign Kalshi request: the path must be printable ASCII with no spaces " +
        `(percent-encode them), current value is ${JSON.stringify(path)}`,
    );
  }
  return path;
}

/**
 * The method as signed: upper case, letters only.
 *
 * @throws {TypeError} When it is not a string; {@link RangeError} when it is not an HTTP token.
 */
export function signedMethod(method: string): string {
  if (typeof method !== "string") {
    throw new TypeError(
      "Cannot sign Kalshi request: the method must be a string, current value is of type " +
        typeof method,
    );
  }
  if (!/^[A-Za-z]+$/.test(method)) {
    throw new RangeError(
      "Cannot sign Kalshi request: the method must be letters only (GET, POST, PUT, DELETE), " +
        `current value is ${JSON.stringify(method)}`,
    );
  }
  return method.toUpperCase();
}

/**
 * The timestamp as signed and sent: integer ms since the Unix epoch, decimal.
 *
 * @throws {RangeError} When it is not a non-negative safe integer.
 */
export function signedTimestamp(nowMs: number): string {
  if (typeof nowMs !== "number" || !Number.isSafeInteger(nowMs) || nowMs < 0) {
    throw new RangeError(
      "Cannot sign Kalshi request: the timestamp must be a non-negative integer of ms since " +
        `the Unix epoch, current value is ${String(nowMs)}`,
    );
  }
  return String(nowMs);
}

/**
 * The exact text that is signed: `timestamp + METHOD + path` with the query
 * string removed. Exposed for debugging a refused signature and for tests.
 */
export function signingMessage(
  method: string,
  pathWithOptionalQuery: string,
  nowMs: number,
): string {
  return signedTimestamp(nowMs) + signedMethod(method) + signedPath(pathWithOptionalQuery);
}

/**
 * Check a signature the way the exchange does: RSA-PSS SHA-256, MGF1-SHA-256,
 * salt length 32, over {@link signingMessage}. For the mock exchange and tests.
 *
 * @param publicKey The public key (a key object or PEM text, SPKI or PKCS#1).
 * @param method The request method (any case).
 * @param pathWithOptionalQuery The request path; the query string is ignored.
 * @param timestamp The `KALSHI-ACCESS-TIMESTAMP` header value.
 * @param signatureBase64 The `KALSHI-ACCESS-SIGNATURE` header value.
 * @returns Whether the signature is valid; false for a malformed signature or timestamp.
 * @throws {TypeError | RangeError} On a bad method or path (as {@link signingMessage}).
 */
export function verifyKalshiSignature(
  publicKey: KeyObject | string,
  method: string,
  pathWithOptionalQuery: string,
  timestamp: string,
  signatureBase64: string,
): boolean {
  if (!/^\d{1,16}$/.test(timestamp)) return false;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(signatureBase64)) return false;
  const key = typeof publicKey === "string" ? createPublicKey(publicKey) : publicKey;
  // The timestamp is signed as the header's text, digit for digit.
  const message = timestamp + signedMethod(method) + signedPath(pathWithOptionalQuery);
  const signature = Buffer.from(signatureBase64, "base64");
  return verify("sha256", Buffer.from(message, "utf8"), { key, ...PSS }, signature);
}

/** Inspect hook symbols: Deno's console and Node's util.inspect. */
const DENO_INSPECT = Symbol.for("Deno.customInspect");
const NODE_INSPECT = Symbol.for("nodejs.util.inspect.custom");

/**
 * Signs Kalshi requests with one API key. Create it with {@link KalshiSigner.fromPem}.
 * Holds the key in private fields only (see the module doc).
 */
export class KalshiSigner {
  readonly #keyId: string;
  readonly #key: KeyObject;

  private constructor(keyId: string, key: KeyObject) {
    this.#keyId = keyId;
    this.#key = key;
  }

  /**
   * A signer from a key id and a PEM RSA private key (PKCS#8 or PKCS#1).
   *
   * @throws {TypeError | RangeError} On a malformed key id or a PEM text that is not an
   *   unencrypted RSA private key of at least 2048 bits; the message shows neither.
   */
  static fromPem(keyId: string, privateKeyPem: string): KalshiSigner {
    const id = validateKeyId(keyId);
    return new KalshiSigner(id, parseRsaPrivateKey(privateKeyPem));
  }

  /**
   * The API key id, in full: it is what `KALSHI-ACCESS-KEY` carries. It is a
   * getter on the prototype, so it is not serialized; mask it before showing it.
   */
  get keyId(): string {
    return this.#keyId;
  }

  /** The key id masked to its last 4 characters. */
  get maskedKeyId(): string {
    return maskSecret(this.#keyId);
  }

  /**
   * The three signing headers for one request.
   *
   * @param method HTTP method, any case; signed upper case.
   * @param pathWithOptionalQuery Path from `/trade-api/` on, with or without `?query`
   *   (the query is not signed); for the WebSocket handshake {@link WS_SIGN_PATH}.
   * @param nowMs The request time, integer ms since the Unix epoch.
   * @throws {TypeError | RangeError} On a bad method, path or time (see {@link signingMessage}).
   */
  headers(method: string, pathWithOptionalQuery: string, nowMs: number): KalshiAuthHeaders {
    const message = signingMessage(method, pathWithOptionalQuery, nowMs);
    const signature = sign("sha256", Buffer.from(message, "utf8"), { key: this.#key, ...PSS });
    return {
      [HEADER_KEY]: this.#keyId,
      [HEADER_TIMESTAMP]: signedTimestamp(nowMs),
      [HEADER_SIGNATURE]: signature.toString("base64"),
    };
  }

  /** The public half of the key, e.g. to check that a key file matches a registered key. */
  publicKeyPem(): string {
    return createPublicKey(this.#key).export({ type: "spki", format: "pem" }) as string;
  }

  /** A safe one-line description: `KalshiSigner(key …9abc, RSA 2048)`. */
  describe(): string {
    const bits = this.#key.asymmetricKeyDetails?.modulusLength ?? 0;
    return `KalshiSigner(key ${maskSecret(this.#keyId)}, RSA ${bits})`;
  }

  /** What `JSON.stringify` writes: the description, never the key or the full key id. */
  toJSON(): { signer: string } {
    return { signer: this.describe() };
  }

  /** `String(signer)` and template literals show the description. */
  toString(): string {
    return this.describe();
  }

  /** `console.log` / `Deno.inspect` show the description. */
  [DENO_INSPECT](): string {
    return this.describe();
  }

  /** Node's `util.inspect` shows the description. */
  [NODE_INSPECT](): string {
    return this.describe();
  }
}
