/**
 * Public API of the Kalshi workbench: what notebooks and users import.
 *
 * @example
 * ```ts
 * import { BtcStrategy, generateBtcTape, runBacktest } from "./mod.ts";
 * ```
 *
 * @module
 */

// Units and money
export * from "./lib/units/price.ts";
export * from "./lib/units/quantity.ts";
export * from "./lib/fees/fees.ts";
export * from "./lib/fees/schedule.ts";
// Markets, ladders and pricing
export * from "./lib/market/interval.ts";
export * from "./lib/market/ladder.ts";
export * from "./lib/pricing/distribution.ts";
export * from "./lib/pricing/pmf.ts";
export * from "./lib/pricing/implied.ts";
export * from "./lib/pricing/ev.ts";
// Scoring
export * from "./lib/scoring/neumaier.ts";
export * from "./lib/scoring/binary.ts";
export * from "./lib/scoring/categorical.ts";
export * from "./lib/scoring/skill.ts";
export * from "./lib/scoring/reliability.ts";
export * from "./lib/scoring/trading.ts";
// Tapes
export * from "./lib/tape/events.ts";
export * from "./lib/tape/errors.ts";
export * from "./lib/tape/ndjson_reader.ts";
export * from "./lib/tape/ndjson_writer.ts";
export * from "./lib/tape/block.ts";
export { TapeValidator } from "./lib/tape/validator.ts";
export { ndjsonBlockSource, type NdjsonSourceOptions } from "./lib/tape/ndjson_source.ts";
export { ColumnarTapeWriter } from "./lib/tape/columnar_writer.ts";
export { columnarBlockSource } from "./lib/tape/columnar_reader.ts";
export { sqliteBlockSource, writeSqliteTape } from "./lib/tape/sqlite_tape.ts";
export * from "./lib/synth/btc_tape.ts";
export { Prng } from "./lib/random/prng.ts";
// Engine, replay and results
export * from "./lib/engine/strategy.ts";
export { L2Book } from "./lib/engine/book.ts";
export { fillTaker, type LevelFill } from "./lib/engine/taker_fill.ts";
export { type MarketAccount, Portfolio } from "./lib/engine/portfolio.ts";
export { MarketRegistry } from "./lib/engine/registry.ts";
export * from "./lib/venue/stream.ts";
export * from "./lib/venue/replay.ts";
export * from "./lib/venue/score.ts";
export * from "./lib/venue/run.ts";
export * from "./lib/store/results_db.ts";
export * from "./lib/store/digest.ts";
// Strategies
export * from "./strategies/btc/strategy.ts";
export * from "./strategies/btc/model.ts";
export * from "./strategies/registry.ts";
// Research
export * from "./lib/research/mod.ts";
export * from "./lib/research/signals.ts";
export * from "./lib/venue/decision_types.ts";
export { loadPlotlySource } from "./lib/report/plotly_source.ts";
