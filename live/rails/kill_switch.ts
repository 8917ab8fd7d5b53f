/**
 * The kill switch: a file whose presence stops the lane from sending orders.
 * An operator creates it (`touch <file>`) to stop trading at once, and removes
 * it to allow orders again.
 *
 * {@link KillSwitch.poll} looks at the file system on every call (the dry
 * broker polls before every order, and the lane between orders) and says
 * whether the state changed since the previous poll, so the lane can record a
 * cancel-all intent when the file appears; {@link KillSwitch.engaged} is the
 * state the last poll saw.
 *
 * @example
 * ```ts
 * import { KillSwitch } from "./kill_switch.ts";
 * import { denoFs } from "../io.ts";
 *
 * const path = `${Deno.makeTempDirSync()}/KILL`;
 * const ks = new KillSwitch(path, denoFs);
 * ks.poll(); // null: absent, as at start
 * Deno.writeTextFileSync(path, "");
 * ks.poll(); // "engaged"
 * ks.engaged; // true
 * ```
 *
 * @module
 */

import type { LiveFs } from "../io.ts";

/** A change of the kill switch seen by {@link KillSwitch.poll}. */
export type KillSwitchChange = "engaged" | "released";

/** The kill-switch file; see the module docs. */
export class KillSwitch {
  readonly path: string;
  readonly #fs: LiveFs;
  #last = false;
  #checks = 0;

  constructor(path: string, fs: LiveFs) {
    if (typeof path !== "string" || path.length === 0) {
      throw new RangeError(
        `Cannot create kill switch: path must be a non-empty string, current value is "${path}"`,
      );
    }
    this.path = path;
    this.#fs = fs;
  }

  /** File-system looks so far. */
  get checks(): number {
    return this.#checks;
  }

  /** Whether the file existed at the last poll. */
  get engaged(): boolean {
    return this.#last;
  }

  /** Look now; return the change since the previous poll, or null. */
  poll(): KillSwitchChange | null {
    this.#checks++;
    const now = this.#fs.exists(this.path);
    const was = this.#last;
    this.#last = now;
    if (now === was) return null;
    return now ? "engaged" : "released";
  }
}
