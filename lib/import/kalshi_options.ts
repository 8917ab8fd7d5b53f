/**
 * `--extra` options shared by the Kalshi JSON importers (the fee of a series no
 * input describes comes from lib/import/fee_options.ts: `fee-type`,
 * `fee-multiplier`):
 *
 * - `fetched_at=<ms>`: when the inputs were fetched (integer ms since the epoch,
 *   UTC); dates order books and the top of book of market records, which carry
 *   no time of their own. A fetcher envelope's own `fetched_at` wins.
 * - `ticker=<market>`: the market of an order book response that does not name
 *   it (a bare `/markets/{ticker}/orderbook` body).
 *
 * @module
 */

import { ImportOptionError } from "./option_error.ts";

/**
 * `fetched_at` from the options, or undefined.
 *
 * @throws {ImportOptionError} when it is not an integer of ms.
 *
 * @example
 * ```ts
 * import { fetchedAtOption } from "./kalshi_options.ts";
 *
 * fetchedAtOption({ fetched_at: "1720915200000" }); // 1720915200000
 * ```
 */
export function fetchedAtOption(extra: Readonly<Record<string, string>>): number | undefined {
  const v = extra.fetched_at;
  if (v === undefined) return undefined;
  if (!/^\d{1,16}$/.test(v) || !Number.isSafeInteger(Number(v))) {
    throw new ImportOptionError(
      "fetched_at",
      `Cannot read option: not an integer of ms since the epoch, current value is ${
        JSON.stringify(v)
      }`,
    );
  }
  return Number(v);
}
