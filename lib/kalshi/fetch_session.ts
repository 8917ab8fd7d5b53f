/**
 * One fetch run's page source: every request goes through the journal, then
 * the response cache, then the network, in that order.
 *
 * - A request the journal lists as done is served from its cache file (a
 *   resumed run does not ask again).
 * - Else, unless `refresh` is set, a cached response is reused and journaled
 *   as `source: "cache"`.
 * - Else the client fetches it (paced and retried), its envelope is written to
 *   the cache, and then the journal line is appended: a page is journaled only
 *   once it is safely on disk.
 *
 * With `refresh`, a journaled page counts as done only if this run (or the run
 * it resumes) fetched it from the network; pages merely reused from the cache
 * are fetched again. A damaged cache file is reported and fetched again.
 *
 * @module
 */

import type { RawResponse } from "./client.ts";
import type { FetchJournal, JournalEntry } from "./fetch_journal.ts";
import {
  canonicalKey,
  isPaged,
  type KalshiRequest,
  type RequestTarget,
  requestTarget,
} from "./requests.ts";
import {
  CacheFileError,
  cacheFileName,
  type Envelope,
  type ResponseCache,
} from "./response_cache.ts";

/** What the session needs of a client ({@link KalshiReadClient} has it). */
export interface ReadClient {
  get(req: KalshiRequest, signal?: AbortSignal): Promise<RawResponse>;
}

/** One page as the plan sees it. */
export interface Page {
  readonly target: RequestTarget;
  readonly body: Record<string, unknown>;
  /** The journal entry (its `next_cursor` continues a listing). */
  readonly entry: JournalEntry;
  /** The envelope file's path. */
  readonly file: string;
  /** Where the page came from in this call. */
  readonly from: "journal" | "cache" | "network";
}

/** Anything that answers requests with pages (a session, or a fake in tests). */
export interface PageSource {
  get(req: KalshiRequest): Promise<Page>;
}

/** Options of {@link FetchSession}. */
export interface FetchSessionOptions {
  readonly client: ReadClient;
  readonly cache: ResponseCache;
  readonly journal: FetchJournal;
  /** Ignore cached responses not fetched by this run. */
  readonly refresh?: boolean;
  /** Stops the run before the next network request (and cancels one under way). */
  readonly signal?: AbortSignal;
  /** Called after each page is journaled (or replayed). */
  readonly onPage?: (page: Page) => void;
  /** Called with a warning line (a damaged cache file, a missing file the journal lists). */
  readonly onWarning?: (message: string) => void;
}

/** Counts of where pages came from. */
export interface SessionCounts {
  network: number;
  cache: number;
  journal: number;
}

const LIST_FIELDS = ["markets", "events", "trades", "candlesticks"] as const;

/** Records in a response body: the length of its list field, else 1. */
export function countItems(body: Record<string, unknown>): number {
  for (const f of LIST_FIELDS) {
    const v = body[f];
    if (Array.isArray(v)) return v.length;
  }
  return 1;
}

/** The cursor a paged response returns ("" at the end, also when it has none). */
export function nextCursor(req: KalshiRequest, body: Record<string, unknown>): string | null {
  if (!isPaged(req)) return null;
  const c = body.cursor;
  if (c === undefined || c === null || c === "") return "";
  if (typeof c !== "string") {
    throw new TypeError(
      `Cannot page ${requestTarget(req).path}: field "cursor" must be a string, current value is ${
        JSON.stringify(c)
      }`,
    );
  }
  return c;
}

/** The journal -> cache -> network page source of one run; see the module docs. */
export class FetchSession implements PageSource {
  readonly counts: SessionCounts = { network: 0, cache: 0, journal: 0 };
  readonly #o: FetchSessionOptions;

  constructor(options: FetchSessionOptions) {
    this.#o = options;
  }

  async get(req: KalshiRequest): Promise<Page> {
    const { cache, journal } = this.#o;
    const target = requestTarget(req);
    const key = canonicalKey(target);
    const done = journal.get(key);
    const trustJournal = done !== undefined && (!this.#o.refresh || done.source === "network");
    if (trustJournal) {
      const env = await this.#readCache(target, "the journal lists it as done");
      if (env !== null) {
        return this.#emit({
          target,
          body: env.body,
          entry: done,
          file: cache.fileFor(target),
          from: "journal",
        });
      }
    }
    // (When the journal's file was missing or damaged, the cache has nothing better.)
    if (!this.#o.refresh && !trustJournal) {
      const env = await this.#readCache(target, null);
      if (env !== null) {
        const entry = this.#entry(req, target, key, env.body, "cache", env.fetched_at);
        await journal.append(entry);
        return this.#emit({
          target,
          body: env.body,
          entry,
          file: cache.fileFor(target),
          from: "cache",
        });
      }
    }
    this.#o.signal?.throwIfAborted();
    const r = await this.#o.client.get(req, this.#o.signal);
    const file = await cache.write(target, r.fetchedAt, r.status, r.bodyText);
    const entry = this.#entry(req, target, key, r.body, "network", r.fetchedAt);
    await journal.append(entry);
    return this.#emit({ target, body: r.body, entry, file, from: "network" });
  }

  #emit(page: Page): Page {
    this.counts[page.from]++;
    this.#o.onPage?.(page);
    return page;
  }

  #entry(
    req: KalshiRequest,
    target: RequestTarget,
    key: string,
    body: Record<string, unknown>,
    source: "network" | "cache",
    fetchedAt: number,
  ): JournalEntry {
    return {
      key,
      file: cacheFileName(target),
      path: target.path,
      query: target.query,
      next_cursor: nextCursor(req, body),
      items: countItems(body),
      source,
      fetched_at: fetchedAt,
    };
  }

  /** The cached envelope, or null (missing or damaged: warned when `why` says it should exist). */
  async #readCache(target: RequestTarget, why: string | null): Promise<Envelope | null> {
    try {
      const env = await this.#o.cache.read(target);
      if (env === null && why !== null) {
        this.#o.onWarning?.(
          `cache file ${this.#o.cache.fileFor(target)} is missing though ${why}; fetching it again`,
        );
      }
      return env;
    } catch (e) {
      if (!(e instanceof CacheFileError)) throw e;
      this.#o.onWarning?.(`${e.message}; fetching it again`);
      return null;
    }
  }
}
