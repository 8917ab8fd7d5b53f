import assert from "node:assert/strict";
import { ImportError } from "../lib/import/types.ts";
import { dayNumber } from "../lib/time/eastern.ts";
import { datedValuesFromCsv } from "./history_csv.ts";

Deno.test("datedValuesFromCsv: sorts, skips blanks and '.', reads another column", () => {
  const text =
    "date,value,other\n2025-01-03,4.6,x\n2025-01-02,.,x\n2025-01-01,,x\n2024-12-31,4.5,x\n";
  assert.deepEqual(datedValuesFromCsv("DGS10.csv", text, "value"), [
    { day: dayNumber(2024, 12, 31), value: 4.5 },
    { day: dayNumber(2025, 1, 3), value: 4.6 },
  ]);
  const aaa = "date,regular_gas_price\n2025-10-25,3.053\n2025-10-24 00:00:00,3.059\n";
  assert.deepEqual(datedValuesFromCsv("aaa.csv", aaa, "regular_gas_price"), [
    { day: dayNumber(2025, 10, 24), value: 3.059 },
    { day: dayNumber(2025, 10, 25), value: 3.053 },
  ]);
});

Deno.test("datedValuesFromCsv: clear errors naming file, line and field", () => {
  const err = (text: string, col = "value") => {
    try {
      datedValuesFromCsv("f.csv", text, col);
    } catch (e) {
      assert.ok(e instanceof ImportError, String(e));
      return e.message;
    }
    assert.fail("expected an error");
  };
  assert.match(
    err("date,value\n2025-01-01,abc\n"),
    /^f\.csv:2: field "value": Cannot read value: not a finite number, current value is "abc"/,
  );
  assert.match(
    err("date,value\n2025-02-30,1\n"),
    /^f\.csv:2: field "date": .*no such calendar date/,
  );
  assert.match(err("date,value\n2025-01-01,1\n2025-01-01,2\n"), /f\.csv:3: .*date repeated/);
  assert.match(err("date,price\n2025-01-01,1\n"), /f\.csv:1: field "value": Cannot find column/);
  assert.match(err("date,value\n2025-01-01\n"), /f\.csv:2: field "\(row\)": .*too few fields/);
  assert.match(err(""), /no header line/);
});
