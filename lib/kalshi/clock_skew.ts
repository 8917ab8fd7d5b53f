/**
 * Clock-skew guard for signed requests. The signature covers the local clock's
 * time (`KALSHI-ACCESS-TIMESTAMP`), so a local clock far from the exchange's
 * makes every signed request fail, or worse, fail only sometimes. Before the
 * live lane signs anything it measures the skew against the exchange's clock
 * and refuses to go on when the skew is beyond a bound.
 *
 * - {@link measureSkew}: skew = local - exchange (positive: the local clock is
 *   ahead). The exchange time is an HTTP `Date` header (IMF-fixdate, whole
 *   seconds) or integer ms (an exchange timestamp). The local time is either
 *   one reading or, better, the request's send and receive times, whose
 *   midpoint is taken (the exchange stamped its reply somewhere in between).
 *   A `Date` header truncates to the second, so the exchange time is taken as
 *   the middle of that second (`+500` ms); the result also gives the interval
 *   the true skew lies in, from the round trip and that resolution.
 * - {@link checkSkew}: ok when |skew| <= bound, else refused with a message
 *   naming both.
 *
 * Pure: every time is a parameter; nothing here reads a clock.
 *
 * @example
 * ```ts
 * import { checkSkew, measureSkew } from "./clock_skew.ts";
 *
 * const m = measureSkew({
 *   exchange: "Thu, 01 Jan 2026 00:00:00 GMT", // the response's Date header
 *   sentMs: 1_767_225_603_000,
 *   receivedMs: 1_767_225_603_200,
 * });
 * m.skewMs; // 1767225603100 - 1767225600500 = 2600 (local clock ahead)
 * const check = checkSkew(m.skewMs, 1000);
 * if (!check.ok) console.error(check.message);
 * ```
 *
 * @module
 */

/** Resolution of an HTTP `Date` header: whole seconds. */
export const DATE_HEADER_RESOLUTION_MS = 1000;

const DAYS = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"] as const;
const MONTHS = [
  "Jan",
  "Feb",
  "Mar",
  "Apr",
  "May",
  "Jun",
  "Jul",
  "Aug",
  "Sep",
  "Oct",
  "Nov",
  "Dec",
] as const;

/** `Sun, 06 Nov 1994 08:49:37 GMT`: weekday, day, month, year, hour, minute, second. */
const IMF_FIXDATE = new RegExp(
  `^(${DAYS.join("|")}), (\\d{2}) (${MONTHS.join("|")}) (\\d{4}) (\\d{2}):(\\d{2}):(\\d{2}) GMT$`,
);

/**
 * Parse an HTTP `Date` header in the IMF-fixdate form every current server
 * sends (`Sun, 06 Nov 1994 08:49:37 GMT`, RFC 9110 §5.6.7) to ms since the
 * Unix epoch. Surrounding whitespace is ignored. The weekday must match the
 * date, and the day must exist in its month.
 *
 * @throws {TypeError} When `value` is not a string.
 * @throws {RangeError} When it is not a valid IMF-fixdate.
 */
export function parseHttpDate(value: string): number {
  if (typeof value !== "string") {
    throw new TypeError(
      `Cannot parse HTTP Date header: expected a string, current value is of type ${typeof value}`,
    );
  }
  const m = value.trim().match(IMF_FIXDATE);
  if (!m) {
    throw new RangeError(
      'Cannot parse HTTP Date header: expected IMF-fixdate like "Sun, 06 Nov 1994 08:49:37 GMT", ' +
        `current value is ${JSON.stringify(value)}`,
    );
  }
  const [, dayName, dd, mon, yyyy, hh, mi, ss] = m;
  const day = Number(dd);
  const month = MONTHS.indexOf(mon as typeof MONTHS[number]);
  const year = Number(yyyy);
  const [hour, minute, second] = [Number(hh), Number(mi), Number(ss)];
  if (hour > 23 || minute > 59 || second > 60) {
    throw new RangeError(
      `Cannot parse HTTP Date header: the time of day is out of range, current value is ${
        JSON.stringify(value)
      }`,
    );
  }
  // A leap second (:60) is taken as the first ms of the next minute.
  const ms = Date.UTC(year, month, day, hour, minute, second);
  const check = new Date(Date.UTC(year, month, day));
  if (day < 1 || check.getUTCDate() !== day || check.getUTCMonth() !== month) {
    throw new RangeError(
      `Cannot parse HTTP Date header: ${mon} ${year} has no day ${day}, current value is ${
        JSON.stringify(value)
      }`,
    );
  }
  if (DAYS[check.getUTCDay()] !== dayName) {
    throw new RangeError(
      `Cannot parse HTTP Date header: ${yyyy}-${String(month + 1).padStart(2, "0")}-${dd} is a ` +
        `${DAYS[check.getUTCDay()]}, not a ${dayName}, current value is ${JSON.stringify(value)}`,
    );
  }
  return ms;
}

/** The exchange's time as observed: a `Date` header string or integer ms since the epoch. */
export type ExchangeTime = string | number;

/** One observation of the exchange's clock against the local clock. */
export interface SkewSample {
  /** The exchange's time: an HTTP `Date` header value or integer ms since the epoch. */
  readonly exchange: ExchangeTime;
  /** The local clock when the exchange time was observed (when no round trip is known). */
  readonly localMs?: number;
  /** The local clock when the request was sent (with `receivedMs`). */
  readonly sentMs?: number;
  /** The local clock when the response arrived (with `sentMs`). */
  readonly receivedMs?: number;
}

/** What {@link measureSkew} found. All values in ms. */
export interface SkewMeasurement {
  /** Estimated skew: `localMs - exchangeMs`. Positive: the local clock is ahead. */
  readonly skewMs: number;
  /** The local time used: the reading, or the floor of the send/receive midpoint. */
  readonly localMs: number;
  /** The exchange time used: the reading plus half its resolution. */
  readonly exchangeMs: number;
  /** The exchange time as read (a `Date` header's whole second, or the ms given). */
  readonly exchangeReadingMs: number;
  /** Resolution of the reading: 1000 for a `Date` header, 0 for ms. */
  readonly resolutionMs: number;
  /** `receivedMs - sentMs`, or 0 for a single local reading. */
  readonly roundTripMs: number;
  /** The true skew is at least this (earliest local time minus latest exchange time). */
  readonly minSkewMs: number;
  /** The true skew is at most this (latest local time minus earliest exchange time). */
  readonly maxSkewMs: number;
}

function requireTime(name: string, value: unknown): number {
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < 0) {
    throw new RangeError(
      `Cannot measure clock skew: ${name} must be a non-negative integer of ms since the ` +
        `Unix epoch, current value is ${typeof value === "string" ? JSON.stringify(value) : value}`,
    );
  }
  return value;
}

/**
 * Read an {@link ExchangeTime}: a string is an HTTP `Date` header
 * ({@link parseHttpDate}, resolution 1000 ms), a number is ms (resolution 0).
 *
 * @throws {TypeError | RangeError} On anything else.
 */
export function readExchangeTime(t: ExchangeTime): { ms: number; resolutionMs: number } {
  if (typeof t === "string") return { ms: parseHttpDate(t), resolutionMs: 1000 };
  if (typeof t === "number") return { ms: requireTime("the exchange time", t), resolutionMs: 0 };
  throw new TypeError(
    "Cannot measure clock skew: the exchange time must be a Date header string or ms, " +
      `current value is of type ${typeof t}`,
  );
}

/**
 * Measure the skew of the local clock against the exchange's (see the module doc).
 * Give either `localMs`, or both `sentMs` and `receivedMs`.
 *
 * @throws {TypeError | RangeError} On a malformed time, a receive time before the send
 *   time, or a sample with neither or both kinds of local time.
 */
export function measureSkew(sample: SkewSample): SkewMeasurement {
  if (typeof sample !== "object" || sample === null) {
    throw new TypeError(
      `Cannot measure clock skew: expected a sample object, current value is ${String(sample)}`,
    );
  }
  const { ms: reading, resolutionMs } = readExchangeTime(sample.exchange);
  const hasLocal = sample.localMs !== undefined;
  const hasSent = sample.sentMs !== undefined;
  const hasReceived = sample.receivedMs !== undefined;
  let earliest: number;
  let latest: number;
  let local: number;
  if (hasLocal && !hasSent && !hasReceived) {
    local = earliest = latest = requireTime("localMs", sample.localMs);
  } else if (!hasLocal && hasSent && hasReceived) {
    earliest = requireTime("sentMs", sample.sentMs);
    latest = requireTime("receivedMs", sample.receivedMs);
    if (latest < earliest) {
      throw new RangeError(
        `Cannot measure clock skew: receivedMs is before sentMs (${earliest}), ` +
          `current value is ${latest}`,
      );
    }
    local = Math.floor((earliest + latest) / 2);
  } else {
    const given = ["localMs", "sentMs", "receivedMs"].filter((k) =>
      sample[k as keyof SkewSample] !== undefined
    );
    throw new RangeError(
      "Cannot measure clock skew: give either localMs or both sentMs and receivedMs, " +
        `current value is {${given.join(", ")}}`,
    );
  }
  const exchangeMs = reading + resolutionMs / 2;
  return {
    skewMs: local - exchangeMs,
    localMs: local,
    exchangeMs,
    exchangeReadingMs: reading,
    resolutionMs,
    roundTripMs: latest - earliest,
    minSkewMs: earliest - (reading + resolutionMs),
    maxSkewMs: latest - reading,
  };
}

/** The verdict of {@link checkSkew}. */
export type SkewCheck =
  | { readonly ok: true; readonly skewMs: number; readonly boundMs: number }
  | {
    readonly ok: false;
    readonly skewMs: number;
    readonly boundMs: number;
    /** Names the skew, its direction and the bound. */
    readonly message: string;
  };

/**
 * Accept a skew when |skewMs| <= boundMs; refuse it otherwise with a message
 * naming the skew (and which clock is ahead) and the bound.
 *
 * @throws {RangeError} When `skewMs` is not finite or `boundMs` is not a finite number >= 0.
 */
export function checkSkew(skewMs: number, boundMs: number): SkewCheck {
  if (typeof skewMs !== "number" || !Number.isFinite(skewMs)) {
    throw new RangeError(
      `Cannot check clock skew: the skew must be a finite number of ms, current value is ${skewMs}`,
    );
  }
  if (typeof boundMs !== "number" || !Number.isFinite(boundMs) || boundMs < 0) {
    throw new RangeError(
      "Cannot check clock skew: the bound must be a finite number of ms >= 0, " +
        `current value is ${boundMs}`,
    );
  }
  if (Math.abs(skewMs) <= boundMs) return { ok: true, skewMs, boundMs };
  const direction = skewMs > 0 ? "ahead of" : "behind";
  return {
    ok: false,
    skewMs,
    boundMs,
    message:
      `Cannot sign Kalshi requests: the local clock is ${Math.abs(skewMs)} ms ${direction} ` +
      `the exchange's, beyond the bound of ${boundMs} ms; synchronize the system clock (NTP), ` +
      `current value is ${skewMs} ms`,
  };
}
