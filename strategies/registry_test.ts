import assert from "node:assert/strict";
import { parseParams, STRATEGIES } from "./registry.ts";

Deno.test("registry: the families are registered, create with their defaults and name their synthetic tapes", () => {
  for (
    const name of [
      "btc",
      "market",
      "cpi",
      "claims",
      "tnote",
      "gas",
      "weather",
      "index",
      "market_maker",
    ]
  ) assert.ok(name in STRATEGIES, name);
  for (const [name, entry] of Object.entries(STRATEGIES)) {
    const s = entry.create(parseParams(entry, []));
    assert.equal(s.name, name);
    assert.deepEqual({ ...s.params }, { ...entry.defaults });
    assert.ok(entry.description.length > 0);
    if (entry.synthetic !== undefined) {
      assert.equal(entry.synthetic.fileName(3), `synthetic_${name}_seed3.ndjson`);
      assert.ok(entry.synthetic.description.length > 0);
    }
  }
});

Deno.test("registry: --param values are parsed by the defaults' types", () => {
  const cpi = STRATEGIES.cpi;
  const p = parseParams(cpi, ["window=3", "useNowcast=false", "symbol=CPIX", "edgeTicks=250"]);
  assert.equal(p.window, 3);
  assert.equal(p.useNowcast, false);
  assert.equal(p.symbol, "CPIX");
  const s = cpi.create(p);
  assert.equal(s.params.window, 3);
  assert.throws(
    () => parseParams(cpi, ["window=abc"]),
    /Cannot set parameter "window": not a number/,
  );
  assert.throws(() => parseParams(cpi, ["useNowcast=yes"]), /expected true or false/);
  assert.throws(
    () => parseParams(STRATEGIES.gas, ["lambda=0.9"]),
    /Cannot set parameter "lambda": unknown/,
  );
  // Values the strategy rejects fail at creation with the parameter named.
  assert.throws(
    () => STRATEGIES.tnote.create(parseParams(STRATEGIES.tnote, ["kappa=2"])),
    /kappa must be in \[0, 1\)/,
  );
  assert.throws(
    () => STRATEGIES.claims.create(parseParams(STRATEGIES.claims, ["maxContracts=-1"])),
    /maxContracts/,
  );
});

Deno.test("registry: the point-forecast families each have a synthetic default", () => {
  for (const name of ["btc", "cpi", "claims", "tnote", "gas", "weather", "index", "market_maker"]) {
    assert.ok(STRATEGIES[name].synthetic !== undefined, name);
  }
});
