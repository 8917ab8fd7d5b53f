import assert from "node:assert/strict";
import { runWithNatives } from "./natives_check.ts";
import { objectList, objectSlots } from "./object_slots.ts";

Deno.test("objectSlots: an empty array that takes objects at any number", () => {
  const a = objectSlots<{ n: number }>();
  assert.equal(a.length, 0);
  assert.equal(a[0], undefined);
  assert.equal(a[1], undefined);
  a[4] = { n: 4 };
  a[1] = { n: 1 };
  assert.equal(a.length, 5);
  assert.deepEqual(Array.from(a, (x) => x?.n), [undefined, 1, undefined, undefined, 4]);
  assert.notEqual(objectSlots(), objectSlots(), "each call gives a new array");
});

Deno.test("objectList: an empty list that grows by push", () => {
  const a = objectList<{ n: number }>();
  assert.equal(a.length, 0);
  a.push({ n: 1 }, { n: 2 });
  assert.deepEqual(a, [{ n: 1 }, { n: 2 }]);
  assert.notEqual(objectList(), objectList(), "each call gives a new array");
});

Deno.test("objectSlots, objectList: a fresh array has the V8 layout of a filled one (checked with %HaveSameMap)", async () => {
  // The layout is V8's; only its natives can see it, so the check runs in a
  // child process with --allow-natives-syntax. A plain `[]` is the control: it
  // must differ, or the check would prove nothing.
  const module = new URL("./object_slots.ts", import.meta.url).href;
  const script = `
    import { objectList, objectSlots } from ${JSON.stringify(module)};
    const filled = objectSlots();
    filled[5] = { a: 1 };
    filled[2] = { a: 2 };
    const plainFilled = [];
    plainFilled[5] = { a: 1 };
    const fresh = objectSlots();
    const pushed = objectList();
    pushed.push({ a: 1 }, { a: 2 });
    const plainPushed = [];
    plainPushed.push({ a: 1 });
    console.log(JSON.stringify({
      slots: %HaveSameMap(fresh, filled),
      plain: %HaveSameMap([], plainFilled),
      list: %HaveSameMap(objectList(), pushed),
      plainList: %HaveSameMap([], plainPushed),
    }));
  `;
  assert.deepEqual(await runWithNatives(script), {
    slots: true,
    plain: false,
    list: true,
    plainList: false,
  });
});
