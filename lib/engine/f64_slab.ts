/**
 * Small Float64Arrays that a replay keeps in its result (each forecast's model
 * and market PMF), cut from large shared buffers.
 *
 * Why: in Deno every `new Float64Array(n)` gets its memory from the embedder's
 * allocator, however small n is (Deno's V8 is built without on-heap typed
 * arrays), which costs about a microsecond per array on the benchmark machine,
 * against about 30 ns for a view on an existing buffer (BENCHMARKS.md, tenth
 * pass). A replay that forecasts thousands of times kept two fresh arrays per
 * forecast, and made three more as scratch.
 *
 * A view from {@link F64Slab.copyOf} or {@link F64Slab.alloc} has exactly its
 * own length and cannot reach its neighbours, but its `.buffer` is the shared
 * chunk: copy the array (`.slice()`) before transferring its buffer to a worker.
 *
 * @module
 */

import { objectSlots } from "./object_slots.ts";

/** Doubles per chunk: 256 KiB, about 4,000 PMFs of 8 bins. */
const CHUNK_DOUBLES = 32_768;

/** Hands out Float64Arrays as views on shared chunks; never reuses a view it gave. */
export class F64Slab {
  #chunk = new ArrayBuffer(0);
  /** Next free double in #chunk (a full chunk until the first allocation). */
  #used = CHUNK_DOUBLES;

  /** A zero-filled array of `n` doubles. */
  alloc(n: number): Float64Array {
    if (!(Number.isSafeInteger(n) && n >= 0)) {
      throw new RangeError(
        `Cannot allocate from slab: length must be an integer >= 0, current value is ${n}`,
      );
    }
    // An array longer than a chunk gets its own buffer.
    if (n > CHUNK_DOUBLES) return new Float64Array(n);
    if (this.#used + n > CHUNK_DOUBLES) {
      this.#chunk = new ArrayBuffer(CHUNK_DOUBLES * 8);
      this.#used = 0;
    }
    const view = new Float64Array(this.#chunk, this.#used * 8, n);
    this.#used += n;
    return view;
  }

  /** A copy of `src` (same length, same values bit for bit). */
  copyOf(src: Float64Array): Float64Array {
    const out = this.alloc(src.length);
    out.set(src);
    return out;
  }
}

/**
 * Scratch Float64Arrays by length, for values used within one call and not
 * kept: `get(n)` returns the same array for the same n each time (contents are
 * whatever the last user left).
 */
export class F64Scratch {
  readonly #byLength = objectSlots<Float64Array>();

  /** The scratch array of length `n`. */
  get(n: number): Float64Array {
    let a = this.#byLength[n];
    if (a === undefined) {
      a = new Float64Array(n);
      this.#byLength[n] = a;
    }
    return a;
  }
}
