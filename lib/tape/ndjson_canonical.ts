/**
 * Reads the hot lines of an NDJSON tape (`book_delta`, `quote`, `trade`,
 * `underlying`) in place when they are written exactly as the tape writer
 * writes them (`formatEventLine` in ndjson_writer.ts): keys in the writer's
 * order, no whitespace, no escapes in strings, integers without sign, leading
 * zero or fraction, and values the units' fast parsers accept.
 *
 * Such a line is valid JSON whose object has exactly the fields its type
 * defines, so its event is the one `JSON.parse` and the general decoder of
 * {@link NdjsonTapeParser} would give; reading it here skips building the
 * parsed object and its strings. Any other line (another form, another kind,
 * anything unusual, and every invalid line) gets null, and the caller reads it
 * through `JSON.parse` and the general decoder, which give the verdict and the
 * error. The validator runs on the event either way.
 *
 * The tests hold both ways of reading to the same events and errors, over the
 * writer's lines and over random edits of them (ndjson_canonical_test.ts).
 *
 * @module
 */

import { parsePriceInOrNaN } from "../units/price.ts";
import { parseCountInOrNaN } from "../units/quantity.ts";
import type {
  BookDeltaEvent,
  QuoteEvent,
  Side,
  TapeEvent,
  TradeEvent,
  UnderlyingEvent,
} from "./events.ts";

/** Where the last reader below stopped (the index after what it read). */
let at = 0;

/** Digits an integer may have here: every such integer is exact in a double. */
const MAX_DIGITS = 15;

/** The index after `lit` when `s` holds it at `i` (before `to`), else -1. */
function expect(s: string, i: number, to: number, lit: string): number {
  const n = lit.length;
  if (i + n > to) return -1;
  for (let k = 0; k < n; k++) {
    if (s.charCodeAt(i + k) !== lit.charCodeAt(k)) return -1;
  }
  return i + n;
}

/**
 * A JSON integer without sign, fraction, exponent or leading zero, of at most
 * {@link MAX_DIGITS} digits, at `i`: its value (and `at` after it), else -1.
 */
function readUint(s: string, i: number, to: number): number {
  const start = i;
  let v = 0;
  for (; i < to; i++) {
    const c = s.charCodeAt(i) - 48;
    if (c < 0 || c > 9) break;
    v = v * 10 + c;
  }
  const digits = i - start;
  if (digits === 0 || digits > MAX_DIGITS || (digits > 1 && s.charCodeAt(start) === 48)) {
    return -1;
  }
  at = i;
  return v;
}

/**
 * The names (markets, symbols) met so far, so that a name read again is the
 * same string object, found without cutting it out of the line: an
 * open-addressing table on an FNV-1a hash of the characters, computed while
 * they are scanned. (The same object also makes every later map lookup of the
 * name cheap: its hash is computed once.) Up to {@link NameTable.MAX} names are
 * kept; later new names are cut out each time.
 */
export class NameTable {
  /** Names kept; past this many, new names are not added. */
  static readonly MAX = 1 << 14;
  #names: (string | undefined)[] = new Array(64);
  #hashes = new Int32Array(64);
  #count = 0;

  /** Names kept so far. */
  get size(): number {
    return this.#count;
  }

  /** The name `s.slice(from, to)`, whose hash is `h`: the kept object, or a new one kept. */
  name(s: string, from: number, to: number, h: number): string {
    const names = this.#names;
    const mask = names.length - 1;
    const len = to - from;
    for (let k = h & mask;; k = (k + 1) & mask) {
      const name = names[k];
      if (name === undefined) break;
      if (this.#hashes[k] === h && name.length === len && sameChars(name, s, from)) return name;
    }
    const name = s.slice(from, to);
    if (this.#count < NameTable.MAX) this.#add(name, h);
    return name;
  }

  #add(name: string, h: number): void {
    if (2 * (this.#count + 1) > this.#names.length) this.#grow();
    const names = this.#names;
    const mask = names.length - 1;
    let k = h & mask;
    while (names[k] !== undefined) k = (k + 1) & mask;
    names[k] = name;
    this.#hashes[k] = h;
    this.#count++;
  }

  #grow(): void {
    const old = this.#names;
    const oldHashes = this.#hashes;
    this.#names = new Array(old.length * 2);
    this.#hashes = new Int32Array(old.length * 2);
    this.#count = 0;
    for (let k = 0; k < old.length; k++) {
      const name = old[k];
      if (name !== undefined) this.#add(name, oldHashes[k]);
    }
  }
}

/** Whether `name` is the text of `s` from `from` on (for `name.length` characters). */
function sameChars(name: string, s: string, from: number): boolean {
  for (let k = 0; k < name.length; k++) {
    if (name.charCodeAt(k) !== s.charCodeAt(from + k)) return false;
  }
  return true;
}

/**
 * The text of a JSON string without escapes whose opening quote is before `i`:
 * a non-empty run of characters that are neither `"`, `\` nor control
 * characters, then the closing quote (`at` after it); null otherwise.
 */
function readName(s: string, i: number, to: number, names: NameTable): string | null {
  const start = i;
  let h = 0x811c9dc5 | 0;
  for (; i < to; i++) {
    const c = s.charCodeAt(i);
    if (c === 34) break;
    if (c === 92 || c < 32) return null;
    h = Math.imul(h ^ c, 0x01000193);
  }
  if (i === start || i >= to) return null;
  at = i + 1;
  return names.name(s, start, i, h);
}

/** The index of the quote that closes a value starting at `i`, or -1. */
function closingQuote(s: string, i: number, to: number): number {
  for (; i < to; i++) {
    if (s.charCodeAt(i) === 34) return i;
  }
  return -1;
}

/** A price string's ticks (its opening quote before `i`; `at` after the closing one), or NaN. */
function readPrice(s: string, i: number, to: number): number {
  const q = closingQuote(s, i, to);
  if (q < 0) return NaN;
  at = q + 1;
  return parsePriceInOrNaN(s, i, q);
}

/** A count string's centi-contracts (as {@link readPrice}), or NaN. */
function readCount(s: string, i: number, to: number, signed: boolean): number {
  const q = closingQuote(s, i, to);
  if (q < 0) return NaN;
  at = q + 1;
  return parseCountInOrNaN(s, i, q, signed);
}

/** `"yes"` or `"no"` at `i` (`at` after it), else null. */
function readSide(s: string, i: number, to: number): Side | null {
  let j = expect(s, i, to, '"yes"');
  if (j >= 0) {
    at = j;
    return "yes";
  }
  j = expect(s, i, to, '"no"');
  if (j >= 0) {
    at = j;
    return "no";
  }
  return null;
}

/** Digits at `i`: the index after them (at least one), or -1. */
function skipDigits(s: string, i: number, to: number): number {
  const start = i;
  while (i < to) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) break;
    i++;
  }
  return i === start ? -1 : i;
}

/**
 * A JSON number (`-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?`) at `i`: its value,
 * converted as `JSON.parse` converts it (`at` after it); NaN when there is none.
 */
function readNumber(s: string, i: number, to: number): number {
  const start = i;
  if (i < to && s.charCodeAt(i) === 45) i++;
  if (i < to && s.charCodeAt(i) === 48) i++;
  else if ((i = skipDigits(s, i, to)) < 0) return NaN;
  if (i < to && s.charCodeAt(i) === 46) {
    if ((i = skipDigits(s, i + 1, to)) < 0) return NaN;
  }
  if (i < to && (s.charCodeAt(i) | 32) === 101) {
    i++;
    if (i < to && (s.charCodeAt(i) === 43 || s.charCodeAt(i) === 45)) i++;
    if ((i = skipDigits(s, i, to)) < 0) return NaN;
  }
  at = i;
  return Number(s.slice(start, i));
}

/** Whether the line ends at `i` with the closing brace. */
function closes(s: string, i: number, to: number): boolean {
  return i === to - 1 && s.charCodeAt(i) === 125;
}

function bookDelta(
  s: string,
  i: number,
  to: number,
  ts: number,
  names: NameTable,
): BookDeltaEvent | null {
  if ((i = expect(s, i, to, 'book_delta","market":"')) < 0) return null;
  const market = readName(s, i, to, names);
  if (market === null || (i = expect(s, at, to, ',"seq":')) < 0) return null;
  const seq = readUint(s, i, to);
  if (seq < 0 || (i = expect(s, at, to, ',"side":')) < 0) return null;
  const side = readSide(s, i, to);
  if (side === null || (i = expect(s, at, to, ',"price":"')) < 0) return null;
  const price = readPrice(s, i, to);
  if (price !== price || (i = expect(s, at, to, ',"delta":"')) < 0) return null;
  const delta = readCount(s, i, to, true);
  if (delta !== delta || !closes(s, at, to)) return null;
  return { kind: "book_delta", ts, market, seq, side, price, delta };
}

function quote(
  s: string,
  i: number,
  to: number,
  ts: number,
  names: NameTable,
): QuoteEvent | null {
  if ((i = expect(s, i, to, 'quote","market":"')) < 0) return null;
  const market = readName(s, i, to, names);
  if (market === null || (i = expect(s, at, to, ',"yes_bid":"')) < 0) return null;
  const yesBid = readPrice(s, i, to);
  if (yesBid !== yesBid || (i = expect(s, at, to, ',"yes_ask":"')) < 0) return null;
  const yesAsk = readPrice(s, i, to);
  if (yesAsk !== yesAsk) return null;
  let yesBidSize = 0;
  let yesAskSize = 0;
  i = at;
  let j = expect(s, i, to, ',"yes_bid_size":"');
  if (j >= 0) {
    yesBidSize = readCount(s, j, to, false);
    if (yesBidSize !== yesBidSize) return null;
    i = at;
  }
  j = expect(s, i, to, ',"yes_ask_size":"');
  if (j >= 0) {
    yesAskSize = readCount(s, j, to, false);
    if (yesAskSize !== yesAskSize) return null;
    i = at;
  }
  if (!closes(s, i, to)) return null;
  return { kind: "quote", ts, market, yesBid, yesAsk, yesBidSize, yesAskSize };
}

function trade(
  s: string,
  i: number,
  to: number,
  ts: number,
  names: NameTable,
): TradeEvent | null {
  if ((i = expect(s, i, to, 'trade","market":"')) < 0) return null;
  const market = readName(s, i, to, names);
  if (market === null || (i = expect(s, at, to, ',"price":"')) < 0) return null;
  const price = readPrice(s, i, to);
  if (price !== price || (i = expect(s, at, to, ',"count":"')) < 0) return null;
  const count = readCount(s, i, to, false);
  if (count !== count || (i = expect(s, at, to, ',"taker_side":')) < 0) return null;
  const takerSide = readSide(s, i, to);
  if (takerSide === null || !closes(s, at, to)) return null;
  return { kind: "trade", ts, market, price, count, takerSide };
}

function underlying(
  s: string,
  i: number,
  to: number,
  ts: number,
  names: NameTable,
): UnderlyingEvent | null {
  if ((i = expect(s, i, to, 'underlying","symbol":"')) < 0) return null;
  const symbol = readName(s, i, to, names);
  if (symbol === null || (i = expect(s, at, to, ',"value":')) < 0) return null;
  const value = readNumber(s, i, to);
  if (value !== value || !closes(s, at, to)) return null;
  return { kind: "underlying", ts, symbol, value };
}

/**
 * The event of the line `s.slice(from, to)` (without its terminator) when it
 * is a hot line in the writer's canonical form; null for any other line (read
 * it with `JSON.parse`).
 *
 * @param names The names met so far in this tape (markets and symbols are taken from it).
 */
export function scanCanonicalLine(
  s: string,
  from: number,
  to: number,
  names: NameTable,
): TapeEvent | null {
  let i = expect(s, from, to, '{"ts":');
  if (i < 0) return null;
  const ts = readUint(s, i, to);
  if (ts < 0 || (i = expect(s, at, to, ',"type":"')) < 0) return null;
  switch (s.charCodeAt(i)) {
    case 113: // q
      return quote(s, i, to, ts, names);
    case 116: // t
      return trade(s, i, to, ts, names);
    case 98: // b
      return bookDelta(s, i, to, ts, names);
    case 117: // u
      return underlying(s, i, to, ts, names);
    default:
      return null;
  }
}
