/**
 * Tapes shared by the tape tests.
 *
 * @module
 */

/**
 * Every kind, every optional field present and absent, values beyond 32 bits
 * and values that need the columnar aux fallback.
 */
export const HAND_TAPE: string = [
  '{"ts":1000,"type":"series","series":"KXT","fee_type":"quadratic","fee_multiplier":0.5}',
  '{"ts":1000,"type":"event","event":"KXT-E1","series":"KXT","mutually_exclusive":true,"outcome_step":0.1}',
  '{"ts":1000,"type":"event","event":"KXT-E2","series":"KXT","mutually_exclusive":false}',
  '{"ts":1000,"type":"market","market":"KXT-E1-B1","event":"KXT-E1","strike_type":"between","floor_strike":1.5,"cap_strike":2.5,"floor_inclusive":true,"cap_inclusive":false,"open_ts":1000,"close_ts":9000,"price_step":"0.0100"}',
  '{"ts":1000,"type":"market","market":"KXT-E2-G","event":"KXT-E2","strike_type":"greater","floor_strike":3,"open_ts":1000,"close_ts":9000,"price_step":"0.0001"}',
  '{"ts":1001,"type":"lifecycle","market":"KXT-E1-B1","status":"open"}',
  '{"ts":1002,"type":"book_snapshot","market":"KXT-E1-B1","seq":7,"yes":[["0.5500","10.00"],["0.5400","25.00"]],"no":[["0.4300","8.00"]]}',
  '{"ts":1002,"type":"book_snapshot","market":"KXT-E2-G","seq":4294967295,"yes":[],"no":[]}',
  '{"ts":1003,"type":"book_delta","market":"KXT-E1-B1","seq":8,"side":"no","price":"0.4300","delta":"-2.00"}',
  '{"ts":1003,"type":"book_delta","market":"KXT-E2-G","seq":4294967296,"side":"yes","price":"0.0001","delta":"0.01"}',
  '{"ts":1003,"type":"book_delta","market":"KXT-E2-G","seq":4294967297,"side":"yes","price":"0.0002","delta":"30000000.00"}',
  '{"ts":1004,"type":"quote","market":"KXT-E1-B1","yes_bid":"0.5500","yes_ask":"0.5700","yes_bid_size":"10.00"}',
  '{"ts":1004,"type":"quote","market":"KXT-E2-G","yes_bid":"0.9999","yes_ask":"0.9999","yes_ask_size":"0.01"}',
  '{"ts":1004,"type":"quote","market":"KXT-E2-G","yes_bid":"0.0100","yes_ask":"0.9900"}',
  '{"ts":1005,"type":"trade","market":"KXT-E1-B1","price":"0.5600","count":"3.00","taker_side":"yes"}',
  '{"ts":1005,"type":"trade","market":"KXT-E2-G","price":"0.0100","count":"30000000.00","taker_side":"no"}',
  '{"ts":1006,"type":"underlying","symbol":"SPX","value":6861.25}',
  '{"ts":1006,"type":"underlying","symbol":"BTC","value":-0.5}',
  '{"ts":1007,"type":"series","series":"KXT","fee_type":"flat","fee_multiplier":1}',
  '{"ts":9000,"type":"lifecycle","market":"KXT-E1-B1","status":"closed"}',
  '{"ts":9000,"type":"lifecycle","market":"KXT-E2-G","status":"finalized"}',
  '{"ts":9500,"type":"settlement","market":"KXT-E1-B1","result":"yes","expiration_value":2}',
  '{"ts":9500,"type":"settlement","market":"KXT-E2-G","result":"no"}',
].join("\n") + "\n";
