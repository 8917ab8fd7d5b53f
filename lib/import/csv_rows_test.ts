import assert from "node:assert/strict";
import {
  columnIndex,
  fieldCountProblem,
  readCsvRows,
  requireColumns,
  scanCsv,
  scanCsvRows,
} from "./csv_rows.ts";
import { ImportError } from "./types.ts";

Deno.test("readCsvRows: header, rows and 1-based physical lines", () => {
  const t = readCsvRows("a.csv", "ts,price\n1,0.5\n2,0.6\n");
  assert.deepEqual(t.names, ["ts", "price"]);
  assert.equal(t.line, 1);
  assert.deepEqual(t.rows, [{ line: 2, fields: ["1", "0.5"] }, { line: 3, fields: ["2", "0.6"] }]);
});

Deno.test("readCsvRows: BOM, CRLF, blank lines and a blank trailing line", () => {
  const t = readCsvRows("a.csv", "\uFEFF a , b \r\n1,2\r\n\r\n3,4\r\n\r\n");
  assert.deepEqual(t.names, ["a", "b"]);
  assert.deepEqual(t.rows.map((r) => r.line), [2, 4]);
  assert.deepEqual(t.rows[1].fields, ["3", "4"]);
});

Deno.test("readCsvRows: quoted fields, doubled quotes, and a newline inside quotes", () => {
  const t = readCsvRows("q.csv", 'a,b\n"x,1","say ""hi"""\n"multi\nline",2\n3,4\n');
  assert.deepEqual(t.rows[0].fields, ["x,1", 'say "hi"']);
  assert.equal(t.rows[1].line, 3, "a row starting on line 3 and ending on line 4 is line 3");
  assert.deepEqual(t.rows[1].fields, ["multi\nline", "2"]);
  assert.equal(t.rows[2].line, 5);
});

Deno.test("readCsvRows: a row with a wrong field count is returned; fieldCountProblem names it", () => {
  const t = readCsvRows("a.csv", "a,b,c\n1,2,3\n1,2\n1,2,3,4\n");
  assert.equal(fieldCountProblem(t, t.rows[0].fields), null);
  assert.match(
    fieldCountProblem(t, t.rows[1].fields)!,
    /expected 3 fields \(as the header\), found 2, current value is "1,2"/,
  );
  assert.match(fieldCountProblem(t, t.rows[2].fields)!, /found 4/);
});

Deno.test("readCsvRows: a truncated last line (no newline, fewer fields) is a short row", () => {
  const t = readCsvRows("a.csv", "a,b,c\n1,2,3\n4,5");
  assert.equal(t.rows.length, 2);
  assert.equal(t.rows[1].line, 3);
  assert.notEqual(fieldCountProblem(t, t.rows[1].fields), null);
});

Deno.test("readCsvRows: an unclosed quote throws an ImportError naming file and line", () => {
  assert.throws(() => readCsvRows("bad.csv", 'a,b\n1,2\n3,"oops\n4,5\n'), (e: unknown) => {
    assert(e instanceof ImportError);
    assert.equal(e.file, "bad.csv");
    assert.equal(e.field, "(row)");
    assert.match(e.message, /^bad\.csv:\d+: field "\(row\)": Cannot parse CSV: .*Quote Not Closed/);
    return true;
  });
  assert.throws(
    () => readCsvRows("bad.csv", 'a,b\n1,x"y\n'),
    /bad\.csv:2: field "\(row\)": Cannot parse CSV/,
  );
});

Deno.test("readCsvRows: empty text, empty and repeated header names are errors", () => {
  assert.throws(
    () => readCsvRows("e.csv", ""),
    /e\.csv:1: field "\(header\)": Cannot read CSV: no header line/,
  );
  assert.throws(() => readCsvRows("e.csv", "\n\n"), /no header line/);
  assert.throws(
    () => readCsvRows("e.csv", "a,,c\n"),
    /e\.csv:1: field "\(header\)": Cannot read header: column 2 has no name/,
  );
  assert.throws(
    () => readCsvRows("e.csv", "\na,b,a\n1,2,3\n"),
    /e\.csv:2: field "a": Cannot read header: column name repeated/,
  );
});

Deno.test("requireColumns / columnIndex: found in the asked order, missing named on the header line", () => {
  const t = readCsvRows("a.csv", "x,ts,price\n");
  assert.deepEqual(requireColumns(t, ["price", "ts"]), [2, 1]);
  assert.equal(columnIndex(t, "nope"), -1);
  assert.throws(
    () => requireColumns(t, ["ts", "volume"]),
    /a\.csv:1: field "volume": Cannot find column: missing from the header, current value is "x,ts,price"/,
  );
});

Deno.test("scanCsv: streams rows, calls onHeader first, and lets a callback's error through", () => {
  const seen: string[] = [];
  const h = scanCsv("s.csv", "a\n1\n2\n", (f, line) => seen.push(`${line}:${f[0]}`), (hd) => {
    seen.push(`header:${hd.names.join("|")}`);
  });
  assert.deepEqual(seen, ["header:a", "2:1", "3:2"]);
  assert.equal(h.line, 1);
  assert.throws(() =>
    scanCsv("s.csv", "a\n1\n", () => {
      throw new ImportError("s.csv", 2, "a", "Cannot use row: test, current value is 1");
    }), /s\.csv:2: field "a": Cannot use row: test/);
});

Deno.test("scanCsvRows counts every row, rejects a wrong field count and passes the rest", () => {
  const rows: [string[], number][] = [];
  const rejects: string[] = [];
  let n = 0;
  const report = {
    rowIn: () => n++,
    reject: (file: string, line: number, field: string, detail: string) =>
      rejects.push(`${file}:${line}:${field}:${detail}`),
  };
  let headerSeen = "";
  scanCsvRows(
    "f.csv",
    "a,b\n1,2\n3\n4,5\n",
    report,
    (fields, line) => rows.push([fields, line]),
    (h) => {
      headerSeen = h.names.join("|");
    },
  );
  assert.equal(headerSeen, "a|b");
  assert.equal(n, 3);
  assert.deepEqual(rows, [[["1", "2"], 2], [["4", "5"], 4]]);
  assert.equal(rejects.length, 1);
  assert.match(rejects[0], /^f\.csv:3:\(row\):/);
});
