/**
 * Raw Kalshi REST responses cached on disk, one file per request.
 *
 * Each file holds one envelope, the form the `kalshi-json` importer reads:
 *
 * ```json
 * {"kx_fetch":1,"path":"/markets","query":{"limit":"1000","series_ticker":"KXHIGHNY"},
 *  "fetched_at":1767225600000,"status":200,"body":<the response body as received>}
 * ```
 *
 * `path` is relative to the `/trade-api/v2` base, `query` holds the query
 * parameters as sent (string values), `fetched_at` is ms since the epoch. The
 * body is spliced in as the exact text the server sent, so the file keeps the
 * response byte for byte. The file name is derived from the request alone
 * ({@link cacheFileName}: a readable slug of the path plus a hash of the
 * canonical path and query), so the same request always maps to the same file.
 * Files are written to a temporary name and renamed, so a crash never leaves
 * half a file under the final name.
 *
 * @module
 */

import { createHash } from "node:crypto";
import { mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { canonicalKey, type RequestTarget } from "./requests.ts";

/** Version tag of the envelope (`kx_fetch`). */
export const ENVELOPE_VERSION = 1;

/** A cached response envelope, parsed. */
export interface Envelope {
  readonly kx_fetch: 1;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  readonly fetched_at: number;
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** A cache file that exists but cannot be used (not JSON, wrong version, another request). */
export class CacheFileError extends Error {
  readonly file: string;
  constructor(file: string, detail: string) {
    super(`Cannot read cached response ${file}: ${detail}`);
    this.name = "CacheFileError";
    this.file = file;
  }
}

/**
 * The file name of a request's envelope: `<slug>.<hash>.json`, where slug is the
 * path with `/` turned into `_` (at most 96 characters of `[A-Za-z0-9._-]`) and
 * hash the first 16 hex digits of SHA-256 over {@link canonicalKey}.
 */
export function cacheFileName(target: RequestTarget): string {
  const slug = target.path.replace(/^\/+/, "").replace(/\//g, "_").replace(/[^A-Za-z0-9._-]/g, "~")
    .slice(0, 96);
  const hash = createHash("sha256").update(canonicalKey(target)).digest("hex").slice(0, 16);
  return `${slug}.${hash}.json`;
}

/**
 * The envelope's text for a response (one line, newline-terminated).
 *
 * @throws {RangeError} when the body text is not JSON or fetchedAt/status are not integers.
 */
export function envelopeText(
  target: RequestTarget,
  fetchedAt: number,
  status: number,
  bodyText: string,
): string {
  if (!Number.isSafeInteger(fetchedAt) || fetchedAt < 0) {
    throw new RangeError(
      `Cannot write envelope: fetched_at must be a non-negative integer of ms, current value is ${fetchedAt}`,
    );
  }
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    throw new RangeError(
      `Cannot write envelope: status must be an HTTP status, current value is ${status}`,
    );
  }
  try {
    JSON.parse(bodyText);
  } catch {
    throw new RangeError(
      `Cannot write envelope for ${target.path}: body is not JSON, current value is ${
        JSON.stringify(bodyText.slice(0, 60))
      }`,
    );
  }
  return `{"kx_fetch":${ENVELOPE_VERSION},"path":${JSON.stringify(target.path)},"query":${
    JSON.stringify(target.query)
  },"fetched_at":${fetchedAt},"status":${status},"body":${bodyText}}\n`;
}

/**
 * Parses and checks an envelope's text; `expect`, when given, must match its
 * path and query.
 *
 * @throws {CacheFileError} naming the file and the problem.
 */
export function parseEnvelope(file: string, text: string, expect?: RequestTarget): Envelope {
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch (e) {
    throw new CacheFileError(
      file,
      `not JSON (${(e as Error).message}), current value is ${JSON.stringify(text.slice(0, 60))}`,
    );
  }
  const o = v as Record<string, unknown>;
  if (typeof o !== "object" || o === null || o.kx_fetch !== ENVELOPE_VERSION) {
    throw new CacheFileError(
      file,
      `field "kx_fetch" must be ${ENVELOPE_VERSION}, current value is ${
        JSON.stringify(o?.kx_fetch)
      }`,
    );
  }
  if (typeof o.path !== "string") {
    throw new CacheFileError(file, `field "path" must be a string, current value is ${o.path}`);
  }
  if (typeof o.query !== "object" || o.query === null || Array.isArray(o.query)) {
    throw new CacheFileError(file, `field "query" must be an object, current value is ${o.query}`);
  }
  if (!Number.isSafeInteger(o.fetched_at)) {
    throw new CacheFileError(
      file,
      `field "fetched_at" must be an integer, current value is ${o.fetched_at}`,
    );
  }
  if (!Number.isInteger(o.status)) {
    throw new CacheFileError(
      file,
      `field "status" must be an integer, current value is ${o.status}`,
    );
  }
  if (typeof o.body !== "object" || o.body === null || Array.isArray(o.body)) {
    throw new CacheFileError(
      file,
      `field "body" must be a JSON object, current value is ${o.body}`,
    );
  }
  const env = o as unknown as Envelope;
  if (expect !== undefined) {
    const want = canonicalKey(expect);
    const got = canonicalKey({ path: env.path, query: env.query });
    if (want !== got) {
      throw new CacheFileError(
        file,
        `holds another request (${want} expected), current value is ${got}`,
      );
    }
  }
  return env;
}

/** The response cache in one folder; see the module docs. */
export class ResponseCache {
  /** Folder of the envelope files. */
  readonly dir: string;
  #made = false;

  constructor(dir: string) {
    if (typeof dir !== "string" || dir === "") {
      throw new RangeError(
        `Cannot open response cache: dir must be a path, current value is ${JSON.stringify(dir)}`,
      );
    }
    this.dir = dir;
  }

  /** The absolute-or-relative path of a request's envelope file. */
  fileFor(target: RequestTarget): string {
    return join(this.dir, cacheFileName(target));
  }

  /**
   * The cached envelope of a request, or null when there is none.
   *
   * @throws {CacheFileError} when the file exists but is unusable.
   */
  async read(target: RequestTarget): Promise<Envelope | null> {
    const file = this.fileFor(target);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (e) {
      if ((e as { code?: string }).code === "ENOENT") return null;
      throw e;
    }
    return parseEnvelope(file, text, target);
  }

  /**
   * Writes a response's envelope (temporary file, then rename).
   *
   * @returns The envelope file's path.
   */
  async write(
    target: RequestTarget,
    fetchedAt: number,
    status: number,
    bodyText: string,
  ): Promise<string> {
    const text = envelopeText(target, fetchedAt, status, bodyText);
    if (!this.#made) {
      await mkdir(this.dir, { recursive: true });
      this.#made = true;
    }
    const file = this.fileFor(target);
    const tmp = `${file}.tmp`;
    try {
      await writeFile(tmp, text, "utf8");
      await rename(tmp, file);
    } catch (e) {
      await rm(tmp, { force: true });
      throw e;
    }
    return file;
  }
}
