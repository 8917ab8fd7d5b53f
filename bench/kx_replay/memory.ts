/**
 * Peak resident memory of this process, from Linux's /proc/self/status (VmHWM).
 * Falls back to the current RSS where /proc is not available.
 *
 * @module
 */

/** Peak RSS in MiB. */
export function peakRssMb(): number {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const m = status.match(/^VmHWM:\s+(\d+)\s+kB/m);
    if (m) return Number(m[1]) / 1024;
  } catch {
    // not Linux: fall through
  }
  return Deno.memoryUsage().rss / (1024 * 1024);
}
