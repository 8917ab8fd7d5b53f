/**
 * The append-only audit log of the live lane: one JSON object per line for
 * every order intent, its client order id, each rail's decision, what the venue
 * did, every fill, every cancel and kill-switch action, and the session's start
 * and end. Each line is written to the file before `write` returns (a kill -9
 * loses nothing already logged), and is scrubbed by `redact`
 * (lib/kalshi/mask.ts) first: no PEM block and no given secret ever reaches the
 * file.
 *
 * Every line has `seq` (per session), `session`, `wallTs` (ms), `at` (ISO) and
 * `type`, then the type's fields.
 *
 * @example
 * ```ts
 * import { AuditLog } from "./audit_log.ts";
 * import { denoFs, systemClock } from "./io.ts";
 *
 * const path = `${Deno.makeTempDirSync()}/audit.jsonl`;
 * const log = new AuditLog(path, { fs: denoFs, clock: systemClock, session: "s1" });
 * log.write("intent", { market: "M", side: "yes" });
 * log.close();
 * ```
 *
 * @module
 */

import { redact } from "../lib/kalshi/mask.ts";
import type { AppendSink, LiveClock, LiveFs } from "./io.ts";

/** Options of an {@link AuditLog}. */
export interface AuditLogOptions {
  readonly fs: LiveFs;
  readonly clock: LiveClock;
  /** Session id written on every line. */
  readonly session: string;
  /** Values masked wherever they would appear (key ids, tokens). */
  readonly secrets?: readonly string[];
}

/** One audit line as read back. */
export interface AuditRecord {
  readonly seq: number;
  readonly session: string;
  readonly wallTs: number;
  readonly at: string;
  readonly type: string;
  readonly [key: string]: unknown;
}

/** The audit log writer; see the module docs. */
export class AuditLog {
  readonly path: string;
  readonly session: string;
  readonly #sink: AppendSink;
  readonly #clock: LiveClock;
  readonly #secrets: readonly string[];
  readonly #counts = new Map<string, number>();
  #seq = 0;
  #closed = false;

  constructor(path: string, options: AuditLogOptions) {
    this.path = path;
    this.session = options.session;
    this.#clock = options.clock;
    this.#secrets = options.secrets ?? [];
    this.#sink = options.fs.openAppend(path);
  }

  /** Lines written per type. */
  counts(): Record<string, number> {
    return Object.fromEntries([...this.#counts.entries()].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
  }

  /** Append one line; throws when the log is closed. */
  write(type: string, fields: Record<string, unknown> = {}): void {
    if (this.#closed) {
      throw new Error(
        `Cannot write audit record: the log ${this.path} is closed, current value is ${type}`,
      );
    }
    const wallTs = this.#clock.now();
    const line = JSON.stringify({
      seq: ++this.#seq,
      session: this.session,
      wallTs,
      at: new Date(wallTs).toISOString(),
      type,
      ...fields,
    });
    this.#sink.write(redact(line, this.#secrets) + "\n");
    this.#counts.set(type, (this.#counts.get(type) ?? 0) + 1);
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#sink.close();
  }
}

/**
 * Read an audit log back (tests, reports): every line as an object.
 *
 * @throws {Error} naming the line when one is not a JSON object.
 */
export function parseAuditLog(text: string): AuditRecord[] {
  const out: AuditRecord[] = [];
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    if (lines[i] === "") continue;
    let v: unknown;
    try {
      v = JSON.parse(lines[i]);
    } catch (e) {
      throw new Error(
        `Cannot read audit log: line ${i + 1} is not JSON (${
          (e as Error).message
        }), current value is ${JSON.stringify(lines[i].slice(0, 80))}`,
      );
    }
    if (v === null || typeof v !== "object" || typeof (v as AuditRecord).type !== "string") {
      throw new Error(
        `Cannot read audit log: line ${i + 1} is not an audit record, current value is ${
          JSON.stringify(lines[i].slice(0, 80))
        }`,
      );
    }
    out.push(v as AuditRecord);
  }
  return out;
}
