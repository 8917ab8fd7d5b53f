/**
 * Masking of secrets (API key ids, private keys) for anything a person or a
 * log file can read: error messages, log lines, reports, `describe()` output.
 *
 * - {@link maskSecret} shows at most the last 4 characters of a value:
 *   `"…"` + last 4, or `"****"` when the value has 4 characters or fewer (then
 *   nothing of it is shown).
 * - {@link redact} scrubs a whole text: every PEM block (`-----BEGIN X-----` …
 *   `-----END X-----`, also with escaped `\n` as in JSON) becomes
 *   `[REDACTED PEM X]`; a text cut inside a block loses everything from a
 *   BEGIN line with no END to its end, and from its start to an END line with
 *   no BEGIN (safe side: part of a key is still key material). Every occurrence
 *   of each given secret becomes {@link maskSecret} of it. A PEM block is not
 *   shown by its last 4 characters: those would be key material (or only the
 *   dashes of the END line), so it gets a fixed marker naming its label.
 *
 * Pure: no I/O.
 *
 * @example
 * ```ts
 * import { maskSecret, redact } from "./mask.ts";
 *
 * maskSecret("0f1e2d3c-aaaa-bbbb-cccc-123456789abc"); // "…9abc"
 * maskSecret("abc"); // "****"
 * const keyId = "0f1e2d3c-aaaa-bbbb-cccc-123456789abc";
 * redact(`key ${keyId} refused`, [keyId]); // "key …9abc refused"
 * ```
 *
 * @module
 */

/** What {@link maskSecret} returns for a value of 4 characters or fewer. */
export const SHORT_MASK = "****";

/** The prefix of a mask that shows the last 4 characters. */
export const MASK_PREFIX = "…";

/**
 * Mask a secret: `"…"` + its last 4 characters, or `"****"` when it has 4
 * characters or fewer (characters are counted as code points, so an astral
 * character is never cut in half).
 *
 * @param secret The value to mask.
 * @returns The mask; never more than the last 4 characters of `secret`.
 * @throws {TypeError} When `secret` is not a string (the message does not show it).
 */
export function maskSecret(secret: string): string {
  if (typeof secret !== "string") {
    throw new TypeError(
      `Cannot mask secret: expected a string, current value is of type ${typeof secret}`,
    );
  }
  const chars = Array.from(secret);
  if (chars.length <= 4) return SHORT_MASK;
  return MASK_PREFIX + chars.slice(-4).join("");
}

/**
 * A PEM block: BEGIN line, body and the END line with the same label. The body
 * may hold real line breaks or escaped ones (`\n` as two characters, as in JSON
 * or a `.env` file), so it is matched lazily up to the first matching END line.
 */
const PEM_BLOCK = /-----BEGIN ([A-Z0-9][A-Z0-9 ]*)-----[\s\S]*?-----END \1-----/g;

/** A BEGIN line whose block has no END line (a text cut short after it): to the end. */
const PEM_UNTERMINATED = /-----BEGIN ([A-Z0-9][A-Z0-9 ]*)-----[\s\S]*$/;

/** An END line with no BEGIN line (a text cut short before it): from the start. */
const PEM_UNSTARTED = /^[\s\S]*-----END ([A-Z0-9][A-Z0-9 ]*)-----/;

/** The marker that replaces a PEM block labelled `label`. */
export function pemMarker(label: string): string {
  return `[REDACTED PEM ${label}]`;
}

/** The mask of one secret: the PEM marker when it holds a PEM block, else {@link maskSecret}. */
function secretMask(secret: string): string {
  const pem = secret.match(/-----BEGIN ([A-Z0-9][A-Z0-9 ]*)-----/);
  return pem ? pemMarker(pem[1]) : maskSecret(secret);
}

/** `s` as a literal inside a regular expression. */
function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\\/-]/g, "\\$&");
}

/**
 * Replace every PEM block and every occurrence of each secret in `text` by its
 * mask (see the module doc). Secrets are matched in one pass, longest first,
 * so a secret that contains another is masked as a whole and a mask is never
 * masked again; empty strings are ignored (an unset variable must not make
 * every position of the text "match").
 *
 * @param text The text to scrub (a log line, an error message, a report).
 * @param secrets The secret values to mask (key ids, PEM texts, tokens).
 * @returns The text with no PEM block and no occurrence of any secret left.
 * @throws {TypeError} When `text` is not a string or a secret is not a string.
 */
export function redact(text: string, secrets: readonly string[] = []): string {
  if (typeof text !== "string") {
    throw new TypeError(
      `Cannot redact text: expected a string, current value is of type ${typeof text}`,
    );
  }
  if (!Array.isArray(secrets)) {
    throw new TypeError(
      "Cannot redact text: secrets must be an array of strings, current value is of type " +
        typeof secrets,
    );
  }
  secrets.forEach((s, i) => {
    if (typeof s !== "string") {
      throw new TypeError(
        `Cannot redact text: secret ${i} must be a string, current value is of type ${typeof s}`,
      );
    }
  });
  // One pass over the text with every secret as an alternative, longest first:
  // at each position the longest secret wins, and a mask already written is
  // never scanned again (a later secret cannot eat into it).
  let out = text;
  const ordered = [...new Set(secrets)].filter((s) => s.length > 0)
    .sort((a, b) => b.length - a.length);
  if (ordered.length > 0) {
    const masks = new Map(ordered.map((s) => [s, secretMask(s)]));
    const any = new RegExp(ordered.map(escapeRegExp).join("|"), "g");
    out = out.replace(any, (m) => masks.get(m) ?? SHORT_MASK);
  }
  out = out.replace(PEM_BLOCK, (_m, label: string) => pemMarker(label));
  out = out.replace(PEM_UNTERMINATED, (_m, label: string) => pemMarker(label));
  out = out.replace(PEM_UNSTARTED, (_m, label: string) => pemMarker(label));
  return out;
}
