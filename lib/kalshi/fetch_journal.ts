/**
 * The resumable state of a fetch: an append-only journal (NDJSON) of the
 * requests completed so far, in order, with the cursor chain of every listing.
 *
 * ```
 * {"kx_fetch_journal":1,"params":{...},"as_of":1767225600000,"started_at":1767225600123}
 * {"key":"/markets?limit=1000&series_ticker=KXHIGHNY","file":"markets.0a1b….json","path":"/markets",
 *  "query":{...},"next_cursor":"c2","items":1000,"source":"network","fetched_at":…}
 * …
 * {"complete":true,"finished_at":1767225612345,"requests":42}
 * ```
 *
 * A line is appended, in one write, after each page's envelope is safely in the
 * cache. A crash can at worst leave a torn last line, which {@link FetchJournal.open}
 * drops (the page is then simply fetched again: its cache file has the same
 * name, so nothing is duplicated). `next_cursor` is the cursor the page returned
 * (null for a request that does not page, "" at the end of a listing), so the
 * journal holds each listing's whole cursor chain.
 *
 * Resuming: a run whose parameters equal the journal's header and whose journal
 * is not complete continues it (and keeps its `as_of`, the frozen "now" used
 * for the time bounds of open markets); any other run starts a new journal.
 *
 * @module
 */

import { appendFile, mkdir, readFile, rename, rm, writeFile } from "node:fs/promises";
import { dirname } from "node:path";

/** Version tag of the journal header. */
export const JOURNAL_VERSION = 1;

/** One completed request. */
export interface JournalEntry {
  /** {@link canonicalKey} of the request. */
  readonly key: string;
  /** Envelope file name in the cache folder. */
  readonly file: string;
  readonly path: string;
  readonly query: Readonly<Record<string, string>>;
  /** Cursor returned by a paged request ("" at the end); null for a request that does not page. */
  readonly next_cursor: string | null;
  /** Records in the page (markets, events, trades, candlesticks; 1 for a single object). */
  readonly items: number;
  /** Where the page came from in this run. */
  readonly source: "network" | "cache";
  readonly fetched_at: number;
}

/** Why {@link FetchJournal.open} started a new journal or resumed. */
export type OpenReason =
  | "new" // no journal
  | "resumed"
  | "previous run complete"
  | "different parameters"
  | "unreadable journal";

/** A JSON value (the plan parameters are compared by their JSON text). */
export type JsonValue =
  | string
  | number
  | boolean
  | null
  | readonly JsonValue[]
  | { readonly [k: string]: JsonValue | undefined };

/** JSON text with object keys sorted at every level (undefined members left out). */
export function stableJson(v: JsonValue | undefined): string {
  if (v === undefined) return "null";
  if (v === null || typeof v !== "object") return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map((x) => stableJson(x)).join(",")}]`;
  const o = v as { readonly [k: string]: JsonValue | undefined };
  const keys = Object.keys(o).filter((k) => o[k] !== undefined).sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${stableJson(o[k])}`).join(",")}}`;
}

function isEntry(v: unknown): v is JournalEntry {
  const o = v as Record<string, unknown>;
  return typeof o === "object" && o !== null && typeof o.key === "string" &&
    typeof o.file === "string" && typeof o.path === "string" && typeof o.query === "object" &&
    o.query !== null && (o.next_cursor === null || typeof o.next_cursor === "string") &&
    Number.isInteger(o.items) && (o.source === "network" || o.source === "cache") &&
    Number.isSafeInteger(o.fetched_at);
}

/** The journal of one fetch run; see the module docs. */
export class FetchJournal {
  /** The journal file. */
  readonly file: string;
  /** The frozen "now" of this run (kept across resumes), ms. */
  readonly asOf: number;
  /** Why the journal was started or resumed. */
  readonly reason: OpenReason;
  /** Detail for "unreadable journal" (which line, what). */
  readonly detail: string;
  readonly #entries: JournalEntry[];
  readonly #byKey = new Map<string, JournalEntry>();
  #complete = false;

  private constructor(
    file: string,
    asOf: number,
    reason: OpenReason,
    detail: string,
    entries: JournalEntry[],
  ) {
    this.file = file;
    this.asOf = asOf;
    this.reason = reason;
    this.detail = detail;
    this.#entries = entries;
    for (const e of entries) this.#byKey.set(e.key, e);
  }

  /**
   * Opens the journal at `file` for a run with `params`: resumes it when it is
   * an incomplete journal of the same parameters, else starts a new one (the
   * old file is replaced atomically).
   *
   * @param now The clock, ms: `as_of` and `started_at` of a new journal.
   */
  static async open(file: string, params: JsonValue, now: () => number): Promise<FetchJournal> {
    const paramsText = stableJson(params);
    let text: string | null = null;
    try {
      text = await readFile(file, "utf8");
    } catch (e) {
      if ((e as { code?: string }).code !== "ENOENT") throw e;
    }
    let reason: OpenReason = "new";
    let detail = "";
    if (text !== null) {
      const parsed = parseJournal(text);
      if ("error" in parsed) {
        reason = "unreadable journal";
        detail = parsed.error;
      } else if (parsed.complete) {
        reason = "previous run complete";
      } else if (stableJson(parsed.params) !== paramsText) {
        reason = "different parameters";
      } else {
        const j = new FetchJournal(file, parsed.asOf, "resumed", "", parsed.entries);
        // Rewrite without a torn tail, so appends start on a fresh line.
        await writeAtomic(
          file,
          parsed.headerLine + "\n" + parsed.entries.map((e) => JSON.stringify(e) + "\n").join(""),
        );
        return j;
      }
    }
    const t = now();
    if (!Number.isSafeInteger(t) || t < 0) {
      throw new RangeError(
        `Cannot open fetch journal: clock must give integer ms, current value is ${t}`,
      );
    }
    const header = `{"kx_fetch_journal":${JOURNAL_VERSION},"params":${paramsText},"as_of":${t},` +
      `"started_at":${t}}`;
    await mkdir(dirname(file), { recursive: true });
    await writeAtomic(file, header + "\n");
    return new FetchJournal(file, t, reason, detail, []);
  }

  /** Completed requests in order. */
  get entries(): readonly JournalEntry[] {
    return this.#entries;
  }

  /** Whether {@link complete} was called. */
  get isComplete(): boolean {
    return this.#complete;
  }

  /** The entry of a completed request, by its canonical key. */
  get(key: string): JournalEntry | undefined {
    return this.#byKey.get(key);
  }

  /**
   * Records a completed request (one appended line). A key already present is
   * replaced in the index and appended again (a re-fetch after a damaged cache
   * file); {@link entries} keeps only its latest position.
   */
  async append(entry: JournalEntry): Promise<void> {
    if (this.#complete) {
      throw new Error(
        `Cannot append to fetch journal ${this.file}: the run is complete, current value is ${entry.key}`,
      );
    }
    if (!isEntry(entry)) {
      throw new TypeError(
        `Cannot append to fetch journal ${this.file}: malformed entry, current value is ${
          JSON.stringify(entry)
        }`,
      );
    }
    await appendFile(this.file, JSON.stringify(entry) + "\n", "utf8");
    if (this.#byKey.has(entry.key)) {
      const i = this.#entries.findIndex((e) => e.key === entry.key);
      this.#entries.splice(i, 1);
    }
    this.#entries.push(entry);
    this.#byKey.set(entry.key, entry);
  }

  /** Marks the run complete; a later run with the same parameters starts afresh. */
  async complete(finishedAt: number): Promise<void> {
    await appendFile(
      this.file,
      `{"complete":true,"finished_at":${finishedAt},"requests":${this.#entries.length}}\n`,
      "utf8",
    );
    this.#complete = true;
  }
}

interface Parsed {
  readonly headerLine: string;
  readonly params: JsonValue;
  readonly asOf: number;
  readonly entries: JournalEntry[];
  readonly complete: boolean;
}

/** Parses journal text; a torn (unterminated or unparsable) last line is dropped. */
export function parseJournal(text: string): Parsed | { error: string } {
  const lines = text.split("\n");
  // After the last "\n" comes either nothing or a torn (unterminated) line: drop it.
  lines.pop();
  if (lines.length === 0) return { error: "line 1: no header, current value is an empty file" };
  let header: Record<string, unknown>;
  try {
    header = JSON.parse(lines[0]);
  } catch {
    return {
      error: `line 1: header is not JSON, current value is ${
        JSON.stringify(lines[0].slice(0, 60))
      }`,
    };
  }
  if (header?.kx_fetch_journal !== JOURNAL_VERSION || !Number.isSafeInteger(header.as_of)) {
    return {
      error: `line 1: not a version ${JOURNAL_VERSION} journal header, current value is ${
        lines[0].slice(0, 80)
      }`,
    };
  }
  const entries: JournalEntry[] = [];
  const index = new Map<string, number>();
  let complete = false;
  for (let i = 1; i < lines.length; i++) {
    let v: unknown;
    try {
      v = JSON.parse(lines[i]);
    } catch {
      if (i === lines.length - 1) break; // a torn last line (the crash happened mid-write)
      return {
        error: `line ${i + 1}: not JSON, current value is ${JSON.stringify(lines[i].slice(0, 60))}`,
      };
    }
    if ((v as { complete?: unknown })?.complete === true) {
      complete = true;
      continue;
    }
    if (!isEntry(v)) {
      return {
        error: `line ${i + 1}: not a journal entry, current value is ${lines[i].slice(0, 80)}`,
      };
    }
    const prev = index.get(v.key);
    if (prev !== undefined) {
      // A request fetched again (its cache file was damaged): keep the latest position.
      entries.splice(prev, 1);
      entries.push(v);
      index.clear();
      entries.forEach((e, k) => index.set(e.key, k));
    } else {
      index.set(v.key, entries.length);
      entries.push(v);
    }
  }
  return {
    headerLine: lines[0],
    params: header.params as JsonValue,
    asOf: header.as_of as number,
    entries,
    complete,
  };
}

async function writeAtomic(file: string, text: string): Promise<void> {
  const tmp = `${file}.tmp`;
  try {
    await writeFile(tmp, text, "utf8");
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw e;
  }
}
