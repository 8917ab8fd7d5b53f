/**
 * What the two columnar block encoders share: the `.kxc` writer
 * (`columnar_writer.ts`) and the NDJSON worker's encoder
 * (`NdjsonBlockEncoder` in `ndjson_source.ts`) test values against the
 * integer columns the same way and copy their columns into a buffer in the
 * same `blockLayout` (docs/COLUMNAR.md).
 *
 * @module
 * @internal
 */

import { type BlockLayout, blockLayout } from "./columnar_format.ts";

/** Whether v is an integer that an Int32 column holds exactly (-0 is not). @internal */
export function isI32(v: number): boolean {
  return (v | 0) === v && (v !== 0 || 1 / v > 0);
}

/** Whether v is an integer that a Uint32 column holds exactly (-0 is not). @internal */
export function isU32(v: number): boolean {
  return v >>> 0 === v && (v !== 0 || 1 / v > 0);
}

/** The columns of a block being built (at least `n` rows, `m` f0 values). @internal */
export interface BlockColumns {
  readonly ts: Float64Array;
  readonly id: Uint32Array;
  readonly i0: Int32Array;
  readonly i1: Int32Array;
  readonly i2: Int32Array;
  readonly i3: Int32Array;
  readonly kind: Uint8Array;
  readonly flags: Uint8Array;
  readonly f0: Float64Array;
}

/**
 * Copies the first `n` rows (and `m` f0 values) of `c` into `buf` at `base`,
 * in the {@link blockLayout} of `n` rows and `m` f0 values (the JSON part is
 * not written). Returns that layout.
 * @internal
 */
export function writeBlockColumns(
  buf: ArrayBuffer,
  base: number,
  n: number,
  m: number,
  c: BlockColumns,
): BlockLayout {
  const lay = blockLayout(n, m);
  new Float64Array(buf, base + lay.ts, n).set(c.ts.subarray(0, n));
  new Uint32Array(buf, base + lay.id, n).set(c.id.subarray(0, n));
  new Int32Array(buf, base + lay.i0, n).set(c.i0.subarray(0, n));
  new Int32Array(buf, base + lay.i1, n).set(c.i1.subarray(0, n));
  new Int32Array(buf, base + lay.i2, n).set(c.i2.subarray(0, n));
  new Int32Array(buf, base + lay.i3, n).set(c.i3.subarray(0, n));
  new Uint8Array(buf, base + lay.kind, n).set(c.kind.subarray(0, n));
  new Uint8Array(buf, base + lay.flags, n).set(c.flags.subarray(0, n));
  new Float64Array(buf, base + lay.f0, m).set(c.f0.subarray(0, m));
  return lay;
}
