/**
 * Loading Kalshi API credentials: an API key id and an RSA private key, from
 * the environment or from a key file named explicitly.
 *
 * | variable | holds |
 * | --- | --- |
 * | `KALSHI_API_KEY_ID` | the API key id |
 * | `KALSHI_PRIVATE_KEY_PATH` | path of the PEM private key file (preferred) |
 * | `KALSHI_PRIVATE_KEY` | the PEM text itself (for CI secrets); `\n` escapes are accepted |
 *
 * {@link loadCredentials} returns either the loaded credentials (`keyId` and a
 * {@link KalshiSigner}) or a typed "missing" result that names what is missing
 * (variable names, never values): running without credentials is a normal
 * state (the research lane and the dry-run venue need none), not an error.
 * What is present but wrong is an error: both key variables set, an
 * unreadable or oversized file, a key file readable by group or others
 * (`mode & 0o077`, checked on the open file; skipped on Windows, whose ACLs
 * are not mode bits), a PEM that is not an RSA private key.
 *
 * Nothing here logs. Errors name paths, variable names and file modes, and
 * show a key id only masked ({@link maskSecret}); a key is never echoed. The
 * loaded result's `keyId` is a non-enumerable property, so logging or
 * serializing the result does not print it.
 *
 * I/O adapter: reads the environment and one file; both are injectable for tests.
 *
 * @example
 * ```ts ignore
 * import { loadCredentials } from "./credentials.ts";
 *
 * const creds = await loadCredentials();
 * if (creds.kind === "missing") {
 *   console.log(creds.message); // names the variables to set
 * } else {
 *   console.log(creds.signer.describe()); // KalshiSigner(key …9abc, RSA 2048)
 * }
 * ```
 *
 * @module
 */

import { open } from "node:fs/promises";
import { maskSecret } from "./mask.ts";
import { KalshiSigner, validateKeyId } from "./signing.ts";

/** Environment variable holding the API key id. */
export const ENV_KEY_ID = "KALSHI_API_KEY_ID";
/** Environment variable holding the private key file's path. */
export const ENV_KEY_PATH = "KALSHI_PRIVATE_KEY_PATH";
/** Environment variable holding the PEM private key text. */
export const ENV_KEY_PEM = "KALSHI_PRIVATE_KEY";

/** A key file larger than this is refused unread (an RSA 4096 PEM is about 3.3 KB). */
export const MAX_KEY_FILE_BYTES = 64 * 1024;

/** Reads one environment variable; undefined when unset. */
export type EnvReader = (name: string) => string | undefined;

/** Where the private key came from. */
export type KeySource = "file" | "env";

/** Credentials that loaded. `keyId` is non-enumerable (not serialized, not inspected). */
export interface LoadedCredentials {
  readonly kind: "loaded";
  /** The API key id, in full (mask it with {@link maskSecret} before showing it). */
  readonly keyId: string;
  readonly signer: KalshiSigner;
  readonly source: KeySource;
  /** The key file read, or null when the key came from `KALSHI_PRIVATE_KEY`. */
  readonly keyPath: string | null;
}

/** Credentials that are not there: what to set, by name. */
export interface MissingCredentials {
  readonly kind: "missing";
  /** Each missing item: a variable name, or alternatives joined by " or ". */
  readonly missing: readonly string[];
  /** One line for the user naming what to set. */
  readonly message: string;
}

/** What {@link loadCredentials} returns. */
export type CredentialsResult = LoadedCredentials | MissingCredentials;

/** Options of {@link loadCredentials}; everything is optional. */
export interface LoadCredentialsOptions {
  /** The API key id; overrides `KALSHI_API_KEY_ID`. */
  readonly keyId?: string;
  /** A private key file; overrides `KALSHI_PRIVATE_KEY_PATH` and `KALSHI_PRIVATE_KEY`. */
  readonly keyPath?: string;
  /** Environment reader (default: `Deno.env.get`). */
  readonly env?: EnvReader;
  /** Operating system as `Deno.build.os` names it (default: the running one). */
  readonly platform?: string;
}

/** `Deno.env.get`, with a clear error when `--allow-env` is missing. */
function denoEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch (e) {
    throw new Error(
      `Cannot read Kalshi credentials from the environment: reading ${name} was refused ` +
        `(run with --allow-env=${ENV_KEY_ID},${ENV_KEY_PATH},${ENV_KEY_PEM}), current value is ` +
        (e instanceof Error ? e.name : "an error"),
    );
  }
}

/** A variable's value with surrounding whitespace removed; undefined when unset or blank. */
function readVar(env: EnvReader, name: string): string | undefined {
  const v = env(name);
  if (v === undefined || v === null) return undefined;
  if (typeof v !== "string") {
    throw new TypeError(
      `Cannot read Kalshi credentials: ${name} must be a string, ` +
        `current value is of type ${typeof v}`,
    );
  }
  const t = v.trim();
  return t === "" ? undefined : t;
}

/** Format a file mode as 4 octal digits (0644). */
export function formatMode(mode: number): string {
  return (mode & 0o7777).toString(8).padStart(4, "0");
}

/**
 * Refuse a private key file whose permission bits give group or others any
 * access (`mode & 0o077`). No check on Windows (`platform === "windows"`).
 *
 * @param mode The file's `st_mode` (type bits are ignored).
 * @param path The file path, for the message.
 * @param platform `Deno.build.os` of the machine the file is on.
 * @throws {Error} When the file is too open, with the chmod that fixes it.
 */
export function checkKeyFileMode(mode: number, path: string, platform: string): void {
  if (platform === "windows") return;
  if (!Number.isInteger(mode) || mode < 0) {
    throw new RangeError(
      `Cannot check Kalshi private key file ${path}: the mode must be a non-negative integer, ` +
        `current value is ${mode}`,
    );
  }
  if ((mode & 0o077) !== 0) {
    throw new Error(
      `Cannot use Kalshi private key file ${path}: it is accessible by group or others ` +
        `(mode & 0o077 must be 0); restrict it with \`chmod 600 ${path}\`, ` +
        `current value is ${formatMode(mode)}`,
    );
  }
}

/**
 * Read a private key file: a regular file, at most {@link MAX_KEY_FILE_BYTES},
 * not accessible by group or others (checked on the opened file, so the file
 * checked is the file read).
 *
 * @throws {Error} When it cannot be opened, is not a regular file, is too large or too open.
 */
export async function readPrivateKeyFile(
  path: string,
  platform: string = Deno.build.os,
): Promise<string> {
  if (typeof path !== "string" || path.trim() === "") {
    throw new TypeError(
      `Cannot read Kalshi private key file: the path must be a non-empty string, current value is ${
        typeof path === "string" ? JSON.stringify(path) : `of type ${typeof path}`
      }`,
    );
  }
  let fh;
  try {
    fh = await open(path, "r");
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const why = code === "ENOENT"
      ? "no such file"
      : code === "EACCES" || code === "EPERM"
      ? "permission denied"
      : e instanceof Error && e.name === "NotCapable"
      ? "read access not granted (run with --allow-read)"
      : "it cannot be opened";
    throw new Error(
      `Cannot read Kalshi private key file: ${why}` +
        (typeof code === "string" ? ` (${code})` : "") + `, current value is ${path}`,
    );
  }
  try {
    const st = await fh.stat();
    if (!st.isFile()) {
      throw new Error(
        `Cannot read Kalshi private key file: it is not a regular file, current value is ${path}`,
      );
    }
    if (st.size > MAX_KEY_FILE_BYTES) {
      throw new Error(
        `Cannot read Kalshi private key file ${path}: it is larger than ${MAX_KEY_FILE_BYTES} ` +
          `bytes and cannot be a PEM private key, current value is ${st.size} bytes`,
      );
    }
    checkKeyFileMode(st.mode, path, platform);
    return await fh.readFile({ encoding: "utf8" });
  } finally {
    await fh.close();
  }
}

/**
 * PEM text from an environment variable: CI systems and `.env` files often
 * keep line breaks as the two characters `\n`; those become line breaks when
 * the text holds no real one.
 */
export function pemFromEnvText(text: string): string {
  return text.includes("\n") ? text : text.replaceAll("\\r\\n", "\n").replaceAll("\\n", "\n");
}

/** The loaded result, with `keyId` non-enumerable. */
function loaded(
  keyId: string,
  signer: KalshiSigner,
  source: KeySource,
  keyPath: string | null,
): LoadedCredentials {
  const out = { kind: "loaded" as const, signer, source, keyPath };
  Object.defineProperty(out, "keyId", { value: keyId, enumerable: false });
  return out as LoadedCredentials;
}

/**
 * Load credentials: the key id from `options.keyId` or `KALSHI_API_KEY_ID`;
 * the private key from `options.keyPath`, else `KALSHI_PRIVATE_KEY_PATH`, else
 * `KALSHI_PRIVATE_KEY`. Nothing is read from disk while something is missing.
 *
 * @returns The loaded credentials, or a "missing" result naming what to set.
 * @throws {Error} When both key variables are set, the key id is malformed, the key file
 *   cannot be read or is accessible by group or others, or the PEM is not an RSA private
 *   key. Messages show the key id masked and never any key material.
 */
export async function loadCredentials(
  options: LoadCredentialsOptions = {},
): Promise<CredentialsResult> {
  const env = options.env ?? denoEnv;
  const platform = options.platform ?? Deno.build.os;

  const keyId = options.keyId !== undefined ? options.keyId : readVar(env, ENV_KEY_ID);
  let keyPath: string | undefined = options.keyPath;
  let pem: string | undefined;
  if (keyPath === undefined) {
    keyPath = readVar(env, ENV_KEY_PATH);
    pem = readVar(env, ENV_KEY_PEM);
    if (keyPath !== undefined && pem !== undefined) {
      throw new Error(
        `Cannot load Kalshi credentials: both ${ENV_KEY_PATH} and ${ENV_KEY_PEM} are set; ` +
          `unset one, current value is ${ENV_KEY_PATH}=${keyPath} and ${ENV_KEY_PEM}=<set>`,
      );
    }
  }

  const missing: string[] = [];
  if (keyId === undefined) missing.push(ENV_KEY_ID);
  if (keyPath === undefined && pem === undefined) missing.push(`${ENV_KEY_PATH} or ${ENV_KEY_PEM}`);
  if (missing.length > 0) {
    return {
      kind: "missing",
      missing,
      message: `Kalshi credentials are not configured: set ${missing.join(" and ")}`,
    };
  }

  const id = validateKeyId(keyId as string);
  if (keyPath !== undefined) {
    const text = await readPrivateKeyFile(keyPath, platform);
    return loaded(id, fromPem(id, text, `key file ${keyPath}`), "file", keyPath);
  }
  return loaded(id, fromPem(id, pemFromEnvText(pem as string), ENV_KEY_PEM), "env", null);
}

/** {@link KalshiSigner.fromPem}, its error prefixed with where the key came from. */
function fromPem(keyId: string, pem: string, where: string): KalshiSigner {
  try {
    return KalshiSigner.fromPem(keyId, pem);
  } catch (e) {
    if (e instanceof Error) {
      const Ctor = e instanceof RangeError
        ? RangeError
        : e instanceof TypeError
        ? TypeError
        : Error;
      const context = `(${where}, key id ${maskSecret(keyId)})`;
      throw new Ctor(e.message.replace(/^Cannot ([^:]+):/, `Cannot $1 ${context}:`));
    }
    throw e;
  }
}
