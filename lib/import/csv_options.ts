/**
 * Options shared by the CSV importers: `tz` (the zone of zone-less timestamps,
 * required where the format has them, never guessed) and `gap_minutes` (the
 * threshold of the `gap` anomaly).
 *
 * @module
 */

import { ImportOptionError } from "./option_error.ts";
import type { ImportOptions } from "./types.ts";
import { ZoneResolver } from "./zoned_time.ts";

/** Default of option `gap_minutes`. */
export const DEFAULT_GAP_MINUTES = 15;

/**
 * The `gap_minutes` option (a positive integer), default {@link DEFAULT_GAP_MINUTES}.
 *
 * @throws {ImportOptionError} When not a positive integer.
 */
export function gapMinutesOption(options: ImportOptions): number {
  const s = options.extra?.gap_minutes;
  if (s === undefined) return DEFAULT_GAP_MINUTES;
  if (!/^[1-9]\d{0,5}$/.test(s)) {
    throw new ImportOptionError(
      "gap_minutes",
      `Cannot use gap threshold: not a positive integer of minutes, current value is ${
        JSON.stringify(s)
      }`,
    );
  }
  return Number(s);
}

/**
 * The zone for zone-less timestamps: option `tz`, required.
 *
 * @throws {ImportOptionError} When missing or not an IANA zone.
 */
export function zoneOption(options: ImportOptions, format: string): ZoneResolver {
  if (options.tz === undefined || options.tz === "") {
    throw new ImportOptionError(
      "tz",
      `Cannot read timestamps of ${format}: they carry no zone and none is guessed; give --tz with an IANA zone (e.g. America/Los_Angeles), current value is none`,
    );
  }
  try {
    return new ZoneResolver(options.tz);
  } catch (e) {
    throw new ImportOptionError("tz", (e as Error).message);
  }
}
