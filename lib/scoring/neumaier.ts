/**
 * Compensated (Neumaier) summation: every sum in the scoring code goes through
 * here, so a score over millions of forecasts does not drift with their order.
 *
 * Neumaier's variant of Kahan summation keeps a running compensation term that
 * captures the low-order bits lost by each addition, including the case where
 * the new term is larger in magnitude than the running sum (where plain Kahan
 * summation loses them). The error bound is independent of the number of terms
 * (about 2 ulp of the result plus n * eps^2 * sum |x|).
 *
 * Non-finite inputs follow ordinary floating-point addition: the result is the
 * plain sum (Infinity, -Infinity or NaN) rather than a NaN produced by the
 * compensation term.
 *
 * @module
 */

/**
 * Sum numbers with Neumaier compensated summation.
 *
 * @param xs The numbers to add (any array-like, including typed arrays).
 * @returns The compensated sum; 0 for an empty input. If any term is non-finite
 * or the running sum overflows, the plain floating-point sum (Infinity,
 * -Infinity or NaN) is returned.
 *
 * @example
 * ```ts
 * neumaierSum([1, 1e100, 1, -1e100]); // 2 (a plain loop gives 0)
 * neumaierSum(new Float64Array([0.1, 0.2, 0.3])); // 0.6 (a plain loop gives 0.6000000000000001)
 * ```
 */
export function neumaierSum(xs: ArrayLike<number>): number {
  let sum = 0;
  let c = 0;
  const n = xs.length;
  for (let i = 0; i < n; i++) {
    const x = xs[i];
    const t = sum + x;
    if (Math.abs(sum) >= Math.abs(x)) {
      c += (sum - t) + x;
    } else {
      c += (x - t) + sum;
    }
    sum = t;
  }
  if (!Number.isFinite(sum)) return sum;
  return sum + c;
}

/**
 * A running Neumaier compensated sum, for sums built one term at a time.
 *
 * @example
 * ```ts
 * const acc = new NeumaierAccumulator();
 * for (const x of [1, 1e100, 1, -1e100]) acc.add(x);
 * acc.value; // 2
 * acc.count; // 4
 * acc.reset(); // back to value 0, count 0
 * ```
 */
export class NeumaierAccumulator {
  #sum = 0;
  #c = 0;
  #count = 0;

  /**
   * Add one term.
   *
   * @example
   * ```ts
   * const acc = new NeumaierAccumulator();
   * for (let i = 0; i < 10; i++) acc.add(0.1);
   * acc.value; // 1 (a plain loop gives 0.9999999999999999)
   * ```
   */
  add(x: number): void {
    const t = this.#sum + x;
    if (Math.abs(this.#sum) >= Math.abs(x)) {
      this.#c += (this.#sum - t) + x;
    } else {
      this.#c += (x - t) + this.#sum;
    }
    this.#sum = t;
    this.#count++;
  }

  /**
   * The compensated sum of the terms added so far (0 when none). Non-finite
   * sums are returned as the plain floating-point sum.
   *
   * @example
   * ```ts
   * const acc = new NeumaierAccumulator();
   * acc.add(1e100); acc.add(1); acc.add(-1e100);
   * acc.value; // 1
   * ```
   */
  get value(): number {
    if (!Number.isFinite(this.#sum)) return this.#sum;
    return this.#sum + this.#c;
  }

  /**
   * How many terms have been added since construction or the last reset.
   *
   * @example
   * ```ts
   * const acc = new NeumaierAccumulator();
   * acc.add(5);
   * acc.count; // 1
   * ```
   */
  get count(): number {
    return this.#count;
  }

  /**
   * Forget all terms: value and count return to 0.
   *
   * @example
   * ```ts
   * const acc = new NeumaierAccumulator();
   * acc.add(5);
   * acc.reset();
   * acc.value; // 0
   * ```
   */
  reset(): void {
    this.#sum = 0;
    this.#c = 0;
    this.#count = 0;
  }
}
