/**
 * `deno task calibrate`: fits strategy parameters on history. No strategy
 * calibrates yet; the strategy-suite issue adds calibrate() to every family.
 *
 * @module
 */

import { parseArgs } from "node:util";

const HELP = `deno task calibrate [--strategy NAME] [--until DATE]

Fits strategy parameters on history and stores them in the results database.
No strategy calibrates yet: the BTC strategy takes its EWMA lambda and edge
from --param on 'deno task backtest'. This command exists so scripts can call
it; it exits 0 and says so.
`;

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      strategy: { type: "string" },
      until: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  if (values.help) console.log(HELP);
  else console.log("no strategy calibrates yet (see deno task calibrate --help)");
}
