/**
 * The normal CDF at many points in one call, bit for bit the value of
 * `@stdlib/stats-base-dists-normal-cdf` at each point.
 *
 * Why a second implementation: the library computes one point per call through
 * three function layers (cdf -> erfc -> polynomials), and V8 passes and returns
 * every double across those calls as a freshly allocated number. Pricing a
 * ladder on every tick makes millions of such calls; they were the largest
 * single cost of a replay (bench/KX_REPLAY.md). This kernel runs the same
 * operations in the same order inside one loop, so nothing is allocated per
 * point and the results are identical (normal_cdf_test.ts compares them bit for
 * bit with the library over all branches). The library stays the scalar path
 * and the reference.
 *
 * The complementary error function follows FreeBSD/fdlibm `s_erf.c` (as the
 * library does), including its coefficients:
 *
 *   Copyright (C) 1993 by Sun Microsystems, Inc. All rights reserved.
 *   Developed at SunPro, a Sun Microsystems, Inc. business. Permission to use,
 *   copy, modify, and distribute this software is freely granted, provided that
 *   this notice is preserved.
 *
 * The exponential in the tails is the library's (`@stdlib/math-base-special-exp`,
 * fdlibm `e_exp.c`, same notice): written out here for arguments whose result is
 * a normal number (the same steps, and 2^k applied by an exact multiplication),
 * and called for the rest, which keeps the tails identical too.
 *
 * @module
 */

import exp from "@stdlib/math-base-special-exp";

const TINY = 1.0e-300;
/** 2^-56. */
const SMALL = 1.3877787807814457e-17;
const ERX = 8.45062911510467529297e-1;
// erf on [0, 0.84375): erf(x) = x + x * R(x^2), R = P(z) / Q(z).
const PP0 = 1.28379167095512558561e-1;
const PP1 = -0.3250421072470015;
const PP2 = -0.02848174957559851;
const PP3 = -0.005770270296489442;
const PP4 = -0.000023763016656650163;
const QQ1 = 0.39791722395915535;
const QQ2 = 0.0650222499887673;
const QQ3 = 0.005081306281875766;
const QQ4 = 0.00013249473800432164;
const QQ5 = -0.000003960228278775368;
// [0.84375, 1.25): erf(1 + s) = erx + P(s) / Q(s).
const PA0 = -2.36211856075265944077e-3;
const PA1 = 0.41485611868374833;
const PA2 = -0.3722078760357013;
const PA3 = 0.31834661990116175;
const PA4 = -0.11089469428239668;
const PA5 = 0.035478304325618236;
const PA6 = -0.002166375594868791;
const QA1 = 0.10642088040084423;
const QA2 = 0.540397917702171;
const QA3 = 0.07182865441419627;
const QA4 = 0.12617121980876164;
const QA5 = 0.01363708391202905;
const QA6 = 0.011984499846799107;
// [1.25, 1/0.35): erfc(x) = exp(-x^2 - 0.5625 + R(1/x^2) / S(1/x^2)) / x.
const RA0 = -9.86494403484714822705e-3;
const RA1 = -0.6938585727071818;
const RA2 = -10.558626225323291;
const RA3 = -62.375332450326006;
const RA4 = -162.39666946257347;
const RA5 = -184.60509290671104;
const RA6 = -81.2874355063066;
const RA7 = -9.814329344169145;
const SA1 = 19.651271667439257;
const SA2 = 137.65775414351904;
const SA3 = 434.56587747522923;
const SA4 = 645.3872717332679;
const SA5 = 429.00814002756783;
const SA6 = 108.63500554177944;
const SA7 = 6.570249770319282;
const SA8 = -0.0604244152148581;
// [1/0.35, 28): the same form with other coefficients.
const RB0 = -9.86494292470009928597e-3;
const RB1 = -0.799283237680523;
const RB2 = -17.757954917754752;
const RB3 = -160.63638485582192;
const RB4 = -637.5664433683896;
const RB5 = -1025.0951316110772;
const RB6 = -483.5191916086514;
const SB1 = 30.33806074348246;
const SB2 = 325.7925129965739;
const SB3 = 1536.729586084437;
const SB4 = 3199.8582195085955;
const SB5 = 2553.0504064331644;
const SB6 = 474.52854120695537;
const SB7 = -22.44095244658582;

// exp(x) = 2^k * exp(r), x = k ln2 + r (fdlibm e_exp.c).
const LN2_HI = 6.93147180369123816490e-1;
const LN2_LO = 1.90821492927058770002e-10;
const LOG2_E = 1.44269504088896338700e+0;
const NEARZERO = 1.0 / (1 << 28);
const P1 = 0.16666666666666602;
const P2 = -0.0027777777777015593;
const P3 = 0.00006613756321437934;
const P4 = -0.0000016533902205465252;
const P5 = 4.1381367970572385e-8;
/** 2^k for k in [-1022, 1023], at index k + 1022 (built from the exponent bits: exact). */
const POW2 = (() => {
  const t = new Float64Array(2046);
  const v = new DataView(new ArrayBuffer(8));
  for (let k = -1022; k <= 1023; k++) {
    v.setUint32(0, (k + 1023) << 20);
    v.setUint32(4, 0);
    t[k + 1022] = v.getFloat64(0);
  }
  return t;
})();

/** A double's high 32 bits (a view pair; the high word's index follows the platform). */
const WORD_F64 = new Float64Array(1);
const WORD_U32 = new Uint32Array(WORD_F64.buffer);
const HIGH_WORD = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const TWO_POW_MINUS_20 = 1 / 1048576;

/**
 * `out[i] = P(X <= xs[i])` for X ~ N(mean, sd^2), i < n: the values of
 * `@stdlib/stats-base-dists-normal-cdf` (`cdf(xs[i], mean, sd)`), bit for bit,
 * including NaN for a NaN input or a negative sd, and the step at `mean` when
 * sd = 0.
 *
 * @example
 * ```ts
 * const out = new Float64Array(3);
 * normalCdfInto(Float64Array.of(-1.96, 0, 1.96), 3, 0, 1, out);
 * // out ~ [0.025, 0.5, 0.975]
 * ```
 */
export function normalCdfInto(
  xs: ArrayLike<number>,
  n: number,
  mean: number,
  sd: number,
  out: Float64Array,
): void {
  PARAMS[0] = mean;
  PARAMS[1] = sd;
  normalCdfKernel(xs, n, PARAMS, out);
}

/**
 * The parameters of the call under way, read by {@link normalCdfKernel} before
 * anything else. Passing them through a typed array keeps them unboxed: the
 * kernel is too large to be inlined, and a double argument of a call that is
 * not inlined is boxed (two allocations per call).
 */
const PARAMS = new Float64Array(2);

/** {@link normalCdfInto} with mean and sd in `params[0]`, `params[1]`. */
function normalCdfKernel(
  xs: ArrayLike<number>,
  n: number,
  params: Float64Array,
  out: Float64Array,
): void {
  const mean = params[0];
  const sd = params[1];
  if (Number.isNaN(mean) || Number.isNaN(sd) || sd < 0.0) {
    out.fill(NaN, 0, n);
    return;
  }
  if (sd === 0.0) {
    for (let i = 0; i < n; i++) {
      const x = xs[i];
      out[i] = Number.isNaN(x) ? NaN : x < mean ? 0.0 : 1.0;
    }
    return;
  }
  const denom = sd * Math.sqrt(2.0);
  // One loop with erfc written out in it: a call per point would move every
  // double through a heap-allocated box.
  for (let i = 0; i < n; i++) {
    const x = -(xs[i] - mean) / denom;
    // e = erfc(x)
    let e: number;
    const sign = x < 0.0;
    const ax = sign ? -x : x;
    // NaN in, NaN out; `e = x` (not the global NaN) keeps e a double.
    if (Number.isNaN(x)) e = x;
    else if (x === 0.0) e = 1.0;
    else if (ax < 0.84375) {
      if (ax < SMALL) e = 1.0 - x;
      else {
        const z = x * x;
        const r = PP0 + z * (PP1 + z * (PP2 + z * (PP3 + z * PP4)));
        const s = 1.0 + z * (QQ1 + z * (QQ2 + z * (QQ3 + z * (QQ4 + z * QQ5))));
        const y = r / s;
        if (x < 0.25) e = 1.0 - (x + x * y);
        else {
          let t = x * y;
          t += x - 0.5;
          e = 0.5 - t;
        }
      }
    } else if (ax < 1.25) {
      const s = ax - 1.0;
      const p = PA0 + s * (PA1 + s * (PA2 + s * (PA3 + s * (PA4 + s * (PA5 + s * PA6)))));
      const q = 1.0 + s * (QA1 + s * (QA2 + s * (QA3 + s * (QA4 + s * (QA5 + s * QA6)))));
      e = sign ? 1.0 + ERX + p / q : 1.0 - ERX - p / q;
    } else if (ax < 28.0) {
      const w = 1.0 / (ax * ax);
      let r: number;
      let s: number;
      if (ax < 2.857142857142857) {
        r = RA0 + w * (RA1 + w * (RA2 + w * (RA3 + w * (RA4 + w * (RA5 + w * (RA6 + w * RA7))))));
        s = 1.0 +
          w *
            (SA1 + w * (SA2 + w * (SA3 + w * (SA4 + w * (SA5 + w * (SA6 + w * (SA7 + w * SA8)))))));
      } else if (x < -6.0) {
        out[i] = 0.5 * (2.0 - TINY);
        continue;
      } else {
        r = RB0 + w * (RB1 + w * (RB2 + w * (RB3 + w * (RB4 + w * (RB5 + w * RB6)))));
        s = 1.0 + w * (SB1 + w * (SB2 + w * (SB3 + w * (SB4 + w * (SB5 + w * (SB6 + w * SB7))))));
      }
      // z = ax with the low 32 bits cleared, built from ax's high word:
      // 2^(E - 1023) for its exponent field E, times 1 + its 20 high mantissa
      // bits / 2^20 (both exact). Clearing the low word in memory and reading
      // the double back is two stores and a wider load, which the CPU cannot
      // forward: the load waited for every earlier store, and the points of a
      // ladder ran one after the other (BENCHMARKS.md, sixth pass).
      WORD_F64[0] = ax;
      const high = WORD_U32[HIGH_WORD];
      const z = POW2[(high >>> 20) - 1] * (1.0 + (high & 0xfffff) * TWO_POW_MINUS_20);
      // v = exp(-(z * z) - 0.5625) * exp((z - ax) * (z + ax) + r / s) with the
      // library's exp: its steps written out when |arg| < 700 (the result is a
      // normal number, so scaling by 2^k is one exact multiplication).
      let v = 0.0;
      for (let q = 0; q < 2; q++) {
        const g = q === 0 ? -(z * z) - 0.5625 : (z - ax) * (z + ax) + r / s;
        let eg: number;
        if (!(g > -700.0 && g < 700.0)) {
          // Through a Float64Array: keeps eg an unboxed double on every path.
          WORD_F64[0] = exp(g);
          eg = WORD_F64[0];
        } else if (g > -NEARZERO && g < NEARZERO) eg = 1.0 + g;
        else {
          const k = Math.trunc(g < 0.0 ? LOG2_E * g - 0.5 : LOG2_E * g + 0.5);
          const hi = g - k * LN2_HI;
          const lo = k * LN2_LO;
          const rr = hi - lo;
          const t = rr * rr;
          const c = rr - t * (P1 + t * (P2 + t * (P3 + t * (P4 + t * P5))));
          eg = (1.0 - (lo - (rr * c) / (2.0 - c) - hi)) * POW2[k + 1022];
        }
        v = q === 0 ? eg : v * eg;
      }
      e = sign ? 2.0 - v / ax : v / ax;
    } else {
      // |x| >= 28, infinities included.
      e = sign ? 2.0 - TINY : TINY * TINY;
    }
    out[i] = 0.5 * e;
  }
}
