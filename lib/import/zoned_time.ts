/**
 * Timestamps of source files -> integer ms since the Unix epoch (UTC).
 *
 * Two shapes:
 *
 * - **Zoned** (`2025-11-24T23:05:38.527224+00:00`, `...Z`, `...-0500`): the offset
 *   is in the string; {@link parseZonedTimestamp}.
 * - **Zone-less local** (`2025-12-04T12:27:16.079996`): wall-clock time in an IANA
 *   zone the user names (never guessed, never a fixed offset);
 *   {@link ZoneResolver}. The zone's offset at that wall-clock time comes from
 *   `Intl.DateTimeFormat` (the runtime's tz database), so daylight saving time is
 *   followed.
 *
 * Grammar (both shapes): `YYYY-MM-DD`, then `T` or one space, then `HH:MM:SS`,
 * optionally `.` and 1 or more digits of fraction. The zoned shape then needs `Z`
 * or `+HH:MM`, `-HH:MM`, `+HHMM`, `-HHMM`, `+HH`, `-HH`. Year 1000..9999, month
 * 1..12, day within the month, hour 0..23, minute 0..59, second 0..59 (no leap
 * second), offsets up to 23:59. Nothing else (no date-only, no trailing text).
 *
 * Rules:
 * - **Fractions are truncated to milliseconds** (`.079996` -> 79 ms, never
 *   rounded up: a time is never moved later).
 * - **DST overlap** (a local time that occurs twice, e.g. 01:30 on the first
 *   Sunday of November in America/Los_Angeles): the **earlier** instant (the first
 *   occurrence, still on daylight time).
 * - **DST gap** (a local time that never occurs, e.g. 02:30 on the second Sunday
 *   of March in America/Los_Angeles): an **error** (RangeError); the importer
 *   rejects the row. No shifting: such a row is a recorder bug or a wrong zone.
 *
 * @example
 * ```ts
 * import { parseZonedTimestamp, ZoneResolver } from "./zoned_time.ts";
 *
 * parseZonedTimestamp("2025-11-24T23:05:38.527224+00:00"); // 1764025538527
 * new ZoneResolver("America/Los_Angeles").toUtcMs("2025-12-04T12:27:16.079996"); // 1764880036079
 * ```
 *
 * @module
 */

/** A wall-clock date and time with no zone; fields as written (month 1..12). */
export interface LocalDateTime {
  readonly year: number;
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** Milliseconds (the fraction truncated). */
  readonly millisecond: number;
}

const MS_PER_HOUR = 3_600_000;
const MS_PER_DAY = 86_400_000;

function fail(what: string, s: string): never {
  throw new SyntaxError(`Cannot parse timestamp: ${what}, current value is ${JSON.stringify(s)}`);
}

function digits(s: string, at: number, n: number): number {
  let v = 0;
  for (let i = at; i < at + n; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    v = v * 10 + c;
  }
  return v;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/**
 * Reads the date-time part; returns the local fields and the index after it.
 * Throws SyntaxError / RangeError naming the problem.
 */
function scanLocal(s: string): { local: LocalDateTime; end: number } {
  if (typeof s !== "string") fail("not a string", String(s));
  if (s.length < 19) fail("too short for YYYY-MM-DDTHH:MM:SS", s);
  const year = digits(s, 0, 4);
  const month = digits(s, 5, 2);
  const day = digits(s, 8, 2);
  const hour = digits(s, 11, 2);
  const minute = digits(s, 14, 2);
  const second = digits(s, 17, 2);
  const sep = s.charCodeAt(10);
  if (
    year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0 ||
    s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45 || (sep !== 84 && sep !== 32) ||
    s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58
  ) {
    fail("not YYYY-MM-DDTHH:MM:SS", s);
  }
  if (year < 1000) fail("year before 1000", s);
  if (month < 1 || month > 12) {
    throw new RangeError(
      `Cannot parse timestamp: month outside 1..12, current value is ${JSON.stringify(s)}`,
    );
  }
  if (day < 1 || day > daysInMonth(year, month)) {
    throw new RangeError(
      `Cannot parse timestamp: day outside the month, current value is ${JSON.stringify(s)}`,
    );
  }
  if (hour > 23 || minute > 59 || second > 59) {
    throw new RangeError(
      `Cannot parse timestamp: time of day out of range, current value is ${JSON.stringify(s)}`,
    );
  }
  let i = 19;
  let millisecond = 0;
  if (i < s.length && s.charCodeAt(i) === 46 /* . */) {
    i++;
    const start = i;
    while (i < s.length) {
      const c = s.charCodeAt(i) - 48;
      if (c < 0 || c > 9) break;
      if (i - start < 3) millisecond = millisecond * 10 + c;
      i++;
    }
    const n = i - start;
    if (n === 0) fail("no digits after the decimal point", s);
    if (n === 1) millisecond *= 100;
    else if (n === 2) millisecond *= 10;
  }
  return { local: { year, month, day, hour, minute, second, millisecond }, end: i };
}

/**
 * Parses a zone-less local timestamp (see the module grammar).
 *
 * @throws {SyntaxError} For a malformed string or trailing text (a zone included).
 * @throws {RangeError} For a field out of range (month 13, February 30, 24:00).
 *
 * @example
 * ```ts
 * import { parseLocalDateTime } from "./zoned_time.ts";
 *
 * parseLocalDateTime("2025-12-04T12:27:16.079996").millisecond; // 79
 * ```
 */
export function parseLocalDateTime(s: string): LocalDateTime {
  const { local, end } = scanLocal(s);
  if (end !== s.length) {
    fail("unexpected text after the time (a zone-less local time was expected)", s);
  }
  return local;
}

function wallAsUtc(l: LocalDateTime): number {
  return Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second, l.millisecond);
}

/**
 * Parses a timestamp that carries its zone (`Z` or a numeric offset) into ms
 * since the epoch, UTC. Fractions are truncated to ms.
 *
 * @throws {SyntaxError} For a malformed string or a missing zone.
 * @throws {RangeError} For a field out of range.
 *
 * @example
 * ```ts
 * import { parseZonedTimestamp } from "./zoned_time.ts";
 *
 * parseZonedTimestamp("2025-08-11T18:25:00+00:00"); // 1754936700000
 * parseZonedTimestamp("2025-08-11T14:25:00-04:00"); // 1754936700000
 * ```
 */
export function parseZonedTimestamp(s: string): number {
  const { local, end } = scanLocal(s);
  const base = wallAsUtc(local);
  const rest = s.length - end;
  if (rest === 0) fail("no zone (Z or +HH:MM) after the time", s);
  const c = s.charCodeAt(end);
  if (c === 90 /* Z */ || c === 122 /* z */) {
    if (rest !== 1) fail("unexpected text after Z", s);
    return base;
  }
  if (c !== 43 && c !== 45) fail("zone is not Z or +HH:MM / -HH:MM", s);
  const sign = c === 45 ? -1 : 1;
  let oh = -1;
  let om = 0;
  if (rest === 3) {
    oh = digits(s, end + 1, 2);
  } else if (rest === 5) {
    oh = digits(s, end + 1, 2);
    om = digits(s, end + 3, 2);
  } else if (rest === 6 && s.charCodeAt(end + 3) === 58) {
    oh = digits(s, end + 1, 2);
    om = digits(s, end + 4, 2);
  }
  if (oh < 0 || om < 0) fail("zone is not Z or +HH:MM / -HH:MM", s);
  if (oh > 23 || om > 59) {
    throw new RangeError(
      `Cannot parse timestamp: zone offset out of range, current value is ${JSON.stringify(s)}`,
    );
  }
  return base - sign * (oh * 60 + om) * 60_000;
}

/**
 * Checks that `zone` names an IANA time zone the runtime knows. Numeric offsets
 * ("+05:00", "-0800") are refused: a fixed offset ignores daylight saving time
 * (use an IANA name; "Etc/GMT+8" if a fixed offset is really meant).
 *
 * @throws {RangeError} Naming the zone.
 */
export function assertIanaZone(zone: string): void {
  if (typeof zone !== "string" || zone.length === 0 || /^[+-]?\d/.test(zone)) {
    throw new RangeError(
      `Cannot use time zone: not an IANA zone name (e.g. America/Los_Angeles), current value is ${
        JSON.stringify(zone)
      }`,
    );
  }
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: zone });
  } catch {
    throw new RangeError(
      `Cannot use time zone: unknown IANA zone, current value is ${JSON.stringify(zone)}`,
    );
  }
}

/** How a local time maps to instants: one, two (overlap) or none (gap). */
type Resolution =
  | { readonly kind: "unique"; readonly offset: number }
  | { readonly kind: "overlap"; readonly earlier: number; readonly later: number }
  | { readonly kind: "gap" };

/**
 * Converts zone-less local timestamps of one IANA zone to UTC ms (see the
 * module rules for DST overlaps and gaps). Keeps a cache per local hour, so a
 * large sorted file costs a few `Intl` calls per hour of data.
 *
 * Assumes at most one offset change within 24 hours of any time (true of every
 * zone in the tz database).
 */
export class ZoneResolver {
  readonly zone: string;
  readonly #fmt: Intl.DateTimeFormat;
  /** Local hour key (wall-clock ms / 1 h) -> offset valid for the whole local hour. */
  readonly #hourOffset = new Map<number, number>();

  /** @throws {RangeError} When `zone` is not an IANA zone (see {@link assertIanaZone}). */
  constructor(zone: string) {
    assertIanaZone(zone);
    this.zone = zone;
    this.#fmt = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
  }

  /** The zone's offset from UTC (ms, local - UTC) at instant `t`. */
  offsetAt(t: number): number {
    const sec = Math.floor(t / 1000) * 1000;
    let y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    for (const p of this.#fmt.formatToParts(sec)) {
      switch (p.type) {
        case "year":
          y = Number(p.value);
          break;
        case "month":
          mo = Number(p.value);
          break;
        case "day":
          d = Number(p.value);
          break;
        case "hour":
          h = Number(p.value);
          break;
        case "minute":
          mi = Number(p.value);
          break;
        case "second":
          s = Number(p.value);
          break;
      }
    }
    return Date.UTC(y, mo - 1, d, h, mi, s) - sec;
  }

  /** Resolves a wall-clock time given as ms "as if UTC". */
  #resolve(wall: number): Resolution {
    const o1 = this.offsetAt(wall - MS_PER_DAY);
    const o2 = this.offsetAt(wall + MS_PER_DAY);
    const ok1 = this.offsetAt(wall - o1) === o1;
    const ok2 = o2 !== o1 && this.offsetAt(wall - o2) === o2;
    if (ok1 && ok2) {
      const a = wall - o1;
      const b = wall - o2;
      return a < b
        ? { kind: "overlap", earlier: a, later: b }
        : { kind: "overlap", earlier: b, later: a };
    }
    if (ok1) return { kind: "unique", offset: o1 };
    if (ok2) return { kind: "unique", offset: o2 };
    return { kind: "gap" };
  }

  /**
   * The instant of a local wall-clock time in this zone.
   *
   * @throws {RangeError} When the local time does not exist (DST gap).
   */
  localToUtcMs(local: LocalDateTime, source?: string): number {
    const wall = wallAsUtc(local);
    const hourKey = Math.floor(wall / MS_PER_HOUR);
    const cached = this.#hourOffset.get(hourKey);
    if (cached !== undefined) return wall - cached;
    const start = hourKey * MS_PER_HOUR;
    const a = this.#resolve(start);
    const b = this.#resolve(start + MS_PER_HOUR - 1000);
    if (a.kind === "unique" && b.kind === "unique" && a.offset === b.offset) {
      this.#hourOffset.set(hourKey, a.offset);
      return wall - a.offset;
    }
    const r = this.#resolve(wall);
    if (r.kind === "unique") return wall - r.offset;
    if (r.kind === "overlap") return r.earlier;
    const shown = source ?? new Date(wall).toISOString().slice(0, 23);
    throw new RangeError(
      `Cannot convert local time: it does not exist in ${this.zone} (daylight saving gap), current value is ${
        JSON.stringify(shown)
      }`,
    );
  }

  /**
   * Parses a zone-less local timestamp and converts it (see the module rules).
   *
   * @throws {SyntaxError} For a malformed string (or one carrying a zone).
   * @throws {RangeError} For a field out of range or a DST gap.
   */
  toUtcMs(s: string): number {
    return this.localToUtcMs(parseLocalDateTime(s), s);
  }
}

/**
 * Parses a timestamp that either carries its zone ({@link parseZonedTimestamp})
 * or is zone-less and then read in `zone` ({@link ZoneResolver}). A zone-less
 * timestamp without a `zone` is an error: the zone is never guessed.
 *
 * @throws {SyntaxError} For a malformed string, or a zone-less one without `zone`.
 * @throws {RangeError} For a field out of range or a DST gap.
 *
 * @example
 * ```ts
 * import { parseTimestamp } from "./zoned_time.ts";
 *
 * parseTimestamp("2025-11-24T23:05:38Z"); // 1764025538000
 * ```
 */
export function parseTimestamp(s: string, zone?: ZoneResolver): number {
  const { local, end } = scanLocal(s);
  if (end < s.length) return parseZonedTimestamp(s);
  if (zone === undefined) {
    fail("no zone (Z or +HH:MM) and no time zone option given (--tz)", s);
  }
  return zone.localToUtcMs(local, s);
}
