/**
 * Arrays of objects indexed by a small number (a market's number, a source's
 * slot) that a replay makes afresh and fills in any order.
 *
 * Why a function for an empty array: V8 gives every array an element layout
 * that only ever widens (small integers, then objects; packed, then with
 * holes). A fresh `[]` starts at the narrowest. Code optimized on the filled
 * arrays of one replay expects the widest, so the first read of the next
 * replay's fresh array threw that code away (the replay loop then ran
 * unoptimized until V8 compiled it again). {@link objectSlots} returns an
 * empty array already in the layout a filled one ends in (objects, with
 * holes); object_slots_test.ts checks that with V8's own map comparison.
 *
 * Read a slot past the end as `undefined`, as with any array.
 *
 * {@link objectList} does the same for a list that only grows by `push`
 * (records of a replay: orders, fills, forecasts): its filled layout has no
 * holes.
 *
 * @module
 */

/** Any object: one store of it moves the array to the widest layout. */
const WIDEN: object = Object.freeze({});

/**
 * An empty array for objects by number, in the layout of one filled in any
 * order.
 *
 * @example
 * ```ts
 * const byNumber = objectSlots<{ name: string }>();
 * byNumber[3] = { name: "KXBENCH-E00-L" };
 * byNumber[0]; // undefined
 * ```
 */
export function objectSlots<T extends object>(): (T | undefined)[] {
  const a: (T | undefined)[] = [];
  (a as unknown[])[1] = WIDEN;
  a.length = 0;
  return a;
}

/**
 * An empty array for objects added with `push`, in the layout of one that
 * already holds objects (see the module docs).
 *
 * @example
 * ```ts
 * const fills = objectList<{ price: number }>();
 * fills.push({ price: 4200 });
 * ```
 */
export function objectList<T extends object>(): T[] {
  const a = [WIDEN] as unknown[];
  a.length = 0;
  return a as T[];
}
