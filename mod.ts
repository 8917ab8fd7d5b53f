/**
 * Public API of the Kalshi workbench: what notebooks and users import.
 *
 * @module
 */
export * from "./lib/tape/events.ts";
export * from "./lib/tape/errors.ts";
export * from "./lib/engine/strategy.ts";
