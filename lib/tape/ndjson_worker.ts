/**
 * The worker thread of the NDJSON block source (`ndjson_source.ts`): reads the
 * file chunk by chunk (the next chunk is read, off this thread, while this one
 * is parsed), parses and validates every line with one `NdjsonTapeParser` (the
 * same {@link LineFeeder} as the calling-thread mode, so the same chunks,
 * lines, rules, errors and anomalies), encodes the accepted events of each
 * chunk into a buffer in the layout of a validated columnar block plus a line
 * column ({@link NdjsonBlockEncoder}) and posts it to the main thread,
 * transferring the buffer. It owns at most `buffers` buffers: it
 * allocates them on demand up to that count, then waits until the main thread
 * gives one back. At the end it posts `end`; on an error it posts the block of
 * the events before it, then the error.
 *
 * Started by `ndjsonBlockSource` with `node:worker_threads` (whose `unref()`
 * keeps an abandoned source from holding the process open); it inherits the
 * permissions of the main thread. The thread serves one job (file) after
 * another: when a job has ended, the next source may reuse it
 * (`reader_threads.ts`).
 *
 * @module
 */

import { NdjsonTapeParser } from "./ndjson_reader.ts";
import {
  LineFeeder,
  NdjsonBlockEncoder,
  type NdjsonSync,
  type NdjsonWorkerMessage,
  type NdjsonWorkerStart,
} from "./ndjson_source.ts";
import { postError, serveJobs, type WorkerPort } from "./worker_pipe.ts";

/** Reads one file (one job) and posts its blocks, then `end` or the error. */
async function readFile(
  { start, take, post }: WorkerPort<NdjsonWorkerStart, NdjsonWorkerMessage>,
): Promise<void> {
  const parser = new NdjsonTapeParser(start.name, { strict: start.strict });
  const enc = new NdjsonBlockEncoder();
  const feeder = new LineFeeder(parser, enc);
  let syncedAnomalies = 0;

  /** Changes since the last message. */
  function sync(): NdjsonSync {
    const { markets, symbols } = enc.newEntries();
    const anomalies = parser.anomalies.slice(syncedAnomalies);
    syncedAnomalies = parser.anomalies.length;
    return {
      markets,
      symbols,
      anomalies,
      anomalyCount: parser.anomalyCount,
      linesRead: parser.linesRead,
      linesInPlace: parser.linesInPlace,
      eventsRead: parser.eventsRead,
    };
  }

  /** Posts the events of the chunk just parsed, if any, as one block. */
  async function flush(): Promise<void> {
    if (enc.n === 0) return;
    const buffer = enc.fill(await take());
    post({ type: "block", buffer, n: enc.n, m: enc.m, rare: enc.rare, sync: sync() }, [buffer]);
    enc.reset();
  }

  /**
   * Parses one chunk (or the end of the file) and posts its events; an error is
   * posted after the events before it.
   */
  async function step(chunk: Uint8Array | null): Promise<void> {
    let failed = false;
    let error: unknown;
    try {
      if (chunk === null) feeder.end();
      else feeder.feed(chunk);
    } catch (e) {
      failed = true;
      error = e;
    }
    await flush();
    if (failed) throw error;
  }

  let file: Deno.FsFile | null = null;
  /** The read under way (of the chunk after the one being parsed). */
  let reading: Promise<number | null> | null = null;
  try {
    file = Deno.openSync(start.path, { read: true });
    // Two chunk buffers: the next chunk is read (off this thread) while this one
    // is parsed. (Measured: faster than blocking reads, and than larger reads.)
    const bufs = [new Uint8Array(start.blockBytes), new Uint8Array(start.blockBytes)];
    let cur = 0;
    reading = file.read(bufs[cur]);
    for (;;) {
      const n = await reading;
      reading = null;
      if (n === null) {
        await step(null);
        break;
      }
      const buf = bufs[cur];
      cur ^= 1;
      reading = file.read(bufs[cur]);
      await step(buf.subarray(0, n));
    }
    post({ type: "end", sync: sync() });
  } catch (e) {
    post({ type: "error", error: postError(e), sync: sync() });
  } finally {
    // A read still under way fails when the file is closed: nobody waits for it.
    if (reading !== null) reading.catch(() => {});
    if (file !== null) file.close();
  }
}

serveJobs("ndjson_worker.ts", readFile);
