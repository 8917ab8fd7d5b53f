/**
 * A small, seedable, deterministic pseudo-random number generator.
 *
 * The generator is **sfc32** (Chris Doty-Humphrey's "Small Fast Counting" generator,
 * 128-bit state, 32-bit output, from PractRand). Its state words a, b, c are filled
 * from **splitmix32** run on the seed, the counter d starts at 1, and the first 12
 * outputs are discarded. No ambient randomness is ever used: the same seed always
 * gives the same sequence, on every platform (only 32-bit integer arithmetic).
 *
 * `next()` has **53-bit resolution**: it combines two 32-bit outputs (27 + 26 bits)
 * into a double uniform on [0, 1).
 *
 * @example
 * ```ts
 * import { Prng } from "./prng.ts";
 * const rng = new Prng(42);
 * const u = rng.next(); // uniform in [0, 1)
 * const z = rng.normal(); // standard normal
 * const child = rng.fork(7); // independent sub-stream, same for every Prng(42)
 * console.log(u, z, child.int(6));
 * ```
 *
 * @module
 */

const TWO_POW_26 = 67108864;
const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/** splitmix32 (32-bit variant): returns a generator of 32-bit outputs from a seed. */
function splitmix32(seed: number): () => number {
  let s = seed | 0;
  return () => {
    s = (s + 0x9e3779b9) | 0;
    let t = s ^ (s >>> 16);
    t = Math.imul(t, 0x21f0aaad);
    t ^= t >>> 15;
    t = Math.imul(t, 0x735a2d97);
    t ^= t >>> 15;
    return t >>> 0;
  };
}

/** murmur3 32-bit finalizer (a bijection on 32-bit integers). */
function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

function checkInt32(action: string, name: string, value: number): number {
  if (!Number.isInteger(value) || value < -2147483648 || value > 4294967295) {
    throw new RangeError(
      `Cannot ${action}: ${name} must be a 32-bit integer, current value is ${value}`,
    );
  }
  return value >>> 0;
}

/**
 * Deterministic PRNG (sfc32 seeded by splitmix32). See the module docs.
 */
export class Prng {
  #a: number;
  #b: number;
  #c: number;
  #d: number;
  readonly #key: number;
  #spare: number | undefined = undefined;

  /**
   * @param seed any 32-bit integer (signed or unsigned, -2^31 .. 2^32 - 1); it is
   * taken modulo 2^32, so -1 and 4294967295 give the same stream.
   */
  constructor(seed: number) {
    this.#key = checkInt32("create Prng", "seed", seed);
    const sm = splitmix32(this.#key);
    this.#a = sm();
    this.#b = sm();
    this.#c = sm();
    this.#d = 1;
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** The next raw 32-bit output (unsigned integer in 0 .. 2^32 - 1). */
  nextUint32(): number {
    // PractRand sfc32: tmp = a + b + counter++; a = b ^ (b >> 9);
    // b = c + (c << 3); c = rotl(c, 21) + tmp; return tmp.
    const t = (((this.#a + this.#b) | 0) + this.#d) | 0;
    this.#d = (this.#d + 1) | 0;
    this.#a = this.#b ^ (this.#b >>> 9);
    this.#b = (this.#c + (this.#c << 3)) | 0;
    this.#c = (((this.#c << 21) | (this.#c >>> 11)) + t) | 0;
    return t >>> 0;
  }

  /** Uniform double in [0, 1) with 53-bit resolution (uses two 32-bit outputs). */
  next(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * TWO_POW_26 + lo) / TWO_POW_53;
  }

  /**
   * Uniform integer in 0 .. n - 1, exactly uniform (rejection sampling on 32-bit
   * outputs). `n` must be an integer in 1 .. 2^32.
   */
  int(n: number): number {
    if (!Number.isInteger(n) || n < 1 || n > TWO_POW_32) {
      throw new RangeError(
        `Cannot draw an integer: n must be an integer in 1..2^32, current value is ${n}`,
      );
    }
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    for (;;) {
      const u = this.nextUint32();
      if (u < limit) return u % n;
    }
  }

  /** Standard normal draw (Marsaglia polar method; the second value is cached). */
  normal(): number {
    const spare = this.#spare;
    if (spare !== undefined) {
      this.#spare = undefined;
      return spare;
    }
    for (;;) {
      const u = 2 * this.next() - 1;
      const v = 2 * this.next() - 1;
      const s = u * u + v * v;
      if (s > 0 && s < 1) {
        const m = Math.sqrt((-2 * Math.log(s)) / s);
        this.#spare = v * m;
        return u * m;
      }
    }
  }

  /** Exponential draw with the given rate (mean 1 / rate); rate must be finite and > 0. */
  exponential(rate: number): number {
    if (!(rate > 0) || !Number.isFinite(rate)) {
      throw new RangeError(
        `Cannot draw an exponential: rate must be finite and > 0, current value is ${rate}`,
      );
    }
    return -Math.log1p(-this.next()) / rate;
  }

  /**
   * An independent deterministic sub-stream. It depends only on this generator's
   * seed (or fork path) and `label`, never on how many values were drawn, so
   * `new Prng(s).fork(k)` is always the same stream; `fork(a).fork(b)` differs from
   * `fork(b).fork(a)`. `label` is any 32-bit integer.
   */
  fork(label: number): Prng {
    const l = checkInt32("fork Prng", "label", label);
    const seed = fmix32(this.#key ^ fmix32((l + 0x632be5ab) >>> 0) ^ 0x5bd1e995);
    return new Prng(fmix32((seed + Math.imul(this.#key, 0x9e3779b9)) >>> 0));
  }
}
