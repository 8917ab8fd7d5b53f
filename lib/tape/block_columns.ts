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

/**
 * The columns of a block being built, as one unit: both encoders allocate,
 * fill, grow and copy them the same way. Rows past the ones set are garbage.
 * @internal
 */
export class BlockColumns {
  ts: Float64Array;
  id: Uint32Array;
  i0: Int32Array;
  i1: Int32Array;
  i2: Int32Array;
  i3: Int32Array;
  kind: Uint8Array;
  flags: Uint8Array;
  /** Sparse: one value per row with FLAG_HAS_F0, in row order. */
  f0: Float64Array;

  constructor(capacity: number) {
    this.ts = new Float64Array(capacity);
    this.id = new Uint32Array(capacity);
    this.i0 = new Int32Array(capacity);
    this.i1 = new Int32Array(capacity);
    this.i2 = new Int32Array(capacity);
    this.i3 = new Int32Array(capacity);
    this.kind = new Uint8Array(capacity);
    this.flags = new Uint8Array(capacity);
    this.f0 = new Float64Array(capacity);
  }

  /** Sets row j's integer columns (ts and f0 are written directly). */
  setRow(
    j: number,
    kind: number,
    flags: number,
    id: number,
    i0: number,
    i1: number,
    i2: number,
    i3: number,
  ): void {
    this.kind[j] = kind;
    this.flags[j] = flags;
    this.id[j] = id;
    this.i0[j] = i0;
    this.i1[j] = i1;
    this.i2[j] = i2;
    this.i3[j] = i3;
  }

  /** Grows every column to `cap` rows, keeping the first `n` rows and `m` f0 values. */
  grow(cap: number, n: number, m: number): void {
    const keep = <T extends Float64Array | Uint32Array | Int32Array | Uint8Array>(
      a: T,
      b: T,
      k: number,
    ): T => {
      b.set(a.subarray(0, k));
      return b;
    };
    this.ts = keep(this.ts, new Float64Array(cap), n);
    this.id = keep(this.id, new Uint32Array(cap), n);
    this.i0 = keep(this.i0, new Int32Array(cap), n);
    this.i1 = keep(this.i1, new Int32Array(cap), n);
    this.i2 = keep(this.i2, new Int32Array(cap), n);
    this.i3 = keep(this.i3, new Int32Array(cap), n);
    this.kind = keep(this.kind, new Uint8Array(cap), n);
    this.flags = keep(this.flags, new Uint8Array(cap), n);
    this.f0 = keep(this.f0, new Float64Array(cap), m);
  }

  /**
   * Copies the first `n` rows (and `m` f0 values) into `buf` at `base`, in the
   * {@link blockLayout} of `n` rows and `m` f0 values (the JSON part is not
   * written). Returns that layout.
   */
  write(buf: ArrayBuffer, base: number, n: number, m: number): BlockLayout {
    const lay = blockLayout(n, m);
    new Float64Array(buf, base + lay.ts, n).set(this.ts.subarray(0, n));
    new Uint32Array(buf, base + lay.id, n).set(this.id.subarray(0, n));
    new Int32Array(buf, base + lay.i0, n).set(this.i0.subarray(0, n));
    new Int32Array(buf, base + lay.i1, n).set(this.i1.subarray(0, n));
    new Int32Array(buf, base + lay.i2, n).set(this.i2.subarray(0, n));
    new Int32Array(buf, base + lay.i3, n).set(this.i3.subarray(0, n));
    new Uint8Array(buf, base + lay.kind, n).set(this.kind.subarray(0, n));
    new Uint8Array(buf, base + lay.flags, n).set(this.flags.subarray(0, n));
    new Float64Array(buf, base + lay.f0, m).set(this.f0.subarray(0, m));
    return lay;
  }
}
